// Grants: dual control over access (design.md, "Granting access"). A
// professional's roles take effect only through a grant that one
// administrator requested and a second one, not the requester, approved.
// Plain types, the decision rules and the grant anomalies; no I/O.
#ifndef SCHAKEL_SERVER_DOMAIN_GRANT_H_
#define SCHAKEL_SERVER_DOMAIN_GRANT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/domain/directory.h"

namespace schakel::domain {

enum class GrantStatus { kPending, kApproved, kRefused };

absl::string_view GrantStatusName(GrantStatus status);
std::optional<GrantStatus> ParseGrantStatus(absl::string_view name);

struct Grant {
  std::string id;
  std::string professional_id;
  std::string organisation_id;
  std::string team;         // the team it adds the professional to; empty: roles only
  std::vector<Role> roles;  // sorted, no duplicates
  GrantStatus status = GrantStatus::kPending;
  std::string requested_by;
  absl::Time request_time;
  std::string decided_by;  // empty while pending
  std::optional<absl::Time> decide_time;
  std::string reason;  // why it was refused
};

// Roles as stored and as the audit entry names them: "ggz,partner".
std::string RolesText(const std::vector<Role>& roles);
// The roles of a RolesText; unknown names (from a newer binary) are dropped.
std::vector<Role> ParseRolesText(absl::string_view text);

// What the request, approval and refusal entries of the audit log say about
// a grant: "grant G: organisation O, team -, roles R".
std::string GrantAuditText(const Grant& grant);

// Who may decide a grant. FAILED_PRECONDITION when it is decided already;
// PERMISSION_DENIED when `approver_id` requested it (dual control) or is the
// professional the grant is for. A requester may refuse (withdraw) their own
// request, so `approving` tells the two apart.
absl::Status CheckDecision(const Grant& grant, const std::string& decider_id, bool approving);

// A request for `roles` and/or membership of `team` for `professional` by
// `requester_id`: PERMISSION_DENIED for one's own; INVALID_ARGUMENT naming
// `roles` when neither is asked, when (without a team) all roles are held
// or awaited already, or when together with what the professional holds
// and awaits they break the separation of duties (ValidateRoleCombination);
// naming `team` when it is no team id or the professional works in or
// awaits it already. Whether the team exists is the caller's to check.
absl::Status CheckGrantRequest(const Professional& professional, const std::string& requester_id,
                               const std::vector<Role>& roles, const std::string& team);

// INVALID_ARGUMENT unless the refusal reason is 1..300 bytes without control
// characters.
absl::Status ValidateRefusalReason(absl::string_view reason);

// --- Enrollment codes -------------------------------------------------------

// How long a code may be used.
inline constexpr absl::Duration kEnrollmentCodeValidity = absl::Hours(72);
// Random bytes in a code (160 bits).
inline constexpr size_t kEnrollmentCodeBytes = 20;

// The code for `random` bytes: groups of four letters and digits of
// Crockford's base32 ("K7QM-2ZXA-..."), easy to read out and type.
std::string FormatEnrollmentCode(absl::string_view random);
// The canonical form of a typed code (upper case, no dashes or spaces, O→0,
// I/L→1), or INVALID_ARGUMENT "code: ..." when it cannot be one.
absl::StatusOr<std::string> NormalizeEnrollmentCode(absl::string_view typed);

// --- Anomalies --------------------------------------------------------------

// An approval this soon after the request was probably not looked at.
inline constexpr absl::Duration kQuickApproval = absl::Minutes(1);
// Case data read this soon after a grant took effect is worth a look.
inline constexpr absl::Duration kReadSoonAfterGrant = absl::Hours(24);

enum class GrantAnomalyKind { kQuickApproval, kReadSoonAfterGrant };

struct GrantAnomaly {
  GrantAnomalyKind kind = GrantAnomalyKind::kQuickApproval;
  std::string grant_id;
  std::string professional_id;
  absl::Time time;
  std::string detail;
};

// The first read of case data by a professional at or after `after`.
struct FirstCaseRead {
  std::string grant_id;
  absl::Time time;
};

// Grants approved within kQuickApproval of their request, and grants whose
// professional read case data within kReadSoonAfterGrant of the approval
// (`first_reads`: per approved grant, the first such read, if any). Grants
// recorded by init or migration 9 (requested and decided by the same
// name) are not flagged.
std::vector<GrantAnomaly> FindGrantAnomalies(const std::vector<Grant>& grants,
                                             const std::vector<FirstCaseRead>& first_reads);

}  // namespace schakel::domain

#endif  // SCHAKEL_SERVER_DOMAIN_GRANT_H_
