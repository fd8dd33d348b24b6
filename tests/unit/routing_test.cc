// Routing rules (server/domain/routing.h) as tables: which rule a signal
// meets first, what the criteria accept, how the order is renumbered and
// versioned, and what a dry run counts.
#include "server/domain/routing.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace schakel::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

RoutingRule Rule(const std::string& id, int position, RoutingCriteria c,
                 const std::string& owner = "woej") {
  RoutingRule r;
  r.id = id;
  r.position = position;
  r.version = 1;
  r.criteria = std::move(c);
  r.owner_organisation_id = owner;
  r.owner_team = "intake";
  return r;
}

std::vector<std::string> Ids(const std::vector<RoutingRule>& rules) {
  std::vector<std::string> out;
  for (const RoutingRule& r : rules) out.push_back(r.id);
  return out;
}

// Every combination of criteria against signals that differ in one
// field: a set criterion must equal the signal's value, an empty one
// matches anything.
TEST(RoutingTest, CriteriaMatchEveryFieldThatIsSet) {
  struct Case {
    RoutingCriteria criteria;
    std::string category, opgave, wijk;
    bool matches;
  };
  const Case cases[] = {
      {{"FZ-SCHULDEN", "", ""}, "FZ-SCHULDEN", "FZ", "prinsenhof", true},
      {{"FZ-SCHULDEN", "", ""}, "FZ-RONDKOMEN", "FZ", "prinsenhof", false},
      {{"", "FZ", ""}, "FZ-RONDKOMEN", "FZ", "prinsenhof", true},
      {{"", "FZ", ""}, "JO-ARMOEDE", "JO", "prinsenhof", false},
      {{"", "", "prinsenhof"}, "JO-ARMOEDE", "JO", "prinsenhof", true},
      {{"", "", "prinsenhof"}, "JO-ARMOEDE", "JO", "heuvel-amstelwijk", false},
      {{"FZ-SCHULDEN", "", "prinsenhof"}, "FZ-SCHULDEN", "FZ", "prinsenhof", true},
      {{"FZ-SCHULDEN", "", "prinsenhof"}, "FZ-SCHULDEN", "FZ", "heuvel-amstelwijk", false},
      {{"FZ-SCHULDEN", "", "prinsenhof"}, "FZ-RONDKOMEN", "FZ", "prinsenhof", false},
      {{"", "FZ", "heuvel-amstelwijk"}, "FZ-SCHULDEN", "FZ", "heuvel-amstelwijk", true},
      {{"", "FZ", "heuvel-amstelwijk"}, "FZ-SCHULDEN", "FZ", "prinsenhof", false},
      {{"FZ-SCHULDEN", "FZ", "prinsenhof"}, "FZ-SCHULDEN", "FZ", "prinsenhof", true},
      {{"FZ-SCHULDEN", "FZ", "prinsenhof"}, "FZ-SCHULDEN", "FZ", "heuvel-amstelwijk", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Matches(c.criteria, c.category, c.opgave, c.wijk), c.matches)
        << c.criteria.category << "/" << c.criteria.opgave << "/" << c.criteria.wijk << " vs "
        << c.category << "/" << c.opgave << "/" << c.wijk;
  }
}

// The order decides: the first rule that matches wins, a removed rule
// never does, and no match is nullptr (the signal stays the regisseur's).
TEST(RoutingTest, FirstMatchWinsInOrder) {
  std::vector<RoutingRule> rules = {
      Rule("rr-schulden-prinsenhof", 1, {"FZ-SCHULDEN", "", "prinsenhof"}, "kredietbank"),
      Rule("rr-fz", 2, {"", "FZ", ""}, "sociaal-servicepunt"),
      Rule("rr-heuvel", 3, {"", "", "heuvel-amstelwijk"}, "woej"),
  };
  RoutingRule removed = Rule("rr-removed", 0, {"", "JO", ""}, "jgz");
  removed.remove_time = absl::UnixEpoch();
  rules.insert(rules.begin(), removed);
  struct Case {
    std::string category, opgave, wijk;
    const char* expected;  // nullptr: no rule
  };
  const Case cases[] = {
      {"FZ-SCHULDEN", "FZ", "prinsenhof", "rr-schulden-prinsenhof"},
      {"FZ-SCHULDEN", "FZ", "heuvel-amstelwijk", "rr-fz"},  // rr-fz before rr-heuvel
      {"FZ-RONDKOMEN", "FZ", "prinsenhof", "rr-fz"},
      {"JO-ARMOEDE", "JO", "heuvel-amstelwijk", "rr-heuvel"},
      {"JO-ARMOEDE", "JO", "prinsenhof", nullptr},  // only the removed rule matches
      {"FVW-RATTEN", "FVW", "prinsenhof", nullptr},
  };
  for (const Case& c : cases) {
    const RoutingRule* r = FirstMatch(rules, c.category, c.opgave, c.wijk);
    if (c.expected == nullptr) {
      EXPECT_EQ(r, nullptr) << c.category << " " << c.wijk << " matched " << r->id;
    } else {
      ASSERT_NE(r, nullptr) << c.category << " " << c.wijk;
      EXPECT_EQ(r->id, c.expected) << c.category << " " << c.wijk;
    }
  }
  EXPECT_EQ(FirstMatch({}, "FZ-SCHULDEN", "FZ", "prinsenhof"), nullptr);
}

// What a rule may name, each refusal naming its field and the rule.
TEST(RoutingTest, CriteriaValidationNamesTheField) {
  const SignalCategory schulden{"FZ-SCHULDEN", "Schulden", "Debts", "FZ", Sensitivity::kSensitive};
  const SignalCategory criminaliteit{"FVW-CRIMINALITEIT", "Criminaliteit", "Crime", "FVW",
                                     Sensitivity::kJustice};
  const SignalCategory ggz{"FVW-GGZ", "GGZ", "Mental health", "FVW", Sensitivity::kHealth};
  struct Case {
    RoutingCriteria criteria;
    std::optional<SignalCategory> category;
    std::string error;  // empty: valid
  };
  const Case cases[] = {
      {{"FZ-SCHULDEN", "", ""}, schulden, ""},
      {{"FZ-SCHULDEN", "FZ", "prinsenhof"}, schulden, ""},
      {{"", "FZ", ""}, std::nullopt, ""},
      {{"", "", "prinsenhof"}, std::nullopt, ""},
      // Health signals are routed like any other (the owner team sees the
      // frame; the content stays under the health limit).
      {{"FVW-GGZ", "", ""}, ggz, ""},
      {{"", "", ""}, std::nullopt, "category: a rule needs at least one criterion"},
      {{"FZ-ONBEKEND", "", ""}, std::nullopt, "category: not a code of the signal taxonomy"},
      {{"FZ SCHULDEN", "", ""}, std::nullopt, "category:"},
      {{"FVW-CRIMINALITEIT", "", ""}, criminaliteit, "category: a justice signal names its owner"},
      {{"FZ-SCHULDEN", "JO", ""}, schulden, "opgave: the category belongs to opgave FZ"},
      {{"", "F Z", ""}, std::nullopt, "opgave:"},
      {{"", "", "prinsen hof"}, std::nullopt, "wijk:"},
  };
  for (const Case& c : cases) {
    absl::Status s = ValidateRoutingCriteria(c.criteria, c.category);
    const std::string label =
        c.criteria.category + "/" + c.criteria.opgave + "/" + c.criteria.wijk;
    if (c.error.empty()) {
      EXPECT_TRUE(s.ok()) << label << ": " << s;
    } else {
      EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << label;
      EXPECT_THAT(std::string(s.message()), HasSubstr(c.error)) << label;
    }
  }
}

TEST(RoutingTest, NewRuleNeedsRequestIdOwnerAndAPosition) {
  const SignalCategory schulden{"FZ-SCHULDEN", "Schulden", "Debts", "FZ", Sensitivity::kSensitive};
  NewRoutingRule ok;
  ok.request_id = "req-rule-0001";
  ok.criteria = {"FZ-SCHULDEN", "", ""};
  ok.owner_organisation_id = "kredietbank";
  EXPECT_TRUE(ValidateNewRoutingRule(ok, schulden).ok());
  struct Case {
    void (*mutate)(NewRoutingRule&);
    std::string error;
  };
  const Case cases[] = {
      {[](NewRoutingRule& r) { r.request_id = ""; }, "request_id:"},
      {[](NewRoutingRule& r) { r.owner_organisation_id = ""; }, "owner_organisation_id: required"},
      {[](NewRoutingRule& r) { r.owner_organisation_id = "krediet bank"; },
       "owner_organisation_id:"},
      {[](NewRoutingRule& r) { r.owner_team = "Team A!"; }, "owner_team:"},
      {[](NewRoutingRule& r) { r.position = -1; }, "position:"},
  };
  for (const Case& c : cases) {
    NewRoutingRule r = ok;
    c.mutate(r);
    absl::Status s = ValidateNewRoutingRule(r, schulden);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.error;
    EXPECT_THAT(std::string(s.message()), HasSubstr(c.error));
  }
  // The fingerprint tells two different requests apart.
  NewRoutingRule other = ok;
  other.position = 1;
  EXPECT_NE(RequestFingerprint(ok), RequestFingerprint(other));
}

TEST(RoutingTest, PositionsAreOneBasedWithZeroTheEnd) {
  struct Case {
    int position;
    size_t active;
    int insert;  // -1: refused
    int move;    // -1: refused
  };
  const Case cases[] = {
      {0, 0, 0, -1}, {1, 0, 0, -1}, {2, 0, -1, -1}, {0, 3, 3, -1}, {1, 3, 0, 0},
      {3, 3, 2, 2},  {4, 3, 3, -1}, {5, 3, -1, -1}, {-1, 3, -1, -1},
  };
  for (const Case& c : cases) {
    absl::StatusOr<size_t> insert = InsertIndex(c.position, c.active);
    absl::StatusOr<size_t> move = MoveIndex(c.position, c.active);
    if (c.insert < 0) {
      EXPECT_EQ(insert.status().code(), absl::StatusCode::kInvalidArgument) << c.position;
      EXPECT_THAT(std::string(insert.status().message()), HasSubstr("position: 1.."));
    } else {
      ASSERT_TRUE(insert.ok()) << c.position << " of " << c.active;
      EXPECT_EQ(*insert, static_cast<size_t>(c.insert));
    }
    if (c.move < 0) {
      EXPECT_EQ(move.status().code(), absl::StatusCode::kInvalidArgument) << c.position;
    } else {
      ASSERT_TRUE(move.ok()) << c.position << " of " << c.active;
      EXPECT_EQ(*move, static_cast<size_t>(c.move));
    }
  }
}

// Every rule whose position changes gets a new version: a move bumps the
// moved rule and the ones it passes, and nothing else.
TEST(RoutingTest, RenumberVersionsEveryRuleWhosePositionChanges) {
  const absl::Time now = absl::FromUnixSeconds(1795424400);
  std::vector<RoutingRule> active = {Rule("a", 1, {"", "FZ", ""}), Rule("b", 2, {"", "JO", ""}),
                                     Rule("c", 3, {"", "JG", ""}), Rule("d", 4, {"", "FVW", ""})};
  // Move c to the front: c, a, b change; d stays.
  std::vector<RoutingRule> moved = active;
  RoutingRule c = moved[2];
  moved.erase(moved.begin() + 2);
  moved.insert(moved.begin(), c);
  std::vector<RoutingRule> changed = Renumber(moved, now);
  EXPECT_THAT(Ids(changed), ElementsAre("c", "a", "b"));
  EXPECT_THAT(Ids(moved), ElementsAre("c", "a", "b", "d"));
  for (size_t i = 0; i < moved.size(); ++i) {
    EXPECT_EQ(moved[i].position, static_cast<int>(i + 1));
    EXPECT_EQ(moved[i].version, moved[i].id == "d" ? 1 : 2) << moved[i].id;
    EXPECT_EQ(moved[i].update_time, moved[i].id == "d" ? absl::Time() : now);
  }
  // A new rule (position 0, version 0) inserted second becomes version 1;
  // the ones after it shift.
  std::vector<RoutingRule> added = active;
  RoutingRule fresh = Rule("new", 0, {"", "", "prinsenhof"});
  fresh.version = 0;
  added.insert(added.begin() + 1, fresh);
  changed = Renumber(added, now);
  EXPECT_THAT(Ids(changed), ElementsAre("new", "b", "c", "d"));
  EXPECT_EQ(added[1].version, 1);
  EXPECT_EQ(added[1].position, 2);
  // Nothing moves: nothing changes.
  std::vector<RoutingRule> same = active;
  EXPECT_TRUE(Renumber(same, now).empty());
  // A removal: position 0, the next version, the time it happened.
  RoutingRule gone = Removed(active[1], now);
  EXPECT_TRUE(gone.removed());
  EXPECT_EQ(gone.position, 0);
  EXPECT_EQ(gone.version, 2);
  EXPECT_EQ(*gone.remove_time, now);
  std::vector<RoutingRule> rest = {active[0], active[2], active[3]};
  EXPECT_THAT(Ids(Renumber(rest, now)), ElementsAre("c", "d"));
  EXPECT_EQ(RoutingRuleEtag(3), "v3");
}

TEST(RoutingTest, DryRunCountsMatchesAndThoseAnEarlierRuleTakes) {
  const std::vector<RoutingRule> earlier = {Rule("rr-heuvel", 1, {"", "", "heuvel-amstelwijk"})};
  std::vector<RoutableSignal> signals = {
      {"s1", "FZ-SCHULDEN", "FZ", "prinsenhof", true},
      {"s2", "FZ-SCHULDEN", "FZ", "heuvel-amstelwijk", true},  // rr-heuvel takes it
      {"s3", "FZ-RONDKOMEN", "FZ", "prinsenhof", false},       // matches, not readable
      {"s4", "JO-ARMOEDE", "JO", "prinsenhof", true},          // no match
  };
  DryRun run = DryRunRule(earlier, {"", "FZ", ""}, signals);
  EXPECT_EQ(run.matched, 3);
  EXPECT_EQ(run.taken_earlier, 1);
  EXPECT_THAT(run.signal_ids, ElementsAre("s1", "s2"));
  // As the first rule, nothing is taken before it.
  run = DryRunRule({}, {"", "FZ", ""}, signals);
  EXPECT_EQ(run.taken_earlier, 0);
  // At most kMaxDryRunIds ids, every match counted.
  std::vector<RoutableSignal> many;
  for (int i = 0; i < 30; ++i) many.push_back({"s" + std::to_string(i), "FZ-SCHULDEN", "FZ",
                                               "prinsenhof", true});
  run = DryRunRule({}, {"FZ-SCHULDEN", "", ""}, many);
  EXPECT_EQ(run.matched, 30);
  EXPECT_EQ(run.signal_ids.size(), kMaxDryRunIds);
  EXPECT_EQ(run.signal_ids.front(), "s0");
  // The window.
  for (int days : {1, 30, 365}) EXPECT_TRUE(ValidateDryRunDays(days).ok()) << days;
  for (int days : {0, -1, 366}) {
    absl::Status s = ValidateDryRunDays(days);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << days;
    EXPECT_THAT(std::string(s.message()), HasSubstr("days: 1..365"));
  }
}

}  // namespace
}  // namespace schakel::domain
