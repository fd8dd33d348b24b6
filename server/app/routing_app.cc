#include "server/app/routing_app.h"

#include "absl/strings/str_cat.h"
#include "server/app/case_context.h"
#include "server/auth/policy.h"
#include "server/common/status_macros.h"
#include "server/domain/text.h"

namespace schakel::app {
namespace {

constexpr char kResource[] = "routing_rule";

// The taxonomy entry of a criterion's category; nullopt when none is set
// or the code is not of the taxonomy (ValidateRoutingCriteria says which).
absl::StatusOr<std::optional<domain::SignalCategory>> CategoryOf(
    store::ReferenceStore& reference, const domain::RoutingCriteria& c) {
  if (c.category.empty() || !domain::ValidateId("category", c.category).ok()) {
    return std::optional<domain::SignalCategory>();
  }
  return reference.FindCategory(c.category);
}

// Writes the rules a renumbering changed; `added` (if any) is new.
absl::Status WriteChanged(Transaction& tx, store::RoutingStore& store,
                          const std::vector<domain::RoutingRule>& changed,
                          const std::string& added, const std::string& actor_id) {
  for (const domain::RoutingRule& r : changed) {
    if (r.id == added) {
      RETURN_IF_ERROR(store.Insert(tx, r, actor_id));
    } else {
      RETURN_IF_ERROR(store.Replace(tx, r, r.version - 1, actor_id));
    }
  }
  return absl::OkStatus();
}

// INVALID_ARGUMENT naming the opgave or wijk of `c` that is not of the
// taxonomy (the category is checked before the transaction, as on a
// signal's creation).
absl::Status CheckCriteria(Transaction& tx, const domain::RoutingCriteria& c) {
  if (!c.opgave.empty()) RETURN_IF_ERROR(store::CheckOpgave(tx, "opgave", c.opgave));
  if (!c.wijk.empty()) RETURN_IF_ERROR(store::CheckWijk(tx, "wijk", c.wijk));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<domain::RoutingRule>> RoutingApp::List(const auth::Principal& caller,
                                                                  bool include_removed,
                                                                  audit::Trail& trail) {
  trail.Concerns(kResource, "");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kManageRoutingRules).ToStatus());
  std::vector<domain::RoutingRule> out;
  RETURN_IF_ERROR(uow_->Read([&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(out, store_->ListActive(tx));
    if (include_removed) {
      ASSIGN_OR_RETURN(std::vector<domain::RoutingRule> removed, store_->ListRemoved(tx));
      for (domain::RoutingRule& r : removed) out.push_back(std::move(r));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<domain::RoutingRule> RoutingApp::Add(const auth::Principal& caller,
                                                    const domain::NewRoutingRule& r,
                                                    audit::Trail& trail) {
  trail.Concerns(kResource, "");
  trail.entry.request_id = r.request_id;
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kManageRoutingRules).ToStatus());
  ASSIGN_OR_RETURN(std::optional<domain::SignalCategory> category,
                   CategoryOf(*reference_, r.criteria));
  RETURN_IF_ERROR(domain::ValidateNewRoutingRule(r, category));
  const absl::Time now = clock_->Now();
  domain::RoutingRule rule;
  rule.id = ids_->NewId("rr");
  // Version 0 at position 0: Renumber makes it version 1 where it goes.
  rule.version = 0;
  rule.criteria = r.criteria;
  rule.owner_organisation_id = r.owner_organisation_id;
  rule.created_by = caller.professional.id;
  rule.create_time = now;
  rule.update_time = now;
  trail.Concerns(kResource, rule.id);
  const store::CreateRequest request = MakeCreateRequest(caller, "AddRoutingRule", r.request_id,
                                                         domain::RequestFingerprint(r));
  domain::RoutingRule added;
  RETURN_IF_ERROR(uow_->Run(trail, [&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(bool replayed,
                     ReplayCreated(tx, request, "routing rule",
                                   [&](const std::string& id) { return store_->Find(tx, id); },
                                   added));
    if (replayed) {
      trail.Concerns(kResource, added.id);
      return absl::OkStatus();
    }
    RETURN_IF_ERROR(CheckCriteria(tx, r.criteria));
    domain::RoutingRule row = rule;
    ASSIGN_OR_RETURN(row.owner_team,
                     store::ResolveTeam(tx, "owner_organisation_id", r.owner_organisation_id,
                                        "owner_team", r.owner_team));
    ASSIGN_OR_RETURN(std::vector<domain::RoutingRule> active, store_->ListActive(tx));
    ASSIGN_OR_RETURN(size_t index, domain::InsertIndex(r.position, active.size()));
    active.insert(active.begin() + static_cast<std::ptrdiff_t>(index), row);
    const std::vector<domain::RoutingRule> changed = domain::Renumber(active, now);
    RETURN_IF_ERROR(WriteChanged(tx, *store_, changed, row.id, caller.professional.id));
    RETURN_IF_ERROR(store::RecordCreated(tx, request, row.id, now));
    added = active[index];
    return absl::OkStatus();
  }));
  return added;
}

absl::StatusOr<domain::RoutingRule> RoutingApp::Change(const auth::Principal& caller,
                                                       const std::string& id,
                                                       const std::string& etag,
                                                       audit::Trail& trail,
                                                       const Reorder& reorder) {
  domain::RoutingRule result;
  RETURN_IF_ERROR(uow_->Run(trail, [&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(std::optional<domain::RoutingRule> found, store_->Find(tx, id));
    if (!found) return absl::NotFoundError(absl::StrCat("id: no routing rule ", id));
    if (found->removed()) {
      return absl::FailedPreconditionError(
          absl::StrCat("id: the routing rule ", id, " was removed; it changes no more"));
    }
    RETURN_IF_ERROR(
        CheckEtagCurrent("routing rule", etag, domain::RoutingRuleEtag(found->version)));
    ASSIGN_OR_RETURN(std::vector<domain::RoutingRule> active, store_->ListActive(tx));
    size_t index = 0;
    while (index < active.size() && active[index].id != id) ++index;
    if (index == active.size()) return absl::InternalError("an active rule is not listed");
    result = active[index];
    RETURN_IF_ERROR(reorder(tx, active, index));
    const std::vector<domain::RoutingRule> changed = domain::Renumber(active, clock_->Now());
    RETURN_IF_ERROR(WriteChanged(tx, *store_, changed, "", caller.professional.id));
    for (const domain::RoutingRule& r : active) {
      if (r.id == id) result = r;
    }
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<domain::RoutingRule> RoutingApp::Move(const auth::Principal& caller,
                                                     const std::string& id,
                                                     const std::string& etag, int position,
                                                     audit::Trail& trail) {
  trail.Concerns(kResource, id);
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kManageRoutingRules).ToStatus());
  RETURN_IF_ERROR(domain::ValidateId("id", id));
  RETURN_IF_ERROR(CheckEtag(etag));
  if (position < 1) return absl::InvalidArgumentError("position: 1 or more");
  return Change(caller, id, etag, trail,
                [&](Transaction&, std::vector<domain::RoutingRule>& active,
                    size_t index) -> absl::Status {
                  ASSIGN_OR_RETURN(size_t to, domain::MoveIndex(position, active.size()));
                  domain::RoutingRule moving = active[index];
                  active.erase(active.begin() + static_cast<std::ptrdiff_t>(index));
                  active.insert(active.begin() + static_cast<std::ptrdiff_t>(to), moving);
                  return absl::OkStatus();
                });
}

absl::StatusOr<domain::RoutingRule> RoutingApp::Remove(const auth::Principal& caller,
                                                       const std::string& id,
                                                       const std::string& etag,
                                                       audit::Trail& trail) {
  trail.Concerns(kResource, id);
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kManageRoutingRules).ToStatus());
  RETURN_IF_ERROR(domain::ValidateId("id", id));
  RETURN_IF_ERROR(CheckEtag(etag));
  const absl::Time now = clock_->Now();
  domain::RoutingRule removed;
  RETURN_IF_ERROR(Change(caller, id, etag, trail,
                         [&](Transaction& tx, std::vector<domain::RoutingRule>& active,
                             size_t index) -> absl::Status {
                           // Kept as history: the signals it routed name it.
                           removed = domain::Removed(active[index], now);
                           RETURN_IF_ERROR(store_->Replace(tx, removed, removed.version - 1,
                                                           caller.professional.id));
                           active.erase(active.begin() + static_cast<std::ptrdiff_t>(index));
                           return absl::OkStatus();
                         })
                      .status());
  return removed;
}

absl::StatusOr<DryRunResult> RoutingApp::DryRun(const auth::Principal& caller,
                                                const DryRunRequest& r, audit::Trail& trail) {
  trail.Concerns(kResource, r.rule_id);
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kManageRoutingRules).ToStatus());
  const bool has_criteria =
      !r.criteria.category.empty() || !r.criteria.opgave.empty() || !r.criteria.wijk.empty();
  std::optional<domain::SignalCategory> category;
  if (!r.rule_id.empty()) {
    RETURN_IF_ERROR(domain::ValidateId("rule_id", r.rule_id));
    if (has_criteria || r.position != 0) {
      return absl::InvalidArgumentError(
          "rule_id: either an existing rule or criteria (with a position), not both");
    }
  } else {
    ASSIGN_OR_RETURN(category, CategoryOf(*reference_, r.criteria));
    RETURN_IF_ERROR(domain::ValidateRoutingCriteria(r.criteria, category));
    if (r.position < 0) return absl::InvalidArgumentError("position: 0 (the end) or more");
  }
  RETURN_IF_ERROR(domain::ValidateDryRunDays(r.days));
  DryRunResult out;
  out.since = clock_->Now() - absl::Hours(24) * r.days;
  const auth::ListScope scope = auth::ScopeOf(caller);
  RETURN_IF_ERROR(uow_->Read([&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<domain::RoutingRule> active, store_->ListActive(tx));
    domain::RoutingCriteria criteria = r.criteria;
    size_t index = active.size();
    if (!r.rule_id.empty()) {
      index = 0;
      while (index < active.size() && active[index].id != r.rule_id) ++index;
      if (index == active.size()) {
        return absl::NotFoundError(absl::StrCat("rule_id: no active routing rule ", r.rule_id));
      }
      criteria = active[index].criteria;
    } else {
      RETURN_IF_ERROR(CheckCriteria(tx, criteria));
      ASSIGN_OR_RETURN(index, domain::InsertIndex(r.position, active.size()));
    }
    active.resize(index);
    ASSIGN_OR_RETURN(std::vector<domain::RoutableSignal> signals,
                     store_->SignalsCreatedUnowned(tx, out.since, scope));
    out.run = domain::DryRunRule(active, criteria, signals);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::optional<domain::SignalEvent>> RouteNewSignal(Transaction& tx,
                                                                  store::RoutingStore& rules,
                                                                  domain::Signal& s) {
  using Routed = std::optional<domain::SignalEvent>;
  if (!s.owner_organisation_id.empty() || s.sensitivity == domain::Sensitivity::kJustice) {
    return Routed();
  }
  ASSIGN_OR_RETURN(std::vector<domain::RoutingRule> active, rules.ListActive(tx));
  const domain::RoutingRule* rule = domain::FirstMatch(active, s.category, s.opgave, s.wijk);
  if (rule == nullptr) return Routed();
  // The rule's team was checked when it was added and teams are never
  // deleted; checked again all the same, so that a rule gone wrong leaves
  // the signal to the regisseur instead of refusing the author's signal.
  absl::StatusOr<std::string> team = store::ResolveTeam(
      tx, "owner_organisation_id", rule->owner_organisation_id, "owner_team", rule->owner_team);
  if (team.status().code() == absl::StatusCode::kNotFound) return Routed();
  RETURN_IF_ERROR(team.status());
  s.owner_organisation_id = rule->owner_organisation_id;
  s.owner_team = *team;
  s.routed_by_rule_id = rule->id;
  s.routed_by_rule_version = rule->version;
  domain::SignalEvent e;
  e.kind = domain::SignalEventKind::kAssigned;
  e.time = s.create_time;
  e.owner_organisation_id = s.owner_organisation_id;
  e.owner_team = s.owner_team;
  e.rule_id = rule->id;
  e.rule_version = rule->version;
  return Routed(std::move(e));
}

}  // namespace schakel::app
