// The audit log's SQL: appending to the chain, reading it back for
// verification, and the auditor's queries. The only code that touches the
// audit tables.
#ifndef SCHAKEL_SERVER_AUDIT_AUDIT_STORE_H_
#define SCHAKEL_SERVER_AUDIT_AUDIT_STORE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "server/audit/checkpoint.h"
#include "server/audit/entry.h"
#include "server/store/database.h"

namespace schakel::audit {

// The action of the entry that records an operator's --accept-checkpoint-loss.
inline constexpr char kAcceptCheckpointLossAction[] = "schakeld.AcceptCheckpointLoss";

struct Head {
  int64_t seq = 0;
  std::string hash;  // GenesisHash() for an empty log
};

// Inside a write transaction: numbers `entry` after the head, links and
// hashes it, and inserts it with its resident index. The entry's seq,
// prev_hash and hash are set on return. On PostgreSQL every write
// transaction holds a lock of the database from its BEGIN to its commit
// (postgres_database.h), so that several processes append in one order.
absl::Status AppendEntry(store::Connection& c, Entry& entry);

absl::StatusOr<Head> ReadHead(store::Database& db);

// The chain's anchor: after a retention purge, the signed checkpoint of the
// last purged entry, from which the remaining chain links (FORMAT.md,
// "Retention"). Empty while nothing was purged.
absl::StatusOr<std::optional<Checkpoint>> ReadAnchor(store::Connection& c);
absl::StatusOr<std::optional<Checkpoint>> ReadAnchor(store::Database& db);

// Inside a write transaction: the last seq up to which every entry is older
// than `cutoff` (0 when none is).
absl::StatusOr<int64_t> LastSeqOlderThan(store::Connection& c, absl::Time cutoff);
// Inside a transaction: the lowest seq of an entry concerning a resident
// under a legal hold (any id of the person, store::kHeldResidentIds); none
// when no held resident has an entry.
absl::StatusOr<std::optional<int64_t>> FirstSeqOfHeldResidents(store::Connection& c);
// The stored hash of entry `seq`, if it is there.
absl::StatusOr<std::optional<std::string>> HashAt(store::Connection& c, int64_t seq);
// Inside a write transaction: deletes every entry up to `anchor.seq` with
// its resident index, and makes `anchor` the chain's anchor. The number of
// entries deleted.
absl::StatusOr<int64_t> PurgeUpTo(store::Connection& c, const Checkpoint& anchor);

// Calls `visit` for every entry in seq order (stops on a non-OK status).
absl::Status ForEachEntry(store::Database& db, const std::function<absl::Status(const Entry&)>& visit);

// One row of the resident index (audit_residents); seq 0: none.
struct IndexRow {
  int64_t seq = 0;
  std::string resident_id;
};

// One entry as its row stores it, unparsed: what verification reads.
struct StoredEntry {
  int64_t seq = 0;
  int64_t time_micros = 0;
  bool break_glass = false;
  int version = kLegacyVersion;
  std::string professional_id, organisation_id, roles, certificate, action, resource_type,
      resource_id, residents, outcome, reason, purpose, request_id, peer, privacy_request,
      session_commitment, prev_hash, hash;
  // Read only when ScanEntries is asked for the index: the resident ids of
  // the index rows of this seq, in order, comma-separated; and the first
  // index row between the entry before and this one whose seq has no entry.
  std::string indexed;
  IndexRow stray;
  // Views of the hashed fields (valid while this object is unchanged).
  EntryFields Fields() const;
};

// Reads every entry in seq order, in one read transaction, into batches of
// at most `batch_size` entries, and hands each full batch and the last one
// to `flush` in order. `flush` may keep the entries by swapping the
// vector's contents for another vector (whose elements are then reused as
// the next batch's slots). `before_each` (may be null) is asked before
// every entry; a non-OK status from it or from `flush` stops the walk and
// is returned.
// Only entries with from_seq <= seq <= to_seq. With `stray_after`, the
// resident index of that range is read beside the entries, in the same
// snapshot (StoredEntry::indexed, StoredEntry::stray), and the first index
// row after the last entry is left in *stray_after (seq 0: none).
absl::Status ScanEntries(store::Database& db, size_t batch_size,
                         const std::function<absl::Status()>& before_each,
                         const std::function<absl::Status(std::vector<StoredEntry>&)>& flush,
                         int64_t from_seq = 0, int64_t to_seq = INT64_MAX,
                         IndexRow* stray_after = nullptr);
// The lowest and highest seq in the log; nullopt when it is empty.
absl::StatusOr<std::optional<std::pair<int64_t, int64_t>>> EntrySeqRange(store::Database& db);

struct Query {
  std::string professional_id;
  std::string organisation_id;
  std::string resident_id;
  std::string action;
  std::string outcome;
  absl::Time from = absl::InfinitePast();
  absl::Time to = absl::InfiniteFuture();
  int64_t after_seq = 0;
  int limit = 50;
};
struct Page {
  std::vector<Entry> entries;
  bool more = false;
};
// Entries matching every set filter, in seq order after `after_seq`.
absl::StatusOr<Page> QueryEntries(store::Database& db, const Query& q);

struct BreakGlassSession {
  std::string id;
  std::string professional_id;
  std::string organisation_id;
  std::string resident_id;
  // In the clear: what the professional wrote, before sealing and after
  // opening (break_glass.h). Stored only for a session opened before
  // migration 10; newer rows store it sealed and this column empty.
  std::string reason;
  absl::Time start_time;
  absl::Time end_time;
  // The reason sealed (nonce, ciphertext, tag; BreakGlassReasons::Seal), as
  // stored; empty for a session opened before migration 10.
  std::string sealed_reason;
};
// Only AuditLog::OpenBreakGlass calls this: the AuditLog keeps the
// sessions in memory and invalidates them after each write of this table.
absl::Status InsertBreakGlass(store::Connection& c, const BreakGlassSession& s);
// Residents in the professional's sessions open at `now`: inside the
// caller's transaction, or in a read transaction of its own.
absl::StatusOr<std::set<std::string>> ActiveBreakGlassResidents(store::Connection& c,
                                                                const std::string& professional_id,
                                                                absl::Time now);
absl::StatusOr<std::set<std::string>> ActiveBreakGlassResidents(store::Database& db,
                                                                const std::string& professional_id,
                                                                absl::Time now);
// When one session of a professional gives access to which resident.
struct BreakGlassWindow {
  std::string resident_id;
  absl::Time start_time;
  absl::Time end_time;
};
// The professional's sessions that end after `t` (open now or later), in a
// read transaction of their own: what decides ActiveBreakGlassResidents at
// any time from `t` on.
absl::StatusOr<std::vector<BreakGlassWindow>> BreakGlassEndingAfter(
    store::Database& db, const std::string& professional_id, absl::Time t);
// Every session, oldest first (verification: they are few).
absl::StatusOr<std::vector<BreakGlassSession>> AllBreakGlass(store::Database& db);
// The lowest seq of an entry about `resource_type` `resource_id`, in a read
// transaction of its own; nullopt when there is none. Scans the log: for
// the rare question only.
absl::StatusOr<std::optional<int64_t>> SeqOfEntryFor(store::Database& db,
                                                      const std::string& resource_type,
                                                      const std::string& resource_id);

// A checkpoint or anchor line the database records as written to
// DIR/audit-checkpoints (FORMAT.md, "Published checkpoints").
struct PublishedLine {
  std::string line_hash;  // SHA-256 (hex) of the line, without its newline
  bool anchor = false;
  int64_t seq = 0;
  std::string head;
  absl::Time time;
  // The seq of the entry that accepted the line's loss (0: not accepted),
  // and whether that entry is a schakeld.AcceptCheckpointLoss in the log.
  int64_t lost_at = 0;
  bool loss_recorded = false;
};
// PublishedLine::line_hash of the line FormatCheckpoint(c) writes.
std::string PublishedLineHash(const Checkpoint& c);
// Inside a write transaction: records `c` as published (once; again is a
// no-op). Called after the line was appended to the file durably.
absl::Status RecordPublished(store::Connection& c, const Checkpoint& cp);
// Every recorded line, by seq and time.
absl::StatusOr<std::vector<PublishedLine>> ReadPublished(store::Database& db);
// Inside a write transaction: marks the lines as lost, accepted by the
// entry at `accepted_at`.
absl::Status MarkPublishedLost(store::Connection& c, const std::vector<std::string>& line_hashes,
                               int64_t accepted_at);

// Sessions that started in [from, to), newest first, at most `limit`.
absl::StatusOr<std::vector<BreakGlassSession>> ListBreakGlass(store::Database& db, absl::Time from,
                                                              absl::Time to, int limit);

// Per professional and UTC day: how many allowed reads and denials.
struct DailyVolume {
  std::string professional_id;
  std::string organisation_id;
  std::string day;  // YYYY-MM-DD (UTC)
  int64_t reads = 0;
  int64_t denials = 0;
};
absl::StatusOr<std::vector<DailyVolume>> DailyVolumes(store::Database& db, absl::Time from,
                                                      absl::Time to);

// Entries of privacy officers' acts (a privacy request reference set) in
// [from, to), newest first, at most `limit`.
absl::StatusOr<std::vector<Entry>> PrivacyActs(store::Database& db, absl::Time from,
                                               absl::Time to, int limit);

// The time of the first allowed request of `professional_id` to a case
// service (residents, signals, handovers, trajectories, privacy) in
// [from, to); nullopt when there is none.
absl::StatusOr<std::optional<absl::Time>> FirstCaseRequest(store::Database& db,
                                                           const std::string& professional_id,
                                                           absl::Time from, absl::Time to);

}  // namespace schakel::audit

#endif  // SCHAKEL_SERVER_AUDIT_AUDIT_STORE_H_
