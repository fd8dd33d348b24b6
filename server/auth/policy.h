// The one access policy: (principal, action, resource facts) → allow or deny
// with a reason. Every RPC asks it; nothing else decides access.
//
// This first version covers the directory and its administration (DESIGN.md,
// policy table, "directory" column). Case data joins it with its actions.
#ifndef SCHAKEL_SERVER_AUTH_POLICY_H_
#define SCHAKEL_SERVER_AUTH_POLICY_H_

#include <string>

#include "absl/status/status.h"
#include "server/auth/principal.h"

namespace schakel::auth {

enum class Action {
  kReadDirectory,       // WhoAmI, organisations
  kManageProfessionals, // add, disable professionals; revoke certificates
};

struct Decision {
  bool allowed = false;
  // Why: the rule that allowed or denied, for the audit log and tests.
  std::string reason;

  // OK when allowed; PERMISSION_DENIED naming the reason otherwise.
  absl::Status ToStatus() const;
};

Decision Decide(const Principal& principal, Action action);

}  // namespace schakel::auth

#endif  // SCHAKEL_SERVER_AUTH_POLICY_H_
