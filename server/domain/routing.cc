#include "server/domain/routing.h"

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/domain/directory.h"
#include "server/domain/text.h"

namespace schakel::domain {

std::string RoutingRuleEtag(int64_t version) { return absl::StrCat("v", version); }

absl::Status ValidateRoutingCriteria(const RoutingCriteria& c,
                                     const std::optional<SignalCategory>& category) {
  if (c.category.empty() && c.opgave.empty() && c.wijk.empty()) {
    return absl::InvalidArgumentError(
        "category: a rule needs at least one criterion (category, opgave or wijk)");
  }
  if (!c.category.empty()) {
    RETURN_IF_ERROR(ValidateId("category", c.category));
    if (!category) {
      return absl::InvalidArgumentError("category: not a code of the signal taxonomy");
    }
    // A justice signal names its owner when it is created (design.md, "The
    // two limits"): a rule for its category could never route one.
    if (category->sensitivity == Sensitivity::kJustice) {
      return absl::InvalidArgumentError(
          "category: a justice signal names its owner when it is created; no rule routes it");
    }
  }
  if (!c.opgave.empty()) {
    RETURN_IF_ERROR(ValidateId("opgave", c.opgave));
    if (category && category->opgave != c.opgave) {
      return absl::InvalidArgumentError(absl::StrCat(
          "opgave: the category belongs to opgave ", category->opgave,
          "; a rule naming both would never match"));
    }
  }
  if (!c.wijk.empty()) RETURN_IF_ERROR(ValidateId("wijk", c.wijk));
  return absl::OkStatus();
}

absl::Status ValidateNewRoutingRule(const NewRoutingRule& r,
                                    const std::optional<SignalCategory>& category) {
  RETURN_IF_ERROR(ValidateRequestId("request_id", r.request_id));
  RETURN_IF_ERROR(ValidateRoutingCriteria(r.criteria, category));
  if (r.owner_organisation_id.empty()) {
    return absl::InvalidArgumentError("owner_organisation_id: required");
  }
  RETURN_IF_ERROR(ValidateId("owner_organisation_id", r.owner_organisation_id));
  if (!r.owner_team.empty()) RETURN_IF_ERROR(ValidateTeamId("owner_team", r.owner_team));
  if (r.position < 0) return absl::InvalidArgumentError("position: 0 (the end) or more");
  return absl::OkStatus();
}

std::string RequestFingerprint(const NewRoutingRule& r) {
  return CanonicalFields({r.criteria.category, r.criteria.opgave, r.criteria.wijk,
                          r.owner_organisation_id, r.owner_team, absl::StrCat(r.position)});
}

bool Matches(const RoutingCriteria& c, const std::string& category, const std::string& opgave,
             const std::string& wijk) {
  return (c.category.empty() || c.category == category) &&
         (c.opgave.empty() || c.opgave == opgave) && (c.wijk.empty() || c.wijk == wijk);
}

const RoutingRule* FirstMatch(const std::vector<RoutingRule>& rules, const std::string& category,
                              const std::string& opgave, const std::string& wijk) {
  for (const RoutingRule& r : rules) {
    if (!r.removed() && Matches(r.criteria, category, opgave, wijk)) return &r;
  }
  return nullptr;
}

absl::StatusOr<size_t> InsertIndex(int position, size_t active) {
  if (position == 0) return active;
  if (position < 0 || static_cast<size_t>(position) > active + 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("position: 1..", active + 1, ", or 0 for the end"));
  }
  return static_cast<size_t>(position - 1);
}

absl::StatusOr<size_t> MoveIndex(int position, size_t active) {
  if (position < 1 || static_cast<size_t>(position) > active) {
    return absl::InvalidArgumentError(absl::StrCat("position: 1..", active));
  }
  return static_cast<size_t>(position - 1);
}

std::vector<RoutingRule> Renumber(std::vector<RoutingRule>& ordered, absl::Time now) {
  std::vector<RoutingRule> changed;
  for (size_t i = 0; i < ordered.size(); ++i) {
    RoutingRule& r = ordered[i];
    const int position = static_cast<int>(i + 1);
    if (r.position == position) continue;
    r.position = position;
    r.version += 1;
    r.update_time = now;
    changed.push_back(r);
  }
  return changed;
}

RoutingRule Removed(RoutingRule rule, absl::Time now) {
  rule.position = 0;
  rule.version += 1;
  rule.update_time = now;
  rule.remove_time = now;
  return rule;
}

absl::Status ValidateDryRunDays(int days) {
  if (days < 1 || days > kMaxDryRunDays) {
    return absl::InvalidArgumentError(absl::StrCat("days: 1..", kMaxDryRunDays));
  }
  return absl::OkStatus();
}

DryRun DryRunRule(const std::vector<RoutingRule>& earlier, const RoutingCriteria& rule,
                  const std::vector<RoutableSignal>& signals) {
  DryRun out;
  for (const RoutableSignal& s : signals) {
    if (!Matches(rule, s.category, s.opgave, s.wijk)) continue;
    ++out.matched;
    if (FirstMatch(earlier, s.category, s.opgave, s.wijk) != nullptr) ++out.taken_earlier;
    if (s.readable && out.signal_ids.size() < kMaxDryRunIds) out.signal_ids.push_back(s.id);
  }
  return out;
}

}  // namespace schakel::domain
