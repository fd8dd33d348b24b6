// The one writer of the audit log. It appends every entry (inside the
// transaction of the change it records, or in its own durable transaction
// for reads and refusals), keeps the chain's head, and signs checkpoints of
// durable heads every N entries or T seconds and at shutdown.
//
// Thread-safe. Appends are serialised by the database's single write path,
// so the head read inside a write transaction is always the current one;
// batching those commits later keeps this shape (one writer, one order).
#ifndef SCHAKEL_SERVER_AUDIT_AUDIT_LOG_H_
#define SCHAKEL_SERVER_AUDIT_AUDIT_LOG_H_

#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "server/audit/audit_store.h"
#include "server/audit/checkpoint.h"
#include "server/common/clock.h"
#include "server/store/database.h"

namespace schakel::audit {

struct AuditLogOptions {
  std::string checkpoint_path;  // DIR/audit-checkpoints
  std::string export_path;      // optional second copy on other storage
  int checkpoint_every_entries = 1000;
  absl::Duration checkpoint_interval = absl::Minutes(5);
  // Tests only: consulted before every append; a non-OK status makes the
  // append fail as a broken disk would.
  std::function<absl::Status()> fault_for_testing;
};

class AuditLog {
 public:
  AuditLog(store::Database* db, const Clock* clock, CheckpointSigner signer,
           AuditLogOptions options);
  ~AuditLog();

  // Inside the caller's write transaction: marks break-glass, links and
  // appends. The entry is durable when that transaction commits.
  absl::Status AppendIn(store::Connection& c, Entry& entry);
  // In its own transaction, durable on return.
  absl::Status Record(Entry& entry);
  // Residents the professional has emergency access to at `now`.
  absl::StatusOr<std::set<std::string>> ActiveBreakGlass(const std::string& professional_id,
                                                        absl::Time now);
  // Opens an emergency-access session and records it, flagged, in one
  // transaction.
  absl::Status OpenBreakGlass(const BreakGlassSession& session, Entry& entry);

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
  // then (best effort) to the export path, and to the log.
  absl::Status Publish(const Checkpoint& c);

  store::Database* db_;
  const Clock* clock_;
  CheckpointSigner signer_;
  AuditLogOptions options_;
  absl::Mutex mu_;
  int64_t last_checkpoint_seq_ = -1;
  absl::Notification stop_;
  std::thread thread_;
  bool stopped_ = false;
};

}  // namespace schakel::audit

#endif  // SCHAKEL_SERVER_AUDIT_AUDIT_LOG_H_
