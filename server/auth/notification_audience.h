// Who is told of an event (design.md, "Nothing waits unseen"): the audience
// a notification's kind names — a team, a handover's sender or receiver, a
// trajectory's consultant, the regisseurs — narrowed by the policy to who
// may read the resource now, never the professional who caused it. A
// notification holds nothing its recipient could not read in the resource
// itself (a kind, an id, a date); deciding the audience here, from the same
// rules that decide reads, keeps it that way.
//
// Emergency access never makes a recipient: the candidates carry none, and
// a notification outlives a 60-minute session.
#ifndef SCHAKEL_SERVER_AUTH_NOTIFICATION_AUDIENCE_H_
#define SCHAKEL_SERVER_AUTH_NOTIFICATION_AUDIENCE_H_

#include <optional>
#include <string>
#include <vector>

#include "server/auth/policy.h"
#include "server/auth/principal.h"
#include "server/domain/notification.h"

namespace schakel::auth {

struct NotificationEvent {
  domain::NotificationKind kind = domain::NotificationKind::kHandoverProposed;
  // Who caused it; empty for the clock. Never told of their own act.
  std::string actor_id;
  // The resource, by the kind's resource type.
  std::optional<HandoverFacts> handover;
  std::string sender_id;    // of the handover
  std::string receiver_id;  // of the handover, once accepted
  std::optional<SignalFacts> signal;
  std::optional<TrajectoryFacts> trajectory;
  std::string consultant_id;  // of the trajectory
};

// Per kind (docs/design.md, "Nothing waits unseen", the table):
//   handover_proposed, handover_due_soon: the receiving team;
//   handover_accepted, _declined, _completed, _expired: the sender;
//   handover_introduced: sender and receiver;
//   handover_cancelled: the receiver, or the receiving team before anyone
//     accepted;
//   handover_overdue: the receiving team and every regisseur who may read
//     the handover (the sender is told at the same moment that it expired:
//     a proposal past its deadline expires);
//   signal_assigned: the owner team;
//   measurement_due: the trajectory's consultant;
// each only when they hold a case role and may read the resource.
// `candidates` are the enabled professionals of the organisations concerned;
// the answer is the ids of the recipients, each once, in the order given.
std::vector<std::string> NotificationAudience(const NotificationEvent& event,
                                              const std::vector<Principal>& candidates);

}  // namespace schakel::auth

#endif  // SCHAKEL_SERVER_AUTH_NOTIFICATION_AUDIENCE_H_
