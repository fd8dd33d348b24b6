#include "server/audit/audit_store.h"

#include <any>
#include <climits>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "server/common/status_macros.h"
#include "server/crypto/openssl_util.h"
#include "server/store/privacy_store.h"

namespace schakel::audit {
namespace {

using store::Connection;
using store::Statement;

constexpr char kSelectHead[] = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";
constexpr char kInsert[] =
    "INSERT INTO audit_log (seq, time, professional_id, organisation_id, roles, certificate,"
    " action, resource_type, resource_id, residents, outcome, reason, purpose, break_glass,"
    " request_id, peer, prev_hash, hash, privacy_request, version, session_commitment) VALUES"
    " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,"
    " ?21)";
constexpr char kInsertResident[] =
    "INSERT OR IGNORE INTO audit_residents (resident_id, seq) VALUES (?1, ?2)";
constexpr char kColumns[] =
    "a.seq, a.time, a.professional_id, a.organisation_id, a.roles, a.certificate, a.action,"
    " a.resource_type, a.resource_id, a.residents, a.outcome, a.reason, a.purpose,"
    " a.break_glass, a.request_id, a.peer, a.prev_hash, a.hash, a.privacy_request, a.version,"
    " a.session_commitment";
constexpr char kInsertBreakGlass[] =
    "INSERT INTO breakglass_sessions (id, professional_id, organisation_id, resident_id, reason,"
    " start_time, end_time, reason_sealed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
constexpr char kBreakGlassColumns[] =
    "id, professional_id, organisation_id, resident_id, reason, start_time, end_time,"
    " reason_sealed";
constexpr char kSelectBreakGlass[] =
    "SELECT id, professional_id, organisation_id, resident_id, reason, start_time, end_time,"
    " reason_sealed FROM breakglass_sessions WHERE start_time >= ?1 AND start_time < ?2"
    " ORDER BY start_time DESC LIMIT ?3";
constexpr char kIndexRows[] =
    "SELECT seq, resident_id FROM audit_residents WHERE seq >= ?1 AND seq <= ?2"
    " ORDER BY seq, resident_id";
constexpr char kInsertPublished[] =
    "INSERT OR IGNORE INTO audit_published (line_hash, kind, seq, head, time) VALUES"
    " (?1, ?2, ?3, ?4, ?5)";
constexpr char kSelectPublished[] =
    "SELECT p.line_hash, p.kind, p.seq, p.head, p.time, p.lost_at,"
    " EXISTS (SELECT 1 FROM audit_log a WHERE a.seq = p.lost_at AND a.action = ?1)"
    " FROM audit_published p ORDER BY p.seq, p.time";
constexpr char kMarkPublishedLost[] =
    "UPDATE audit_published SET lost_at = ?2 WHERE line_hash = ?1 AND lost_at = 0";
constexpr char kActiveBreakGlass[] =
    "SELECT resident_id FROM breakglass_sessions WHERE professional_id = ?1"
    " AND start_time <= ?2 AND end_time > ?2";
constexpr char kBreakGlassEndingAfter[] =
    "SELECT resident_id, start_time, end_time FROM breakglass_sessions WHERE professional_id = ?1"
    " AND end_time > ?2";
constexpr char kDailyVolumes[] =
    "SELECT professional_id, organisation_id, date(time / 1000000, 'unixepoch') AS day,"
    " sum(CASE WHEN outcome = 'allowed' AND action NOT LIKE '%.Create%'"
    " AND action NOT LIKE '%.Add%' THEN 1 ELSE 0 END),"
    " sum(CASE WHEN outcome = 'denied' THEN 1 ELSE 0 END) FROM audit_log"
    " WHERE time >= ?1 AND time < ?2"
    " AND professional_id <> '' GROUP BY professional_id, organisation_id, day"
    " ORDER BY professional_id, day";

constexpr char kFirstCaseRequest[] =
    "SELECT min(time) FROM audit_log WHERE professional_id = ?1 AND time >= ?2 AND time < ?3"
    " AND outcome = 'allowed' AND (action LIKE 'ResidentService.%'"
    " OR action LIKE 'SignalService.%' OR action LIKE 'HandoverService.%'"
    " OR action LIKE 'TrajectoryService.%' OR action LIKE 'PrivacyService.%')";

int64_t Micros(absl::Time t) {
  if (t == absl::InfinitePast()) return INT64_MIN;
  if (t == absl::InfiniteFuture()) return INT64_MAX;
  return absl::ToUnixMicros(t);
}

Entry FromRow(const Statement& st) {
  Entry e;
  e.seq = st.ColumnInt(0);
  e.time = st.ColumnTime(1);
  e.professional_id = st.ColumnText(2);
  e.organisation_id = st.ColumnText(3);
  e.roles = st.ColumnText(4);
  e.certificate = st.ColumnText(5);
  e.action = st.ColumnText(6);
  e.resource_type = st.ColumnText(7);
  e.resource_id = st.ColumnText(8);
  std::string residents = st.ColumnText(9);
  if (!residents.empty()) e.residents = absl::StrSplit(residents, ',');
  e.outcome = st.ColumnText(10);
  e.reason = st.ColumnText(11);
  e.purpose = st.ColumnText(12);
  e.break_glass = st.ColumnInt(13) != 0;
  e.request_id = st.ColumnText(14);
  e.peer = st.ColumnText(15);
  e.prev_hash = st.ColumnText(16);
  e.hash = st.ColumnText(17);
  e.privacy_request = st.ColumnText(18);
  e.version = static_cast<int>(st.ColumnInt(19));
  e.session_commitment = st.ColumnText(20);
  return e;
}

BreakGlassSession SessionFromRow(const Statement& st) {
  BreakGlassSession s{st.ColumnText(0), st.ColumnText(1), st.ColumnText(2), st.ColumnText(3),
                      st.ColumnText(4), st.ColumnTime(5), st.ColumnTime(6), ""};
  // Written by InsertBreakGlass from bytes: a value that is not base64 was
  // changed outside it, and is kept as it is (it commits to nothing then).
  if (!absl::Base64Unescape(st.ColumnView(7), &s.sealed_reason)) {
    s.sealed_reason = st.ColumnText(7);
  }
  return s;
}

// Where a write transaction keeps the head after its last append
// (Connection::TransactionMemo): a Head. The writers' lock (and, on
// SQLCipher, the one writer) keeps every other append out until the
// commit, so the next append of the transaction need not read it again.
constexpr char kHeadMemo[] = "audit.head";

absl::StatusOr<Head> HeadIn(Connection& c) {
  if (const std::any* memo = c.TransactionMemo(kHeadMemo); memo != nullptr && memo->has_value()) {
    return std::any_cast<Head>(*memo);
  }
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectHead, "audit head"));
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (row) return Head{st.ColumnInt(0), st.ColumnText(1)};
  // Every entry was purged: the chain goes on from its anchor.
  ASSIGN_OR_RETURN(std::optional<Checkpoint> anchor, ReadAnchor(c));
  if (anchor) return Head{anchor->seq, anchor->head};
  return Head{0, GenesisHash()};
}

}  // namespace

absl::Status AppendEntry(Connection& c, Entry& e) {
  ASSIGN_OR_RETURN(Head head, HeadIn(c));
  NormalizeResidents(e.residents);
  e.seq = head.seq + 1;
  e.prev_hash = head.hash;
  e.hash = ChainHash(e);
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kInsert, "append audit entry"));
  st.Bind(1, e.seq).Bind(2, absl::ToUnixMicros(e.time)).Bind(3, e.professional_id);
  st.Bind(4, e.organisation_id).Bind(5, e.roles).Bind(6, e.certificate).Bind(7, e.action);
  st.Bind(8, e.resource_type).Bind(9, e.resource_id).Bind(10, absl::StrJoin(e.residents, ","));
  st.Bind(11, e.outcome).Bind(12, e.reason).Bind(13, e.purpose);
  st.Bind(14, static_cast<int64_t>(e.break_glass ? 1 : 0)).Bind(15, e.request_id);
  st.Bind(16, e.peer).Bind(17, e.prev_hash).Bind(18, e.hash).Bind(19, e.privacy_request);
  st.Bind(20, static_cast<int64_t>(e.version)).Bind(21, e.session_commitment);
  // Sent without waiting (a failure fails the Write that sent it), and
  // the head kept for the next append.
  RETURN_IF_ERROR(st.RunPipelined());
  for (const std::string& r : e.residents) {
    ASSIGN_OR_RETURN(Statement idx, c.Prepare(kInsertResident, "index audit resident"));
    idx.Bind(1, r).Bind(2, e.seq);
    RETURN_IF_ERROR(idx.RunPipelined());
  }
  if (std::any* memo = c.TransactionMemo(kHeadMemo); memo != nullptr) *memo = Head{e.seq, e.hash};
  return absl::OkStatus();
}

absl::StatusOr<Head> ReadHead(store::Database& db) {
  Head head;
  RETURN_IF_ERROR(db.Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(head, HeadIn(c));
    return absl::OkStatus();
  }));
  return head;
}

absl::StatusOr<std::optional<Checkpoint>> ReadAnchor(Connection& c) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare("SELECT seq, head, time, signature FROM audit_anchor"
                                           " WHERE id = 1",
                                           "audit anchor"));
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<Checkpoint>();
  Checkpoint cp;
  cp.seq = st.ColumnInt(0);
  cp.head = st.ColumnText(1);
  cp.time = st.ColumnTime(2);
  if (!absl::Base64Unescape(st.ColumnText(3), &cp.signature)) {
    return absl::DataLossError("the audit anchor's signature is not base64");
  }
  return std::optional<Checkpoint>(std::move(cp));
}

absl::StatusOr<std::optional<Checkpoint>> ReadAnchor(store::Database& db) {
  std::optional<Checkpoint> out;
  RETURN_IF_ERROR(db.Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(out, ReadAnchor(c));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<int64_t> LastSeqOlderThan(Connection& c, absl::Time cutoff) {
  ASSIGN_OR_RETURN(Statement first_kept,
                   c.Prepare("SELECT min(seq) FROM audit_log WHERE time >= ?1", "audit cutoff"));
  first_kept.BindTime(1, cutoff);
  ASSIGN_OR_RETURN(bool row, first_kept.Step());
  if (row && !first_kept.ColumnIsNull(0)) return first_kept.ColumnInt(0) - 1;
  ASSIGN_OR_RETURN(Head head, HeadIn(c));
  return head.seq;
}

absl::StatusOr<std::optional<int64_t>> FirstSeqOfHeldResidents(Connection& c) {
  ASSIGN_OR_RETURN(Statement st,
                   c.Prepare(absl::StrCat("SELECT min(seq) FROM audit_residents WHERE resident_id"
                                          " IN ",
                                          store::kHeldResidentIds),
                             "audit of held residents"));
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row || st.ColumnIsNull(0)) return std::optional<int64_t>();
  return std::optional<int64_t>(st.ColumnInt(0));
}

absl::StatusOr<std::optional<std::string>> HashAt(Connection& c, int64_t seq) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare("SELECT hash FROM audit_log WHERE seq = ?1",
                                           "audit entry hash"));
  st.Bind(1, seq);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(st.ColumnText(0));
}

absl::StatusOr<int64_t> PurgeUpTo(Connection& c, const Checkpoint& anchor) {
  // The head is read again after a purge (it may be the anchor now).
  if (std::any* memo = c.TransactionMemo(kHeadMemo); memo != nullptr) memo->reset();
  if (c.engine() == store::Engine::kPostgresql) {
    // The service role may not delete audit rows: the schema's function
    // cuts the prefix and sets the anchor (store/postgres_schema.cc).
    ASSIGN_OR_RETURN(Statement purge, c.Prepare("SELECT purge_audit_log(?1, ?2, ?3, ?4)",
                                                "purge audit log"));
    purge.Bind(1, anchor.seq).Bind(2, anchor.head).BindTime(3, anchor.time);
    purge.Bind(4, absl::Base64Escape(anchor.signature));
    ASSIGN_OR_RETURN(bool row, purge.Step());
    if (!row) return absl::InternalError("purge audit log: no answer");
    return purge.ColumnInt(0);
  }
  ASSIGN_OR_RETURN(Statement index,
                   c.Prepare("DELETE FROM audit_residents WHERE seq <= ?1", "purge audit index"));
  index.Bind(1, anchor.seq);
  RETURN_IF_ERROR(index.Run());
  ASSIGN_OR_RETURN(Statement entries,
                   c.Prepare("DELETE FROM audit_log WHERE seq <= ?1", "purge audit entries"));
  entries.Bind(1, anchor.seq);
  RETURN_IF_ERROR(entries.Run());
  const int64_t purged = c.Changes();
  ASSIGN_OR_RETURN(Statement set, c.Prepare("INSERT OR REPLACE INTO audit_anchor (id, seq, head,"
                                            " time, signature) VALUES (1, ?1, ?2, ?3, ?4)",
                                            "set audit anchor"));
  set.Bind(1, anchor.seq).Bind(2, anchor.head).BindTime(3, anchor.time);
  set.Bind(4, absl::Base64Escape(anchor.signature));
  RETURN_IF_ERROR(set.Run());
  return purged;
}

absl::StatusOr<std::optional<std::pair<int64_t, int64_t>>> EntrySeqRange(store::Database& db) {
  std::optional<std::pair<int64_t, int64_t>> range;
  RETURN_IF_ERROR(db.Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st,
                     c.Prepare("SELECT min(seq), max(seq) FROM audit_log", "audit seq range"));
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (row && !st.ColumnIsNull(0)) range.emplace(st.ColumnInt(0), st.ColumnInt(1));
    return absl::OkStatus();
  }));
  return range;
}

absl::Status ForEachEntry(store::Database& db,
                          const std::function<absl::Status(const Entry&)>& visit) {
  return db.Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st,
                     c.Prepare(absl::StrCat("SELECT ", kColumns, " FROM audit_log a ORDER BY a.seq"),
                               "read audit log"));
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return absl::OkStatus();
      RETURN_IF_ERROR(visit(FromRow(st)));
    }
  });
}

EntryFields StoredEntry::Fields() const {
  EntryFields f;
  f.seq = seq;
  f.time_micros = time_micros;
  f.professional_id = professional_id;
  f.organisation_id = organisation_id;
  f.roles = roles;
  f.certificate = certificate;
  f.action = action;
  f.resource_type = resource_type;
  f.resource_id = resource_id;
  f.residents = residents;
  f.outcome = outcome;
  f.reason = reason;
  f.purpose = purpose;
  f.break_glass = break_glass;
  f.request_id = request_id;
  f.peer = peer;
  f.privacy_request = privacy_request;
  f.session_commitment = session_commitment;
  f.version = version;
  f.prev_hash = prev_hash;
  return f;
}

absl::Status ScanEntries(store::Database& db, size_t batch_size,
                         const std::function<absl::Status()>& before_each,
                         const std::function<absl::Status(std::vector<StoredEntry>&)>& flush,
                         int64_t from_seq, int64_t to_seq, IndexRow* stray_after) {
  if (batch_size == 0) batch_size = 1;
  return db.Read([&](Connection& c) -> absl::Status {
    // The resident index in the same order, one step behind or level with
    // the entries (a merge join in the same snapshot): each entry gets the
    // rows of its seq, and the first row of a seq without an entry.
    std::optional<Statement> index;
    bool index_row = false;
    if (stray_after != nullptr) {
      *stray_after = IndexRow{};
      ASSIGN_OR_RETURN(Statement st, c.Prepare(kIndexRows, "read audit index"));
      st.Bind(1, from_seq).Bind(2, to_seq);
      index.emplace(std::move(st));
      ASSIGN_OR_RETURN(index_row, index->Step());
    }
    // In rowid order: a straight walk of the table's b-tree, each page read
    // (and decrypted) once, whatever the page cache's size.
    ASSIGN_OR_RETURN(Statement st,
                     c.Prepare(absl::StrCat("SELECT ", kColumns,
                                            " FROM audit_log a WHERE a.seq >= ?1 AND a.seq <= ?2"
                                            " ORDER BY a.seq"),
                               "read audit log"));
    st.Bind(1, from_seq).Bind(2, to_seq);
    std::vector<StoredEntry> batch;
    batch.reserve(batch_size);
    size_t n = 0;
    auto hand_over = [&]() -> absl::Status {
      batch.resize(n);
      n = 0;
      return flush(batch);
    };
    while (true) {
      if (before_each) RETURN_IF_ERROR(before_each());
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      if (n == batch.size()) batch.emplace_back();
      // The fields stay text as stored (no parsing: the hash is over the
      // stored form). Assigning over a reused slot's strings frees the old
      // ones on this thread, where they were allocated.
      StoredEntry& e = batch[n++];
      auto set = [&st](std::string& field, int column) {
        absl::string_view v = st.ColumnView(column);
        field.assign(v.data(), v.size());
      };
      e.seq = st.ColumnInt(0);
      e.time_micros = st.ColumnInt(1);
      set(e.professional_id, 2);
      set(e.organisation_id, 3);
      set(e.roles, 4);
      set(e.certificate, 5);
      set(e.action, 6);
      set(e.resource_type, 7);
      set(e.resource_id, 8);
      set(e.residents, 9);
      set(e.outcome, 10);
      set(e.reason, 11);
      set(e.purpose, 12);
      e.break_glass = st.ColumnInt(13) != 0;
      set(e.request_id, 14);
      set(e.peer, 15);
      set(e.prev_hash, 16);
      set(e.hash, 17);
      set(e.privacy_request, 18);
      e.version = static_cast<int>(st.ColumnInt(19));
      set(e.session_commitment, 20);
      e.indexed.clear();
      e.stray = IndexRow{};
      if (index) {
        while (index_row && index->ColumnInt(0) <= e.seq) {
          const int64_t row_seq = index->ColumnInt(0);
          absl::string_view resident = index->ColumnView(1);
          if (row_seq == e.seq) {
            if (!e.indexed.empty()) e.indexed.push_back(',');
            e.indexed.append(resident.data(), resident.size());
          } else if (e.stray.seq == 0) {
            e.stray = IndexRow{row_seq, std::string(resident)};
          }
          ASSIGN_OR_RETURN(index_row, index->Step());
        }
      }
      if (n == batch_size) RETURN_IF_ERROR(hand_over());
    }
    if (index && index_row) {
      *stray_after = IndexRow{index->ColumnInt(0), index->ColumnText(1)};
    }
    if (n > 0) RETURN_IF_ERROR(hand_over());
    return absl::OkStatus();
  });
}

absl::StatusOr<Page> QueryEntries(store::Database& db, const Query& q) {
  std::string sql = absl::StrCat(
      "SELECT ", kColumns, " FROM audit_log a WHERE a.seq > :after",
      " AND (:professional = '' OR a.professional_id = :professional)",
      " AND (:organisation = '' OR a.organisation_id = :organisation)",
      " AND (:resident = '' OR a.seq IN (SELECT seq FROM audit_residents WHERE resident_id = :resident))",
      " AND (:action = '' OR a.action = :action)",
      " AND (:outcome = '' OR a.outcome = :outcome)",
      " AND a.time >= :from AND a.time < :to ORDER BY a.seq LIMIT :limit");
  Page page;
  RETURN_IF_ERROR(db.Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(sql, "query audit log"));
    st.BindName(":after", q.after_seq).BindName(":professional", q.professional_id);
    st.BindName(":organisation", q.organisation_id).BindName(":resident", q.resident_id);
    st.BindName(":action", q.action).BindName(":outcome", q.outcome);
    st.BindName(":from", Micros(q.from)).BindName(":to", Micros(q.to));
    st.BindName(":limit", static_cast<int64_t>(q.limit) + 1);
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      if (static_cast<int>(page.entries.size()) == q.limit) {
        page.more = true;
        break;
      }
      page.entries.push_back(FromRow(st));
    }
    return absl::OkStatus();
  }));
  return page;
}

absl::Status InsertBreakGlass(Connection& c, const BreakGlassSession& s) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kInsertBreakGlass, "insert break-glass session"));
  st.Bind(1, s.id).Bind(2, s.professional_id).Bind(3, s.organisation_id).Bind(4, s.resident_id);
  st.Bind(5, s.reason).BindTime(6, s.start_time).BindTime(7, s.end_time);
  st.Bind(8, absl::Base64Escape(s.sealed_reason));
  return st.Run();
}

absl::StatusOr<std::vector<BreakGlassSession>> AllBreakGlass(store::Database& db) {
  std::vector<BreakGlassSession> out;
  RETURN_IF_ERROR(db.Read([&](Connection& c) -> absl::Status {
    out.clear();
    ASSIGN_OR_RETURN(Statement st,
                     c.Prepare(absl::StrCat("SELECT ", kBreakGlassColumns,
                                            " FROM breakglass_sessions ORDER BY start_time, id"),
                               "read break-glass sessions"));
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return absl::OkStatus();
      out.push_back(SessionFromRow(st));
    }
  }));
  return out;
}

absl::StatusOr<std::optional<int64_t>> SeqOfEntryFor(store::Database& db,
                                                      const std::string& resource_type,
                                                      const std::string& resource_id) {
  std::optional<int64_t> out;
  RETURN_IF_ERROR(db.Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st,
                     c.Prepare("SELECT min(seq) FROM audit_log WHERE resource_type = ?1"
                               " AND resource_id = ?2",
                               "audit entry of a resource"));
    st.Bind(1, resource_type).Bind(2, resource_id);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (row && !st.ColumnIsNull(0)) out = st.ColumnInt(0);
    return absl::OkStatus();
  }));
  return out;
}

std::string PublishedLineHash(const Checkpoint& c) {
  return crypto::HexEncode(crypto::Sha256(FormatCheckpoint(c)));
}

absl::Status RecordPublished(Connection& c, const Checkpoint& cp) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kInsertPublished, "record published checkpoint"));
  st.Bind(1, PublishedLineHash(cp)).Bind(2, cp.anchor ? "anchor" : "checkpoint");
  st.Bind(3, cp.seq).Bind(4, cp.head).BindTime(5, cp.time);
  return st.Run();
}

absl::StatusOr<std::vector<PublishedLine>> ReadPublished(store::Database& db) {
  std::vector<PublishedLine> out;
  RETURN_IF_ERROR(db.Read([&](Connection& c) -> absl::Status {
    out.clear();
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectPublished, "published checkpoints"));
    st.Bind(1, kAcceptCheckpointLossAction);
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return absl::OkStatus();
      PublishedLine p;
      p.line_hash = st.ColumnText(0);
      p.anchor = st.ColumnView(1) == "anchor";
      p.seq = st.ColumnInt(2);
      p.head = st.ColumnText(3);
      p.time = st.ColumnTime(4);
      p.lost_at = st.ColumnInt(5);
      p.loss_recorded = st.ColumnInt(6) != 0;
      out.push_back(std::move(p));
    }
  }));
  return out;
}

absl::Status MarkPublishedLost(Connection& c, const std::vector<std::string>& line_hashes,
                               int64_t accepted_at) {
  for (const std::string& h : line_hashes) {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kMarkPublishedLost, "accept lost checkpoints"));
    st.Bind(1, h).Bind(2, accepted_at);
    RETURN_IF_ERROR(st.Run());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::set<std::string>> ActiveBreakGlassResidents(Connection& c,
                                                                const std::string& professional_id,
                                                                absl::Time now) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kActiveBreakGlass, "active break-glass"));
  st.Bind(1, professional_id).BindTime(2, now);
  std::set<std::string> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return out;
    out.insert(st.ColumnText(0));
  }
}

absl::StatusOr<std::set<std::string>> ActiveBreakGlassResidents(store::Database& db,
                                                                const std::string& professional_id,
                                                                absl::Time now) {
  std::set<std::string> out;
  RETURN_IF_ERROR(db.Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(out, ActiveBreakGlassResidents(c, professional_id, now));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<BreakGlassWindow>> BreakGlassEndingAfter(
    store::Database& db, const std::string& professional_id, absl::Time t) {
  std::vector<BreakGlassWindow> out;
  RETURN_IF_ERROR(db.Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kBreakGlassEndingAfter, "break-glass sessions"));
    st.Bind(1, professional_id).BindTime(2, t);
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return absl::OkStatus();
      out.push_back(BreakGlassWindow{st.ColumnText(0), st.ColumnTime(1), st.ColumnTime(2)});
    }
  }));
  return out;
}

absl::StatusOr<std::vector<BreakGlassSession>> ListBreakGlass(store::Database& db, absl::Time from,
                                                              absl::Time to, int limit) {
  std::vector<BreakGlassSession> out;
  RETURN_IF_ERROR(db.Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectBreakGlass, "list break-glass sessions"));
    st.Bind(1, Micros(from)).Bind(2, Micros(to)).Bind(3, static_cast<int64_t>(limit));
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      out.push_back(SessionFromRow(st));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<DailyVolume>> DailyVolumes(store::Database& db, absl::Time from,
                                                      absl::Time to) {
  std::vector<DailyVolume> out;
  RETURN_IF_ERROR(db.Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kDailyVolumes, "daily audit volumes"));
    st.Bind(1, Micros(from)).Bind(2, Micros(to));
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      out.push_back(DailyVolume{st.ColumnText(0), st.ColumnText(1), st.ColumnText(2),
                                st.ColumnInt(3), st.ColumnInt(4)});
    }
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace schakel::audit

namespace schakel::audit {

absl::StatusOr<std::optional<absl::Time>> FirstCaseRequest(store::Database& db,
                                                           const std::string& professional_id,
                                                           absl::Time from, absl::Time to) {
  std::optional<absl::Time> out;
  RETURN_IF_ERROR(db.Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kFirstCaseRequest, "first case request"));
    st.Bind(1, professional_id).Bind(2, Micros(from)).Bind(3, Micros(to));
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (row && !st.ColumnIsNull(0)) out = st.ColumnTime(0);
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace schakel::audit

namespace schakel::audit {

absl::StatusOr<std::vector<Entry>> PrivacyActs(store::Database& db, absl::Time from,
                                               absl::Time to, int limit) {
  const std::string sql = absl::StrCat(
      "SELECT ", kColumns, " FROM audit_log a WHERE a.time >= ?1 AND a.time < ?2",
      " AND a.privacy_request <> '' ORDER BY a.seq DESC LIMIT ?3");
  std::vector<Entry> out;
  RETURN_IF_ERROR(db.Read([&](Connection& c) -> absl::Status {
    out.clear();
    ASSIGN_OR_RETURN(Statement st, c.Prepare(sql, "privacy acts"));
    st.Bind(1, Micros(from)).Bind(2, Micros(to)).Bind(3, static_cast<int64_t>(limit));
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      out.push_back(FromRow(st));
    }
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace schakel::audit
