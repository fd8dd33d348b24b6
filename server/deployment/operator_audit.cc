#include "server/deployment/operator_audit.h"

#include "absl/strings/str_cat.h"
#include "server/audit/audit_store.h"
#include "server/common/status_macros.h"

namespace schakel::deployment {

absl::Status RecordOperatorAct(const Paths& paths, const std::string& kek, const std::string& act,
                               const std::string& reason, const Clock& clock) {
  // The deployment's lock keeps other processes off a SQLCipher file; a
  // PostgreSQL store takes appends from several processes (the chain's head
  // is read under a lock of the database: audit_store.h), so the act is
  // recorded while schakeld serves.
  std::unique_ptr<Lock> lock;
  if (!StoreIsPostgresql(paths)) {
    ASSIGN_OR_RETURN(lock, Lock::Acquire(paths));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<store::Database> db, OpenDatabase(paths, kek));
  return db->Write([&](store::Connection& c) {
    audit::Entry e;
    e.time = clock.Now();
    e.action = absl::StrCat("schakel-admin.", act);
    e.resource_type = "deployment";
    e.outcome = audit::kAllowed;
    e.reason = reason;
    e.purpose = "operations";
    return audit::AppendEntry(c, e);
  });
}

}  // namespace schakel::deployment
