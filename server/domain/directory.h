// The directory aggregate: organisations, professionals, their roles and
// certificates. Plain types and validation; no I/O.
#ifndef SCHAKEL_SERVER_DOMAIN_DIRECTORY_H_
#define SCHAKEL_SERVER_DOMAIN_DIRECTORY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace schakel::domain {

// The roles of DESIGN.md's policy table.
enum class Role {
  kRegisseur,
  kConsultant,
  kBridgeOfficer,
  kGgz,
  kPartner,
  kAuditor,
  kAdmin,
  kAnalyst,
  kPrivacyOfficer,
};

// The API name of a role, e.g. "bridge_officer".
absl::string_view RoleName(Role role);
// The role with that API name, if any.
std::optional<Role> ParseRole(absl::string_view name);
// Every role, in declaration order.
const std::vector<Role>& AllRoles();

// A team inside an organisation: the unit of need-to-know (design.md,
// "Teams"). Every organisation has exactly one intake team, which receives
// what is addressed to the organisation as a whole.
struct Team {
  std::string organisation_id;
  std::string id;  // unique inside the organisation
  std::string name;
  bool intake = false;
  absl::Time create_time;
};

// One side of a relation: a team of an organisation.
struct TeamRef {
  std::string organisation_id;
  std::string team;
};

// The id of the intake team that every organisation gets (migration 11
// and init), unless the seed names another.
inline constexpr char kIntakeTeam[] = "intake";

// INVALID_ARGUMENT naming `field` unless `id` is 2..40 characters of
// [a-z0-9-], starting with a letter or digit.
absl::Status ValidateTeamId(absl::string_view field, absl::string_view id);
// INVALID_ARGUMENT naming the field: organisation_id, id (ValidateTeamId),
// name (1..100 bytes, no control characters).
absl::Status ValidateNewTeam(const Team& team);

struct Organisation {
  std::string id;
  std::string name;
  std::string sector;
  std::vector<std::string> opgaven;
};

struct Professional {
  std::string id;
  std::string organisation_id;
  std::string display_name;
  // The roles in effect (approved grants), sorted, no duplicates.
  std::vector<Role> roles;
  bool disabled = false;
  absl::Time create_time;
  // Roles of grants awaiting a second administrator; they grant nothing.
  std::vector<Role> pending_roles;
  // The teams of the organisation this professional works in (approved
  // grants), sorted; the relations of the access policy go by them.
  std::vector<std::string> teams;
  // Teams of grants awaiting a second administrator.
  std::vector<std::string> pending_teams;

  bool InTeam(absl::string_view team) const;
};

struct CertificateRecord {
  std::string serial;       // upper-case hex
  std::string fingerprint;  // lower-case hex SHA-256 of the DER
  std::string professional_id;
  absl::Time not_before;
  absl::Time not_after;
  std::optional<absl::Time> revoke_time;
  std::string pem;
};

// The URI subject alternative name by which a certificate names its holder.
std::string ProfessionalUri(absl::string_view professional_id);
// The professional id in a URI made by ProfessionalUri; nullopt for any other.
std::optional<std::string> ProfessionalIdFromUri(absl::string_view uri);

// A request to register a professional, as the admin sends it.
struct NewProfessional {
  std::string request_id;
  std::string organisation_id;
  std::string display_name;
  std::vector<Role> roles;
  // Empty: the professional enrolls with a one-time code.
  std::string csr_pem;
  // The team the professional will work in once the grant is approved;
  // empty: the organisation's intake team (the app fills it in).
  std::string team;
};

// INVALID_ARGUMENT naming the first field that breaks its rule.
absl::Status ValidateNewProfessional(const NewProfessional& request);

// Separation of duties (design.md, "Who uses it"): those who run the system
// (admin) or review it (auditor) cannot also hold a role that reads or
// erases case data. INVALID_ARGUMENT naming roles otherwise.
absl::Status ValidateRoleCombination(const std::vector<Role>& roles);

// INVALID_ARGUMENT unless `id` is 8..64 characters of [A-Za-z0-9_-].
absl::Status ValidateRequestId(absl::string_view field, absl::string_view id);

// A stable digest of the request's content, to tell a retry (same content)
// from a conflicting reuse of a request id.
std::string RequestFingerprint(const NewProfessional& request);

}  // namespace schakel::domain

#endif  // SCHAKEL_SERVER_DOMAIN_DIRECTORY_H_
