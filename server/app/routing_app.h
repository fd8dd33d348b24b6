// The routing rules' use cases (docs/design.md, "Routing rules"), and the
// step that routes a new signal inside its creation's unit of work.
//
// Only the regisseur manages the rules and runs dry runs
// (auth::Action::kManageRoutingRules): anyone else is PERMISSION_DENIED.
// Errors: INVALID_ARGUMENT naming the field and the rule (an unknown
// category, opgave or wijk, no criterion, a position or number of days out
// of range); NOT_FOUND naming the field for an unknown rule, organisation or
// team; FAILED_PRECONDITION for a change of a removed rule; ABORTED for a
// stale etag. Every call is audited (resource type "routing_rule"); a
// change's entry commits with it.
#ifndef SCHAKEL_SERVER_APP_ROUTING_APP_H_
#define SCHAKEL_SERVER_APP_ROUTING_APP_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/app/unit_of_work.h"
#include "server/audit/trail.h"
#include "server/auth/principal.h"
#include "server/common/clock.h"
#include "server/domain/routing.h"
#include "server/domain/signal.h"
#include "server/store/reference_store.h"
#include "server/store/routing_store.h"

namespace schakel::app {

struct DryRunRequest {
  // An active rule at its own position, or (empty) `criteria` tried as a
  // new rule at `position` (0: at the end).
  std::string rule_id;
  domain::RoutingCriteria criteria;
  int position = 0;
  int days = 0;
};

struct DryRunResult {
  domain::DryRun run;
  absl::Time since;
};

class RoutingApp {
 public:
  RoutingApp(store::RoutingStore* store, store::ReferenceStore* reference, UnitOfWork* uow,
             const Clock* clock, IdGenerator* ids)
      : store_(store), reference_(reference), uow_(uow), clock_(clock), ids_(ids) {}

  // The active rules by position; with `include_removed` the removed ones
  // after them.
  absl::StatusOr<std::vector<domain::RoutingRule>> List(const auth::Principal& caller,
                                                        bool include_removed,
                                                        audit::Trail& trail);
  // Idempotent on r.request_id (ALREADY_EXISTS for the same id with other
  // content).
  absl::StatusOr<domain::RoutingRule> Add(const auth::Principal& caller,
                                          const domain::NewRoutingRule& r, audit::Trail& trail);
  absl::StatusOr<domain::RoutingRule> Move(const auth::Principal& caller, const std::string& id,
                                           const std::string& etag, int position,
                                           audit::Trail& trail);
  absl::StatusOr<domain::RoutingRule> Remove(const auth::Principal& caller,
                                             const std::string& id, const std::string& etag,
                                             audit::Trail& trail);
  absl::StatusOr<DryRunResult> DryRun(const auth::Principal& caller, const DryRunRequest& r,
                                      audit::Trail& trail);

 private:
  // In one unit of work: the active rule `id` at `etag` (NOT_FOUND,
  // FAILED_PRECONDITION when removed, ABORTED), the new order `reorder`
  // makes of the active rules (given the rule's index in them), renumbered
  // and written; answers the rule as it is after (as found when `reorder`
  // took it out).
  using Reorder = std::function<absl::Status(
      Transaction& tx, std::vector<domain::RoutingRule>& active, size_t index)>;
  absl::StatusOr<domain::RoutingRule> Change(const auth::Principal& caller, const std::string& id,
                                             const std::string& etag, audit::Trail& trail,
                                             const Reorder& reorder);

  store::RoutingStore* store_;
  store::ReferenceStore* reference_;
  UnitOfWork* uow_;
  const Clock* clock_;
  IdGenerator* ids_;
};

// Inside the unit of work that creates `signal`: when it has no owner and
// is not a justice signal, the first active rule that matches it gives it
// its owner (organisation and team) and names itself and its version in
// it; answers the assignment event to append to its timeline after the
// insert (no actor: the rule), or nullopt when no rule routed it (it stays
// the regisseur's).
absl::StatusOr<std::optional<domain::SignalEvent>> RouteNewSignal(Transaction& tx,
                                                                  store::RoutingStore& rules,
                                                                  domain::Signal& signal);

}  // namespace schakel::app

#endif  // SCHAKEL_SERVER_APP_ROUTING_APP_H_
