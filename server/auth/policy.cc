#include "server/auth/policy.h"

#include "absl/strings/str_cat.h"

namespace schakel::auth {
namespace {

using domain::Role;

}  // namespace

absl::Status Decision::ToStatus() const {
  if (allowed) return absl::OkStatus();
  return absl::PermissionDeniedError(reason);
}

Decision Decide(const Principal& principal, Action action) {
  switch (action) {
    case Action::kReadDirectory:
      // Every role reads the directory.
      if (!principal.professional.roles.empty()) return {true, "every role reads the directory"};
      return {false, "a professional without a role may do nothing"};
    case Action::kManageProfessionals:
      if (principal.HasRole(Role::kAdmin)) return {true, "admin manages professionals"};
      return {false, "only the admin role manages professionals and certificates"};
  }
  return {false, "unknown action"};
}

}  // namespace schakel::auth
