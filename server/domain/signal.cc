#include "server/domain/signal.h"

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/domain/directory.h"
#include "server/domain/text.h"

namespace schakel::domain {

const char* SignalStatusName(SignalStatus s) {
  switch (s) {
    case SignalStatus::kOpen: return "open";
    case SignalStatus::kInProgress: return "in_progress";
    case SignalStatus::kResolved: return "resolved";
    case SignalStatus::kClosed: return "closed";
    case SignalStatus::kWithdrawn: return "withdrawn";
  }
  return "open";
}

std::optional<SignalStatus> ParseSignalStatus(const std::string& name) {
  for (SignalStatus s : {SignalStatus::kOpen, SignalStatus::kInProgress, SignalStatus::kResolved,
                         SignalStatus::kClosed, SignalStatus::kWithdrawn}) {
    if (name == SignalStatusName(s)) return s;
  }
  return std::nullopt;
}

const char* UrgencyName(Urgency u) {
  switch (u) {
    case Urgency::kLow: return "low";
    case Urgency::kNormal: return "normal";
    case Urgency::kHigh: return "high";
    case Urgency::kAcute: return "acute";
  }
  return "normal";
}

std::optional<Urgency> ParseUrgency(const std::string& name) {
  for (Urgency u : {Urgency::kLow, Urgency::kNormal, Urgency::kHigh, Urgency::kAcute}) {
    if (name == UrgencyName(u)) return u;
  }
  return std::nullopt;
}

std::string SignalEtag(int64_t version) { return absl::StrCat("v", version); }

absl::Status ValidateNewSignal(const NewSignal& r, const std::optional<SignalCategory>& category) {
  RETURN_IF_ERROR(ValidateRequestId("request_id", r.request_id));
  if (r.category.empty()) return absl::InvalidArgumentError("category: required");
  if (!category) {
    return absl::InvalidArgumentError("category: not a code of the signal taxonomy");
  }
  RETURN_IF_ERROR(ValidateId("wijk", r.wijk));
  RETURN_IF_ERROR(ValidateText("place", r.place, kMaxNameLength));
  RETURN_IF_ERROR(ValidateText("description", r.description, kMaxDescriptionLength, true));
  if (!r.resident_id.empty()) RETURN_IF_ERROR(ValidateId("resident_id", r.resident_id));
  if (!r.team.empty()) RETURN_IF_ERROR(ValidateTeamId("team", r.team));
  if (!r.owner_team.empty()) {
    if (r.owner_organisation_id.empty()) {
      return absl::InvalidArgumentError("owner_team: needs owner_organisation_id");
    }
    RETURN_IF_ERROR(ValidateTeamId("owner_team", r.owner_team));
  }
  if (!r.owner_organisation_id.empty()) {
    RETURN_IF_ERROR(ValidateId("owner_organisation_id", r.owner_organisation_id));
  } else if (category->sensitivity == Sensitivity::kJustice) {
    return absl::InvalidArgumentError(
        "owner_organisation_id: required for a signal of a justice category");
  }
  return absl::OkStatus();
}

std::string RequestFingerprint(const NewSignal& r) {
  std::string out = CanonicalFields({r.category, r.wijk, r.place, r.description, r.resident_id,
                                     UrgencyName(r.urgency), r.owner_organisation_id});
  // Appended only when set, so that a request made before teams existed
  // keeps its fingerprint (a retry across the upgrade stays a retry).
  if (!r.team.empty() || !r.owner_team.empty()) out += CanonicalFields({r.team, r.owner_team});
  return out;
}

absl::Status CheckSignalTransition(SignalStatus from, SignalStatus to) {
  using S = SignalStatus;
  bool ok = (from == S::kOpen && (to == S::kInProgress || to == S::kWithdrawn)) ||
            (from == S::kInProgress && (to == S::kResolved || to == S::kWithdrawn)) ||
            (from == S::kResolved && (to == S::kClosed || to == S::kInProgress));
  if (ok) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat("status: a signal that is ",
                                                    SignalStatusName(from), " cannot become ",
                                                    SignalStatusName(to)));
}

const char* SignalEventKindName(SignalEventKind k) {
  switch (k) {
    case SignalEventKind::kCreated: return "created";
    case SignalEventKind::kAssigned: return "assigned";
    case SignalEventKind::kStatusChanged: return "status_changed";
    case SignalEventKind::kNoteAdded: return "note_added";
    case SignalEventKind::kHandoverLinked: return "handover_linked";
  }
  return "created";
}

}  // namespace schakel::domain
