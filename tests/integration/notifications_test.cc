// Notifications end to end on a real server (design.md, "Nothing waits
// unseen"): every kind made by its event, each to the recipients the policy
// allows and to nobody else, once; the stream; marking read.
#include <algorithm>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/admin.grpc.pb.h"
#include "schakel/v1/directory.grpc.pb.h"
#include "schakel/v1/notifications.grpc.pb.h"
#include "schakel/v1/privacy.grpc.pb.h"
#include "schakel/v1/trajectories.grpc.pb.h"
#include "tests/integration/case_fixture.h"
#include "tests/support/test_support.h"

namespace schakel {
namespace {

using testing::As;
using testing::CasesTest;
using testing::Ctx;
using testing::Rid;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

// Every demo professional; the ones without a case role are never told.
const char* const kEveryone[] = {"regisseur", "consultant", "consultant-2", "admin",
                                 "admin2",    "auditor",    "analyst",      "privacy",
                                 "brugfunctionaris", "ggz", "partner-woej", "partner-vidomes"};

class NotificationsTest : public CasesTest {
 protected:
  std::unique_ptr<v1::NotificationService::Stub> Stub(const std::string& who) {
    return v1::NotificationService::NewStub(Who(who).channel);
  }

  std::vector<v1::Notification> List(const std::string& who, bool unread_only = false) {
    v1::ListNotificationsRequest req;
    req.set_unread_only(unread_only);
    req.set_page_size(200);
    v1::ListNotificationsResponse resp;
    Ctx ctx;
    grpc::Status s = Stub(who)->ListNotifications(&ctx, req, &resp);
    EXPECT_TRUE(s.ok()) << who << ": " << s.error_message();
    return {resp.notifications().begin(), resp.notifications().end()};
  }

  // Who has a notification of `kind` about `resource`, and how many each.
  std::map<std::string, int> Told(v1::NotificationKind kind, const std::string& resource) {
    std::map<std::string, int> out;
    for (const char* who : kEveryone) {
      for (const v1::Notification& n : List(who)) {
        if (n.kind() == kind && n.resource_id() == resource) ++out[who];
      }
    }
    return out;
  }

  std::string Resident(As& who) { return Register(who, absl::StrCat("Inwoner ", Rid("n"))); }

  // The consultant (werk-en-inkomen) to the municipality's gebiedsregie team.
  v1::Handover ConsultantToGebiedsregie(int response_days = 0) {
    As consultant = Who("consultant");
    v1::ProposeHandoverRequest req;
    req.set_request_id(Rid("ho"));
    req.set_resident_id(Resident(consultant));
    req.set_to_organisation_id("gemeente-lv");
    req.set_to_team("gebiedsregie");
    req.set_reason("Zorgen over de woonsituatie");
    req.set_response_days(response_days);
    req.mutable_basis()->mutable_consent()->set_covers("overleg met gebiedsregie");
    v1::Handover h;
    Ctx ctx;
    grpc::Status s = consultant.handovers->ProposeHandover(&ctx, req, &h);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return h;
  }
};

std::map<std::string, int> Once(std::initializer_list<const char*> names) {
  std::map<std::string, int> out;
  for (const char* n : names) out[n] = 1;
  return out;
}

TEST_F(NotificationsTest, AProposalTellsTheReceivingTeamOnlyAndCarriesNoText) {
  As brug = Who("brugfunctionaris");
  v1::Handover h = Propose(brug, Resident(brug), "woej");
  EXPECT_EQ(Told(v1::HANDOVER_PROPOSED, h.id()), Once({"partner-woej"}));
  std::vector<v1::Notification> mine = List("partner-woej");
  ASSERT_FALSE(mine.empty());
  const v1::Notification& n = mine.front();
  EXPECT_EQ(n.resource_type(), "handover");
  EXPECT_EQ(n.due_date(), h.deadline());
  EXPECT_FALSE(n.has_read_time());
  // Only a kind, ids and dates: nothing of the reason, the resident, a name.
  std::string bytes;
  n.SerializeToString(&bytes);
  EXPECT_EQ(bytes.find("Ouder"), std::string::npos);
  EXPECT_EQ(bytes.find(h.resident_id()), std::string::npos);
  EXPECT_EQ(bytes.find("Inwoner"), std::string::npos);
}

TEST_F(NotificationsTest, AnswersGoBackToTheSenderAndNeverToWhoeverActed) {
  As brug = Who("brugfunctionaris");
  As woej = Who("partner-woej");
  v1::Handover h = Propose(brug, Resident(brug), "woej");
  v1::Handover out;
  ASSERT_TRUE(Act(woej, &v1::HandoverService::Stub::AcceptHandover, h.id(), &out).ok());
  EXPECT_EQ(Told(v1::HANDOVER_ACCEPTED, h.id()), Once({"brugfunctionaris"}));
  ASSERT_TRUE(Act(woej, &v1::HandoverService::Stub::IntroduceHandover, h.id(), &out).ok());
  EXPECT_EQ(Told(v1::HANDOVER_INTRODUCED, h.id()), Once({"brugfunctionaris"}));
  ASSERT_TRUE(Act(woej, &v1::HandoverService::Stub::CompleteHandover, h.id(), &out,
                  [](v1::HandoverActionRequest& r) { r.set_outcome(v1::OUTCOME_HELPED); })
                  .ok());
  EXPECT_EQ(Told(v1::HANDOVER_COMPLETED, h.id()), Once({"brugfunctionaris"}));

  v1::Handover d = Propose(brug, Resident(brug), "woej");
  ASSERT_TRUE(Act(woej, &v1::HandoverService::Stub::DeclineHandover, d.id(), &out,
                  [](v1::HandoverActionRequest& r) { r.set_reason("Geen plek tot maart"); })
                  .ok());
  EXPECT_EQ(Told(v1::HANDOVER_DECLINED, d.id()), Once({"brugfunctionaris"}));
}

TEST_F(NotificationsTest, ACancellationTellsTheReceiverWhoAcceptedOrElseTheTeam) {
  As brug = Who("brugfunctionaris");
  v1::Handover h = Propose(brug, Resident(brug), "vidomes");
  v1::Handover out;
  ASSERT_TRUE(Act(brug, &v1::HandoverService::Stub::CancelHandover, h.id(), &out).ok());
  EXPECT_EQ(Told(v1::HANDOVER_CANCELLED, h.id()), Once({"partner-vidomes"}));
}

TEST_F(NotificationsTest, WithinTheMunicipalityOnlyTheReceivingTeamIsTold) {
  // consultant (werk-en-inkomen) to the municipality's intake team
  // (gebiedsregie): the regisseur; not the colleague in werk-en-inkomen, not
  // the administrators, auditor or analyst of gebiedsregie (no case role).
  v1::Handover h = ConsultantToGebiedsregie();
  EXPECT_EQ(Told(v1::HANDOVER_PROPOSED, h.id()), Once({"regisseur"}));
}

TEST_F(NotificationsTest, ALapsedProposalTellsTheSenderItExpiredAndTheReceiverItIsOverdue) {
  As brug = Who("brugfunctionaris");
  v1::Handover h = Propose(brug, Resident(brug), "woej", /*response_days=*/1);
  // Due tomorrow (Tuesday): the receiving team is reminded, once, however
  // often the clock looks.
  absl::SleepFor(absl::Milliseconds(200));
  EXPECT_EQ(Told(v1::HANDOVER_DUE_SOON, h.id()), Once({"partner-woej"}));
  clock_.Advance(absl::Hours(24 * 2));
  for (int i = 0; i < 100 && GetHandover(brug, h.id()).status() != v1::HANDOVER_STATUS_EXPIRED; ++i) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  ASSERT_EQ(GetHandover(brug, h.id()).status(), v1::HANDOVER_STATUS_EXPIRED);
  absl::SleepFor(absl::Milliseconds(100));
  EXPECT_EQ(Told(v1::HANDOVER_EXPIRED, h.id()), Once({"brugfunctionaris"}));
  EXPECT_EQ(Told(v1::HANDOVER_OVERDUE, h.id()), Once({"partner-woej"}));
  EXPECT_EQ(Told(v1::HANDOVER_DUE_SOON, h.id()), Once({"partner-woej"}));
}

TEST_F(NotificationsTest, AnOverdueHandoverOfTheRegisseursTeamReachesTheRegisseur) {
  // Sent by the consultant to gebiedsregie and left unanswered: the
  // regisseur (receiving team) is told it is overdue, the consultant that it
  // expired; a regisseur is never told of another team's handover.
  v1::Handover h = ConsultantToGebiedsregie(/*response_days=*/1);
  As brug = Who("brugfunctionaris");
  v1::Handover other = Propose(brug, Resident(brug), "woej", /*response_days=*/1);
  clock_.Advance(absl::Hours(48));
  for (int i = 0; i < 100 && GetHandover(brug, other.id()).status() != v1::HANDOVER_STATUS_EXPIRED; ++i) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  absl::SleepFor(absl::Milliseconds(200));
  EXPECT_EQ(Told(v1::HANDOVER_OVERDUE, h.id()), Once({"regisseur"}));
  EXPECT_EQ(Told(v1::HANDOVER_EXPIRED, h.id()), Once({"consultant"}));
  EXPECT_EQ(Told(v1::HANDOVER_OVERDUE, other.id()), Once({"partner-woej"}));
}

TEST_F(NotificationsTest, AnAssignedSignalTellsTheOwnerTeam) {
  As regisseur = Who("regisseur");
  v1::Signal s = CreateSignal(regisseur, "FVW-OVERLAST");
  v1::AssignSignalRequest req;
  req.set_id(s.id());
  req.set_owner_organisation_id("woej");
  req.set_etag(s.etag());
  v1::Signal out;
  Ctx ctx;
  ASSERT_TRUE(regisseur.signals->AssignSignal(&ctx, req, &out).ok());
  EXPECT_EQ(Told(v1::SIGNAL_ASSIGNED, s.id()), Once({"partner-woej"}));
}

TEST_F(NotificationsTest, AMeasurementDueTellsTheTrajectorysConsultantOnce) {
  As consultant = Who("consultant");
  auto trajectories = v1::TrajectoryService::NewStub(consultant.channel);
  v1::StartTrajectoryRequest req;
  req.set_request_id(Rid("tr"));
  req.set_resident_id(Resident(consultant));
  req.set_bijstand_since("2024-01-01");
  req.set_goal("Vrijwilligerswerk bij de bibliotheek");
  v1::Trajectory t;
  Ctx ctx;
  ASSERT_TRUE(trajectories->StartTrajectory(&ctx, req, &t).ok());
  // Before the first measurement it is due on the start date: today.
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(Told(v1::MEASUREMENT_DUE, t.id()), Once({"consultant"}));
}

TEST_F(NotificationsTest, AnErasedResidentsRecordsLeaveNoNotificationBehind) {
  As brug = Who("brugfunctionaris");
  const std::string resident = Resident(brug);
  v1::Handover h = Propose(brug, resident, "woej");
  v1::Handover other = Propose(brug, Resident(brug), "woej");
  ASSERT_EQ(Told(v1::HANDOVER_PROPOSED, h.id()), Once({"partner-woej"}));
  auto privacy = v1::PrivacyService::NewStub(Who("privacy").channel);
  v1::EraseRequest req;
  req.set_resident_id(resident);
  req.set_request_ref("AVG-2026-0101");
  v1::EraseResponse erased;
  Ctx ctx;
  grpc::Status s = privacy->Erase(&ctx, req, &erased);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(Told(v1::HANDOVER_PROPOSED, h.id()).empty());
  // Another resident's stays.
  EXPECT_EQ(Told(v1::HANDOVER_PROPOSED, other.id()), Once({"partner-woej"}));
}

TEST_F(NotificationsTest, AStreamEndsOnceItsProfessionalIsDisabled) {
  auto stub = Stub("partner-woej");
  v1::WhoAmIResponse me;
  {
    Ctx ctx;
    ASSERT_TRUE(v1::DirectoryService::NewStub(Who("partner-woej").channel)
                    ->WhoAmI(&ctx, v1::WhoAmIRequest(), &me)
                    .ok());
  }
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  auto reader = stub->WatchNotifications(&ctx, v1::WatchNotificationsRequest());
  absl::SleepFor(absl::Milliseconds(300));
  v1::DisableProfessionalRequest req;
  req.set_professional_id(me.professional().id());
  v1::Professional out;
  Ctx admin_ctx;
  ASSERT_TRUE(
      v1::AdminService::NewStub(Who("admin").channel)->DisableProfessional(&admin_ctx, req, &out).ok());
  // Nothing more reaches it: not this proposal, and the stream ends.
  As brug = Who("brugfunctionaris");
  Propose(brug, Resident(brug), "woej");
  v1::Notification n;
  const absl::Time start = absl::Now();
  EXPECT_FALSE(reader->Read(&n)) << n.resource_id();
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  grpc::Status s = reader->Finish();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(NotificationsTest, AProfessionalHoldsAtMostEightStreams) {
  auto stub = Stub("partner-woej");
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<std::unique_ptr<grpc::ClientReader<v1::Notification>>> readers;
  for (int i = 0; i < 8; ++i) {
    contexts.push_back(std::make_unique<grpc::ClientContext>());
    contexts.back()->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    readers.push_back(stub->WatchNotifications(contexts.back().get(),
                                               v1::WatchNotificationsRequest()));
  }
  absl::SleepFor(absl::Milliseconds(500));
  grpc::ClientContext ninth;
  ninth.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  auto refused = stub->WatchNotifications(&ninth, v1::WatchNotificationsRequest());
  v1::Notification n;
  EXPECT_FALSE(refused->Read(&n));
  EXPECT_EQ(refused->Finish().error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  // Another professional is not held back by them.
  grpc::ClientContext other;
  other.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(3));
  auto vidomes = Stub("partner-vidomes")->WatchNotifications(&other, v1::WatchNotificationsRequest());
  EXPECT_FALSE(vidomes->Read(&n));
  // Its deadline ended it (OK from the server, or the client's own
  // DEADLINE_EXCEEDED first), never a refusal.
  const grpc::StatusCode ended = vidomes->Finish().error_code();
  EXPECT_TRUE(ended == grpc::StatusCode::OK || ended == grpc::StatusCode::DEADLINE_EXCEEDED)
      << ended;
  for (size_t i = 0; i < readers.size(); ++i) {
    contexts[i]->TryCancel();
    readers[i]->Finish();
  }
}

TEST_F(NotificationsTest, MarkingReadTouchesOnlyTheCallersOwn) {
  As brug = Who("brugfunctionaris");
  v1::Handover h = Propose(brug, Resident(brug), "woej");
  std::vector<v1::Notification> mine = List("partner-woej", /*unread_only=*/true);
  ASSERT_EQ(mine.size(), 1u);
  // Someone else naming it marks nothing.
  {
    v1::MarkNotificationsReadRequest req;
    req.add_ids(mine[0].id());
    v1::MarkNotificationsReadResponse resp;
    Ctx ctx;
    ASSERT_TRUE(Stub("partner-vidomes")->MarkNotificationsRead(&ctx, req, &resp).ok());
    EXPECT_EQ(resp.marked(), 0);
  }
  EXPECT_EQ(List("partner-woej", true).size(), 1u);
  {
    v1::MarkNotificationsReadRequest req;
    req.add_ids(mine[0].id());
    v1::MarkNotificationsReadResponse resp;
    Ctx ctx;
    ASSERT_TRUE(Stub("partner-woej")->MarkNotificationsRead(&ctx, req, &resp).ok());
    EXPECT_EQ(resp.marked(), 1);
    EXPECT_EQ(resp.unread_count(), 0);
  }
  EXPECT_THAT(List("partner-woej", true), IsEmpty());
  EXPECT_TRUE(List("partner-woej")[0].has_read_time());
  // Not an id: refused naming the field, and nothing else.
  v1::MarkNotificationsReadRequest bad;
  bad.add_ids("x'; DROP TABLE notifications; --");
  v1::MarkNotificationsReadResponse resp;
  Ctx ctx;
  grpc::Status s = Stub("partner-woej")->MarkNotificationsRead(&ctx, bad, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), ::testing::HasSubstr("ids"));
  v1::MarkNotificationsReadRequest none;
  Ctx ctx2;
  s = Stub("partner-woej")->MarkNotificationsRead(&ctx2, none, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(NotificationsTest, AWatcherReceivesAProposalWithinASecondOfItsCommit) {
  auto stub = Stub("partner-woej");
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  v1::WatchNotificationsRequest req;
  std::unique_ptr<grpc::ClientReader<v1::Notification>> reader = stub->WatchNotifications(&ctx, req);
  // The stream is open once the server has recorded it; give it a moment.
  absl::SleepFor(absl::Milliseconds(300));
  As brug = Who("brugfunctionaris");
  const std::string resident = Resident(brug);
  const absl::Time sent = absl::Now();
  v1::Handover h = Propose(brug, resident, "woej");
  const absl::Time committed = absl::Now();
  v1::Notification n;
  ASSERT_TRUE(reader->Read(&n));
  const absl::Time received = absl::Now();
  EXPECT_EQ(n.kind(), v1::HANDOVER_PROPOSED);
  EXPECT_EQ(n.resource_id(), h.id());
  EXPECT_LT(received - committed, absl::Seconds(1)) << "sent at " << sent;
  ctx.TryCancel();
  reader->Finish();
}

TEST_F(NotificationsTest, AWatcherFirstGetsWhatIsUnreadAndResumesAfterTheLastSeq) {
  As brug = Who("brugfunctionaris");
  v1::Handover first = Propose(brug, Resident(brug), "woej");
  v1::Handover second = Propose(brug, Resident(brug), "woej");
  auto stub = Stub("partner-woej");
  std::vector<std::string> seen;
  int64_t last = 0;
  {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    auto reader = stub->WatchNotifications(&ctx, v1::WatchNotificationsRequest());
    v1::Notification n;
    for (int i = 0; i < 2 && reader->Read(&n); ++i) {
      seen.push_back(n.resource_id());
      last = n.seq();
    }
    ctx.TryCancel();
    reader->Finish();
  }
  EXPECT_THAT(seen, ElementsAre(first.id(), second.id()));
  v1::Handover third = Propose(brug, Resident(brug), "woej");
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::WatchNotificationsRequest from;
  from.set_after_seq(last);
  auto reader = stub->WatchNotifications(&ctx, from);
  v1::Notification n;
  ASSERT_TRUE(reader->Read(&n));
  EXPECT_EQ(n.resource_id(), third.id());
  ctx.TryCancel();
  reader->Finish();
}

TEST_F(NotificationsTest, SettingsAreEachProfessionalsOwnAndDeadLettersTheAdminsOnly) {
  auto woej = Stub("partner-woej");
  v1::NotificationSettings set;
  auto* c = set.add_choices();
  c->set_kind(v1::HANDOVER_PROPOSED);
  c->set_delivery(v1::EMAIL_NOW);
  v1::NotificationSettings got;
  {
    Ctx ctx;
    ASSERT_TRUE(woej->SetNotificationSettings(&ctx, set, &got).ok());
  }
  std::map<int, int> by_kind;
  for (const auto& ch : got.choices()) by_kind[ch.kind()] = ch.delivery();
  EXPECT_EQ(by_kind.size(), 11u);
  EXPECT_EQ(by_kind[v1::HANDOVER_PROPOSED], v1::EMAIL_NOW);
  EXPECT_EQ(by_kind[v1::HANDOVER_ACCEPTED], v1::IN_APP);
  {
    v1::NotificationSettings other;
    Ctx ctx;
    ASSERT_TRUE(Stub("partner-vidomes")
                    ->GetNotificationSettings(&ctx, v1::GetNotificationSettingsRequest(), &other)
                    .ok());
    for (const auto& ch : other.choices()) EXPECT_EQ(ch.delivery(), v1::IN_APP);
  }
  // A kind twice, or none: refused naming the choice.
  auto* again = set.add_choices();
  again->set_kind(v1::HANDOVER_PROPOSED);
  again->set_delivery(v1::IN_APP);
  {
    Ctx ctx;
    grpc::Status s = woej->SetNotificationSettings(&ctx, set, &got);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(s.error_message(), ::testing::HasSubstr("choices[1].kind"));
  }
  v1::ListDeadLettersResponse dead;
  {
    Ctx ctx;
    grpc::Status s = woej->ListDeadLetters(&ctx, v1::ListDeadLettersRequest(), &dead);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  }
  Ctx ctx;
  EXPECT_TRUE(Stub("admin")->ListDeadLetters(&ctx, v1::ListDeadLettersRequest(), &dead).ok());
}

}  // namespace
}  // namespace schakel
