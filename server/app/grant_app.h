// Dual control (design.md, "Granting access"): listing, approving and
// refusing grants. A grant's roles take effect only when an administrator
// other than the requester (and other than the professional) approves it;
// the change and its audit entry, naming organisation, team and roles,
// commit in one transaction.
#ifndef SCHAKEL_SERVER_APP_GRANT_APP_H_
#define SCHAKEL_SERVER_APP_GRANT_APP_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/app/unit_of_work.h"
#include "server/audit/audit_log.h"
#include "server/audit/trail.h"
#include "server/auth/principal.h"
#include "server/common/clock.h"
#include "server/domain/grant.h"
#include "server/store/database.h"
#include "server/store/directory_store.h"

namespace schakel::app {

struct GrantListing {
  std::vector<domain::Grant> grants;
  // Each professional the grants concern, with roles and pending roles.
  std::vector<domain::Professional> professionals;
  // The auditor's listing only.
  std::vector<domain::GrantAnomaly> anomalies;
};

// The most grants one listing returns.
inline constexpr int kMaxGrantsListed = 1000;

// Thread-safe; holds pointers to objects that outlive it.
class GrantApp {
 public:
  GrantApp(store::DirectoryStore* store, store::Database* db, UnitOfWork* uow,
           const Clock* clock, IdGenerator* ids)
      : store_(store), db_(db), uow_(uow), clock_(clock), ids_(ids) {}

  // The administrator's listing.
  absl::StatusOr<GrantListing> List(const auth::Principal& caller, bool pending_only,
                                    const std::string& professional_id, audit::Trail& trail);
  // The auditor's: every grant and every professional (or one
  // professional's), with anomalies.
  absl::StatusOr<GrantListing> Review(const auth::Principal& caller,
                                      const std::string& professional_id, audit::Trail& trail);
  // A pending grant of more roles for an existing professional.
  absl::StatusOr<domain::Grant> Request(const auth::Principal& caller,
                                        const std::string& professional_id,
                                        const std::vector<domain::Role>& roles,
                                        const std::string& team, audit::Trail& trail);
  absl::StatusOr<domain::Grant> Approve(const auth::Principal& caller, const std::string& id,
                                        audit::Trail& trail);
  absl::StatusOr<domain::Grant> Refuse(const auth::Principal& caller, const std::string& id,
                                       const std::string& reason, audit::Trail& trail);

 private:
  absl::StatusOr<GrantListing> Load(bool pending_only, const std::string& professional_id);
  absl::StatusOr<domain::Grant> Decide(const auth::Principal& caller, const std::string& id,
                                       domain::GrantStatus to, const std::string& reason,
                                       audit::Trail& trail);

  store::DirectoryStore* store_;
  store::Database* db_;  // the audit log's reads for the anomalies
  UnitOfWork* uow_;
  const Clock* clock_;
  IdGenerator* ids_;
};

}  // namespace schakel::app

#endif  // SCHAKEL_SERVER_APP_GRANT_APP_H_
