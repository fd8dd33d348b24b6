// A use case's transaction. The use case reads, decides (the access
// module), writes its rows, and the unit of work appends the request's
// audit entry as allowed in the same transaction: the rows and the entry
// commit together or neither does. The stores it calls inside do not
// decide anything and never call the audit log.
//
// `fn` runs on the database's writer (group commit) and may run more than
// once when another write of its batch fails: each run starts afresh from
// what the trail held before the first (its residents are restored), so a
// use case assigns what it hands out and never appends to an earlier run's
// results.
#ifndef SCHAKEL_SERVER_APP_UNIT_OF_WORK_H_
#define SCHAKEL_SERVER_APP_UNIT_OF_WORK_H_

#include <functional>

#include "absl/status/status.h"
#include "server/audit/audit_log.h"
#include "server/audit/trail.h"
#include "server/store/database.h"

namespace schakel::app {

// The writes of one transaction: the engine's connection while it runs.
using Transaction = store::Connection;

class UnitOfWork {
 public:
  UnitOfWork(store::Database* db, audit::AuditLog* audit) : db_(db), audit_(audit) {}

  // Runs `fn`, then appends `trail`'s entry, in one write transaction; on
  // OK both are durable and trail.appended is set. On an error nothing of
  // either was written (the handler then records the refusal on its own).
  absl::Status Run(audit::Trail& trail, const std::function<absl::Status(Transaction&)>& fn);
  // As Run, for a change that may find nothing to do: the entry is
  // appended only when `fn` answers true (a retention run that purged
  // nothing records nothing); trail.appended says whether it was.
  absl::Status RunIfChanged(audit::Trail& trail,
                            const std::function<absl::StatusOr<bool>(Transaction&)>& fn);
  // A write that no request made and that is neither case data nor the
  // directory (the e-mail outbox's delivery state): no audit entry.
  absl::Status RunUnaudited(const std::function<absl::Status(Transaction&)>& fn);
  // A read transaction of the use case's own: one consistent snapshot for
  // a decision and what it shows. No entry is appended (the handler
  // records the read when the request ends).
  absl::Status Read(const std::function<absl::Status(Transaction&)>& fn);

 private:
  store::Database* db_;
  audit::AuditLog* audit_;
};

}  // namespace schakel::app

#endif  // SCHAKEL_SERVER_APP_UNIT_OF_WORK_H_
