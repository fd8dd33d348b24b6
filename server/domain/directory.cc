#include "server/domain/directory.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace schakel::domain {
namespace {

constexpr absl::string_view kProfessionalUriPrefix = "schakel:professional/";

struct RoleEntry {
  Role role;
  absl::string_view name;
};
constexpr RoleEntry kRoles[] = {
    {Role::kRegisseur, "regisseur"},   {Role::kConsultant, "consultant"},
    {Role::kBridgeOfficer, "bridge_officer"}, {Role::kGgz, "ggz"},
    {Role::kPartner, "partner"},       {Role::kAuditor, "auditor"},
    {Role::kAdmin, "admin"},           {Role::kAnalyst, "analyst"},
    {Role::kPrivacyOfficer, "privacy_officer"},
};

bool IsIdChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
}

// Valid UTF-8 is guaranteed by protobuf; this rejects control characters,
// which have no place in a name and would garble tables and logs.
bool HasControlCharacter(absl::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

}  // namespace

absl::string_view RoleName(Role role) {
  for (const auto& e : kRoles) {
    if (e.role == role) return e.name;
  }
  return "unknown";
}

std::optional<Role> ParseRole(absl::string_view name) {
  for (const auto& e : kRoles) {
    if (e.name == name) return e.role;
  }
  return std::nullopt;
}

const std::vector<Role>& AllRoles() {
  static const std::vector<Role>* roles = [] {
    auto* v = new std::vector<Role>;
    for (const auto& e : kRoles) v->push_back(e.role);
    return v;
  }();
  return *roles;
}

std::string ProfessionalUri(absl::string_view professional_id) {
  return absl::StrCat(kProfessionalUriPrefix, professional_id);
}

std::optional<std::string> ProfessionalIdFromUri(absl::string_view uri) {
  if (!absl::StartsWith(uri, kProfessionalUriPrefix)) return std::nullopt;
  absl::string_view id = uri.substr(kProfessionalUriPrefix.size());
  if (id.empty() || id.size() > 64 || !std::all_of(id.begin(), id.end(), IsIdChar)) {
    return std::nullopt;
  }
  return std::string(id);
}

absl::Status ValidateRequestId(absl::string_view field, absl::string_view id) {
  if (id.size() < 8 || id.size() > 64 || !std::all_of(id.begin(), id.end(), IsIdChar)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must be 8 to 64 characters of A-Z, a-z, 0-9, '-' or '_'"));
  }
  return absl::OkStatus();
}

absl::Status ValidateRoleCombination(const std::vector<Role>& roles) {
  auto has = [&roles](Role r) { return std::find(roles.begin(), roles.end(), r) != roles.end(); };
  const Role case_roles[] = {Role::kRegisseur, Role::kConsultant, Role::kBridgeOfficer,
                             Role::kGgz, Role::kPartner, Role::kPrivacyOfficer};
  for (Role oversight : {Role::kAdmin, Role::kAuditor}) {
    if (!has(oversight)) continue;
    for (Role c : case_roles) {
      if (has(c)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "roles: ", RoleName(oversight), " cannot be combined with ", RoleName(c),
            " (separation of duties: who runs or reviews the system reads no case data)"));
      }
    }
  }
  return absl::OkStatus();
}

bool Professional::InTeam(absl::string_view team) const {
  return !team.empty() && std::find(teams.begin(), teams.end(), team) != teams.end();
}

absl::Status ValidateTeamId(absl::string_view field, absl::string_view id) {
  if (id.size() < 2 || id.size() > 40) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": must be 2 to 40 characters"));
  }
  for (size_t i = 0; i < id.size(); ++i) {
    char c = id[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && i > 0);
    if (!ok) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": only lower-case letters, digits and '-' (not first), e.g. werk-en-inkomen"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateNewTeam(const Team& t) {
  if (t.organisation_id.empty()) return absl::InvalidArgumentError("organisation_id: required");
  if (t.organisation_id.size() > 64) {
    return absl::InvalidArgumentError("organisation_id: at most 64 characters");
  }
  if (absl::Status s = ValidateTeamId("id", t.id); !s.ok()) return s;
  if (t.name.empty() || t.name.size() > 100) {
    return absl::InvalidArgumentError("name: must be 1 to 100 bytes");
  }
  if (HasControlCharacter(t.name)) {
    return absl::InvalidArgumentError("name: must not contain control characters");
  }
  return absl::OkStatus();
}

absl::Status ValidateNewProfessional(const NewProfessional& r) {
  if (absl::Status s = ValidateRequestId("request_id", r.request_id); !s.ok()) return s;
  if (r.organisation_id.empty()) {
    return absl::InvalidArgumentError("organisation_id: required");
  }
  if (r.organisation_id.size() > 64) {
    return absl::InvalidArgumentError("organisation_id: at most 64 characters");
  }
  if (r.display_name.empty() || r.display_name.size() > 200) {
    return absl::InvalidArgumentError("display_name: must be 1 to 200 bytes");
  }
  if (HasControlCharacter(r.display_name)) {
    return absl::InvalidArgumentError("display_name: must not contain control characters");
  }
  if (r.roles.empty()) return absl::InvalidArgumentError("roles: at least one role is required");
  if (absl::Status s = ValidateRoleCombination(r.roles); !s.ok()) return s;
  if (!r.team.empty()) {
    if (absl::Status s = ValidateTeamId("team", r.team); !s.ok()) return s;
  }
  if (r.csr_pem.size() > 16 * 1024) {
    return absl::InvalidArgumentError("csr_pem: at most 16384 bytes");
  }
  return absl::OkStatus();
}

std::string RequestFingerprint(const NewProfessional& r) {
  std::vector<std::string> roles;
  for (Role role : r.roles) roles.emplace_back(RoleName(role));
  std::sort(roles.begin(), roles.end());
  roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
  // Length-prefixed fields: no two different requests share an encoding.
  std::string out;
  for (const std::string& f :
       {r.organisation_id, r.display_name, absl::StrJoin(roles, ","), r.csr_pem, r.team}) {
    absl::StrAppend(&out, f.size(), ":", f, ";");
  }
  return out;
}

}  // namespace schakel::domain
