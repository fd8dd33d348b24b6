// The formats of schakel's identifiers, one validator per kind, so that an
// id is checked against what it really looks like before it is used or
// recorded (issue 18: free text sent as an id must never reach the audit
// log). Pure code.
//
//   generated ids   a prefix and 16 characters of [a-z2-7] (80 random bits in
//                   base32, RandomIdGenerator): r… resident, s… signal,
//                   h… handover, t… trajectory, m… measurement, st… step,
//                   n… note, g… grant, p… professional, bg… break-glass,
//                   nt… notification
//   organisation    the seed's stable id: 2 to 40 characters of [a-z0-9] in
//                   words joined by single '-' ("gemeente-lv", "ggz-rivierduinen")
//   request id      the client's idempotency token: 8 to 64 characters of
//                   [A-Za-z0-9_-] (ValidateRequestId)
#ifndef SCHAKEL_SERVER_DOMAIN_IDS_H_
#define SCHAKEL_SERVER_DOMAIN_IDS_H_

#include <optional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace schakel::domain {

enum class IdKind {
  kResident,
  kSignal,
  kHandover,
  kTrajectory,
  kMeasurement,
  kStep,
  kNote,
  kGrant,
  kProfessional,
  kBreakGlass,
  kNotification,
  kOrganisation,
  kRequest,
};

// The prefix IdGenerator::NewId is given for a generated kind ("r", "st");
// "" for organisations and request ids.
absl::string_view IdPrefix(IdKind kind);

// Whether `id` has the format of `kind`.
bool IsIdOf(IdKind kind, absl::string_view id);

// INVALID_ARGUMENT naming `field` and the rule of `kind` unless `id` has
// its format (empty is "required"). The message never repeats the value.
absl::Status ValidateIdOf(IdKind kind, absl::string_view field, absl::string_view id);

// The kind of the ids of an audit resource type ("signal", "organisation",
// …); nullopt for the types whose resource id the server writes itself
// ("report", "audit", "backup", "certificate", …).
std::optional<IdKind> IdKindOfResource(absl::string_view resource_type);

// What an audit entry records as the resource id of `resource_type` when
// the caller sent something that is not an id of its kind.
inline constexpr char kInvalidIdMarker[] = "[invalid]";

}  // namespace schakel::domain

#endif  // SCHAKEL_SERVER_DOMAIN_IDS_H_
