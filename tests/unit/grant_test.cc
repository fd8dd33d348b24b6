#include "server/domain/grant.h"

#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_support.h"

namespace schakel::domain {
namespace {

using ::schakel::testing::IsOk;
using ::schakel::testing::StatusIs;
using ::testing::HasSubstr;

Grant Pending() {
  Grant g;
  g.id = "g1";
  g.professional_id = "p-new";
  g.organisation_id = "ggz-rivierduinen";
  g.roles = {Role::kGgz};
  g.requested_by = "p-admin1";
  g.request_time = absl::FromUnixSeconds(1795424400);
  return g;
}

// Who may decide a pending grant, as a table.
TEST(GrantTest, DecisionTable) {
  struct Row {
    const char* decider;
    bool approving;
    absl::StatusCode code;
  };
  const Row rows[] = {
      {"p-admin2", true, absl::StatusCode::kOk},
      {"p-admin2", false, absl::StatusCode::kOk},
      {"p-admin1", true, absl::StatusCode::kPermissionDenied},  // the requester
      {"p-admin1", false, absl::StatusCode::kOk},               // withdraws their request
      {"p-new", true, absl::StatusCode::kPermissionDenied},     // the grant's professional
      {"p-new", false, absl::StatusCode::kPermissionDenied},
  };
  for (const Row& r : rows) {
    EXPECT_EQ(CheckDecision(Pending(), r.decider, r.approving).code(), r.code)
        << r.decider << (r.approving ? " approving" : " refusing");
  }
  for (GrantStatus decided : {GrantStatus::kApproved, GrantStatus::kRefused}) {
    Grant g = Pending();
    g.status = decided;
    EXPECT_THAT(CheckDecision(g, "p-admin2", true),
                StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("already")));
  }
  EXPECT_THAT(CheckDecision(Pending(), "p-admin1", true),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("dual control")));
}

// Asking for more roles, as a table.
TEST(GrantTest, RequestTable) {
  Professional p;
  p.id = "p-new";
  p.roles = {Role::kPartner};
  p.pending_roles = {Role::kGgz};
  p.teams = {"intake"};
  p.pending_teams = {"vth"};
  struct Row {
    const char* requester;
    std::vector<Role> roles;
    std::string team;
    absl::StatusCode code;
    const char* text;
  };
  const Row rows[] = {
      {"p-admin1", {Role::kRegisseur}, "", absl::StatusCode::kOk, ""},
      {"p-admin1", {Role::kPartner, Role::kRegisseur}, "", absl::StatusCode::kOk, ""},
      {"p-new", {Role::kRegisseur}, "", absl::StatusCode::kPermissionDenied, "own"},
      {"p-admin1", {}, "", absl::StatusCode::kInvalidArgument, "roles: at least one"},
      {"p-admin1", {Role::kPartner}, "", absl::StatusCode::kInvalidArgument, "already"},
      {"p-admin1", {Role::kGgz}, "", absl::StatusCode::kInvalidArgument, "already"},
      {"p-admin1", {Role::kAuditor}, "", absl::StatusCode::kInvalidArgument,
       "separation of duties"},
      // A team alone is a grant (membership), with or without roles.
      {"p-admin1", {}, "wijkteam", absl::StatusCode::kOk, ""},
      {"p-admin1", {Role::kRegisseur}, "wijkteam", absl::StatusCode::kOk, ""},
      {"p-admin1", {Role::kPartner}, "wijkteam", absl::StatusCode::kOk, ""},
      {"p-new", {}, "wijkteam", absl::StatusCode::kPermissionDenied, "own"},
      {"p-admin1", {}, "intake", absl::StatusCode::kInvalidArgument, "team: the professional"},
      {"p-admin1", {}, "vth", absl::StatusCode::kInvalidArgument, "already"},
      {"p-admin1", {}, "Wijk Team", absl::StatusCode::kInvalidArgument, "team: only"},
      {"p-admin1", {Role::kAuditor}, "wijkteam", absl::StatusCode::kInvalidArgument,
       "separation of duties"},
  };
  for (const Row& r : rows) {
    absl::Status s = CheckGrantRequest(p, r.requester, r.roles, r.team);
    EXPECT_EQ(s.code(), r.code) << r.requester << " " << RolesText(r.roles) << ": " << s;
    EXPECT_THAT(std::string(s.message()), HasSubstr(r.text));
  }
}

TEST(GrantTest, AuditTextNamesOrganisationTeamAndRoles) {
  Grant g = Pending();
  g.roles = {Role::kPartner, Role::kGgz};
  EXPECT_EQ(GrantAuditText(g), "grant g1: organisation ggz-rivierduinen, team -, roles ggz,partner");
  EXPECT_EQ(ParseRolesText("partner,ggz,nope"), (std::vector<Role>{Role::kGgz, Role::kPartner}));
}

TEST(GrantTest, RefusalReasonRules) {
  EXPECT_THAT(ValidateRefusalReason("onbekend"), IsOk());
  EXPECT_THAT(ValidateRefusalReason(""), StatusIs(absl::StatusCode::kInvalidArgument,
                                                  HasSubstr("reason")));
  EXPECT_THAT(ValidateRefusalReason(std::string(301, 'x')),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("300")));
  EXPECT_THAT(ValidateRefusalReason("a\nb"), StatusIs(absl::StatusCode::kInvalidArgument,
                                                      HasSubstr("control")));
}

TEST(GrantTest, EnrollmentCodesReadBackTheSameWayTheyAreTyped) {
  const std::string random(kEnrollmentCodeBytes, '\x5a');
  std::string code = FormatEnrollmentCode(random);
  EXPECT_THAT(code, ::testing::MatchesRegex("[0-9A-Z]{4}(-[0-9A-Z]{4}){7}"));
  auto canonical = NormalizeEnrollmentCode(code);
  ASSERT_THAT(canonical, IsOk());
  EXPECT_EQ(canonical->size(), 32u);
  std::string typed;
  for (char c : code) typed.push_back(c == '-' ? ' ' : static_cast<char>(std::tolower(c)));
  EXPECT_EQ(*NormalizeEnrollmentCode(typed), *canonical);
  // Different bytes, different codes.
  EXPECT_NE(FormatEnrollmentCode(std::string(kEnrollmentCodeBytes, '\x5b')), code);
  EXPECT_THAT(NormalizeEnrollmentCode("ABCD"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("32")));
  EXPECT_THAT(NormalizeEnrollmentCode(code + "-AAAA"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("32")));
  EXPECT_THAT(NormalizeEnrollmentCode("ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-678U"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("code:")));
}

TEST(GrantTest, AnomaliesFlagQuickApprovalsAndEarlyReadsOnly) {
  const absl::Time t0 = absl::FromUnixSeconds(1795424400);
  auto approved = [&](const std::string& id, absl::Duration after, const std::string& by) {
    Grant g = Pending();
    g.id = id;
    g.status = GrantStatus::kApproved;
    g.decided_by = by;
    g.decide_time = t0 + after;
    return g;
  };
  std::vector<Grant> grants = {
      approved("quick", absl::Seconds(59), "p-admin2"),
      approved("slow", absl::Minutes(1), "p-admin2"),
      approved("init", absl::ZeroDuration(), "p-admin1"),  // requested_by == decided_by
  };
  Grant pending = Pending();
  pending.id = "pending";
  grants.push_back(pending);
  std::vector<FirstCaseRead> reads = {
      {"slow", t0 + absl::Minutes(1) + absl::Hours(23)},  // within a day
      {"quick", t0 + absl::Hours(30)},                    // later than a day
      {"init", t0 + absl::Minutes(1)},
  };
  std::vector<std::pair<GrantAnomalyKind, std::string>> got;
  for (const GrantAnomaly& a : FindGrantAnomalies(grants, reads)) got.emplace_back(a.kind, a.grant_id);
  EXPECT_THAT(got, ::testing::ElementsAre(
                       std::make_pair(GrantAnomalyKind::kQuickApproval, std::string("quick")),
                       std::make_pair(GrantAnomalyKind::kReadSoonAfterGrant, std::string("slow"))));
}

}  // namespace
}  // namespace schakel::domain
