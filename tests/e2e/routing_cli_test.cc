// The regisseur's routing rules with the real CLI against a real schakeld:
// `schakel rules add | list | move | remove | dry-run`, in plain output and
// with --json (the proto3 JSON mapping of the response), a signal created
// without an owner routed by the first matching rule, and refusals as one
// line on stderr.
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/routing.pb.h"
#include "schakel/v1/signals.pb.h"
#include "tests/support/cli_support.h"
#include "tests/support/process.h"

namespace schakel {
namespace {

using ::schakel::testing::DemoCliTest;
using ::schakel::testing::FailsWith;
using ::schakel::testing::Result;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

class RoutingCliTest : public DemoCliTest {
 protected:
  std::string NewSignal(const std::string& category, const std::string& wijk) {
    return Create("brugfunctionaris",
                  {"signal", "create", "--category", category, "--wijk", wijk, "--place",
                   "Winkelcentrum", "--description", "Moeder vertelt over een achterstand"});
  }

  std::vector<v1::RoutingRule> List(bool removed = false) {
    std::vector<std::string> args = {"rules", "list"};
    if (removed) args.push_back("--include-removed");
    v1::ListRoutingRulesResponse out;
    if (!Json("regisseur", args, &out)) return {};
    return {out.rules().begin(), out.rules().end()};
  }
};

TEST_F(RoutingCliTest, TheRegisseurKeepsTheRulesThatRouteNewSignals) {
  // add: the new id alone; --json the RoutingRule.
  const std::string fz = Create("regisseur", {"rules", "add", "--opgave", "FZ", "--owner", "woej"});
  ASSERT_FALSE(fz.empty());
  v1::RoutingRule schulden;
  ASSERT_TRUE(Json("regisseur",
                   {"rules", "add", "--category", "FZ-SCHULDEN", "--wijk", "prinsenhof",
                    "--owner", "kredietbank", "--position", "1"},
                   &schulden));
  EXPECT_EQ(schulden.position(), 1);
  EXPECT_EQ(schulden.version(), 1);
  EXPECT_EQ(schulden.owner_team(), "intake");

  // list: a table in order; --json the response.
  Result table = Cli("regisseur", {"rules", "list"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  std::vector<std::string> lines = absl::StrSplit(table.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u) << table.out;
  EXPECT_THAT(lines[0], MatchesRegex("POS +ID +CATEGORY +OPGAVE +WIJK +OWNER +VERSION"));
  EXPECT_THAT(lines[1], MatchesRegex(" *1 +" + schulden.id() +
                                     " +FZ-SCHULDEN +- +prinsenhof +kredietbank/intake +1"));
  EXPECT_THAT(lines[2], MatchesRegex(" *2 +" + fz + " +- +FZ +- +woej/intake +2"));
  std::vector<v1::RoutingRule> rules = List();
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].id(), schulden.id());
  EXPECT_EQ(rules[1].id(), fz);
  EXPECT_EQ(rules[1].version(), 2);  // shifted by the add at position 1

  // A signal without an owner: routed by the first rule that matches.
  const std::string routed = NewSignal("FZ-SCHULDEN", "prinsenhof");
  v1::Signal s;
  ASSERT_TRUE(Json("regisseur", {"signal", "show", routed}, &s));
  EXPECT_EQ(s.owner_organisation_id(), "kredietbank");
  EXPECT_EQ(s.routed_by_rule_id(), schulden.id());
  EXPECT_EQ(s.routed_by_rule_version(), 1);
  Result shown = Cli("regisseur", {"signal", "show", routed});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("rule " + schulden.id() + " v1"));
  EXPECT_THAT(shown.out, HasSubstr("by routing rule " + schulden.id() + " v1"));

  // move (the etag read just before when none is given): the FZ rule
  // first; both shift, both get a new version.
  v1::RoutingRule moved;
  ASSERT_TRUE(Json("regisseur", {"rules", "move", fz, "--position", "1"}, &moved));
  EXPECT_EQ(moved.position(), 1);
  EXPECT_EQ(moved.version(), 3);
  EXPECT_EQ(List()[1].version(), 2);
  ASSERT_TRUE(Json("regisseur", {"signal", "show", NewSignal("FZ-SCHULDEN", "prinsenhof")}, &s));
  EXPECT_EQ(s.owner_organisation_id(), "woej");
  EXPECT_EQ(s.routed_by_rule_id(), fz);
  EXPECT_EQ(s.routed_by_rule_version(), 3);
  // A stale etag is ABORTED.
  EXPECT_THAT(Cli("regisseur", {"rules", "move", fz, "--position", "2", "--etag", "v1"}),
              FailsWith("ABORTED", HasSubstr("etag")));

  // dry-run: by criteria and by rule.
  v1::DryRunRoutingRuleResponse dry;
  ASSERT_TRUE(Json("regisseur", {"rules", "dry-run", "--wijk", "prinsenhof", "--days", "7"},
                   &dry));
  EXPECT_EQ(dry.matched(), 2);
  EXPECT_EQ(dry.taken_earlier(), 2);
  EXPECT_EQ(dry.signal_ids_size(), 2);
  Result plain = Cli("regisseur", {"rules", "dry-run", schulden.id(), "--days", "7"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_THAT(plain.out, HasSubstr("matched"));
  EXPECT_THAT(plain.out, MatchesRegex("(.|\n)*matched +2\n(.|\n)*"));
  EXPECT_THAT(plain.out, MatchesRegex("(.|\n)*taken earlier +2 (.|\n)*"));
  EXPECT_THAT(plain.out, HasSubstr(routed));

  // remove: kept as history, listed with --include-removed.
  v1::RoutingRule removed;
  ASSERT_TRUE(Json("regisseur", {"rules", "remove", schulden.id()}, &removed));
  EXPECT_TRUE(removed.removed());
  EXPECT_EQ(removed.position(), 0);
  EXPECT_EQ(List().size(), 1u);
  rules = List(/*removed=*/true);
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[1].id(), schulden.id());
  Result with_removed = Cli("regisseur", {"rules", "list", "--include-removed"});
  ASSERT_EQ(with_removed.exit_code, 0) << with_removed.err;
  EXPECT_THAT(with_removed.out, MatchesRegex("(.|\n)*removed +" + schulden.id() + "(.|\n)*"));
  ASSERT_TRUE(Json("regisseur", {"signal", "show", routed}, &s));
  EXPECT_EQ(s.routed_by_rule_id(), schulden.id());
}

TEST_F(RoutingCliTest, RefusalsAreOneLineNamingTheFieldOrTheRole) {
  // Checked before connecting.
  EXPECT_THAT(Cli("regisseur", {"rules", "add", "--owner", "woej"}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("--category")));
  EXPECT_THAT(Cli("regisseur", {"rules", "add", "--opgave", "FZ"}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("--owner is required")));
  EXPECT_THAT(Cli("regisseur", {"rules", "dry-run", "--opgave", "FZ"}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("--days is required")));
  EXPECT_THAT(Cli("regisseur", {"rules", "move", "rr-x", "--position", "eerste"}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("--position")));
  // By the server.
  EXPECT_THAT(Cli("regisseur", {"rules", "add", "--category", "FZ-ONBEKEND", "--owner", "woej"}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("category: not a code")));
  EXPECT_THAT(Cli("regisseur", {"rules", "add", "--opgave", "FZ", "--owner", "onbekend"}),
              FailsWith("NOT_FOUND", HasSubstr("owner_organisation_id")));
  EXPECT_THAT(Cli("regisseur", {"rules", "dry-run", "--opgave", "FZ", "--days", "400"}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("days: 1..365")));
  EXPECT_THAT(Cli("regisseur", {"rules", "remove", "rr-nosuchrule"}),
              FailsWith("NOT_FOUND", HasSubstr("no routing rule")));
  // Only the regisseur.
  for (const std::string user : {"partner-woej", "consultant", "auditor"}) {
    EXPECT_THAT(Cli(user, {"rules", "list"}),
                FailsWith("PERMISSION_DENIED", HasSubstr("regisseur")))
        << user;
    EXPECT_THAT(Cli(user, {"rules", "add", "--opgave", "FZ", "--owner", "woej"}),
                FailsWith("PERMISSION_DENIED", HasSubstr("regisseur")))
        << user;
  }
  EXPECT_TRUE(List(true).empty());
}

}  // namespace
}  // namespace schakel
