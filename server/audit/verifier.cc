#include "server/audit/verifier.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "server/audit/break_glass.h"
#include "server/common/status_macros.h"
#include "server/crypto/openssl_util.h"

namespace schakel::audit {
namespace {

// Keeps the earliest problem.
void Flag(VerifyReport& r, int64_t seq, std::string problem) {
  if (r.intact || seq < r.first_bad_seq) {
    r.intact = false;
    r.first_bad_seq = seq;
    r.problem = std::move(problem);
  }
}

// An entry that opened a break-glass session, as the chain holds it.
struct OpenedSession {
  int64_t seq = 0;
  int version = kLegacyVersion;
  std::string session_id, professional_id, residents, commitment;
};

bool OpensSession(const StoredEntry& e) {
  return !e.session_commitment.empty() ||
         (e.action == kOpenBreakGlassAction && e.outcome == kAllowed &&
          e.resource_type == "breakglass" && !e.resource_id.empty());
}

void FlagStray(VerifyReport& r, const IndexRow& row) {
  Flag(r, row.seq,
       absl::StrCat("the resident index holds a row (seq ", row.seq, ", resident ",
                    row.resident_id, ") but there is no entry ", row.seq,
                    " (added to audit_residents, or the entry was deleted)"));
}

// Every session an entry opened must be in breakglass_sessions as the entry
// has it: for a version 3 entry, the session's commitment; for an older
// one (which carries none), its professional and resident.
//
constexpr absl::Duration kPurgeMargin = absl::Minutes(10);

// And every session needs an entry that opened it: a row inserted outside
// the API gives emergency access nobody recorded. Exempt are sessions that
// started before the first walked entry after a retention purge (their
// entries went with it) and sessions whose entry came after the walk's
// snapshot (a verify while the server serves).
absl::Status CheckSessions(store::Database& db, const std::vector<OpenedSession>& opened,
                           bool purged, int64_t first_time_micros, VerifyReport& r) {
  ASSIGN_OR_RETURN(std::vector<BreakGlassSession> sessions, AllBreakGlass(db));
  std::map<absl::string_view, const BreakGlassSession*> by_id;
  for (const BreakGlassSession& s : sessions) by_id[s.id] = &s;
  std::set<absl::string_view> opened_ids;
  for (const OpenedSession& o : opened) opened_ids.insert(o.session_id);
  for (const BreakGlassSession& s : sessions) {
    if (opened_ids.count(s.id) > 0) continue;
    // A request's entry is dated at its start, which its deadline keeps
    // within minutes of its commit: the margin keeps a session opened just
    // before the purge's last entry from being taken for an inserted one.
    if (purged && (first_time_micros == 0 ||
                   absl::ToUnixMicros(s.start_time) <
                       first_time_micros + absl::ToInt64Microseconds(kPurgeMargin))) {
      continue;
    }
    ASSIGN_OR_RETURN(std::optional<int64_t> entry, SeqOfEntryFor(db, "breakglass", s.id));
    if (entry && *entry > r.head.seq) continue;
    Flag(r, r.head.seq + 1,
         absl::StrCat("the break-glass session ", s.id, " (professional ", s.professional_id,
                      ", resident ", s.resident_id, ", from ",
                      absl::FormatTime(absl::RFC3339_sec, s.start_time, absl::UTCTimeZone()),
                      ") has no entry that opened it (inserted into breakglass_sessions outside "
                      "the API)"));
  }
  for (const OpenedSession& o : opened) {
    auto it = by_id.find(o.session_id);
    if (it == by_id.end()) {
      Flag(r, o.seq,
           absl::StrCat("the break-glass session ", o.session_id, " that entry ", o.seq,
                        " opened is missing from breakglass_sessions (deleted: the auditor's "
                        "list and its anomaly lose it)"));
      continue;
    }
    const BreakGlassSession& s = *it->second;
    if (o.version == kEntryVersion) {
      if (SessionCommitment(s) != o.commitment) {
        Flag(r, o.seq,
             absl::StrCat("the break-glass session ", o.session_id, " that entry ", o.seq,
                          " opened differs from the entry's commitment (its reason, resident, "
                          "professional or times were changed)"));
      }
      continue;
    }
    std::vector<absl::string_view> residents = absl::StrSplit(o.residents, ',');
    if (s.professional_id != o.professional_id ||
        std::find(residents.begin(), residents.end(), s.resident_id) == residents.end()) {
      Flag(r, o.seq,
           absl::StrCat("the break-glass session ", o.session_id, " that entry ", o.seq,
                        " opened names another professional or resident than the entry"));
    }
  }
  return absl::OkStatus();
}

// The checks of the entries, one after the other in seq order: the seq has
// no gap, the entry links to the one before, its hash, recomputed from its
// stored fields, is the stored one, and the resident index holds exactly
// the residents it concerns. Also notes the stored hash of every seq a
// checkpoint or --expect asks about, and the entries that opened a
// break-glass session. Runs on one thread at a time.
class EntryChecker {
 public:
  EntryChecker(VerifyReport& report, int64_t first_seq, std::string prev,
               std::map<int64_t, std::string>& wanted)
      : r_(report), expected_seq_(first_seq), prev_(std::move(prev)), wanted_(wanted),
        next_wanted_(wanted.lower_bound(first_seq)) {}

  // For the second half of a split walk: the first entry's seq and link
  // are not checked here (they are noted, for the check at the boundary).
  void DeferFirstLink() { defer_first_link_ = true; }

  absl::Status Check(const StoredEntry& e) {
    if (defer_first_link_ && r_.entries == 0) {
      first_seq_ = e.seq;
      first_prev_ = e.prev_hash;
      RETURN_IF_ERROR(CheckHash(e));
    } else if (e.seq != expected_seq_) {
      Flag(r_, expected_seq_,
           absl::StrCat("entry ", expected_seq_, " is missing (the next is ", e.seq, ")"));
    } else if (e.prev_hash != prev_) {
      Flag(r_, e.seq, absl::StrCat("entry ", e.seq, " does not link to the entry before it"));
    } else {
      RETURN_IF_ERROR(CheckHash(e));
    }
    CheckIndex(e);
    if (r_.entries == 0) first_time_micros_ = e.time_micros;
    if (OpensSession(e)) {
      opened_.push_back(OpenedSession{e.seq, e.version, e.resource_id, e.professional_id,
                                      e.residents, e.session_commitment});
    }
    ++r_.entries;
    expected_seq_ = e.seq + 1;
    prev_.assign(e.hash);  // reuses prev_'s buffer
    last_seq_ = e.seq;
    // The entries come in increasing seq order (the table's rowid order).
    while (next_wanted_ != wanted_.end() && next_wanted_->first < e.seq) ++next_wanted_;
    if (next_wanted_ != wanted_.end() && next_wanted_->first == e.seq) {
      next_wanted_->second = e.hash;
    }
    return absl::OkStatus();
  }

  // The head after the last entry checked; `fallback` when there was none.
  Head head(const Head& fallback) const {
    return r_.entries == 0 ? fallback : Head{last_seq_, prev_};
  }
  // The seq the next entry must have, and the hash it must link to.
  int64_t expected_seq() const { return expected_seq_; }
  const std::string& prev() const { return prev_; }
  // With DeferFirstLink: the first entry's seq and its link.
  int64_t first_seq() const { return first_seq_; }
  const std::string& first_prev() const { return first_prev_; }
  // The entries that opened a break-glass session, in seq order.
  std::vector<OpenedSession>& opened() { return opened_; }
  // The time of the first entry checked (0 when none was).
  int64_t first_time_micros() const { return first_time_micros_; }

 private:
  // Flags the first index row missing for, or extra to, the residents the
  // entry concerns, and an index row of a seq that has no entry. The
  // residents field has been hashed since version 1 and the index always
  // written from it, so this holds for entries of every version.
  void CheckIndex(const StoredEntry& e) {
    if (e.stray.seq != 0) FlagStray(r_, e.stray);
    // Both sorted and unique as AppendEntry writes them: the common case.
    if (e.indexed == e.residents) return;
    std::vector<absl::string_view> want = absl::StrSplit(e.residents, ',', absl::SkipEmpty());
    std::sort(want.begin(), want.end());
    want.erase(std::unique(want.begin(), want.end()), want.end());
    // In resident order, unique: the index's primary key.
    std::vector<absl::string_view> have = absl::StrSplit(e.indexed, ',', absl::SkipEmpty());
    if (want == have) return;
    auto w = want.begin();
    auto h = have.begin();
    while (w != want.end() && h != have.end() && *w == *h) {
      ++w;
      ++h;
    }
    if (w != want.end() && (h == have.end() || *w < *h)) {
      Flag(r_, e.seq,
           absl::StrCat("the resident index lacks the row (seq ", e.seq, ", resident ", *w,
                        ") of an entry that concerns the resident (deleted from "
                        "audit_residents: the resident's access report leaves the entry out)"));
    } else {
      Flag(r_, e.seq,
           absl::StrCat("the resident index holds a row (seq ", e.seq, ", resident ", *h,
                        ") that the entry does not concern (added to audit_residents)"));
    }
  }

  // Flags the entry when its hash, recomputed from its stored fields, is
  // not the stored one.
  absl::Status CheckHash(const StoredEntry& e) {
    encoding_.clear();
    AppendCanonicalEncoding(e.Fields(), encoding_);
    unsigned char digest[crypto::Sha256Hasher::kSize];
    if (!hasher_.Digest(encoding_, digest)) {
      return absl::InternalError("audit verify: SHA-256 is not available");
    }
    char hex[2 * crypto::Sha256Hasher::kSize];
    crypto::HexEncodeTo(digest, sizeof(digest), hex);
    if (absl::string_view(hex, sizeof(hex)) != e.hash) {
      Flag(r_, e.seq, absl::StrCat("entry ", e.seq, " was altered (its hash does not match)"));
    }
    return absl::OkStatus();
  }

  VerifyReport& r_;
  int64_t expected_seq_;
  std::string prev_;
  int64_t last_seq_ = 0;
  std::map<int64_t, std::string>& wanted_;
  std::map<int64_t, std::string>::iterator next_wanted_;
  crypto::Sha256Hasher hasher_;
  std::string encoding_;  // reused for every entry
  bool defer_first_link_ = false;
  int64_t first_seq_ = 0;
  std::string first_prev_;
  std::vector<OpenedSession> opened_;
  int64_t first_time_micros_ = 0;
};

// Checks batches on a second thread while the calling thread reads the
// next ones; batches are checked in the order they were read. The emptied
// vectors go back to the reader, so that an entry's strings are allocated
// and freed on the reading thread.
class CheckingThread {
 public:
  explicit CheckingThread(EntryChecker& checker)
      : checker_(checker), thread_([this] { Run(); }) {}
  ~CheckingThread() { Finish().IgnoreError(); }

  // Called by the reader with a full batch; leaves a recycled one in its
  // place. Waits while enough batches are queued; the checker's error if
  // it failed.
  absl::Status Hand(std::vector<StoredEntry>& batch) {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(this, &CheckingThread::HasRoom));
    if (!status_.ok()) return status_;
    ready_.push_back(std::move(batch));
    batch.clear();
    if (!recycled_.empty()) {
      batch = std::move(recycled_.back());
      recycled_.pop_back();
    }
    return absl::OkStatus();
  }

  // Waits until every handed batch was checked (or the checker failed);
  // the checker's status.
  absl::Status Finish() {
    {
      absl::MutexLock lock(&mu_);
      done_ = true;
    }
    if (thread_.joinable()) thread_.join();
    absl::MutexLock lock(&mu_);
    return status_;
  }

 private:
  static constexpr size_t kMaxReady = 4;

  bool HasRoom() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return ready_.size() < kMaxReady || !status_.ok();
  }
  bool HasWork() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !ready_.empty() || done_; }

  void Run() {
    while (true) {
      std::vector<StoredEntry> batch;
      {
        absl::MutexLock lock(&mu_);
        mu_.Await(absl::Condition(this, &CheckingThread::HasWork));
        if (ready_.empty()) return;  // done
        batch = std::move(ready_.front());
        ready_.pop_front();
      }
      absl::Status status;
      for (const StoredEntry& e : batch) {
        status = checker_.Check(e);
        if (!status.ok()) break;
      }
      absl::MutexLock lock(&mu_);
      if (!status.ok()) {
        status_ = status;
        ready_.clear();
        return;
      }
      recycled_.push_back(std::move(batch));
    }
  }

  EntryChecker& checker_;
  absl::Mutex mu_;
  std::deque<std::vector<StoredEntry>> ready_ ABSL_GUARDED_BY(mu_);
  std::vector<std::vector<StoredEntry>> recycled_ ABSL_GUARDED_BY(mu_);
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status status_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;  // last: starts once the rest is built
};

// Checks every entry with from_seq <= seq <= to_seq on the calling thread;
// the first index row after the last of them in *stray_after.
absl::Status CheckRange(store::Database& db, EntryChecker& checker, size_t batch_entries,
                        const std::function<absl::Status()>& stop, int64_t from_seq,
                        int64_t to_seq, IndexRow* stray_after) {
  return ScanEntries(
      db, batch_entries, stop,
      [&checker](std::vector<StoredEntry>& batch) -> absl::Status {
        for (const StoredEntry& e : batch) RETURN_IF_ERROR(checker.Check(e));
        return absl::OkStatus();
      },
      from_seq, to_seq, stray_after);
}

// One walk in seq order: reading on the calling thread, checking there or
// on a second thread.
absl::Status WalkInOrder(store::Database& db, EntryChecker& checker, const VerifyTuning& tuning,
                         const std::function<absl::Status()>& stop, IndexRow* stray_after) {
  if (tuning.second_thread) {
    CheckingThread checking(checker);
    absl::Status read = ScanEntries(
        db, tuning.batch_entries, stop,
        [&checking](std::vector<StoredEntry>& batch) { return checking.Hand(batch); }, 0,
        INT64_MAX, stray_after);
    absl::Status checked = checking.Finish();
    RETURN_IF_ERROR(read);
    RETURN_IF_ERROR(checked);
  } else {
    RETURN_IF_ERROR(
        CheckRange(db, checker, tuning.batch_entries, stop, 0, INT64_MAX, stray_after));
  }
  return absl::OkStatus();
}

// Keeps `part`'s entries and first problem in `r` (the earliest one wins).
void Merge(VerifyReport& r, const VerifyReport& part) {
  r.entries += part.entries;
  if (!part.intact) Flag(r, part.first_bad_seq, part.problem);
}

}  // namespace

absl::StatusOr<ExpectedHead> ParseExpectedHead(const std::string& text) {
  auto colon = text.find(':');
  ExpectedHead e;
  if (colon == std::string::npos || !absl::SimpleAtoi(text.substr(0, colon), &e.seq) ||
      e.seq <= 0) {
    return absl::InvalidArgumentError(
        "expect: must be SEQ:HASH, a sequence number from 1 and a 64-digit hex hash");
  }
  e.hash = absl::AsciiStrToLower(text.substr(colon + 1));
  if (e.hash.size() != 64 || !std::all_of(e.hash.begin(), e.hash.end(), [](char c) {
        return absl::ascii_isxdigit(static_cast<unsigned char>(c));
      })) {
    return absl::InvalidArgumentError("expect: the hash must be 64 hex digits");
  }
  return e;
}

absl::StatusOr<VerifyReport> VerifyChain(store::Database& db,
                                         const std::vector<Checkpoint>& checkpoints,
                                         const std::string& public_key_pem,
                                         const std::optional<ExpectedHead>& expect,
                                         const std::function<absl::Status()>& stop,
                                         const VerifyTuning& tuning) {
  VerifyReport r;
  r.head = Head{0, GenesisHash()};
  // The hashes a checkpoint or --expect will ask about.
  std::map<int64_t, std::string> wanted;
  for (const Checkpoint& c : checkpoints) wanted[c.seq];
  if (expect) wanted[expect->seq];

  // After a retention purge the chain starts at its anchor: a checkpoint
  // signed before the purge, whose head the first remaining entry links to.
  ASSIGN_OR_RETURN(std::optional<Checkpoint> anchor, ReadAnchor(db));
  int64_t expected_seq = 1;
  std::string prev = GenesisHash();
  if (anchor) {
    if (!VerifyCheckpoint(*anchor, public_key_pem).ok()) {
      Flag(r, anchor->seq + 1,
           absl::StrCat("the chain's anchor at ", anchor->seq, " has a bad signature"));
    } else if (absl::Status recorded = CheckAnchorRecorded(*anchor, checkpoints, public_key_pem);
               !recorded.ok()) {
      // A genuine checkpoint installed as the anchor after deleting the
      // entries before it: only a purge signs an anchor record.
      Flag(r, anchor->seq + 1, std::string(recorded.message()));
    }
    expected_seq = anchor->seq + 1;
    prev = anchor->head;
    r.anchor_seq = anchor->seq;
    r.head = Head{anchor->seq, anchor->head};
    if (auto it = wanted.find(anchor->seq); it != wanted.end()) it->second = anchor->head;
  }
  // The walk holds the database for its whole length: a cancelled or
  // overdue verify lets go at once (`stop` is asked before every entry).
  std::vector<OpenedSession> opened;
  // An index row after the last entry; flagged last, so that a truncated
  // tail is reported as such at the same seq.
  IndexRow trailing_stray;
  int64_t first_time_micros = 0;
  std::optional<std::pair<int64_t, int64_t>> range;
  if (tuning.two_halves) {
    ASSIGN_OR_RETURN(range, EntrySeqRange(db));
  }
  if (range && range->second > range->first) {
    // Entries [first, mid) and [mid, last], each half on its own thread
    // with its own report and its own copy of the wanted hashes; then the
    // second half's first entry must come right after, and link to, the
    // first half's last — what one walk would have checked there.
    const int64_t mid = range->first + (range->second - range->first + 1) / 2;
    VerifyReport first_report, second_report;
    std::map<int64_t, std::string> first_wanted = wanted, second_wanted = wanted;
    EntryChecker first(first_report, expected_seq, prev, first_wanted);
    EntryChecker second(second_report, mid, "", second_wanted);
    second.DeferFirstLink();
    absl::Status second_status;
    IndexRow first_stray, second_stray;
    std::thread other([&] {
      second_status =
          CheckRange(db, second, tuning.batch_entries, stop, mid, INT64_MAX, &second_stray);
    });
    absl::Status first_status =
        CheckRange(db, first, tuning.batch_entries, stop, 0, mid - 1, &first_stray);
    other.join();
    RETURN_IF_ERROR(first_status);
    RETURN_IF_ERROR(second_status);
    trailing_stray = first_stray.seq != 0 ? first_stray : second_stray;
    opened = std::move(first.opened());
    opened.insert(opened.end(), second.opened().begin(), second.opened().end());
    first_time_micros =
        first_report.entries > 0 ? first.first_time_micros() : second.first_time_micros();
    Merge(r, first_report);
    if (second_report.entries > 0) {
      if (second.first_seq() != first.expected_seq()) {
        Flag(r, first.expected_seq(),
             absl::StrCat("entry ", first.expected_seq(), " is missing (the next is ",
                          second.first_seq(), ")"));
      } else if (second.first_prev() != first.prev()) {
        Flag(r, second.first_seq(),
             absl::StrCat("entry ", second.first_seq(), " does not link to the entry before it"));
      }
    }
    Merge(r, second_report);
    for (auto& [seq, hash] : wanted) {
      if (!hash.empty()) continue;  // the anchor's, set above
      hash = seq < mid ? first_wanted[seq] : second_wanted[seq];
    }
    Head head = first_report.entries > 0 ? first.head(r.head) : r.head;
    r.head = second_report.entries > 0 ? second.head(head) : head;
  } else {
    EntryChecker checker(r, expected_seq, prev, wanted);
    RETURN_IF_ERROR(WalkInOrder(db, checker, tuning, stop, &trailing_stray));
    r.head = checker.head(r.head);
    opened = std::move(checker.opened());
    first_time_micros = checker.first_time_micros();
  }
  RETURN_IF_ERROR(CheckSessions(db, opened, anchor.has_value(), first_time_micros, r));

  for (const Checkpoint& c : checkpoints) {
    ++r.checkpoints;
    if (!VerifyCheckpoint(c, public_key_pem).ok()) {
      Flag(r, c.seq, absl::StrCat("the checkpoint at ", c.seq, " has a bad signature"));
    } else if (c.seq > r.head.seq) {
      Flag(r, r.head.seq + 1,
           absl::StrCat("the chain ends at ", r.head.seq, ", before the signed checkpoint at ",
                        c.seq, " (truncated, or an older copy of the database)"));
    } else if (anchor && c.seq < anchor->seq) {
      // Its entries were purged; only its signature can still be checked.
    } else if (wanted[c.seq] != c.head) {
      Flag(r, c.seq,
           absl::StrCat("entry ", c.seq, " differs from the signed checkpoint (rewritten)"));
    }
  }
  if (expect) {
    if (expect->seq > r.head.seq) {
      Flag(r, r.head.seq + 1,
           absl::StrCat("the chain ends at ", r.head.seq, ", before the expected head at ",
                        expect->seq));
    } else if (anchor && expect->seq < anchor->seq) {
      Flag(r, expect->seq,
           absl::StrCat("the expected head at ", expect->seq, " was purged (the chain starts at ",
                        anchor->seq, ")"));
    } else if (wanted[expect->seq] != expect->hash) {
      Flag(r, expect->seq, absl::StrCat("entry ", expect->seq, " differs from the expected head"));
    }
  }
  if (trailing_stray.seq != 0) FlagStray(r, trailing_stray);
  return r;
}

void CheckCheckpointsPresent(const std::vector<Checkpoint>& checkpoints, VerifyReport& report) {
  if (report.entries == 0 || LastCheckpoint(checkpoints) != nullptr) return;
  Flag(report, report.anchor_seq + 1,
       absl::StrCat("audit-checkpoints holds no signed checkpoint while the log holds entries ",
                    report.anchor_seq + 1, "..", report.head.seq,
                    " (the file was deleted or emptied): restore it from the export path or "
                    "the system log, or start schakeld once with --accept-checkpoint-loss"));
}

std::vector<const PublishedLine*> LostLines(const std::vector<PublishedLine>& published,
                                            const std::vector<Checkpoint>& checkpoints) {
  std::set<std::string> in_file;
  for (const Checkpoint& c : checkpoints) in_file.insert(PublishedLineHash(c));
  std::vector<const PublishedLine*> lost;
  for (const PublishedLine& p : published) {
    if (in_file.count(p.line_hash) > 0) continue;
    if (p.lost_at != 0 && p.loss_recorded) continue;  // accepted on record
    lost.push_back(&p);
  }
  return lost;
}

std::string LostLinesProblem(const std::vector<const PublishedLine*>& lost,
                             const std::string& checkpoint_path) {
  const PublishedLine& first = *lost.front();
  return absl::StrCat(
      checkpoint_path, " lacks the ", first.anchor ? "anchor record" : "checkpoint", " at seq ",
      first.seq, " (signed ", absl::FormatTime(absl::RFC3339_sec, first.time, absl::UTCTimeZone()),
      ") that the database records as published",
      lost.size() > 1 ? absl::StrCat(", and ", lost.size() - 1, " more line(s)") : "",
      " (the file was shortened or replaced by an older copy)");
}

absl::Status CheckCheckpointFile(store::Database& db, const std::vector<Checkpoint>& checkpoints,
                                 const std::string& checkpoint_path, VerifyReport& report) {
  CheckCheckpointsPresent(checkpoints, report);
  // The rows first, then the file again: a line is recorded only after it
  // was appended, so every row read here has its line in the file read
  // after it, even while a server publishes (`checkpoints` may be older).
  ASSIGN_OR_RETURN(std::vector<PublishedLine> published, ReadPublished(db));
  ASSIGN_OR_RETURN(std::vector<Checkpoint> in_file, ReadCheckpoints(checkpoint_path));
  std::vector<const PublishedLine*> lost = LostLines(published, in_file);
  if (lost.empty()) return absl::OkStatus();
  Flag(report, lost.front()->seq,
       absl::StrCat(LostLinesProblem(lost, checkpoint_path),
                    ": restore it from the export path or the system log, or start schakeld "
                    "once with --accept-checkpoint-loss"));
  return absl::OkStatus();
}

}  // namespace schakel::audit
