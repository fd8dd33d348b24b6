// The one writer of the audit log. It appends every entry (inside the
// transaction of the change it records, or in its own durable transaction
// for reads and refusals), keeps the chain's head, and signs checkpoints of
// durable heads every N entries or T seconds and at shutdown.
//
// It also owns the emergency-access sessions (breakglass_sessions): it is
// the only code that opens one, and the authenticator asks it on every
// request of a regisseur or ggz which residents that professional may reach
// now (the entry's break-glass flag comes from that same answer, through
// audit::Trail). That
// answer comes from memory: per professional, the sessions that had not
// ended when they were read (resident, start, end — a pure function of the
// rows), filled under a generation (server/common/generation_cache.h) that
// OpenBreakGlass bumps after its write returns, OK or not. Whether a
// session is open is decided per call against the request's time, so a
// session stops at its end time exactly. Nothing else writes what is cached
// while the server runs: privacy erasure keeps sessions (their reasons too),
// retention keeps sessions, merge leaves them on the id they name, and
// seeding and restore run offline. A new way to write sessions belongs in
// this class, next to OpenBreakGlass, and must invalidate the same way.
// Several instances on one PostgreSQL database: OpenBreakGlass raises the
// sessions' generation in the database in its transaction, and the other
// instances empty their caches at their next request
// (store/shared_generations.h, InvalidateBreakGlass).
//
// Thread-safe. Appends are serialised by the database's single write path,
// so the head read inside a write transaction is always the current one;
// batching those commits later keeps this shape (one writer, one order).
#ifndef SCHAKEL_SERVER_AUDIT_AUDIT_LOG_H_
#define SCHAKEL_SERVER_AUDIT_AUDIT_LOG_H_

#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "server/audit/audit_store.h"
#include "server/audit/break_glass.h"
#include "server/audit/checkpoint.h"
#include "server/common/clock.h"
#include "server/common/generation_cache.h"
#include "server/store/database.h"

namespace schakel::audit {

struct AuditLogOptions {
  std::string checkpoint_path;  // DIR/audit-checkpoints
  std::string export_path;      // optional second copy on other storage
  int checkpoint_every_entries = 1000;
  absl::Duration checkpoint_interval = absl::Minutes(5);
  // False on an instance that leaves the checkpoints to another one on the
  // same database (instance.secondary): it appends, and
  // WriteCheckpoint signs nothing.
  bool signs_checkpoints = true;
  // When set, asked right before each checkpoint or anchor is signed:
  // false signs none now (the primary instance while another holds the
  // primary's lock of the database: server.cc).
  std::function<bool()> may_sign;
  // Tests only: consulted before every append; a non-OK status makes the
  // append fail as a broken disk would.
  std::function<absl::Status()> fault_for_testing;
  // Tests only: called by ActiveBreakGlass after it read the sessions from
  // the database and before it remembers them (to race a write in between).
  std::function<void()> before_break_glass_fill_for_testing;
  // At most this many professionals' sessions are held in memory.
  size_t break_glass_cache_entries = 10000;
};

class AuditLog {
 public:
  AuditLog(store::Database* db, const Clock* clock, CheckpointSigner signer,
           AuditLogOptions options);
  ~AuditLog();

  // Inside the caller's write transaction: links and appends (the caller
  // flagged break-glass: Trail::MarkBreakGlass). The entry is durable when that transaction commits.
  absl::Status AppendIn(store::Connection& c, Entry& entry);
  // In its own transaction, durable on return.
  absl::Status Record(Entry& entry);
  // Residents the professional has emergency access to at `now`, each with
  // the end of the session that lasts longest (from memory when read since
  // the last session was opened; see above). UNAVAILABLE when the sessions
  // cannot be read.
  absl::StatusOr<std::map<std::string, absl::Time>> ActiveBreakGlass(
      const std::string& professional_id, absl::Time now);
  // Opens an emergency-access session and records it, flagged, in one
  // transaction; effective for every request that starts after it returns.
  // The session's reason is stored sealed (BreakGlassReasons), and the
  // entry carries the session's commitment (SessionCommitment).
  absl::Status OpenBreakGlass(const BreakGlassSession& session, Entry& entry);
  // Empties the sessions' cache: another instance opened one
  // (store::SharedGenerations::OnChange).
  void InvalidateBreakGlass() { break_glass_.Invalidate(); }
  // Opens the sealed reasons of stored sessions (the auditor's list).
  const BreakGlassReasons& reasons() const { return reasons_; }

  // OK while an entry could be appended now: one durable write through the
  // audit log's own path (its test fault included). The health check asks.
  absl::Status Probe();
  // Retention: in one transaction, deletes every entry older than `cutoff`
  // up to the newest signed checkpoint at or before them (and before the
  // first entry about a resident under a legal hold), makes that
  // checkpoint the chain's anchor, and appends `entry` recording the purge
  // (its resource_id is set to the anchor's seq). The number of entries
  // purged; 0 (and nothing recorded) when no checkpoint lies in the purgeable
  // range. DATA_LOSS when the chosen checkpoint does not match the chain.
  absl::StatusOr<int64_t> PurgeOlderThan(absl::Time cutoff, Entry& entry);

  // Signs the durable head when it moved since the last checkpoint.
  absl::Status WriteCheckpoint();
  // Starts the background checkpointer; Stop() ends it with a final
  // checkpoint (orderly shutdown).
  void Start();
  void Stop();

  // FAILED_PRECONDITION (one sentence) when the chain in the database does
  // not reach or does not match the last checkpoint in `checkpoint_path`:
  // the database was rolled back to an older copy or rewritten.
  static absl::Status CheckAgainstLastCheckpoint(store::Database& db,
                                                 const std::string& checkpoint_path,
                                                 const std::string& public_key_pem);

 private:
  void Loop();
  // Appends a checkpoint or anchor record durably to the checkpoint file,
  // then (best effort) to the export path, and to the log; then records it
  // as published in the database (RecordPublished), inside `in` when given,
  // else in a write transaction of its own.
  absl::Status Publish(const Checkpoint& c, store::Connection* in);

  // One professional's sessions that had not ended at `read_at`: they
  // decide ActiveBreakGlass for any time from `read_at` on.
  struct BreakGlassSessions {
    absl::Time read_at;
    std::vector<BreakGlassWindow> windows;
  };

  store::Database* db_;
  const Clock* clock_;
  CheckpointSigner signer_;
  BreakGlassReasons reasons_;
  AuditLogOptions options_;
  absl::Mutex mu_;
  int64_t last_checkpoint_seq_ = -1;
  absl::Notification stop_;
  std::thread thread_;
  bool stopped_ = false;
  // By professional id.
  GenerationCache<std::string, BreakGlassSessions> break_glass_;
};

}  // namespace schakel::audit

#endif  // SCHAKEL_SERVER_AUDIT_AUDIT_LOG_H_
