#include "server/auth/policy.h"

#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/auth/access_sql.h"

namespace schakel::auth {
namespace {

using domain::Role;

Principal WithRoles(std::vector<Role> roles) {
  Principal p;
  p.professional.id = "p1";
  p.professional.organisation_id = "woej";
  p.professional.teams = {"intake"};
  p.professional.roles = std::move(roles);
  return p;
}

const TeamRef kWoej{"woej", "intake"};

// The directory columns of DESIGN.md's policy table: every role reads the
// directory; only admin manages professionals and certificates.
TEST(PolicyTest, DirectoryTable) {
  for (Role role : domain::AllRoles()) {
    Principal p = WithRoles({role});
    EXPECT_TRUE(Decide(p, Action::kReadDirectory).allowed) << domain::RoleName(role);
    Decision manage = Decide(p, Action::kManageProfessionals);
    EXPECT_EQ(manage.allowed, role == Role::kAdmin) << domain::RoleName(role);
    EXPECT_FALSE(manage.reason.empty());
    if (!manage.allowed) {
      EXPECT_EQ(manage.ToStatus().code(), absl::StatusCode::kPermissionDenied);
    }
  }
}

// Residents' rights: the privacy officer alone, for every act.
TEST(PolicyTest, OnlyThePrivacyOfficerHandlesResidentsRequests) {
  for (Role role : domain::AllRoles()) {
    Principal p = WithRoles({role});
    for (Action a : {Action::kExportResident, Action::kRectifyResident, Action::kEraseResident,
                     Action::kLegalHold}) {
      Decision d = Decide(p, a);
      EXPECT_EQ(d.allowed, role == Role::kPrivacyOfficer) << domain::RoleName(role);
      if (!d.allowed) {
        EXPECT_EQ(d.ToStatus().code(), absl::StatusCode::kPermissionDenied);
      }
    }
    // ... and the privacy officer reads no case data and no audit log.
    if (role == Role::kPrivacyOfficer) {
      EXPECT_FALSE(Decide(p, Action::kUseCaseData).allowed);
      EXPECT_FALSE(Decide(p, Action::kReadAudit).allowed);
    }
  }
  EXPECT_FALSE(Decide(WithRoles({}), Action::kEraseResident).allowed);
}

TEST(PolicyTest, NoRoleMayDoNothing) {
  Principal none = WithRoles({});
  EXPECT_FALSE(Decide(none, Action::kReadDirectory).allowed);
  EXPECT_FALSE(Decide(none, Action::kManageProfessionals).allowed);
}

// Role-level decisions as DESIGN.md's table: which role may do which kind of
// thing at all. The programme monitor is the analyst's alone, and the
// analyst may do nothing else but read the directory.
TEST(PolicyTest, RoleActionTable) {
  const std::vector<std::pair<Action, std::set<Role>>> table = {
      {Action::kReadDirectory,
       {Role::kRegisseur, Role::kConsultant, Role::kBridgeOfficer, Role::kGgz, Role::kPartner,
        Role::kAuditor, Role::kAdmin, Role::kAnalyst, Role::kPrivacyOfficer}},
      {Action::kManageProfessionals, {Role::kAdmin}},
      {Action::kUseCaseData,
       {Role::kRegisseur, Role::kConsultant, Role::kBridgeOfficer, Role::kGgz, Role::kPartner}},
      {Action::kReadCaseData,
       {Role::kRegisseur, Role::kConsultant, Role::kBridgeOfficer, Role::kGgz, Role::kPartner}},
      {Action::kReadCaseload, {Role::kConsultant}},
      {Action::kMergeResidents, {Role::kRegisseur}},
      {Action::kKeepTrajectories, {Role::kConsultant}},
      {Action::kAssignSignal, {Role::kRegisseur}},
      {Action::kManageRoutingRules, {Role::kRegisseur}},
      {Action::kBreakGlass, {Role::kRegisseur, Role::kGgz}},
      {Action::kReadAudit, {Role::kAuditor}},
      {Action::kReviewPrivacyActs, {Role::kAuditor, Role::kPrivacyOfficer}},
      {Action::kReadReports, {Role::kAnalyst}},
  };
  for (const auto& [action, allowed] : table) {
    for (Role role : domain::AllRoles()) {
      Decision d = Decide(WithRoles({role}), action);
      EXPECT_EQ(d.allowed, allowed.count(role) > 0)
          << domain::RoleName(role) << " action " << static_cast<int>(action);
      EXPECT_FALSE(d.reason.empty());
    }
    EXPECT_FALSE(Decide(WithRoles({}), action).allowed);
  }
  Decision refused = Decide(WithRoles({Role::kAuditor}), Action::kReadReports);
  EXPECT_EQ(refused.ToStatus().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(std::string(refused.ToStatus().message()), ::testing::HasSubstr("analyst"));
}

// Dual control: roles awaiting approval grant nothing. The professional
// reads the directory (whoami); every case read answers as if nothing
// existed, every other act is refused, for every role asked for.
TEST(PolicyTest, PendingRolesGrantNothing) {
  const Action reads[] = {Action::kReadCaseData, Action::kReadCaseload};
  const Action others[] = {
      Action::kKeepTrajectories, Action::kManageProfessionals, Action::kUseCaseData,
      Action::kMergeResidents,   Action::kAssignSignal,        Action::kBreakGlass,
      Action::kReadAudit,        Action::kReadReports,         Action::kExportResident,
      Action::kRectifyResident,  Action::kEraseResident,       Action::kLegalHold,
      Action::kReviewPrivacyActs, Action::kManageRoutingRules};
  for (Role role : domain::AllRoles()) {
    Principal p = WithRoles({});
    p.professional.pending_roles = {role};
    EXPECT_TRUE(Decide(p, Action::kReadDirectory).allowed) << domain::RoleName(role);
    for (Action a : reads) {
      Decision d = Decide(p, a);
      EXPECT_FALSE(d.allowed);
      EXPECT_EQ(d.ToStatus().code(), absl::StatusCode::kNotFound) << domain::RoleName(role);
    }
    for (Action a : others) {
      Decision d = Decide(p, a);
      EXPECT_FALSE(d.allowed) << domain::RoleName(role) << " action " << static_cast<int>(a);
      EXPECT_EQ(d.ToStatus().code(), absl::StatusCode::kPermissionDenied);
      EXPECT_THAT(d.reason, ::testing::HasSubstr("second administrator"));
    }
    SignalFacts own{"p1", kWoej, kWoej, domain::Sensitivity::kHealth, "r1"};
    EXPECT_FALSE(CanReadSignal(p, own));
    EXPECT_FALSE(CanReadHandover(p, HandoverFacts{kWoej, kWoej, "r1"}));
    EXPECT_EQ(AccessToTrajectory(p, TrajectoryFacts{kWoej, "r1", {kWoej}}),
              TrajectoryAccess::kNone);
  }
  // Approved roles work; pending ones beside them add nothing.
  Principal mixed = WithRoles({Role::kPartner});
  mixed.professional.pending_roles = {Role::kGgz};
  EXPECT_TRUE(Decide(mixed, Action::kReadCaseData).allowed);
  EXPECT_FALSE(Decide(mixed, Action::kBreakGlass).allowed);
  EXPECT_FALSE(CanReadSignalContent(
      mixed, SignalFacts{"p2", kWoej, kWoej, domain::Sensitivity::kHealth, "r1"}));
}

// Break-glass widens the relations, never the role limits: a regisseur or
// GGZ worker under it reads another team's trajectory as an involved
// partner does (the summary), and only of the resident it was opened for.
TEST(PolicyTest, BreakGlassOpensAnotherTeamsTrajectoryOnlyAsTheSummary) {
  const TeamRef werk_en_inkomen{"gemeente-lv", "werk-en-inkomen"};
  const TrajectoryFacts trajectory{werk_en_inkomen, "r1", {}};
  for (Role role : {Role::kRegisseur, Role::kGgz}) {
    Principal p = WithRoles({role});
    EXPECT_EQ(AccessToTrajectory(p, trajectory), TrajectoryAccess::kNone) << domain::RoleName(role);
    p.break_glass_residents = {{"r2", absl::InfiniteFuture()}};
    EXPECT_EQ(AccessToTrajectory(p, trajectory), TrajectoryAccess::kNone) << domain::RoleName(role);
    p.break_glass_residents = {{"r1", absl::InfiniteFuture()}};
    EXPECT_EQ(AccessToTrajectory(p, trajectory), TrajectoryAccess::kSummary) << domain::RoleName(role);
  }
  // The owning team's consultant reads it in full, as without break-glass.
  Principal consultant = WithRoles({Role::kConsultant});
  consultant.professional.organisation_id = "gemeente-lv";
  consultant.professional.teams = {"werk-en-inkomen"};
  EXPECT_EQ(AccessToTrajectory(consultant, trajectory), TrajectoryAccess::kFull);
}

// The analyst reads no resident-level record, not even one its own
// organisation recorded, owns or is party to.
TEST(PolicyTest, AnalystReadsNoRecord) {
  Principal a = WithRoles({Role::kAnalyst});
  SignalFacts signal{"p1", kWoej, kWoej, domain::Sensitivity::kNormal, "r1"};
  EXPECT_FALSE(CanReadSignal(a, signal));
  EXPECT_FALSE(CanReadSignalContent(a, signal));
  HandoverFacts handover{kWoej, kWoej, "r1"};
  EXPECT_FALSE(CanReadHandover(a, handover));
  EXPECT_FALSE(PartyOf(a, handover).has_value());
  ResidentFacts resident{"r1", {kWoej}, {signal}, {handover}, {kWoej}};
  EXPECT_FALSE(CanReadResident(a, resident));
  TrajectoryFacts trajectory{kWoej, "r1", {kWoej}};
  EXPECT_EQ(AccessToTrajectory(a, trajectory), TrajectoryAccess::kNone);
  EXPECT_FALSE(CanChangeTrajectory(a, trajectory).allowed);
  EXPECT_FALSE(CanChangeSignalStatus(a, SignalFacts{"p1", kWoej, {}, {}, "r1"}).allowed);
}

// The list predicates render through a dialect: with numbered parameters
// (libpq's "$1") no SQLite-style name is left, and every placeholder is one
// the dialect wrote for a scope parameter.
class NumberedDialect final : public SqlDialect {
 public:
  std::string Parameter(absl::string_view name) const override {
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == name) return absl::StrCat("$", i + 1);
    }
    names.emplace_back(name);
    return absl::StrCat("$", names.size());
  }
  std::string InList(absl::string_view expr, absl::string_view name) const override {
    return absl::StrCat(expr, " = ANY(string_to_array(", Parameter(name), ", ','))");
  }
  mutable std::vector<std::string> names;
};

TEST(AccessSqlTest, EveryPredicateRendersInAnotherDialectWithOnlyScopeParameters) {
  std::set<std::string> scope_names;
  for (const ScopeParameter& p : ScopeParameters(ListScope{})) scope_names.insert(p.name);
  for (const auto& render :
       std::vector<std::function<std::string(const SqlDialect&)>>{
           [](const SqlDialect& d) { return SignalVisibleSql(d, "s"); },
           [](const SqlDialect& d) { return ResidentVisibleSql(d, "r"); },
           [](const SqlDialect& d) { return HandoverVisibleSql(d, "h"); },
           [](const SqlDialect& d) {
             return HandoverBoxSql(d, "h", domain::HandoverBox::kInbox);
           },
           [](const SqlDialect& d) { return CaseloadSql(d, "t"); },
           [](const SqlDialect& d) { return TrajectoryReadableSql(d, "t"); }}) {
    NumberedDialect numbered;
    const std::string sql = render(numbered);
    EXPECT_EQ(sql.find(':'), std::string::npos) << sql;
    EXPECT_NE(sql.find("$1"), std::string::npos) << sql;
    for (const std::string& n : numbered.names) EXPECT_TRUE(scope_names.count(n)) << n;
    // The same predicate in SQLite's dialect names the same parameters.
    const std::string sqlite = render(Sqlite());
    for (const std::string& n : numbered.names) {
      EXPECT_NE(sqlite.find(absl::StrCat(":", n)), std::string::npos) << sqlite;
    }
  }
}

TEST(AccessSqlTest, TheScopeOfAPrincipalCarriesTheSameRelationsAsTheRowDecision) {
  Principal r = WithRoles({Role::kRegisseur});
  Principal w = WithRoles({Role::kPartner});
  EXPECT_TRUE(ScopeOf(r).area_wide);
  EXPECT_FALSE(ScopeOf(w).area_wide);
  EXPECT_EQ(ScopeOf(w).organisation_id, w.professional.organisation_id);
  EXPECT_EQ(ScopeOf(w).professional_id, w.professional.id);
  // Only a consultant opens the caseload's trajectories in full.
  EXPECT_TRUE(ScopeOf(WithRoles({Role::kConsultant})).keeps_trajectories);
  EXPECT_FALSE(ScopeOf(w).keeps_trajectories);
  EXPECT_FALSE(ScopeOf(r).keeps_trajectories);
}

}  // namespace
}  // namespace schakel::auth
