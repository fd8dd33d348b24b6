// RoutingService over the real server (TLS on loopback, a real SQLCipher
// demo deployment): the regisseur's ordered rules route a signal created
// without an owner by the first match, in the same transaction, and the
// signal names the rule and its version; moves and removals renumber and
// version the rules; a removed rule stays as history; only the regisseur
// manages rules; bad input names its field; a dry run counts what a rule
// would have matched.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/audit.grpc.pb.h"
#include "schakel/v1/routing.grpc.pb.h"
#include "tests/integration/case_fixture.h"

namespace schakel::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;
using C = grpc::StatusCode;

class RoutingTest : public CasesTest {
 protected:
  std::unique_ptr<v1::RoutingService::Stub> Routing(const std::string& user) {
    return v1::RoutingService::NewStub(
        MakeChannel(server_->address(), LoadIdentity(paths_->UserDir(user))));
  }

  grpc::Status Add(v1::RoutingService::Stub& stub, v1::AddRoutingRuleRequest req,
                   v1::RoutingRule* out) {
    if (req.request_id().empty()) req.set_request_id(Rid("rule"));
    Ctx ctx;
    return stub.AddRoutingRule(ctx.get(), req, out);
  }

  v1::RoutingRule AddOk(const std::string& category, const std::string& opgave,
                        const std::string& wijk, const std::string& owner,
                        const std::string& owner_team = "", int position = 0) {
    v1::AddRoutingRuleRequest req;
    req.set_category(category);
    req.set_opgave(opgave);
    req.set_wijk(wijk);
    req.set_owner_organisation_id(owner);
    req.set_owner_team(owner_team);
    req.set_position(position);
    v1::RoutingRule out;
    grpc::Status s = Add(*regisseur_, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  std::vector<v1::RoutingRule> Rules(bool include_removed = false) {
    v1::ListRoutingRulesRequest req;
    req.set_include_removed(include_removed);
    v1::ListRoutingRulesResponse out;
    Ctx ctx;
    grpc::Status s = regisseur_->ListRoutingRules(ctx.get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {out.rules().begin(), out.rules().end()};
  }

  v1::RoutingRule Rule(const std::string& id) {
    for (const v1::RoutingRule& r : Rules(true)) {
      if (r.id() == id) return r;
    }
    ADD_FAILURE() << "no rule " << id;
    return {};
  }

  grpc::Status Move(const std::string& id, const std::string& etag, int position,
                    v1::RoutingRule* out) {
    v1::MoveRoutingRuleRequest req;
    req.set_id(id);
    req.set_etag(etag);
    req.set_position(position);
    Ctx ctx;
    return regisseur_->MoveRoutingRule(ctx.get(), req, out);
  }

  grpc::Status Remove(const std::string& id, const std::string& etag, v1::RoutingRule* out) {
    v1::RemoveRoutingRuleRequest req;
    req.set_id(id);
    req.set_etag(etag);
    Ctx ctx;
    return regisseur_->RemoveRoutingRule(ctx.get(), req, out);
  }

  grpc::Status DryRun(const v1::DryRunRoutingRuleRequest& req,
                      v1::DryRunRoutingRuleResponse* out) {
    Ctx ctx;
    return regisseur_->DryRunRoutingRule(ctx.get(), req, out);
  }

  // A signal in `wijk` as the brugfunctionaris records it (no owner unless
  // given).
  v1::Signal Signal(const std::string& category, const std::string& wijk,
                    const std::string& owner = "") {
    v1::CreateSignalRequest req;
    req.set_request_id(Rid("sig"));
    req.set_category(category);
    req.set_wijk(wijk);
    req.set_place("Winkelcentrum");
    req.set_description("Moeder vertelt over betalingsachterstand");
    req.set_owner_organisation_id(owner);
    v1::Signal out;
    Ctx ctx;
    As bridge = Who("brugfunctionaris");
    grpc::Status s = bridge.signals->CreateSignal(&ctx, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  v1::Signal Get(As& who, const std::string& id, grpc::Status* status = nullptr) {
    v1::GetSignalRequest req;
    req.set_id(id);
    v1::Signal out;
    Ctx ctx;
    grpc::Status s = who.signals->GetSignal(&ctx, req, &out);
    if (status != nullptr) *status = s;
    return out;
  }

  void SetUp() override {
    CasesTest::SetUp();
    regisseur_ = Routing("regisseur");
  }

  std::unique_ptr<v1::RoutingService::Stub> regisseur_;
};

TEST_F(RoutingTest, ASignalWithoutOwnerIsRoutedByTheFirstMatchingRule) {
  const v1::RoutingRule schulden = AddOk("FZ-SCHULDEN", "", "prinsenhof", "kredietbank");
  const v1::RoutingRule fz = AddOk("", "FZ", "", "woej");
  const v1::RoutingRule werk = AddOk("FZ-WERK-PARTICIPATIE", "", "", "gemeente-lv",
                                     "werk-en-inkomen");
  EXPECT_EQ(schulden.position(), 1);
  EXPECT_EQ(fz.position(), 2);
  EXPECT_EQ(werk.position(), 3);
  EXPECT_EQ(schulden.version(), 1);
  EXPECT_EQ(schulden.etag(), "v1");
  EXPECT_EQ(schulden.owner_team(), "intake");  // resolved when added
  EXPECT_FALSE(schulden.removed());
  EXPECT_THAT(Rules(), ::testing::SizeIs(3));

  // Both the first and the second rule match: the first wins.
  v1::Signal first = Signal("FZ-SCHULDEN", "prinsenhof");
  EXPECT_EQ(first.owner_organisation_id(), "kredietbank");
  EXPECT_EQ(first.owner_team(), "intake");
  EXPECT_EQ(first.routed_by_rule_id(), schulden.id());
  EXPECT_EQ(first.routed_by_rule_version(), 1);
  // Only the second matches (another wijk).
  v1::Signal second = Signal("FZ-SCHULDEN", "heuvel-amstelwijk");
  EXPECT_EQ(second.owner_organisation_id(), "woej");
  EXPECT_EQ(second.routed_by_rule_id(), fz.id());
  // A rule's team: the signal goes to that team.
  v1::Signal third = Signal("FZ-WERK-PARTICIPATIE", "prinsenhof");
  EXPECT_EQ(third.routed_by_rule_id(), fz.id());  // the opgave rule comes first
  // No rule matches: it stays the regisseur's.
  v1::Signal none = Signal("JO-ARMOEDE", "prinsenhof");
  EXPECT_EQ(none.owner_organisation_id(), "");
  EXPECT_EQ(none.routed_by_rule_id(), "");
  EXPECT_EQ(none.routed_by_rule_version(), 0);
  // An owner named by the author: no rule is asked.
  v1::Signal named = Signal("FZ-SCHULDEN", "prinsenhof", "vidomes");
  EXPECT_EQ(named.owner_organisation_id(), "vidomes");
  EXPECT_EQ(named.routed_by_rule_id(), "");

  // The timeline: created without an owner, then assigned by the rule (no
  // actor), as the owner team reads it — routing gave woej the signal.
  As woej = Who("partner-woej");
  grpc::Status read;
  v1::Signal seen = Get(woej, second.id(), &read);
  ASSERT_TRUE(read.ok()) << read.error_message();
  EXPECT_EQ(seen.routed_by_rule_id(), fz.id());
  ASSERT_EQ(seen.timeline_size(), 2);
  EXPECT_EQ(seen.timeline(0).kind(), v1::TimelineEvent::KIND_CREATED);
  EXPECT_EQ(seen.timeline(0).owner_organisation_id(), "");
  EXPECT_EQ(seen.timeline(1).kind(), v1::TimelineEvent::KIND_ASSIGNED);
  EXPECT_EQ(seen.timeline(1).actor_id(), "");
  EXPECT_EQ(seen.timeline(1).owner_organisation_id(), "woej");
  EXPECT_EQ(seen.timeline(1).owner_team(), "intake");
  EXPECT_EQ(seen.timeline(1).routed_by_rule_id(), fz.id());
  EXPECT_EQ(seen.timeline(1).routed_by_rule_version(), 1);
  // The unrouted one is not woej's to read.
  EXPECT_EQ(Get(woej, none.id(), &read).id(), "");
  EXPECT_EQ(read.error_code(), C::NOT_FOUND);
  // A signal whose author named the owner has no assignment event.
  As regisseur = Who("regisseur");
  EXPECT_EQ(Get(regisseur, named.id()).timeline_size(), 1);

  // A rule that names a team routes to it.
  v1::Signal to_team = Signal("FZ-WERK-PARTICIPATIE", "heuvel-amstelwijk");
  EXPECT_EQ(to_team.routed_by_rule_id(), fz.id());
  v1::RoutingRule moved;
  ASSERT_TRUE(Move(werk.id(), werk.etag(), 1, &moved).ok());
  v1::Signal werk_signal = Signal("FZ-WERK-PARTICIPATIE", "heuvel-amstelwijk");
  EXPECT_EQ(werk_signal.owner_organisation_id(), "gemeente-lv");
  EXPECT_EQ(werk_signal.owner_team(), "werk-en-inkomen");
  EXPECT_EQ(werk_signal.routed_by_rule_id(), werk.id());
  EXPECT_EQ(werk_signal.routed_by_rule_version(), 2);

  // Every change is in the audit log as the regisseur's, on routing_rule.
  auto auditor = v1::AuditService::NewStub(
      MakeChannel(server_->address(), LoadIdentity(paths_->UserDir("auditor"))));
  v1::QueryAuditRequest q;
  q.set_action("RoutingService.AddRoutingRule");
  v1::QueryAuditResponse entries;
  Ctx ctx;
  ASSERT_TRUE(auditor->QueryAudit(ctx.get(), q, &entries).ok());
  std::vector<std::string> ids;
  for (const v1::AuditEntry& e : entries.entries()) {
    EXPECT_EQ(e.resource_type(), "routing_rule");
    EXPECT_EQ(e.outcome(), "allowed");
    ids.push_back(e.resource_id());
  }
  EXPECT_THAT(ids, UnorderedElementsAre(schulden.id(), fz.id(), werk.id()));
}

// A rule sets the owner exactly as the regisseur's assignment would and
// widens nothing else: the owner team of a routed health signal sees its
// frame, never its content (the health limit is the policy's).
TEST_F(RoutingTest, ARoutedHealthSignalStaysUnderTheHealthLimit) {
  const v1::RoutingRule fvw = AddOk("", "FVW", "", "woej");
  const v1::Signal health = Signal("FVW-GGZ", "prinsenhof");
  ASSERT_EQ(health.routed_by_rule_id(), fvw.id());
  As woej = Who("partner-woej");
  grpc::Status read;
  const v1::Signal seen = Get(woej, health.id(), &read);
  ASSERT_TRUE(read.ok()) << read.error_message();
  EXPECT_TRUE(seen.content_withheld());
  EXPECT_EQ(seen.description(), "");
  EXPECT_EQ(seen.owner_organisation_id(), "woej");
  EXPECT_EQ(seen.routed_by_rule_id(), fvw.id());
  // Its author still reads it all.
  As bridge = Who("brugfunctionaris");
  const v1::Signal own = Get(bridge, health.id(), &read);
  ASSERT_TRUE(read.ok()) << read.error_message();
  EXPECT_FALSE(own.content_withheld());
  EXPECT_EQ(own.description(), "Moeder vertelt over betalingsachterstand");
}

TEST_F(RoutingTest, AMoveChangesWhichRuleWinsAndVersionsEveryRuleItShifts) {
  const v1::RoutingRule a = AddOk("FZ-SCHULDEN", "", "", "kredietbank");
  const v1::RoutingRule b = AddOk("", "FZ", "", "woej");
  const v1::RoutingRule c = AddOk("", "", "heuvel-amstelwijk", "vidomes");
  EXPECT_EQ(Signal("FZ-SCHULDEN", "prinsenhof").routed_by_rule_id(), a.id());

  v1::RoutingRule moved;
  grpc::Status s = Move(b.id(), b.etag(), 1, &moved);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(moved.position(), 1);
  EXPECT_EQ(moved.version(), 2);
  EXPECT_EQ(moved.etag(), "v2");
  std::vector<v1::RoutingRule> rules = Rules();
  ASSERT_EQ(rules.size(), 3u);
  EXPECT_EQ(rules[0].id(), b.id());
  EXPECT_EQ(rules[1].id(), a.id());
  EXPECT_EQ(rules[1].position(), 2);
  EXPECT_EQ(rules[1].version(), 2);  // shifted: a new version too
  EXPECT_EQ(rules[2].id(), c.id());
  EXPECT_EQ(rules[2].version(), 1);  // untouched
  v1::Signal routed = Signal("FZ-SCHULDEN", "prinsenhof");
  EXPECT_EQ(routed.routed_by_rule_id(), b.id());
  EXPECT_EQ(routed.routed_by_rule_version(), 2);

  // The etag a's client held is stale now: ABORTED, nothing moves.
  s = Move(a.id(), a.etag(), 1, &moved);
  EXPECT_EQ(s.error_code(), C::ABORTED);
  EXPECT_THAT(s.error_message(), HasSubstr("etag"));
  EXPECT_EQ(Rules()[0].id(), b.id());
  // Moving to where it is changes nothing.
  s = Move(c.id(), c.etag(), 3, &moved);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(moved.version(), 1);
  // A position outside 1..3.
  s = Move(c.id(), c.etag(), 4, &moved);
  EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("position: 1..3"));
  s = Move(c.id(), c.etag(), 0, &moved);
  EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("position"));
  s = Move(c.id(), "", 1, &moved);
  EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("etag: required"));
  // Adding at a position shifts the rules from there on.
  const v1::RoutingRule d = AddOk("", "", "prinsenhof", "woej", "", 2);
  EXPECT_EQ(d.position(), 2);
  rules = Rules();
  ASSERT_EQ(rules.size(), 4u);
  EXPECT_EQ(rules[1].id(), d.id());
  EXPECT_EQ(rules[2].id(), a.id());
  EXPECT_EQ(rules[2].version(), 3);
  EXPECT_EQ(rules[3].version(), 2);
}

TEST_F(RoutingTest, ARemovedRuleIsKeptAndItsSignalsStillNameIt) {
  const v1::RoutingRule a = AddOk("", "FZ", "", "woej");
  const v1::RoutingRule b = AddOk("", "", "prinsenhof", "vidomes");
  const v1::Signal routed = Signal("FZ-SCHULDEN", "prinsenhof");
  ASSERT_EQ(routed.routed_by_rule_id(), a.id());

  v1::RoutingRule removed;
  grpc::Status s = Remove(a.id(), a.etag(), &removed);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(removed.removed());
  EXPECT_EQ(removed.position(), 0);
  EXPECT_EQ(removed.version(), 2);
  EXPECT_TRUE(removed.has_remove_time());
  // The rest moves up (a new version); the removed rule is listed only
  // when asked for, after the active ones.
  std::vector<v1::RoutingRule> active = Rules();
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0].id(), b.id());
  EXPECT_EQ(active[0].position(), 1);
  EXPECT_EQ(active[0].version(), 2);
  std::vector<v1::RoutingRule> all = Rules(true);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].id(), a.id());
  EXPECT_TRUE(all[1].removed());
  EXPECT_EQ(all[1].category(), "");
  EXPECT_EQ(all[1].opgave(), "FZ");
  // It routes no more; the signal it routed still names it.
  EXPECT_EQ(Signal("FZ-SCHULDEN", "prinsenhof").routed_by_rule_id(), b.id());
  EXPECT_EQ(Signal("FZ-SCHULDEN", "heuvel-amstelwijk").owner_organisation_id(), "");
  As regisseur = Who("regisseur");
  v1::Signal again = Get(regisseur, routed.id());
  EXPECT_EQ(again.routed_by_rule_id(), a.id());
  EXPECT_EQ(again.routed_by_rule_version(), 1);

  // A removed rule changes no more; an unknown one is not found.
  v1::RoutingRule out;
  s = Remove(a.id(), removed.etag(), &out);
  EXPECT_EQ(s.error_code(), C::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("removed"));
  s = Move(a.id(), removed.etag(), 1, &out);
  EXPECT_EQ(s.error_code(), C::FAILED_PRECONDITION);
  s = Remove("rr-nosuchrule", "v1", &out);
  EXPECT_EQ(s.error_code(), C::NOT_FOUND);
  EXPECT_THAT(s.error_message(), HasSubstr("id: no routing rule"));
  s = Remove(b.id(), "v1", &out);  // b is at v2 since a's removal
  EXPECT_EQ(s.error_code(), C::ABORTED);
}

// Only the regisseur: every other role is refused, each refusal audited.
TEST_F(RoutingTest, OnlyTheRegisseurManagesRulesAndRunsDryRuns) {
  const v1::RoutingRule rule = AddOk("", "FZ", "", "woej");
  for (const std::string user :
       {"partner-woej", "consultant", "auditor", "brugfunctionaris", "ggz", "admin", "analyst"}) {
    SCOPED_TRACE(user);
    auto stub = Routing(user);
    {
      Ctx ctx;
      v1::ListRoutingRulesResponse out;
      grpc::Status s = stub->ListRoutingRules(ctx.get(), v1::ListRoutingRulesRequest(), &out);
      EXPECT_EQ(s.error_code(), C::PERMISSION_DENIED);
      EXPECT_THAT(s.error_message(), HasSubstr("regisseur"));
      EXPECT_EQ(out.rules_size(), 0);
    }
    {
      v1::AddRoutingRuleRequest req;
      req.set_opgave("JO");
      req.set_owner_organisation_id("woej");
      v1::RoutingRule out;
      EXPECT_EQ(Add(*stub, req, &out).error_code(), C::PERMISSION_DENIED);
    }
    {
      Ctx ctx;
      v1::MoveRoutingRuleRequest req;
      req.set_id(rule.id());
      req.set_etag(rule.etag());
      req.set_position(1);
      v1::RoutingRule out;
      EXPECT_EQ(stub->MoveRoutingRule(ctx.get(), req, &out).error_code(), C::PERMISSION_DENIED);
    }
    {
      Ctx ctx;
      v1::RemoveRoutingRuleRequest req;
      req.set_id(rule.id());
      req.set_etag(rule.etag());
      v1::RoutingRule out;
      EXPECT_EQ(stub->RemoveRoutingRule(ctx.get(), req, &out).error_code(),
                C::PERMISSION_DENIED);
    }
    {
      Ctx ctx;
      v1::DryRunRoutingRuleRequest req;
      req.set_opgave("FZ");
      req.set_days(30);
      v1::DryRunRoutingRuleResponse out;
      EXPECT_EQ(stub->DryRunRoutingRule(ctx.get(), req, &out).error_code(),
                C::PERMISSION_DENIED);
    }
  }
  // Nothing changed.
  std::vector<v1::RoutingRule> rules = Rules(true);
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].version(), 1);
  auto auditor = v1::AuditService::NewStub(
      MakeChannel(server_->address(), LoadIdentity(paths_->UserDir("auditor"))));
  v1::QueryAuditRequest q;
  q.set_action("RoutingService.RemoveRoutingRule");
  q.set_outcome("denied");
  v1::QueryAuditResponse entries;
  Ctx ctx;
  ASSERT_TRUE(auditor->QueryAudit(ctx.get(), q, &entries).ok());
  EXPECT_EQ(entries.entries_size(), 7);
  for (const v1::AuditEntry& e : entries.entries()) {
    EXPECT_EQ(e.resource_type(), "routing_rule");
    EXPECT_EQ(e.resource_id(), rule.id());
  }
}

TEST_F(RoutingTest, BadInputNamesTheField) {
  struct Case {
    void (*fill)(v1::AddRoutingRuleRequest&);
    C code;
    std::string message;
  };
  const Case cases[] = {
      {[](v1::AddRoutingRuleRequest& r) { r.set_category("FZ-ONBEKEND"); }, C::INVALID_ARGUMENT,
       "category: not a code of the signal taxonomy"},
      {[](v1::AddRoutingRuleRequest&) {}, C::INVALID_ARGUMENT,
       "category: a rule needs at least one criterion"},
      {[](v1::AddRoutingRuleRequest& r) { r.set_opgave("XX"); }, C::INVALID_ARGUMENT, "opgave:"},
      {[](v1::AddRoutingRuleRequest& r) { r.set_wijk("voorburg-west"); }, C::INVALID_ARGUMENT,
       "wijk:"},
      {[](v1::AddRoutingRuleRequest& r) { r.set_category("FVW-CRIMINALITEIT"); },
       C::INVALID_ARGUMENT, "category: a justice signal names its owner"},
      {[](v1::AddRoutingRuleRequest& r) {
         r.set_category("FZ-SCHULDEN");
         r.set_opgave("JO");
       },
       C::INVALID_ARGUMENT, "opgave: the category belongs to opgave FZ"},
      {[](v1::AddRoutingRuleRequest& r) {
         r.set_opgave("FZ");
         r.set_owner_organisation_id("");
       },
       C::INVALID_ARGUMENT, "owner_organisation_id: required"},
      {[](v1::AddRoutingRuleRequest& r) {
         r.set_opgave("FZ");
         r.set_owner_organisation_id("onbekend");
       },
       C::NOT_FOUND, "owner_organisation_id"},
      {[](v1::AddRoutingRuleRequest& r) {
         r.set_opgave("FZ");
         r.set_owner_team("werk-en-inkomen");  // a team of gemeente-lv, not of woej
       },
       C::NOT_FOUND, "owner_team"},
      {[](v1::AddRoutingRuleRequest& r) {
         r.set_opgave("FZ");
         r.set_position(2);  // no rule yet: 1 or 0
       },
       C::INVALID_ARGUMENT, "position: 1..1"},
  };
  for (const Case& c : cases) {
    v1::AddRoutingRuleRequest req;
    req.set_owner_organisation_id("woej");
    c.fill(req);
    v1::RoutingRule out;
    grpc::Status s = Add(*regisseur_, req, &out);
    EXPECT_EQ(s.error_code(), c.code) << c.message << ": " << s.error_message();
    EXPECT_THAT(s.error_message(), HasSubstr(c.message));
  }
  EXPECT_TRUE(Rules(true).empty());

  // The same request id: the same rule, once; other content: refused.
  v1::AddRoutingRuleRequest req;
  req.set_request_id("req-rule-idempotent");
  req.set_opgave("FZ");
  req.set_owner_organisation_id("woej");
  v1::RoutingRule first, again;
  ASSERT_TRUE(Add(*regisseur_, req, &first).ok());
  ASSERT_TRUE(Add(*regisseur_, req, &again).ok());
  EXPECT_EQ(again.id(), first.id());
  EXPECT_EQ(Rules().size(), 1u);
  req.set_opgave("JO");
  EXPECT_EQ(Add(*regisseur_, req, &again).error_code(), C::ALREADY_EXISTS);

  // Dry runs: the window, the criteria, the rule.
  struct DryCase {
    void (*fill)(v1::DryRunRoutingRuleRequest&);
    C code;
    std::string message;
  };
  const DryCase dry[] = {
      {[](v1::DryRunRoutingRuleRequest& r) { r.set_opgave("FZ"); }, C::INVALID_ARGUMENT,
       "days: 1..365"},
      {[](v1::DryRunRoutingRuleRequest& r) {
         r.set_opgave("FZ");
         r.set_days(366);
       },
       C::INVALID_ARGUMENT, "days: 1..365"},
      {[](v1::DryRunRoutingRuleRequest& r) { r.set_days(30); }, C::INVALID_ARGUMENT,
       "category: a rule needs at least one criterion"},
      {[](v1::DryRunRoutingRuleRequest& r) {
         r.set_category("FZ-ONBEKEND");
         r.set_days(30);
       },
       C::INVALID_ARGUMENT, "category: not a code"},
      {[](v1::DryRunRoutingRuleRequest& r) {
         r.set_rule_id("rr-nosuchrule");
         r.set_days(30);
       },
       C::NOT_FOUND, "rule_id: no active routing rule"},
      {[](v1::DryRunRoutingRuleRequest& r) {
         r.set_rule_id("rr-nosuchrule");
         r.set_wijk("prinsenhof");
         r.set_days(30);
       },
       C::INVALID_ARGUMENT, "rule_id: either an existing rule or criteria"},
      {[](v1::DryRunRoutingRuleRequest& r) {
         r.set_wijk("prinsenhof");
         r.set_position(5);
         r.set_days(30);
       },
       C::INVALID_ARGUMENT, "position: 1..2"},
  };
  for (const DryCase& c : dry) {
    v1::DryRunRoutingRuleRequest r;
    c.fill(r);
    v1::DryRunRoutingRuleResponse out;
    grpc::Status s = DryRun(r, &out);
    EXPECT_EQ(s.error_code(), c.code) << c.message << ": " << s.error_message();
    EXPECT_THAT(s.error_message(), HasSubstr(c.message));
  }
}

TEST_F(RoutingTest, ADryRunCountsWhatARuleWouldHaveMatched) {
  // Eleven days ago: one FZ signal in prinsenhof.
  const v1::Signal old = Signal("FZ-SCHULDEN", "prinsenhof");
  clock_.Advance(absl::Hours(24 * 11));
  const v1::Signal p1 = Signal("FZ-SCHULDEN", "prinsenhof");
  const v1::Signal p2 = Signal("FZ-RONDKOMEN", "prinsenhof");
  const v1::Signal h1 = Signal("FZ-SCHULDEN", "heuvel-amstelwijk");
  Signal("JO-ARMOEDE", "prinsenhof");           // another opgave
  Signal("FZ-SCHULDEN", "prinsenhof", "woej");  // its author named the owner
  // A rule for heuvel-amstelwijk exists and routes from now on.
  const v1::RoutingRule heuvel = AddOk("", "", "heuvel-amstelwijk", "vidomes");
  const v1::Signal h2 = Signal("FZ-ENERGIELASTEN", "heuvel-amstelwijk");
  ASSERT_EQ(h2.routed_by_rule_id(), heuvel.id());

  // Opgave FZ as a new rule at the end: the four FZ signals created
  // without an owner in the last ten days (h2, routed, counts: it came
  // without an owner); heuvel takes h1 and h2 first.
  v1::DryRunRoutingRuleRequest req;
  req.set_opgave("FZ");
  req.set_days(10);
  v1::DryRunRoutingRuleResponse out;
  grpc::Status s = DryRun(req, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.matched(), 4);
  EXPECT_EQ(out.taken_earlier(), 2);
  EXPECT_THAT(out.signal_ids(), ElementsAre(h2.id(), h1.id(), p2.id(), p1.id()));
  EXPECT_EQ(out.since().seconds(), absl::ToUnixSeconds(clock_.Now() - absl::Hours(24 * 10)));
  // At position 1 nothing comes before it.
  req.set_position(1);
  ASSERT_TRUE(DryRun(req, &out).ok());
  EXPECT_EQ(out.matched(), 4);
  EXPECT_EQ(out.taken_earlier(), 0);
  // Twelve days back, the old one too.
  req.set_position(0);
  req.set_days(12);
  ASSERT_TRUE(DryRun(req, &out).ok());
  EXPECT_EQ(out.matched(), 5);
  EXPECT_EQ(out.signal_ids(4), old.id());
  // An existing rule at its own position.
  v1::DryRunRoutingRuleRequest existing;
  existing.set_rule_id(heuvel.id());
  existing.set_days(10);
  ASSERT_TRUE(DryRun(existing, &out).ok());
  EXPECT_EQ(out.matched(), 2);
  EXPECT_EQ(out.taken_earlier(), 0);
  EXPECT_THAT(out.signal_ids(), ElementsAre(h2.id(), h1.id()));
  // A dry run changes nothing.
  EXPECT_EQ(Rules().size(), 1u);
}

}  // namespace
}  // namespace schakel::testing
