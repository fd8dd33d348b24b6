// The notification audience as a table (auth/notification_audience.h): for
// every kind, who among professionals of every relation and role is told.
#include "server/auth/notification_audience.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace schakel::auth {
namespace {

using domain::NotificationKind;
using domain::Role;
using K = NotificationKind;
using ::testing::ElementsAreArray;

Principal Person(const std::string& id, const std::string& org, const std::string& team,
                 std::vector<Role> roles, bool disabled = false) {
  Principal p;
  p.professional.id = id;
  p.professional.organisation_id = org;
  p.professional.teams = {team};
  p.professional.roles = std::move(roles);
  p.professional.disabled = disabled;
  return p;
}

// A handover from kwadraad/intake (sender "sender") to gemeente-lv's
// werk-en-inkomen team (receiver "receiver", once accepted).
std::vector<Principal> Candidates() {
  return {
      Person("sender", "kwadraad", "intake", {Role::kBridgeOfficer}),
      Person("sender-colleague", "kwadraad", "intake", {Role::kBridgeOfficer}),
      Person("receiver", "gemeente-lv", "werk-en-inkomen", {Role::kConsultant}),
      Person("receiver-colleague", "gemeente-lv", "werk-en-inkomen", {Role::kConsultant}),
      Person("disabled", "gemeente-lv", "werk-en-inkomen", {Role::kConsultant}, true),
      // The municipality's other teams: never another department's handover.
      Person("regisseur", "gemeente-lv", "gebiedsregie", {Role::kRegisseur}),
      Person("vth", "gemeente-lv", "vth", {Role::kPartner}),
      // In the receiving team without a case role.
      Person("auditor", "gemeente-lv", "werk-en-inkomen", {Role::kAuditor}),
      Person("admin", "gemeente-lv", "werk-en-inkomen", {Role::kAdmin}),
      Person("pending", "gemeente-lv", "werk-en-inkomen", {}),
  };
}

NotificationEvent HandoverEvent(K kind, const std::string& actor, bool accepted,
                                const std::string& to_team = "werk-en-inkomen") {
  NotificationEvent e;
  e.kind = kind;
  e.actor_id = actor;
  e.handover = HandoverFacts{{"kwadraad", "intake"}, {"gemeente-lv", to_team}, "r1"};
  e.sender_id = "sender";
  e.receiver_id = accepted ? "receiver" : "";
  return e;
}

struct Row {
  K kind;
  std::string actor;
  bool accepted;
  std::vector<std::string> told;
};

TEST(NotificationAudienceTest, HandoverKinds) {
  const Row rows[] = {
      {K::kHandoverProposed, "sender", false, {"receiver", "receiver-colleague"}},
      {K::kHandoverDueSoon, "", false, {"receiver", "receiver-colleague"}},
      {K::kHandoverAccepted, "receiver", true, {"sender"}},
      {K::kHandoverDeclined, "receiver", false, {"sender"}},
      {K::kHandoverCompleted, "receiver", true, {"sender"}},
      {K::kHandoverExpired, "", false, {"sender"}},
      // Introduced by the receiver: the sender; by the sender: the receiver.
      {K::kHandoverIntroduced, "receiver", true, {"sender"}},
      {K::kHandoverIntroduced, "sender", true, {"receiver"}},
      // Cancelled before anyone accepted: the team; after: who accepted.
      {K::kHandoverCancelled, "sender", false, {"receiver", "receiver-colleague"}},
      {K::kHandoverCancelled, "sender", true, {"receiver"}},
      // Overdue: the receiving team (the sender is told it expired).
      {K::kHandoverOverdue, "", false, {"receiver", "receiver-colleague"}},
  };
  for (const Row& r : rows) {
    EXPECT_THAT(NotificationAudience(HandoverEvent(r.kind, r.actor, r.accepted), Candidates()),
                ElementsAreArray(r.told))
        << domain::NotificationKindName(r.kind) << " by " << r.actor;
  }
}

TEST(NotificationAudienceTest, OverdueReachesTheRegisseurOnlyWhereItMayReadTheHandover) {
  // To gebiedsregie: the regisseur is of the receiving team.
  EXPECT_THAT(NotificationAudience(
                  HandoverEvent(K::kHandoverOverdue, "", false, "gebiedsregie"), Candidates()),
              ElementsAreArray({"regisseur"}));
  // To werk-en-inkomen: another department's; the regisseur is not told.
  std::vector<std::string> told =
      NotificationAudience(HandoverEvent(K::kHandoverOverdue, "", false), Candidates());
  EXPECT_EQ(std::count(told.begin(), told.end(), "regisseur"), 0);
}

TEST(NotificationAudienceTest, ASignalsOwnerTeamIsToldOfItsAssignmentWithinTheLimits) {
  NotificationEvent e;
  e.kind = K::kSignalAssigned;
  e.actor_id = "regisseur";
  e.signal = SignalFacts{"sender", {"kwadraad", "intake"}, {"gemeente-lv", "vth"},
                         domain::Sensitivity::kNormal, "r1"};
  EXPECT_THAT(NotificationAudience(e, Candidates()), ElementsAreArray({"vth"}));
  // A justice signal owned by vth: still vth (involved), never area-wide.
  e.signal->sensitivity = domain::Sensitivity::kJustice;
  EXPECT_THAT(NotificationAudience(e, Candidates()), ElementsAreArray({"vth"}));
}

TEST(NotificationAudienceTest, AMeasurementIsTheConsultantsOwn) {
  NotificationEvent e;
  e.kind = K::kMeasurementDue;
  e.trajectory = TrajectoryFacts{{"gemeente-lv", "werk-en-inkomen"}, "r1", {}};
  e.consultant_id = "receiver";
  EXPECT_THAT(NotificationAudience(e, Candidates()), ElementsAreArray({"receiver"}));
  // Moved to another team: the consultant left behind reads it no more.
  e.trajectory->team = {"gemeente-lv", "gebiedsregie"};
  EXPECT_TRUE(NotificationAudience(e, Candidates()).empty());
}

TEST(NotificationAudienceTest, NobodyIsToldWithoutTheFactsOfItsKind) {
  NotificationEvent e;
  e.kind = K::kHandoverProposed;  // and no handover
  EXPECT_TRUE(NotificationAudience(e, Candidates()).empty());
}

TEST(DomainNotificationTest, MailsCarryNoCaseDataAndNamesRoundTrip) {
  for (K k : domain::AllNotificationKinds()) {
    EXPECT_EQ(domain::NotificationKindFromName(domain::NotificationKindName(k)), k);
    domain::MailText m = domain::NotificationMail(k, "https://schakel.example/");
    EXPECT_NE(m.body.find("https://schakel.example/meldingen"), std::string::npos);
    EXPECT_EQ(m.subject.find('\n'), std::string::npos);
  }
  EXPECT_EQ(domain::NotificationKindFromName("handover"), std::nullopt);
  domain::MailText digest = domain::DigestMail(
      {{K::kHandoverProposed, 2}, {K::kSignalAssigned, 1}, {K::kHandoverDeclined, 0}},
      absl::CivilDay(2026, 12, 3), "https://schakel.example/");
  EXPECT_EQ(digest.subject, "schakel: 3 nieuwe meldingen op 2026-12-03");
  EXPECT_NE(digest.body.find("- 2 nieuwe warme overdracht(en) voor uw team"), std::string::npos);
  EXPECT_EQ(digest.body.find("afgewezen"), std::string::npos);
}

}  // namespace
}  // namespace schakel::auth
