#include "server/store/shared_generations.h"
#include "server/audit/audit_log.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "server/common/log.h"
#include "server/common/status_macros.h"
#include "server/store/health_probe.h"

namespace schakel::audit {
namespace {

// The reason key of `signer`; an empty key (every Seal then fails
// INTERNAL) when OpenSSL cannot derive it.
BreakGlassReasons ReasonsOf(const CheckpointSigner& signer) {
  absl::StatusOr<BreakGlassReasons> reasons = BreakGlassReasons::ForSigner(signer);
  if (!reasons.ok()) {
    LogError(absl::StrCat("break-glass reason key: ", reasons.status().message()));
    return BreakGlassReasons("");
  }
  return *std::move(reasons);
}

}  // namespace

AuditLog::AuditLog(store::Database* db, const Clock* clock, CheckpointSigner signer,
                   AuditLogOptions options)
    : db_(db),
      clock_(clock),
      signer_(std::move(signer)),
      reasons_(ReasonsOf(signer_)),
      options_(std::move(options)),
      break_glass_(options_.break_glass_cache_entries) {}

AuditLog::~AuditLog() { Stop(); }

absl::Status AuditLog::AppendIn(store::Connection& c, Entry& entry) {
  if (options_.fault_for_testing) RETURN_IF_ERROR(options_.fault_for_testing());
  NormalizeResidents(entry.residents);
  return AppendEntry(c, entry);
}

absl::Status AuditLog::Record(Entry& entry) {
  return db_->Write([&](store::Connection& c) { return AppendIn(c, entry); });
}

absl::Status AuditLog::Probe() {
  if (options_.fault_for_testing) RETURN_IF_ERROR(options_.fault_for_testing());
  return db_->Write(
      [&](store::Connection& c) { return store::WriteHealthProbe(c, clock_->Now()); });
}

absl::StatusOr<std::map<std::string, absl::Time>> AuditLog::ActiveBreakGlass(
    const std::string& professional_id, absl::Time now) {
  // The same test as ActiveBreakGlassResidents' SQL, at the request's time.
  auto open_at = [now](const BreakGlassSessions& sessions) {
    std::map<std::string, absl::Time> out;
    for (const BreakGlassWindow& w : sessions.windows) {
      if (w.start_time <= now && now < w.end_time) {
        auto [it, added] = out.emplace(w.resident_id, w.end_time);
        if (!added) it->second = std::max(it->second, w.end_time);
      }
    }
    return out;
  };
  std::optional<BreakGlassSessions> hit = break_glass_.Lookup(professional_id);
  // A session that had ended at read_at has ended at any later time too;
  // a request dated before read_at (the clock went back, or it started
  // earlier) reads again.
  if (hit && now >= hit->read_at) return open_at(*hit);
  // Taken before the read: an OpenBreakGlass that returns meanwhile makes
  // the fill a no-op, so an older snapshot is never remembered.
  const uint64_t generation = break_glass_.generation();
  ASSIGN_OR_RETURN(std::vector<BreakGlassWindow> windows,
                   BreakGlassEndingAfter(*db_, professional_id, now));
  BreakGlassSessions read{now, std::move(windows)};
  if (options_.before_break_glass_fill_for_testing) options_.before_break_glass_fill_for_testing();
  std::map<std::string, absl::Time> out = open_at(read);
  break_glass_.Fill(professional_id, std::move(read), generation);
  return out;
}

absl::Status AuditLog::OpenBreakGlass(const BreakGlassSession& session, Entry& entry) {
  // The reason is stored only sealed; the chained entry commits to the
  // stored session, so that removing, erasing or editing it shows in verify.
  BreakGlassSession stored = session;
  RETURN_IF_ERROR(reasons_.Seal(stored));
  stored.reason.clear();
  absl::Status written = db_->Write([&](store::Connection& c) -> absl::Status {
    RETURN_IF_ERROR(InsertBreakGlass(c, stored));
    RETURN_IF_ERROR(store::BumpSharedGeneration(c, store::SharedCache::kBreakGlass));
    entry.session_commitment = SessionCommitment(stored);
    entry.break_glass = true;
    entry.outcome = kAllowed;
    return AppendIn(c, entry);
  });
  // After the commit (or the failure, to be safe): every request from now
  // on reads the sessions again.
  break_glass_.Invalidate();
  return written;
}

absl::StatusOr<int64_t> AuditLog::PurgeOlderThan(absl::Time cutoff, Entry& entry) {
  ASSIGN_OR_RETURN(std::vector<Checkpoint> checkpoints,
                   ReadCheckpoints(options_.checkpoint_path));
  const std::string public_key = signer_.PublicKeyPem();
  int64_t purged = 0;
  RETURN_IF_ERROR(db_->Write([&](store::Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t limit, LastSeqOlderThan(c, cutoff));
    // A legal hold keeps the resident's access history too: nothing from
    // the first entry about a held resident on.
    ASSIGN_OR_RETURN(std::optional<int64_t> held, FirstSeqOfHeldResidents(c));
    if (held) limit = std::min(limit, *held - 1);
    ASSIGN_OR_RETURN(std::optional<Checkpoint> anchor, ReadAnchor(c));
    const int64_t floor = anchor ? anchor->seq : 0;
    // The newest checkpoint in (floor, limit]: only a signed head may become
    // the anchor, so the chain stays verifiable from it.
    const Checkpoint* chosen = nullptr;
    for (const Checkpoint& cp : checkpoints) {
      if (!cp.anchor && cp.seq > floor && cp.seq <= limit &&
          (chosen == nullptr || cp.seq > chosen->seq)) {
        chosen = &cp;
      }
    }
    if (chosen == nullptr) return absl::OkStatus();
    RETURN_IF_ERROR(VerifyCheckpoint(*chosen, public_key));
    ASSIGN_OR_RETURN(std::optional<std::string> hash, HashAt(c, chosen->seq));
    if (!hash || *hash != chosen->head) {
      return absl::DataLossError(absl::StrCat("the audit log differs from its signed checkpoint at ",
                                              chosen->seq, "; nothing purged"));
    }
    // The signed record of this purge goes out first (durably, beside the
    // checkpoints and to the export): an anchor no record vouches for means
    // entries were deleted outside retention, and verify says so. A record
    // whose purge then fails to commit is harmless: it matches no anchor.
    if (options_.may_sign && !options_.may_sign()) {
      return absl::FailedPreconditionError(
          "this instance does not hold the primary's lock of the database: nothing purged");
    }
    ASSIGN_OR_RETURN(Checkpoint record, signer_.SignAnchor(chosen->seq, chosen->head,
                                                           clock_->Now()));
    RETURN_IF_ERROR(Publish(record, &c));
    ASSIGN_OR_RETURN(purged, PurgeUpTo(c, *chosen));
    entry.resource_type = "audit";
    entry.resource_id = absl::StrCat(chosen->seq);
    entry.outcome = kAllowed;
    return AppendIn(c, entry);
  }));
  return purged;
}

absl::Status AuditLog::Publish(const Checkpoint& c, store::Connection* in) {
  RETURN_IF_ERROR(AppendCheckpoint(options_.checkpoint_path, c));
  if (!options_.export_path.empty()) {
    absl::Status exported = AppendCheckpoint(options_.export_path, c);
    if (!exported.ok()) LogError(absl::StrCat("audit checkpoint export: ", exported.message()));
  }
  LogInfo(absl::StrCat("audit ", FormatCheckpoint(c)));
  // Only after the line is in the file: the database never records a line
  // the file did not get (a crash in between leaves the file with one more,
  // which is harmless).
  if (in != nullptr) return RecordPublished(*in, c);
  return db_->Write([&](store::Connection& w) { return RecordPublished(w, c); });
}

absl::Status AuditLog::WriteCheckpoint() {
  if (!options_.signs_checkpoints) return absl::OkStatus();
  if (options_.may_sign && !options_.may_sign()) return absl::OkStatus();
  absl::MutexLock lock(&mu_);
  // Read after commit: only a durable head is ever signed.
  ASSIGN_OR_RETURN(Head head, ReadHead(*db_));
  if (head.seq == 0 || head.seq == last_checkpoint_seq_) return absl::OkStatus();
  ASSIGN_OR_RETURN(Checkpoint cp, signer_.Sign(head.seq, head.hash, clock_->Now()));
  RETURN_IF_ERROR(Publish(cp, nullptr));
  last_checkpoint_seq_ = head.seq;
  return absl::OkStatus();
}

void AuditLog::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void AuditLog::Loop() {
  absl::Time last = clock_->Now();
  while (!stop_.WaitForNotificationWithTimeout(absl::Seconds(1))) {
    absl::StatusOr<Head> head = ReadHead(*db_);
    if (!head.ok()) continue;
    int64_t since;
    {
      absl::MutexLock lock(&mu_);
      since = head->seq - std::max<int64_t>(last_checkpoint_seq_, 0);
    }
    bool due = since >= options_.checkpoint_every_entries ||
               (since > 0 && clock_->Now() - last >= options_.checkpoint_interval);
    if (!due) continue;
    absl::Status s = WriteCheckpoint();
    if (!s.ok()) LogError(absl::StrCat("audit checkpoint failed: ", s.message()));
    last = clock_->Now();
  }
}

void AuditLog::Stop() {
  if (stopped_) return;
  stopped_ = true;
  stop_.Notify();
  if (thread_.joinable()) thread_.join();
  absl::Status s = WriteCheckpoint();
  if (!s.ok()) LogError(absl::StrCat("final audit checkpoint failed: ", s.message()));
}

absl::Status AuditLog::CheckAgainstLastCheckpoint(store::Database& db,
                                                  const std::string& checkpoint_path,
                                                  const std::string& public_key_pem) {
  ASSIGN_OR_RETURN(std::vector<Checkpoint> all, ReadCheckpoints(checkpoint_path));
  ASSIGN_OR_RETURN(std::optional<Checkpoint> db_anchor, ReadAnchor(db));
  if (db_anchor) {
    absl::Status recorded = CheckAnchorRecorded(*db_anchor, all, public_key_pem);
    if (!recorded.ok()) return absl::FailedPreconditionError(recorded.message());
  }
  const Checkpoint* last_checkpoint = LastCheckpoint(all);
  if (last_checkpoint == nullptr) return absl::OkStatus();
  const Checkpoint& last = *last_checkpoint;
  RETURN_IF_ERROR(VerifyCheckpoint(last, public_key_pem));
  std::optional<std::string> hash;
  RETURN_IF_ERROR(db.Read([&](store::Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(store::Statement st,
                     c.Prepare("SELECT hash FROM audit_log WHERE seq = ?1", "audit checkpoint"));
    st.Bind(1, last.seq);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (row) hash = st.ColumnText(0);
    return absl::OkStatus();
  }));
  if (!hash) {
    // Purged by retention: the anchor stands for the entries up to it.
    if (db_anchor && last.seq < db_anchor->seq) return absl::OkStatus();
    if (db_anchor && last.seq == db_anchor->seq) hash = db_anchor->head;
  }
  if (!hash) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the audit log does not reach its last signed checkpoint (seq ", last.seq,
        "): the database was rolled back to an older copy or truncated"));
  }
  if (*hash != last.head) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the audit log differs from its last signed checkpoint at seq ", last.seq,
        ": the database was rewritten"));
  }
  return absl::OkStatus();
}

}  // namespace schakel::audit
