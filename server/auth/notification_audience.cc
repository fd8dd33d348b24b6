#include "server/auth/notification_audience.h"

#include <algorithm>

namespace schakel::auth {
namespace {

using K = domain::NotificationKind;

// Whether the kind addresses `p` (before the policy's read check).
bool Addressed(const NotificationEvent& e, const Principal& p) {
  const std::string& id = p.professional.id;
  switch (e.kind) {
    case K::kHandoverProposed:
    case K::kHandoverDueSoon:
      return WorksIn(p, e.handover->to);
    case K::kHandoverAccepted:
    case K::kHandoverDeclined:
    case K::kHandoverCompleted:
    case K::kHandoverExpired:
      return id == e.sender_id;
    case K::kHandoverIntroduced:
      return id == e.sender_id || (!e.receiver_id.empty() && id == e.receiver_id);
    case K::kHandoverCancelled:
      return e.receiver_id.empty() ? WorksIn(p, e.handover->to) : id == e.receiver_id;
    case K::kHandoverOverdue:
      // The sender is told it expired (handover_expired), the same moment.
      return WorksIn(p, e.handover->to) || p.HasRole(domain::Role::kRegisseur);
    case K::kSignalAssigned:
      return WorksIn(p, e.signal->owner);
    case K::kMeasurementDue:
      return id == e.consultant_id;
  }
  return false;
}

bool MayRead(const NotificationEvent& e, const Principal& p) {
  if (!Decide(p, Action::kReadCaseData).allowed) return false;
  if (e.handover) return CanReadHandover(p, *e.handover);
  if (e.signal) return CanReadSignal(p, *e.signal);
  if (e.trajectory) return AccessToTrajectory(p, *e.trajectory) == TrajectoryAccess::kFull;
  return false;
}

// The facts the kind needs are there.
bool Complete(const NotificationEvent& e) {
  const absl::string_view type = domain::NotificationResourceType(e.kind);
  if (type == "handover") return e.handover.has_value();
  if (type == "signal") return e.signal.has_value();
  return e.trajectory.has_value();
}

}  // namespace

std::vector<std::string> NotificationAudience(const NotificationEvent& event,
                                              const std::vector<Principal>& candidates) {
  std::vector<std::string> out;
  if (!Complete(event)) return out;
  for (const Principal& p : candidates) {
    const std::string& id = p.professional.id;
    if (p.professional.disabled || id.empty() || id == event.actor_id) continue;
    if (!Addressed(event, p) || !MayRead(event, p)) continue;
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  }
  return out;
}

}  // namespace schakel::auth
