#include "server/auth/policy.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace schakel::auth {
namespace {

using domain::Role;

Principal WithRoles(std::vector<Role> roles) {
  Principal p;
  p.professional.id = "p1";
  p.professional.organisation_id = "woej";
  p.professional.roles = std::move(roles);
  return p;
}

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
      if (!d.allowed) EXPECT_EQ(d.ToStatus().code(), absl::StatusCode::kPermissionDenied);
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

}  // namespace
}  // namespace schakel::auth
