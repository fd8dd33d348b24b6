// Participation trajectories through a real server, with the injected clock.
#include <google/protobuf/util/message_differencer.h>

#include "server/crypto/x509.h"
#include "tests/integration/case_fixture.h"

namespace schakel {
namespace {

using testing::As;
using testing::CasesTest;
using testing::Ctx;
using testing::Rid;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using google::protobuf::util::MessageDifferencer;

class TrajectoryTest : public CasesTest {
 protected:
  std::unique_ptr<v1::TrajectoryService::Stub> Trajectories(As& who) {
    return v1::TrajectoryService::NewStub(who.channel);
  }

  v1::Trajectory Start(As& consultant, const std::string& resident,
                       const std::string& start_date = "2026-05-01") {
    v1::StartTrajectoryRequest req;
    req.set_request_id(Rid("traj"));
    req.set_resident_id(resident);
    req.set_start_date(start_date);
    req.set_bijstand_since("2023-02-01");
    req.set_goal("Vrijwilligerswerk, daarna betaald werk met ondersteuning");
    v1::Trajectory out;
    Ctx ctx;
    grpc::Status s = Trajectories(consultant)->StartTrajectory(&ctx, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  grpc::Status Measure(As& who, const std::string& id, int rung, const std::string& date,
                       v1::Trajectory* out) {
    v1::RecordMeasurementRequest req;
    req.set_request_id(Rid("measure"));
    req.set_trajectory_id(id);
    req.set_rung(rung);
    req.set_date(date);
    req.set_note("gesprek op het spreekuur");
    Ctx ctx;
    return Trajectories(who)->RecordMeasurement(&ctx, req, out);
  }

  grpc::Status Get(As& who, const std::string& id, v1::Trajectory* out) {
    v1::GetTrajectoryRequest req;
    req.set_id(id);
    Ctx ctx;
    return Trajectories(who)->GetTrajectory(&ctx, req, out);
  }

  // ListResidentTrajectories as `who`.
  grpc::Status ListOf(As& who, const std::string& resident, bool include_closed,
                      v1::ListResidentTrajectoriesResponse* out) {
    v1::ListResidentTrajectoriesRequest req;
    req.set_resident_id(resident);
    req.set_include_closed(include_closed);
    Ctx ctx;
    return Trajectories(who)->ListResidentTrajectories(&ctx, req, out);
  }

  // The ids ListResidentTrajectories answers `who` (failing the test when
  // it is refused).
  std::vector<std::string> IdsOf(As& who, const std::string& resident,
                                 bool include_closed = false) {
    v1::ListResidentTrajectoriesResponse out;
    grpc::Status s = ListOf(who, resident, include_closed, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    std::vector<std::string> ids;
    for (const auto& t : out.trajectories()) ids.push_back(t.id());
    return ids;
  }

  // What GetTrajectory answers `who`, without the history (as the lists
  // show a trajectory).
  v1::Trajectory GetWithoutHistory(As& who, const std::string& id) {
    v1::Trajectory t;
    grpc::Status s = Get(who, id, &t);
    EXPECT_TRUE(s.ok()) << s.error_message();
    t.clear_measurements();
    t.clear_steps();
    return t;
  }

  grpc::Status Close(As& consultant, const std::string& id) {
    v1::Trajectory current;
    grpc::Status s = Get(consultant, id, &current);
    if (!s.ok()) return s;
    v1::ChangeTrajectoryStatusRequest req;
    req.set_id(id);
    req.set_status(v1::TRAJECTORY_STATUS_CLOSED);
    req.set_reason("Betaald werk gevonden");
    req.set_etag(current.etag());
    v1::Trajectory out;
    Ctx ctx;
    return Trajectories(consultant)->ChangeTrajectoryStatus(&ctx, req, &out);
  }

  // The audit entries of `action`, oldest first.
  std::vector<v1::AuditEntry> EntriesOf(const std::string& action) {
    auto audit = v1::AuditService::NewStub(Who("auditor").channel);
    v1::QueryAuditRequest q;
    q.set_action(action);
    q.set_page_size(500);
    v1::QueryAuditResponse resp;
    Ctx ctx;
    grpc::Status s = audit->QueryAudit(&ctx, q, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {resp.entries().begin(), resp.entries().end()};
  }

  // A second consultant of the municipality, added through the API.
  // A consultant of the municipality in `team` (the demo consultant's
  // werk-en-inkomen by default).
  std::pair<std::string, As> SecondConsultant(const std::string& team = "werk-en-inkomen") {
    auto key = crypto::GenerateEcKey();
    v1::AddProfessionalRequest req;
    req.set_request_id(Rid(absl::StrCat("consultant-", team)));
    req.set_organisation_id("gemeente-lv");
    req.set_display_name("Tweede consulent");
    req.add_roles(v1::ROLE_CONSULTANT);
    req.set_team(team);
    req.set_csr_pem(*crypto::MakeCsrPem(key->get()));
    v1::AddProfessionalResponse added;
    Ctx ctx;
    auto admin = v1::AdminService::NewStub(Who("admin").channel);
    EXPECT_TRUE(admin->AddProfessional(&ctx, req, &added).ok());
    // The role takes effect once the second administrator approves it.
    {
      v1::ApproveGrantRequest approve;
      approve.set_grant_id(added.grant_id());
      v1::Grant grant;
      Ctx approve_ctx;
      EXPECT_TRUE(v1::AdminService::NewStub(Who("admin2").channel)
                      ->ApproveGrant(&approve_ctx, approve, &grant)
                      .ok());
    }
    testing::Identity id{added.certificate_pem(), crypto::PrivateKeyToPem(key->get()),
                         added.ca_certificate_pem()};
    As a;
    a.channel = testing::MakeChannel(server_->address(), id);
    a.residents = v1::ResidentService::NewStub(a.channel);
    a.signals = v1::SignalService::NewStub(a.channel);
    a.handovers = v1::HandoverService::NewStub(a.channel);
    return {added.professional().id(), std::move(a)};
  }
};

TEST_F(TrajectoryTest, LadderHistoryAndMovement) {
  As consultant = Who("consultant");
  std::string resident = Register(consultant, "Karim Ouali", "1971-04-04");
  v1::Trajectory t = Start(consultant, resident);
  EXPECT_EQ(t.latest_rung(), 0);
  EXPECT_EQ(t.next_measurement_due(), "2026-05-01");  // before the first: the start
  EXPECT_TRUE(t.measurement_overdue());                // and today is 23 November
  v1::Trajectory out;
  ASSERT_TRUE(Measure(consultant, t.id(), 1, "2026-05-10", &out).ok());
  ASSERT_TRUE(Measure(consultant, t.id(), 2, "2026-08-01", &out).ok());
  ASSERT_TRUE(Measure(consultant, t.id(), 4, "2026-08-01", &out).ok());  // same day, later
  grpc::Status s = Measure(consultant, t.id(), 3, "2026-11-20", &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.latest_rung(), 3);
  EXPECT_EQ(out.latest_rung_label_nl(), "deelname aan georganiseerde activiteiten");
  EXPECT_EQ(out.movement_since_first(), 2);
  EXPECT_EQ(out.movement_since_previous(), -1);
  ASSERT_EQ(out.measurements_size(), 4);
  EXPECT_EQ(out.measurements(1).rung(), 2);
  EXPECT_EQ(out.measurements(2).rung(), 4);  // kept in the order recorded
  EXPECT_EQ(out.last_measured(), "2026-11-20");
  EXPECT_EQ(out.next_measurement_due(), "2027-05-20");
  EXPECT_FALSE(out.measurement_due());
  EXPECT_FALSE(out.measurement_overdue());

  // Bad input names the field or the state.
  s = Measure(consultant, t.id(), 7, "2026-11-20", &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("rung"));
  s = Measure(consultant, t.id(), 3, "2026-11-24", &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("date: must not be in the future"));
  s = Measure(consultant, t.id(), 3, "2026-04-30", &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("before the trajectory's start"));
}

TEST_F(TrajectoryTest, DueAndOverdueFollowTheInjectedClockAtTheBoundaries) {
  As consultant = Who("consultant");
  std::string resident = Register(consultant, "Lotte de Wit", "1988-02-02");
  v1::Trajectory t = Start(consultant, resident, "2026-11-01");
  v1::Trajectory out;
  ASSERT_TRUE(Measure(consultant, t.id(), 2, "2026-11-23", &out).ok());
  EXPECT_EQ(out.next_measurement_due(), "2027-05-23");
  auto due_flags = [&] {
    v1::Trajectory now;
    EXPECT_TRUE(Get(consultant, t.id(), &now).ok());
    return std::make_pair(now.measurement_due(), now.measurement_overdue());
  };
  // 23 November 2026 + 150 days = 22 April 2027: 31 days before the due date.
  clock_.Advance(absl::Hours(24 * 150));
  EXPECT_EQ(due_flags(), std::make_pair(false, false));
  clock_.Advance(absl::Hours(24));  // 30 days before
  EXPECT_EQ(due_flags(), std::make_pair(true, false));
  clock_.Advance(absl::Hours(24 * 30));  // the due date itself
  EXPECT_EQ(due_flags(), std::make_pair(true, false));
  clock_.Advance(absl::Hours(24));  // the day after
  EXPECT_EQ(due_flags(), std::make_pair(false, true));
}

TEST_F(TrajectoryTest, AReferralStepFollowsItsHandoverToCompletedHelped) {
  As consultant = Who("consultant"), woej = Who("partner-woej");
  std::string resident = Register(consultant, "Youssef Amrani", "1980-07-07");
  v1::Trajectory t = Start(consultant, resident);
  v1::Handover h = Propose(consultant, resident, "woej");
  v1::AddStepRequest step;
  step.set_request_id(Rid("step"));
  step.set_trajectory_id(t.id());
  step.set_type(v1::STEP_TYPE_REFERRAL);
  step.set_description("Verwijzing naar Woej voor vrijwilligerswerk");
  step.set_handover_id(h.id());
  v1::Step added;
  {
    Ctx ctx;
    grpc::Status s = Trajectories(consultant)->AddStep(&ctx, step, &added);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  EXPECT_EQ(added.handover_status(), v1::HANDOVER_STATUS_PROPOSED);
  // Another type of step takes no handover; a referral needs one of its own.
  step.set_request_id(Rid("step"));
  step.set_handover_id("hnopenopenopenope");
  {
    Ctx ctx;
    v1::Step bad;
    grpc::Status s = Trajectories(consultant)->AddStep(&ctx, step, &bad);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(s.error_message(), HasSubstr("handover_id"));
  }
  v1::Handover acted;
  ASSERT_TRUE(Act(woej, &v1::HandoverService::Stub::AcceptHandover, h.id(), &acted).ok());
  ASSERT_TRUE(Act(woej, &v1::HandoverService::Stub::CompleteHandover, h.id(), &acted,
                  [](v1::HandoverActionRequest& r) { r.set_outcome(v1::OUTCOME_HELPED); })
                  .ok());
  v1::Trajectory seen;
  ASSERT_TRUE(Get(consultant, t.id(), &seen).ok());
  ASSERT_EQ(seen.steps_size(), 1);
  EXPECT_EQ(seen.steps(0).handover_status(), v1::HANDOVER_STATUS_COMPLETED);
  EXPECT_EQ(seen.steps(0).handover_outcome(), v1::OUTCOME_HELPED);
  EXPECT_EQ(seen.open_steps(), 1);  // the step itself is still planned
}

TEST_F(TrajectoryTest, OwnerColleagueHandoverReceiverAndOthersSeeWhatThePolicyAllows) {
  As consultant = Who("consultant"), woej = Who("partner-woej"), vidomes = Who("partner-vidomes"),
     regisseur = Who("regisseur");
  std::string resident = Register(consultant, "Mila Jansen", "1990-09-09");
  v1::Trajectory t = Start(consultant, resident);
  v1::Trajectory out;
  ASSERT_TRUE(Measure(consultant, t.id(), 2, "2026-06-01", &out).ok());
  auto [colleague_id, colleague] = SecondConsultant();
  auto [other_team_id, other_team] = SecondConsultant("gebiedsregie");

  // The owner and a consultant of the same team: the whole trajectory.
  for (As* who : {&consultant, &colleague}) {
    v1::Trajectory full;
    ASSERT_TRUE(Get(*who, t.id(), &full).ok());
    EXPECT_FALSE(full.summary_only());
    EXPECT_FALSE(full.goal().empty());
    EXPECT_EQ(full.measurements_size(), 1);
  }
  // Before any accepted handover: nobody else knows it exists — not a
  // consultant of another team of the municipality either (a caseload is
  // its team's), nor the regisseur.
  for (As* who : {&woej, &vidomes, &regisseur, &other_team}) {
    v1::Trajectory none;
    EXPECT_EQ(Get(*who, t.id(), &none).error_code(), grpc::StatusCode::NOT_FOUND);
  }
  // Woej accepts a handover for the resident: the summary, never the notes.
  v1::Handover h = Propose(consultant, resident, "woej");
  v1::Handover acted;
  ASSERT_TRUE(Act(woej, &v1::HandoverService::Stub::AcceptHandover, h.id(), &acted).ok());
  v1::Trajectory summary;
  ASSERT_TRUE(Get(woej, t.id(), &summary).ok());
  EXPECT_TRUE(summary.summary_only());
  EXPECT_EQ(summary.latest_rung(), 2);
  EXPECT_TRUE(summary.goal().empty());
  EXPECT_EQ(summary.measurements_size(), 0);
  EXPECT_EQ(Get(vidomes, t.id(), &summary).error_code(), grpc::StatusCode::NOT_FOUND);
  // A partner cannot change it, not even with the summary.
  EXPECT_EQ(Measure(woej, t.id(), 3, "2026-11-01", &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Measure(vidomes, t.id(), 3, "2026-11-01", &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // Transfer to the colleague; then only the caseload of the colleague holds it.
  v1::TransferTrajectoryRequest transfer;
  transfer.set_id(t.id());
  transfer.set_to_consultant_id(colleague_id);
  {
    v1::Trajectory current;
    ASSERT_TRUE(Get(consultant, t.id(), &current).ok());
    transfer.set_etag(current.etag());
  }
  {
    Ctx ctx;
    grpc::Status s = Trajectories(consultant)->TransferTrajectory(&ctx, transfer, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  EXPECT_EQ(out.consultant_id(), colleague_id);
  v1::ListCaseloadRequest mine;
  mine.set_mine(true);
  v1::ListCaseloadResponse caseload;
  {
    Ctx ctx;
    ASSERT_TRUE(Trajectories(colleague)->ListCaseload(&ctx, mine, &caseload).ok());
  }
  ASSERT_EQ(caseload.trajectories_size(), 1);
  EXPECT_EQ(caseload.trajectories(0).id(), t.id());
  transfer.set_to_consultant_id("pnobodyaaaaaaaaaa");
  {
    Ctx ctx;
    grpc::Status s = Trajectories(consultant)->TransferTrajectory(&ctx, transfer, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_THAT(s.error_message(), HasSubstr("to_consultant_id"));
  }
}

TEST_F(TrajectoryTest, AClosedTrajectoryTakesNoStepsOrMeasurements) {
  As consultant = Who("consultant");
  std::string resident = Register(consultant, "Sem Bakker", "1969-03-03");
  v1::Trajectory t = Start(consultant, resident);
  v1::ChangeTrajectoryStatusRequest close;
  close.set_id(t.id());
  close.set_status(v1::TRAJECTORY_STATUS_CLOSED);
  close.set_etag(t.etag());
  v1::Trajectory out;
  {
    Ctx ctx;
    grpc::Status s = Trajectories(consultant)->ChangeTrajectoryStatus(&ctx, close, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(s.error_message(), HasSubstr("reason"));
  }
  close.set_reason("Aan het werk bij de WSP");
  {
    Ctx ctx;
    ASSERT_TRUE(Trajectories(consultant)->ChangeTrajectoryStatus(&ctx, close, &out).ok());
  }
  EXPECT_EQ(out.status(), v1::TRAJECTORY_STATUS_CLOSED);
  grpc::Status s = Measure(consultant, t.id(), 5, "2026-11-01", &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("closed"));
  v1::AddStepRequest step;
  step.set_request_id(Rid("step"));
  step.set_trajectory_id(t.id());
  step.set_type(v1::STEP_TYPE_TRAINING);
  step.set_description("Cursus");
  v1::Step added;
  Ctx ctx;
  s = Trajectories(consultant)->AddStep(&ctx, step, &added);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("closed"));
}

TEST_F(TrajectoryTest, TheConsultantsTeamSeesItsResidentsTrajectoriesInFullNewestFirst) {
  As consultant = Who("consultant");
  std::string resident = Register(consultant, "Noor Hendriks", "1979-06-06");
  std::string other = Register(consultant, "Daan Hendriks", "1981-06-06");
  v1::Trajectory older = Start(consultant, resident, "2026-02-01");
  v1::Trajectory newer = Start(consultant, resident, "2026-06-01");
  Start(consultant, other);
  v1::Trajectory out;
  ASSERT_TRUE(Measure(consultant, older.id(), 3, "2026-03-01", &out).ok());
  auto [colleague_id, colleague] = SecondConsultant();
  auto [other_team_id, other_team] = SecondConsultant("gebiedsregie");
  for (As* who : {&consultant, &colleague}) {
    v1::ListResidentTrajectoriesResponse listed;
    grpc::Status s = ListOf(*who, resident, false, &listed);
    ASSERT_TRUE(s.ok()) << s.error_message();
    // Only this resident's, newest first, each as GetTrajectory shows it
    // in full, without the measurements and steps.
    ASSERT_EQ(listed.trajectories_size(), 2);
    EXPECT_EQ(listed.trajectories(0).id(), newer.id());
    EXPECT_EQ(listed.trajectories(1).id(), older.id());
    for (const v1::Trajectory& t : listed.trajectories()) {
      EXPECT_FALSE(t.summary_only());
      EXPECT_FALSE(t.goal().empty());
      EXPECT_FALSE(t.etag().empty());
      EXPECT_FALSE(t.resident_name().empty());
      EXPECT_EQ(t.measurements_size(), 0);
      EXPECT_TRUE(MessageDifferencer::Equals(t, GetWithoutHistory(*who, t.id())))
          << t.DebugString();
    }
    EXPECT_EQ(listed.trajectories(1).latest_rung(), 3);
  }
  // A consultant of another team of the municipality: a caseload is its
  // team's, so nothing.
  EXPECT_THAT(IdsOf(other_team, resident, true), IsEmpty());
}

TEST_F(TrajectoryTest, APartnerWithAnAcceptedHandoverSeesOnlyTheSummary) {
  As consultant = Who("consultant"), woej = Who("partner-woej");
  std::string resident = Register(consultant, "Iris Mulder", "1986-08-08");
  v1::Trajectory t = Start(consultant, resident);
  v1::Trajectory out;
  ASSERT_TRUE(Measure(consultant, t.id(), 2, "2026-06-01", &out).ok());
  v1::Handover h = Propose(consultant, resident, "woej");
  EXPECT_THAT(IdsOf(woej, resident, true), IsEmpty());  // proposed only
  v1::Handover acted;
  ASSERT_TRUE(Act(woej, &v1::HandoverService::Stub::AcceptHandover, h.id(), &acted).ok());
  v1::ListResidentTrajectoriesResponse listed;
  ASSERT_TRUE(ListOf(woej, resident, false, &listed).ok());
  ASSERT_EQ(listed.trajectories_size(), 1);
  const v1::Trajectory& summary = listed.trajectories(0);
  EXPECT_EQ(summary.id(), t.id());
  EXPECT_TRUE(summary.summary_only());
  EXPECT_EQ(summary.latest_rung(), 2);
  EXPECT_TRUE(summary.goal().empty());
  EXPECT_TRUE(summary.bijstand_since().empty());
  EXPECT_TRUE(summary.etag().empty());
  EXPECT_TRUE(summary.last_measured().empty());
  // Exactly the fields GetTrajectory's summary shows.
  EXPECT_TRUE(MessageDifferencer::Equals(summary, GetWithoutHistory(woej, t.id())))
      << summary.DebugString();
  // Still the summary once the handover completed.
  ASSERT_TRUE(Act(woej, &v1::HandoverService::Stub::CompleteHandover, h.id(), &acted,
                  [](v1::HandoverActionRequest& r) { r.set_outcome(v1::OUTCOME_HELPED); })
                  .ok());
  listed.Clear();
  ASSERT_TRUE(ListOf(woej, resident, false, &listed).ok());
  ASSERT_EQ(listed.trajectories_size(), 1);
  EXPECT_TRUE(listed.trajectories(0).summary_only());
}

TEST_F(TrajectoryTest, APartnerWithOnlyAProposedOrDeclinedHandoverOrNoRelationSeesAnEmptyList) {
  As consultant = Who("consultant"), woej = Who("partner-woej"), vidomes = Who("partner-vidomes"),
     regisseur = Who("regisseur"), ggz = Who("ggz");
  std::string resident = Register(consultant, "Finn de Boer", "1975-05-05");
  Start(consultant, resident);
  Propose(consultant, resident, "woej");
  v1::Handover to_vidomes = Propose(consultant, resident, "vidomes");
  v1::Handover acted;
  ASSERT_TRUE(Act(vidomes, &v1::HandoverService::Stub::DeclineHandover, to_vidomes.id(), &acted,
                  [](v1::HandoverActionRequest& r) { r.set_reason("Geen plek tot maart"); })
                  .ok());
  // Woej: proposed only; vidomes: declined; the regisseur and ggz: no
  // relation. Never counted, never refused: an empty list.
  for (As* who : {&woej, &vidomes, &regisseur, &ggz}) {
    v1::ListResidentTrajectoriesResponse listed;
    grpc::Status s = ListOf(*who, resident, true, &listed);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(listed.trajectories_size(), 0);
  }
}

TEST_F(TrajectoryTest, ClosedTrajectoriesOfTheResidentAreListedOnlyWithIncludeClosed) {
  As consultant = Who("consultant"), woej = Who("partner-woej");
  std::string resident = Register(consultant, "Sara Kok", "1992-12-12");
  v1::Trajectory closed = Start(consultant, resident, "2026-01-05");
  v1::Trajectory open = Start(consultant, resident, "2026-07-01");
  ASSERT_TRUE(Close(consultant, closed.id()).ok());
  v1::Handover h = Propose(consultant, resident, "woej");
  v1::Handover acted;
  ASSERT_TRUE(Act(woej, &v1::HandoverService::Stub::AcceptHandover, h.id(), &acted).ok());
  for (As* who : {&consultant, &woej}) {
    EXPECT_THAT(IdsOf(*who, resident, false), ElementsAre(open.id()));
    EXPECT_THAT(IdsOf(*who, resident, true), ElementsAre(open.id(), closed.id()));
  }
}

TEST_F(TrajectoryTest, TheResidentsTrajectoryListIsOneAuditEntryNamingTheResidentsItReturned) {
  As consultant = Who("consultant"), vidomes = Who("partner-vidomes");
  std::string resident = Register(consultant, "Tim Smit", "1970-10-10");
  Start(consultant, resident);
  Start(consultant, resident, "2026-09-01");
  ASSERT_EQ(IdsOf(consultant, resident).size(), 2u);
  EXPECT_THAT(IdsOf(vidomes, resident), IsEmpty());
  const std::vector<v1::AuditEntry> entries =
      EntriesOf("TrajectoryService.ListResidentTrajectories");
  ASSERT_EQ(entries.size(), 2u);
  // The consultant's list: one entry for two trajectories, naming the
  // resident whose data it returned.
  EXPECT_EQ(entries[0].organisation_id(), "gemeente-lv");
  EXPECT_EQ(entries[0].outcome(), "allowed");
  EXPECT_EQ(entries[0].resource_type(), "trajectory");
  EXPECT_THAT(entries[0].resident_ids(), ElementsAre(resident));
  // Vidomes' empty list returned nobody's data.
  EXPECT_EQ(entries[1].organisation_id(), "vidomes");
  EXPECT_EQ(entries[1].outcome(), "allowed");
  EXPECT_THAT(entries[1].resident_ids(), IsEmpty());
  // The resident's access report holds the list.
  auto audit = v1::AuditService::NewStub(Who("auditor").channel);
  v1::ResidentAccessReportRequest req;
  req.set_resident_id(resident);
  v1::ResidentAccessReportResponse report;
  Ctx ctx;
  ASSERT_TRUE(audit->ResidentAccessReport(&ctx, req, &report).ok());
  int listed = 0;
  for (const auto& a : report.accesses()) {
    listed += a.action() == "TrajectoryService.ListResidentTrajectories";
  }
  EXPECT_EQ(listed, 1);
}

TEST_F(TrajectoryTest, RolesWithoutCaseDataAndBadResidentIdsAreRefusedTheResidentsTrajectories) {
  As consultant = Who("consultant");
  std::string resident = Register(consultant, "Eva Bos", "1989-04-04");
  Start(consultant, resident);
  for (const char* name : {"auditor", "admin", "analyst", "privacy"}) {
    As who = Who(name);
    v1::ListResidentTrajectoriesResponse listed;
    grpc::Status s = ListOf(who, resident, true, &listed);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << name;
    EXPECT_EQ(listed.trajectories_size(), 0) << name;
  }
  for (const std::string& bad : {std::string(), std::string("not an id!"),
                                 std::string("tnotaresidentaaaa")}) {
    v1::ListResidentTrajectoriesResponse listed;
    grpc::Status s = ListOf(consultant, bad, false, &listed);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << bad;
    EXPECT_THAT(s.error_message(), HasSubstr("resident_id")) << bad;
  }
}

}  // namespace
}  // namespace schakel
