#include "server/domain/grant.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "server/common/status_macros.h"

namespace schakel::domain {
namespace {

// Crockford's base32: no I, L, O or U, so nothing is read two ways.
constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr size_t kCodeChars = kEnrollmentCodeBytes * 8 / 5;  // 32
constexpr size_t kMaxReason = 300;

}  // namespace

absl::string_view GrantStatusName(GrantStatus status) {
  switch (status) {
    case GrantStatus::kPending: return "pending";
    case GrantStatus::kApproved: return "approved";
    case GrantStatus::kRefused: return "refused";
  }
  return "unknown";
}

std::optional<GrantStatus> ParseGrantStatus(absl::string_view name) {
  for (GrantStatus s : {GrantStatus::kPending, GrantStatus::kApproved, GrantStatus::kRefused}) {
    if (GrantStatusName(s) == name) return s;
  }
  return std::nullopt;
}

std::string RolesText(const std::vector<Role>& roles) {
  std::vector<std::string> names;
  for (Role r : roles) names.emplace_back(RoleName(r));
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return absl::StrJoin(names, ",");
}

std::vector<Role> ParseRolesText(absl::string_view text) {
  std::vector<Role> roles;
  for (absl::string_view name : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    if (auto r = ParseRole(name)) roles.push_back(*r);
  }
  std::sort(roles.begin(), roles.end());
  roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
  return roles;
}

std::string GrantAuditText(const Grant& g) {
  return absl::StrCat("grant ", g.id, ": organisation ", g.organisation_id, ", team ",
                      g.team.empty() ? "-" : g.team, ", roles ", g.roles.empty() ? "-" : RolesText(g.roles));
}

absl::Status CheckDecision(const Grant& g, const std::string& decider_id, bool approving) {
  if (g.status != GrantStatus::kPending) {
    return absl::FailedPreconditionError(
        absl::StrCat("grant_id: grant ", g.id, " is already ", GrantStatusName(g.status)));
  }
  if (decider_id == g.professional_id) {
    return absl::PermissionDeniedError(
        "grant_id: nobody decides a grant of their own roles (dual control)");
  }
  if (approving && decider_id == g.requested_by) {
    return absl::PermissionDeniedError(
        "grant_id: the administrator who requested a grant cannot approve it; a second "
        "administrator must (dual control)");
  }
  return absl::OkStatus();
}

absl::Status CheckGrantRequest(const Professional& p, const std::string& requester_id,
                               const std::vector<Role>& roles, const std::string& team) {
  if (requester_id == p.id) {
    return absl::PermissionDeniedError(
        "professional_id: nobody asks for roles of their own (dual control)");
  }
  if (roles.empty() && team.empty()) {
    return absl::InvalidArgumentError("roles: at least one role or a team is required");
  }
  if (!team.empty()) {
    RETURN_IF_ERROR(ValidateTeamId("team", team));
    auto listed = [&team](const std::vector<std::string>& v) {
      return std::find(v.begin(), v.end(), team) != v.end();
    };
    if (listed(p.teams) || listed(p.pending_teams)) {
      return absl::InvalidArgumentError(
          absl::StrCat("team: the professional works in or awaits team ", team, " already"));
    }
    if (roles.empty()) return absl::OkStatus();
  }
  auto has = [](const std::vector<Role>& v, Role r) {
    return std::find(v.begin(), v.end(), r) != v.end();
  };
  if (team.empty() && std::all_of(roles.begin(), roles.end(),
                  [&](Role r) { return has(p.roles, r) || has(p.pending_roles, r); })) {
    return absl::InvalidArgumentError(
        "roles: the professional holds or awaits every role asked for already");
  }
  std::vector<Role> all = p.roles;
  all.insert(all.end(), p.pending_roles.begin(), p.pending_roles.end());
  all.insert(all.end(), roles.begin(), roles.end());
  return ValidateRoleCombination(all);
}

absl::Status ValidateRefusalReason(absl::string_view reason) {
  if (reason.empty() || reason.size() > kMaxReason) {
    return absl::InvalidArgumentError("reason: must be 1 to 300 bytes");
  }
  if (std::any_of(reason.begin(), reason.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
    return absl::InvalidArgumentError("reason: must not contain control characters");
  }
  return absl::OkStatus();
}

std::string FormatEnrollmentCode(absl::string_view random) {
  std::string code;
  uint32_t buffer = 0;
  int bits = 0;
  size_t chars = 0;
  for (unsigned char byte : random) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      if (chars > 0 && chars % 4 == 0) code.push_back('-');
      code.push_back(kAlphabet[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
      ++chars;
    }
  }
  return code;
}

absl::StatusOr<std::string> NormalizeEnrollmentCode(absl::string_view typed) {
  std::string out;
  for (char c : typed) {
    if (c == '-' || c == ' ') continue;
    char u = absl::ascii_toupper(static_cast<unsigned char>(c));
    if (u == 'O') u = '0';
    if (u == 'I' || u == 'L') u = '1';
    if (std::string_view(kAlphabet).find(u) == std::string_view::npos) {
      return absl::InvalidArgumentError(
          "code: only the letters and digits of the enrollment code, with dashes");
    }
    out.push_back(u);
    if (out.size() > kCodeChars) break;
  }
  if (out.size() != kCodeChars) {
    return absl::InvalidArgumentError(
        absl::StrCat("code: an enrollment code has ", kCodeChars, " letters and digits"));
  }
  return out;
}

std::vector<GrantAnomaly> FindGrantAnomalies(const std::vector<Grant>& grants,
                                             const std::vector<FirstCaseRead>& first_reads) {
  absl::flat_hash_map<std::string, absl::Time> reads;
  for (const FirstCaseRead& r : first_reads) reads[r.grant_id] = r.time;
  std::vector<GrantAnomaly> out;
  for (const Grant& g : grants) {
    if (g.status != GrantStatus::kApproved || !g.decide_time) continue;
    // Requested and decided by the same hand: only init and migration 9
    // record grants so (a person never may), for the roles they gave.
    if (g.requested_by == g.decided_by) continue;
    absl::Duration waited = *g.decide_time - g.request_time;
    if (waited < kQuickApproval) {
      out.push_back({GrantAnomalyKind::kQuickApproval, g.id, g.professional_id, *g.decide_time,
                     absl::StrCat("approved by ", g.decided_by, " ",
                                  absl::FormatDuration(absl::Trunc(waited, absl::Seconds(1))),
                                  " after ", g.requested_by, " requested it")});
    }
    auto it = reads.find(g.id);
    if (it != reads.end() && it->second >= *g.decide_time &&
        it->second - *g.decide_time < kReadSoonAfterGrant) {
      out.push_back({GrantAnomalyKind::kReadSoonAfterGrant, g.id, g.professional_id, it->second,
                     absl::StrCat("read case data ",
                                  absl::FormatDuration(
                                      absl::Trunc(it->second - *g.decide_time, absl::Seconds(1))),
                                  " after the grant took effect")});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const GrantAnomaly& a, const GrantAnomaly& b) { return a.time < b.time; });
  return out;
}

}  // namespace schakel::domain
