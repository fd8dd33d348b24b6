// Operator acts that change keys or data outside the API (`key rotate`,
// `key rewrap`, `restore`) leave a chained audit entry, appended to the
// deployment's log as the server appends one (same chain, same encoding),
// holding the deployment's lock. The running server signs it with its next
// checkpoint; `audit verify` checks it like any other entry.
#ifndef SCHAKEL_SERVER_DEPLOYMENT_OPERATOR_AUDIT_H_
#define SCHAKEL_SERVER_DEPLOYMENT_OPERATOR_AUDIT_H_

#include <string>

#include "absl/status/status.h"
#include "server/common/clock.h"
#include "server/deployment/deployment.h"

namespace schakel::deployment {

// Appends one entry: action `schakel-admin.ACT` (e.g. "key-rotate"),
// resource "deployment", outcome allowed, purpose "operations", `reason`
// saying what was done (never a key). FAILED_PRECONDITION when another
// process holds the deployment.
absl::Status RecordOperatorAct(const Paths& paths, const std::string& kek, const std::string& act,
                               const std::string& reason, const Clock& clock);

}  // namespace schakel::deployment

#endif  // SCHAKEL_SERVER_DEPLOYMENT_OPERATOR_AUDIT_H_
