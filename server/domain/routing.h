// Routing rules (docs/design.md, "Routing rules"): an ordered list of
// rules, each naming a category, an opgave and/or a wijk and the owner
// organisation (and team) a matching signal goes to. A signal created
// without an owner is routed by the first active rule that matches it;
// none matching, it stays the regisseur's. A justice signal names its
// owner when it is created and is never routed.
//
// Every change of a rule — its position included — gives it a new
// version; a removed rule is kept (position 0) so that the signals it
// routed still name it. Pure code: no I/O, no clock.
#ifndef SCHAKEL_SERVER_DOMAIN_ROUTING_H_
#define SCHAKEL_SERVER_DOMAIN_ROUTING_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/domain/seed.h"

namespace schakel::domain {

// What a rule looks at; an empty field matches any value.
struct RoutingCriteria {
  std::string category;
  std::string opgave;
  std::string wijk;
};

struct RoutingRule {
  std::string id;
  // 1-based among the active rules; 0 once removed.
  int position = 0;
  int64_t version = 1;
  RoutingCriteria criteria;
  std::string owner_organisation_id;
  std::string owner_team;
  std::string created_by;
  absl::Time create_time;
  absl::Time update_time;
  // Set when removed.
  std::optional<absl::Time> remove_time;

  bool removed() const { return remove_time.has_value(); }
};

// The etag of a rule's version ("v3").
std::string RoutingRuleEtag(int64_t version);

struct NewRoutingRule {
  std::string request_id;
  RoutingCriteria criteria;
  std::string owner_organisation_id;
  std::string owner_team;  // empty: the owner organisation's intake team
  int position = 0;        // 0: at the end
};

// INVALID_ARGUMENT naming the field and the rule: each criterion set is a
// code (its existence in the taxonomy the caller checks against the
// store: `category` is the taxonomy entry of c.category, nullopt when the
// code is unknown), at least one is set, a justice category is refused
// (such a signal names its owner when created; no rule could route it),
// and a category with an opgave must be of that opgave (else the rule
// could never match).
absl::Status ValidateRoutingCriteria(const RoutingCriteria& c,
                                     const std::optional<SignalCategory>& category);
// As ValidateRoutingCriteria, and the request id, the owner organisation
// (required) and team, and the position (0 or more).
absl::Status ValidateNewRoutingRule(const NewRoutingRule& r,
                                    const std::optional<SignalCategory>& category);
std::string RequestFingerprint(const NewRoutingRule& r);

// Whether a signal of `category` (of `opgave`) in `wijk` meets every
// criterion that is set.
bool Matches(const RoutingCriteria& c, const std::string& category, const std::string& opgave,
             const std::string& wijk);
// The first rule of `rules` (in their order; removed ones skipped) that
// matches; nullptr when none does. First match wins.
const RoutingRule* FirstMatch(const std::vector<RoutingRule>& rules, const std::string& category,
                              const std::string& opgave, const std::string& wijk);

// The index (0-based) at which a rule goes into `active` rules when asked
// for `position`: 0 means the end; else 1..active+1. INVALID_ARGUMENT
// naming position otherwise.
absl::StatusOr<size_t> InsertIndex(int position, size_t active);
// The index a move to `position` (1..active) goes to; INVALID_ARGUMENT
// naming position otherwise.
absl::StatusOr<size_t> MoveIndex(int position, size_t active);

// Numbers the active rules `ordered` 1..n in their order: every rule whose
// position changes gets the next version and update time `now`. Answers
// the rules that changed (a new rule comes in with position 0 and version
// 0, and leaves as version 1), in order.
std::vector<RoutingRule> Renumber(std::vector<RoutingRule>& ordered, absl::Time now);
// `rule` removed at `now`: position 0, the next version.
RoutingRule Removed(RoutingRule rule, absl::Time now);

// A dry run asks at most this many days back, and answers at most this
// many signal ids.
inline constexpr int kMaxDryRunDays = 365;
inline constexpr size_t kMaxDryRunIds = 20;
// INVALID_ARGUMENT naming days unless 1..kMaxDryRunDays.
absl::Status ValidateDryRunDays(int days);

// A signal created without an owner, as a dry run sees it.
struct RoutableSignal {
  std::string id;
  std::string category;
  std::string opgave;
  std::string wijk;
  // Whether the caller may read it (only those ids are answered).
  bool readable = false;
};

struct DryRun {
  int matched = 0;
  // Of the matched, how many a rule of `earlier` matches first.
  int taken_earlier = 0;
  // Up to kMaxDryRunIds matched and readable ids, in the order given.
  std::vector<std::string> signal_ids;
};
// What `rule` would have matched among `signals` (newest first), with
// `earlier` the active rules before it.
DryRun DryRunRule(const std::vector<RoutingRule>& earlier, const RoutingCriteria& rule,
                  const std::vector<RoutableSignal>& signals);

}  // namespace schakel::domain

#endif  // SCHAKEL_SERVER_DOMAIN_ROUTING_H_
