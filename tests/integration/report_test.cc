// The programme monitor through a real server: figures against a fixture
// computed by hand, disclosure control on the way out, only the analyst
// served, and every request in the audit log.
#include "schakel/v1/reports.grpc.pb.h"
#include "tests/integration/case_fixture.h"

namespace schakel::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class ReportTest : public CasesTest {
 protected:
  v1::Report Run(const char* which, const std::string& period, v1::ReportGrouping by,
                 grpc::Status* status = nullptr, const std::string& user = "analyst") {
    v1::ReportRequest req;
    req.set_period(period);
    req.set_by(by);
    return Send(which, req, status, user);
  }

  v1::Report Send(const char* which, const v1::ReportRequest& req, grpc::Status* status = nullptr,
                  const std::string& user = "analyst") {
    auto stub = v1::ReportService::NewStub(Who(user).channel);
    v1::Report out;
    Ctx ctx;
    grpc::Status s;
    if (std::string(which) == "signals") s = stub->SignalReport(&ctx, req, &out);
    if (std::string(which) == "handovers") s = stub->HandoverReport(&ctx, req, &out);
    if (std::string(which) == "participation") s = stub->ParticipationReport(&ctx, req, &out);
    if (status != nullptr) {
      *status = s;
    } else {
      EXPECT_TRUE(s.ok()) << which << ": " << s.error_message();
    }
    return out;
  }

  void SetStatus(As& who, const std::string& id, v1::SignalStatus to) {
    v1::GetSignalRequest get;
    get.set_id(id);
    v1::Signal current;
    {
      Ctx ctx;
      ASSERT_TRUE(who.signals->GetSignal(&ctx, get, &current).ok());
    }
    v1::ChangeSignalStatusRequest change;
    change.set_id(id);
    change.set_etag(current.etag());
    change.set_status(to);
    v1::Signal out;
    Ctx ctx;
    grpc::Status s = who.signals->ChangeSignalStatus(&ctx, change, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  static std::vector<std::string> Cells(const v1::ReportRow& row) {
    return {row.cells().begin(), row.cells().end()};
  }
};

// Monday 23 November 2026. Signals by the regisseur: six debts signals (FZ)
// and two dumping spots (FVW). Two days later five FZ signals are resolved,
// a day after that one of them is closed.
//
//   by opgave       opened  resolved  closed  median days
//   FVW (Fijn…)     2 → <5  0         0       .
//   FZ (Financ…)    6 → 5   5         1 → <5  2.0
//   total           8 → x   5         1 → <5  2.0
// "x": with only the <5 hidden, 8 - 6 would give it back; hiding the 6
// instead would leave <5 = 8 - x <= 3. Hiding the total keeps it 1..4.
// (Suppression decides on the true counts; shown counts are rounded to
// the nearest 5: 6 shows as 5, 8 as 10.)
TEST_F(ReportTest, SignalFiguresMatchTheHandComputedFixture) {
  As regisseur = Who("regisseur");
  std::vector<std::string> fz;
  for (int i = 0; i < 6; ++i) fz.push_back(CreateSignal(regisseur, "FZ-SCHULDEN").id());
  for (int i = 0; i < 2; ++i) CreateSignal(regisseur, "FVW-AFVALDUMP");
  clock_.Advance(absl::Hours(48));
  for (int i = 0; i < 5; ++i) {
    SetStatus(regisseur, fz[i], v1::SIGNAL_STATUS_IN_PROGRESS);
    SetStatus(regisseur, fz[i], v1::SIGNAL_STATUS_RESOLVED);
  }
  clock_.Advance(absl::Hours(24));
  SetStatus(regisseur, fz[0], v1::SIGNAL_STATUS_CLOSED);

  v1::Report r = Run("signals", "2026-11", v1::REPORT_GROUPING_OPGAVE);
  ASSERT_EQ(r.columns_size(), 4);
  EXPECT_EQ(r.period(), "2026-11");
  EXPECT_EQ(r.from(), "2026-11-01");
  EXPECT_EQ(r.to(), "2026-11-30");
  EXPECT_EQ(r.columns(0).key(), "opened");
  EXPECT_EQ(r.columns(0).label_nl(), "geopend");
  ASSERT_EQ(r.rows_size(), 2);
  EXPECT_EQ(r.rows(0).key(), "FVW");
  EXPECT_EQ(r.rows(0).label(), "Fijn en veilig wonen");
  EXPECT_THAT(Cells(r.rows(0)), ElementsAre("<5", "0", "0", "."));
  EXPECT_EQ(r.rows(1).key(), "FZ");
  EXPECT_EQ(r.rows(1).label(), "Financiële zelfredzaamheid");
  EXPECT_THAT(Cells(r.rows(1)), ElementsAre("5", "5", "<5", "2.0"));
  EXPECT_THAT(Cells(r.total()), ElementsAre("x", "5", "<5", "2.0"));

  // By month: every month of the period has its row; nothing small in them
  // but the closing.
  r = Run("signals", "2026-Q4", v1::REPORT_GROUPING_MONTH);
  ASSERT_EQ(r.rows_size(), 3);
  EXPECT_EQ(r.rows(0).key(), "2026-10");
  EXPECT_THAT(Cells(r.rows(0)), ElementsAre("0", "0", "0", "."));
  EXPECT_THAT(Cells(r.rows(1)), ElementsAre("10", "5", "<5", "2.0"));
  EXPECT_THAT(Cells(r.rows(2)), ElementsAre("0", "0", "0", "."));
  // A period before anything happened.
  r = Run("signals", "2026-Q3", v1::REPORT_GROUPING_OPGAVE);
  EXPECT_EQ(r.rows_size(), 0);
  EXPECT_THAT(Cells(r.total()), ElementsAre("0", "0", "0", "."));
}

// Handovers from the regisseur (gemeente-lv), proposed Monday with the
// default 5 working days (deadline Monday 30 November): five to Woej, all
// accepted a day later and completed (4 helped, 1 not helped); three to
// Vidomes: one accepted a day later, one cancelled, one left to expire.
//
//   by organisation  prop  acc   decl exp  canc comp helped not  on  res  median  in time
//   Vidomes          <5    <5    0    <5   <5   0    0      0    0   0    x       x (1 of 2)
//   Woej             5     5     0    0    0    5    <5     <5   0   0    1.0     100%
//   total            x     x     0    <5   <5   5    <5     <5   0   0    1.0     x (6 of 7)
// Proposed and accepted: hiding Woej's 5 would give <5 = total - x <= 3,
// so the totals are hidden. Woej's outcomes 4 + 1 = 5 leave each <5 at 1..4.
TEST_F(ReportTest, HandoverFiguresMatchTheHandComputedFixture) {
  As regisseur = Who("regisseur");
  As woej = Who("partner-woej");
  As vidomes = Who("partner-vidomes");
  std::string resident = Register(regisseur, "Sanne Visser", "1979-04-11");
  std::vector<std::string> to_woej, to_vidomes;
  for (int i = 0; i < 5; ++i) to_woej.push_back(Propose(regisseur, resident, "woej").id());
  for (int i = 0; i < 3; ++i) to_vidomes.push_back(Propose(regisseur, resident, "vidomes").id());
  clock_.Advance(absl::Hours(24));
  v1::Handover h;
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(Act(woej, &v1::HandoverService::Stub::AcceptHandover, to_woej[i], &h).ok());
    grpc::Status s = Act(woej, &v1::HandoverService::Stub::CompleteHandover, to_woej[i], &h,
                         i < 4 ? [](v1::HandoverActionRequest& r) {
                           r.set_outcome(v1::OUTCOME_HELPED);
                           r.set_text("Aangemeld");
                         } : [](v1::HandoverActionRequest& r) {
                           r.set_outcome(v1::OUTCOME_NOT_HELPED);
                           r.set_text("Geen aanbod");
                         });
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  ASSERT_TRUE(Act(vidomes, &v1::HandoverService::Stub::AcceptHandover, to_vidomes[0], &h).ok());
  ASSERT_TRUE(Act(regisseur, &v1::HandoverService::Stub::CancelHandover, to_vidomes[1], &h,
                  [](v1::HandoverActionRequest& r) { r.set_reason("Dubbel voorgesteld"); })
                  .ok());
  clock_.Advance(absl::Hours(24 * 7));  // Tuesday 1 December: past the deadline
  for (int i = 0; i < 300; ++i) {
    if (GetHandover(regisseur, to_vidomes[2]).status() == v1::HANDOVER_STATUS_EXPIRED) break;
    absl::SleepFor(absl::Milliseconds(10));
  }
  ASSERT_EQ(GetHandover(regisseur, to_vidomes[2]).status(), v1::HANDOVER_STATUS_EXPIRED);

  v1::Report r = Run("handovers", "2026-Q4", v1::REPORT_GROUPING_ORGANISATION);
  ASSERT_EQ(r.columns_size(), 13);
  EXPECT_EQ(r.columns(11).key(), "answered_in_time");
  EXPECT_EQ(r.columns(12).key(), "median_hours_to_first_answer");
  ASSERT_EQ(r.rows_size(), 2);
  EXPECT_EQ(r.rows(0).label(), "Vidomes");
  EXPECT_THAT(Cells(r.rows(0)), ElementsAre("<5", "<5", "0", "<5", "<5", "0", "0", "0", "0",
                                            "0", "x", "x", "x"));
  EXPECT_EQ(r.rows(1).label(), "Woej");
  EXPECT_THAT(Cells(r.rows(1)), ElementsAre("5", "5", "0", "0", "0", "5", "<5", "<5", "0", "0",
                                            "1.0", "100%", "24.0"));
  EXPECT_THAT(Cells(r.total()), ElementsAre("x", "x", "0", "<5", "<5", "5", "<5", "<5", "0", "0",
                                            "1.0", "x", "24.0"));
  // By team: the receiving team, here each organisation's intake team, with
  // the same figures and the same suppression.
  v1::Report by_team = Run("handovers", "2026-Q4", v1::REPORT_GROUPING_TEAM);
  ASSERT_EQ(by_team.rows_size(), 2);
  EXPECT_EQ(by_team.rows(0).key(), "vidomes/intake");
  EXPECT_EQ(by_team.rows(0).label(), "Vidomes — Intake");
  EXPECT_THAT(Cells(by_team.rows(0)), ElementsAre("<5", "<5", "0", "<5", "<5", "0", "0", "0", "0",
                                                  "0", "x", "x", "x"));
  EXPECT_EQ(by_team.rows(1).key(), "woej/intake");
  EXPECT_THAT(Cells(by_team.rows(1)), ElementsAre("5", "5", "0", "0", "0", "5", "<5", "<5", "0",
                                                  "0", "1.0", "100%", "24.0"));
  EXPECT_THAT(Cells(by_team.total()), ElementsAre("x", "x", "0", "<5", "<5", "5", "<5", "<5", "0",
                                                  "0", "1.0", "x", "24.0"));
  // November alone: the expiry on 1 December is not in it.
  r = Run("handovers", "2026-11", v1::REPORT_GROUPING_WIJK);
  ASSERT_EQ(r.rows_size(), 1);
  EXPECT_EQ(r.rows(0).label(), "Prinsenhof");
  EXPECT_EQ(r.total().cells(3), "0");
  EXPECT_EQ(r.total().cells(11), "100%");  // 6 answers, all in time
}

// Six bijstand clients started on 1 May 2026, measured then: five on rung
// 2, one on rung 4. The five were measured again on 20 November, on rung 3.
// November, by wijk: 6 clients (x: 6 - 5 would give the <5 of rung 4 back,
// and hiding the 5 would leave <5 = 6 - x <= 1), rung 3 five, rung 4 <5;
// moved up 5; overdue <5 (the one whose measurement was due on 1 November).
TEST_F(ReportTest, ParticipationFiguresMatchTheHandComputedFixture) {
  As consultant = Who("consultant");
  auto trajectories = v1::TrajectoryService::NewStub(consultant.channel);
  for (int i = 0; i < 6; ++i) {
    std::string resident = Register(consultant, absl::StrCat("Client ", i), "1970-01-0" + std::to_string(i + 1));
    v1::StartTrajectoryRequest start;
    start.set_request_id(Rid("tr"));
    start.set_resident_id(resident);
    start.set_start_date("2026-05-01");
    start.set_goal("Werk vinden");
    v1::Trajectory t;
    {
      Ctx ctx;
      grpc::Status s = trajectories->StartTrajectory(&ctx, start, &t);
      ASSERT_TRUE(s.ok()) << s.error_message();
    }
    auto measure = [&](const char* date, int rung) {
      v1::RecordMeasurementRequest m;
      m.set_request_id(Rid("measure"));
      m.set_trajectory_id(t.id());
      m.set_date(date);
      m.set_rung(rung);
      v1::Trajectory out;
      Ctx ctx;
      grpc::Status s = trajectories->RecordMeasurement(&ctx, m, &out);
      ASSERT_TRUE(s.ok()) << s.error_message();
    };
    measure("2026-05-01", i < 5 ? 2 : 4);
    if (i < 5) measure("2026-11-20", 3);
  }
  v1::Report r = Run("participation", "2026-11", v1::REPORT_GROUPING_WIJK);
  ASSERT_EQ(r.columns_size(), 11);
  ASSERT_EQ(r.rows_size(), 1);
  EXPECT_EQ(r.rows(0).key(), "prinsenhof");
  EXPECT_THAT(Cells(r.rows(0)),
              ElementsAre("x", "0", "0", "5", "<5", "0", "0", "0", "5", "0", "<5"));
  EXPECT_THAT(Cells(r.total()),
              ElementsAre("x", "0", "0", "5", "<5", "0", "0", "0", "5", "0", "<5"));
  // May: all six on the ladder since the 1st, none moved yet, none overdue;
  // the clients (six) hidden beside the five of rung 2 and the <5 of rung 4.
  r = Run("participation", "2026-05", v1::REPORT_GROUPING_ORGANISATION);
  ASSERT_EQ(r.rows_size(), 1);
  EXPECT_EQ(r.rows(0).key(), "gemeente-lv");
  EXPECT_THAT(Cells(r.rows(0)),
              ElementsAre("x", "0", "5", "0", "<5", "0", "0", "0", "0", "0", "0"));
  // By team: the consultant's caseload is werk-en-inkomen's.
  r = Run("participation", "2026-05", v1::REPORT_GROUPING_TEAM);
  ASSERT_EQ(r.rows_size(), 1);
  EXPECT_EQ(r.rows(0).key(), "gemeente-lv/werk-en-inkomen");
  EXPECT_EQ(r.rows(0).label(), "Gemeente Leidschendam-Voorburg — Werk en Inkomen");
  EXPECT_THAT(Cells(r.rows(0)),
              ElementsAre("x", "0", "5", "0", "<5", "0", "0", "0", "0", "0", "0"));
  grpc::Status s;
  Run("participation", "2026-11", v1::REPORT_GROUPING_OPGAVE, &s);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("by:"));
}

TEST_F(ReportTest, BadRequestsNameTheField) {
  grpc::Status s;
  for (const char* bad : {"", "2026-11-31", "2026-13", "2026-Q5", "2026-11-01..2026-11-30"}) {
    Run("signals", bad, v1::REPORT_GROUPING_MONTH, &s);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << bad;
    EXPECT_THAT(s.error_message(), HasSubstr("period: a month YYYY-MM")) << bad;
  }
  Run("signals", "2026-11", v1::REPORT_GROUPING_QUARTER, &s);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("by: a month's report cannot be grouped by quarter"));
  Run("handovers", "2026-11", v1::REPORT_GROUPING_UNSPECIFIED, &s);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("by: required"));
}

// The free from/to of before (fields 1 and 2) are refused with a message
// naming the field that replaced them, with or without a period beside them.
TEST_F(ReportTest, TheOldFromAndToAreRefusedNamingPeriod) {
  for (const char* which : {"signals", "handovers", "participation"}) {
    for (int variant = 0; variant < 3; ++variant) {
      v1::ReportRequest req;
      if (variant != 1) req.set_from("2026-11-01");
      if (variant != 0) req.set_to("2026-11-29");
      if (variant == 2) req.set_period("2026-11");
      req.set_by(v1::REPORT_GROUPING_WIJK);
      grpc::Status s;
      v1::Report r = Send(which, req, &s);
      EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << which << variant;
      EXPECT_THAT(s.error_message(), HasSubstr("period: reports no longer take from and to"))
          << which << variant;
      EXPECT_EQ(r.rows_size(), 0);
    }
  }
}

// Reports are the analyst's alone, and each request is in the audit log,
// allowed or denied, without residents.
TEST_F(ReportTest, OnlyTheAnalystIsServedAndEveryRequestIsAudited) {
  As regisseur = Who("regisseur");
  CreateSignal(regisseur, "FZ-SCHULDEN");
  for (const char* who : {"regisseur", "consultant", "auditor", "admin", "ggz", "partner-woej"}) {
    grpc::Status s;
    v1::Report r = Run("signals", "2026-11", v1::REPORT_GROUPING_OPGAVE, &s, who);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << who;
    EXPECT_THAT(s.error_message(), HasSubstr("analyst")) << who;
    EXPECT_EQ(r.rows_size(), 0);
  }
  Run("signals", "2026-11", v1::REPORT_GROUPING_OPGAVE);

  auto audit = v1::AuditService::NewStub(Who("auditor").channel);
  v1::QueryAuditRequest q;
  q.set_action("ReportService.SignalReport");
  v1::QueryAuditResponse resp;
  Ctx ctx;
  ASSERT_TRUE(audit->QueryAudit(&ctx, q, &resp).ok());
  int allowed = 0, denied = 0;
  for (const auto& e : resp.entries()) {
    EXPECT_EQ(e.resource_type(), "report");
    EXPECT_EQ(e.resident_ids_size(), 0);
    if (e.outcome() == "allowed") {
      ++allowed;
      EXPECT_EQ(e.resource_id(), "signals 2026-11 by opgave");
    }
    if (e.outcome() == "denied") ++denied;
  }
  EXPECT_EQ(allowed, 1);
  EXPECT_EQ(denied, 6);
}

}  // namespace
}  // namespace schakel::testing
