// End to end: a consultant caseload with the real CLI.
//
// Each test makes its own demo deployment (schakel-admin init --demo), runs
// schakeld on a free port and calls `schakel` as the demo professionals:
// consultant (gemeente-lv) keeps participation trajectories, a second
// consultant of gemeente-lv is added with `schakel-admin user add` to take
// over the caseload, partner-woej (woej) sees a summary only once it holds an
// accepted handover for the resident, partner-vidomes never does. Values are
// read from --json output, in the proto3 JSON mapping.
//
// Dates are computed from today (UTC): the server refuses measurements in the
// future, and the six-month measurement cycle is checked on the first of a
// month, so that adding months never has to clamp a day.
#include <google/protobuf/util/json_util.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/directory.pb.h"
#include "schakel/v1/handovers.pb.h"
#include "schakel/v1/trajectories.pb.h"
#include "tests/support/cli_support.h"
#include "tests/support/process.h"

namespace schakel {
namespace {

using ::schakel::testing::Bin;
using ::schakel::testing::DemoCliTest;
using ::schakel::testing::FailsWith;
using ::schakel::testing::Result;
using ::schakel::testing::RunCommand;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Property;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;

// A measurement's date, rung and note.
MATCHER_P3(IsMeasurement, date, rung, note,
           absl::StrCat("a measurement of rung ", rung, " on ", date, " with note \"", note,
                        "\"")) {
  const v1::Measurement& m = arg;
  bool match = m.date() == date && m.rung() == rung && m.note() == note;
  if (!match) {
    *result_listener << "is rung " << m.rung() << " on " << m.date() << " with note \""
                     << m.note() << "\"";
  }
  return match;
}

// The ids of a caseload.
std::vector<std::string> Ids(const v1::ListCaseloadResponse& list) {
  std::vector<std::string> ids;
  for (const v1::Trajectory& t : list.trajectories()) ids.push_back(t.id());
  return ids;
}

// Today in UTC, and YYYY-MM-DD of days around it.
absl::CivilDay Today() { return absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()); }
std::string Day(absl::CivilDay d) { return absl::FormatCivilTime(d); }
// The first of the month `months` before this one.
std::string MonthStart(int months_ago) {
  return Day(absl::CivilDay(absl::CivilMonth(Today()) - months_ago));
}

// The demo deployment, with the consultant of gemeente-lv keeping
// trajectories.
class TrajectoryCliTest : public DemoCliTest {
 protected:
  // The admin adds a consultant of gemeente-lv's werk-en-inkomen (the demo
  // consultant's team) who enrolls into users/USER (so that Cli(USER, ...)
  // calls as them); admin2 approves the role and the team.
  bool AddConsultant(const std::string& user, const std::string& name) {
    return !AddApprovedProfessional(user, "gemeente-lv", {"consultant"}, name, "werk-en-inkomen")
                .empty();
  }

  std::string RegisterResident(const std::string& name, const std::string& birth_date) {
    return DemoCliTest::RegisterResident("consultant", name, birth_date, "Damlaan 4");
  }

  // `trajectory show ID --json` as `user`.
  bool Show(const std::string& user, const std::string& id, v1::Trajectory* out) {
    return Json(user, {"trajectory", "show", id}, out);
  }

  // `trajectory list --mine --json` as `user`.
  std::vector<std::string> MyCaseload(const std::string& user) {
    v1::ListCaseloadResponse list;
    if (!Json(user, {"trajectory", "list", "--mine", "--all"}, &list)) return {"<failed>"};
    return Ids(list);
  }
};

TEST_F(TrajectoryCliTest, CaseloadMovesToASecondConsultantWithItsLadderHistory) {
  const std::string first = ProfessionalId("consultant");
  ASSERT_FALSE(first.empty());

  // Two bijstand clients, each with a trajectory.
  std::string r1 = RegisterResident("Johan de Vries", "1969-07-21");
  std::string r2 = RegisterResident("Fatma Yilmaz", "1979-02-11");
  ASSERT_FALSE(r1.empty());
  ASSERT_FALSE(r2.empty());
  const std::string start1 = MonthStart(14);
  const std::string goal = "Vrijwilligerswerk bij de voedselbank, dan een werkervaringsplek";
  std::string t1 = Create("consultant",
                          {"trajectory", "start", "--resident", r1, "--start-date", start1,
                           "--bijstand-since", "2019-05-01", "--goal", goal});
  ASSERT_FALSE(t1.empty());
  // With --json the Trajectory itself, the id at the top.
  const std::string start2 = MonthStart(2);
  v1::Trajectory started;
  ASSERT_TRUE(
      Json("consultant", {"trajectory", "start", "--resident", r2, "--start-date", start2},
           &started));
  const std::string t2 = started.id();
  ASSERT_FALSE(t2.empty());
  EXPECT_NE(t2, t1);
  EXPECT_EQ(started.resident_id(), r2);
  EXPECT_EQ(started.consultant_id(), first);
  EXPECT_EQ(started.organisation_id(), "gemeente-lv");
  EXPECT_EQ(started.status(), v1::TRAJECTORY_STATUS_ACTIVE);
  EXPECT_EQ(started.start_date(), start2);
  // No measurement yet: rung 0, the first one due on the start date.
  EXPECT_EQ(started.latest_rung(), 0);
  EXPECT_EQ(started.next_measurement_due(), start2);
  EXPECT_THAT(started.measurements(), IsEmpty());

  // Three measurements on the ladder: up two, then down one.
  Result m1 = Cli("consultant", {"trajectory", "measure", t1, "--rung", "2", "--date",
                                 MonthStart(13), "--note", "komt weinig buiten"});
  ASSERT_EQ(m1.exit_code, 0) << m1.err;
  Result m2 = Cli("consultant", {"trajectory", "measure", t1, "--rung", "4", "--date",
                                 MonthStart(10)});
  ASSERT_EQ(m2.exit_code, 0) << m2.err;
  EXPECT_THAT(m2.err, IsEmpty());
  EXPECT_THAT(m2.out, HasSubstr("rung 4 (onbetaald werk)"));
  EXPECT_THAT(m2.out, HasSubstr("+2 since first, +2 since previous"));
  const std::string note3 = "vrijwilligerswerk gestopt na verhuizing";
  v1::Trajectory measured;
  ASSERT_TRUE(Json("consultant",
                   {"trajectory", "measure", t1, "--rung", "3", "--date", MonthStart(7),
                    "--note", note3},
                   &measured));
  EXPECT_EQ(measured.latest_rung(), 3);
  EXPECT_EQ(measured.movement_since_previous(), -1);

  v1::Trajectory t;
  ASSERT_TRUE(Show("consultant", t1, &t));
  EXPECT_EQ(t.id(), t1);
  EXPECT_EQ(t.resident_id(), r1);
  EXPECT_EQ(t.consultant_id(), first);
  EXPECT_EQ(t.start_date(), start1);
  EXPECT_EQ(t.bijstand_since(), "2019-05-01");
  EXPECT_EQ(t.goal(), goal);
  EXPECT_FALSE(t.summary_only());
  EXPECT_EQ(t.latest_rung(), 3);
  EXPECT_EQ(t.latest_rung_label_nl(), "deelname aan georganiseerde activiteiten");
  EXPECT_THAT(t.latest_rung_label_en(), Not(IsEmpty()));
  EXPECT_EQ(t.movement_since_first(), 1);
  EXPECT_EQ(t.movement_since_previous(), -1);
  EXPECT_EQ(t.last_measured(), MonthStart(7));
  // Six months after the last measurement, which is behind us.
  EXPECT_EQ(t.next_measurement_due(), MonthStart(1));
  EXPECT_TRUE(t.measurement_overdue());
  EXPECT_THAT(t.measurements(),
              ElementsAre(IsMeasurement(MonthStart(13), 2, "komt weinig buiten"),
                          IsMeasurement(MonthStart(10), 4, ""),
                          IsMeasurement(MonthStart(7), 3, note3)))
      << t.DebugString();
  EXPECT_THAT(t.measurements(), Each(Property(&v1::Measurement::measured_by, first)));
  EXPECT_EQ(t.measurements(0).rung_label_nl(), "sociale contacten buiten de deur");
  EXPECT_EQ(t.measurements(1).rung_label_nl(), "onbetaald werk");

  // Plain mode: the Dutch label, the movement, the ladder and the goal.
  Result plain = Cli("consultant", {"trajectory", "show", t1});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_THAT(plain.err, IsEmpty());
  EXPECT_THAT(plain.out, HasSubstr(t1));
  EXPECT_THAT(plain.out, HasSubstr("3 (deelname aan georganiseerde activiteiten)"));
  EXPECT_THAT(plain.out, HasSubstr("+1 since first, -1 since previous"));
  EXPECT_THAT(plain.out, HasSubstr("sociale contacten buiten de deur"));
  EXPECT_THAT(plain.out, HasSubstr(note3));
  EXPECT_THAT(plain.out, HasSubstr(goal));

  // A colleague joins the team.
  ASSERT_TRUE(AddConsultant("tweede", "Tweede consulent"));
  v1::WhoAmIResponse second_me;
  ASSERT_TRUE(Json("tweede", {"whoami"}, &second_me));
  const std::string second = second_me.professional().id();
  ASSERT_FALSE(second.empty());
  EXPECT_NE(second, first);
  EXPECT_EQ(second_me.organisation().id(), "gemeente-lv");
  EXPECT_THAT(MyCaseload("tweede"), IsEmpty());
  EXPECT_THAT(MyCaseload("consultant"), UnorderedElementsAre(t1, t2));

  // The first consultant hands over the whole caseload.
  v1::TransferCaseloadResponse moved;
  ASSERT_TRUE(Json("consultant", {"trajectory", "transfer", "--from", first, "--to", second},
                   &moved));
  EXPECT_EQ(moved.transferred(), 2);
  EXPECT_THAT(moved.trajectory_ids(), UnorderedElementsAre(t1, t2));

  v1::ListCaseloadResponse theirs;
  ASSERT_TRUE(Json("tweede", {"trajectory", "list", "--mine", "--all"}, &theirs));
  EXPECT_THAT(Ids(theirs), UnorderedElementsAre(t1, t2));
  EXPECT_THAT(theirs.trajectories(), Each(Property(&v1::Trajectory::consultant_id, second)));
  // The caseload carries no ladder history.
  EXPECT_THAT(theirs.trajectories(), Each(Property(&v1::Trajectory::measurements, IsEmpty())));
  EXPECT_THAT(MyCaseload("consultant"), IsEmpty());

  // The history stays with the trajectory, measured by whom it was.
  ASSERT_TRUE(Show("tweede", t1, &t));
  EXPECT_EQ(t.consultant_id(), second);
  EXPECT_EQ(t.latest_rung(), 3);
  EXPECT_THAT(t.measurements(), SizeIs(3));
  EXPECT_THAT(t.measurements(), Each(Property(&v1::Measurement::measured_by, first)));

  // One trajectory comes back to the first consultant.
  v1::Trajectory back;
  ASSERT_TRUE(Json("tweede", {"trajectory", "transfer", t1, "--to", first}, &back));
  EXPECT_EQ(back.id(), t1);
  EXPECT_EQ(back.consultant_id(), first);
  EXPECT_THAT(MyCaseload("consultant"), ElementsAre(t1));
  EXPECT_THAT(MyCaseload("tweede"), ElementsAre(t2));

  // Plain mode prints the count.
  Result all_back = Cli("tweede", {"trajectory", "transfer", "--from", second, "--to", first});
  ASSERT_EQ(all_back.exit_code, 0) << all_back.err;
  EXPECT_THAT(all_back.err, IsEmpty());
  EXPECT_THAT(all_back.out, HasSubstr("transferred 1 trajector"));
  EXPECT_THAT(all_back.out, HasSubstr(t2));
  EXPECT_THAT(MyCaseload("consultant"), UnorderedElementsAre(t1, t2));
  EXPECT_THAT(MyCaseload("tweede"), IsEmpty());
}

TEST_F(TrajectoryCliTest, TransferGoesOnlyToAnActiveConsultantOfTheOrganisation) {
  const std::string first = ProfessionalId("consultant");
  const std::string regisseur = ProfessionalId("regisseur");  // gemeente-lv, not a consultant
  const std::string woej = ProfessionalId("partner-woej");
  ASSERT_FALSE(first.empty());
  ASSERT_FALSE(regisseur.empty());
  ASSERT_FALSE(woej.empty());
  std::string r1 = RegisterResident("Kees Bakker", "1966-10-03");
  std::string r2 = RegisterResident("Nadia El Amrani", "1985-03-27");
  ASSERT_FALSE(r1.empty());
  ASSERT_FALSE(r2.empty());
  std::string open = Create("consultant", {"trajectory", "start", "--resident", r1});
  std::string closed = Create("consultant", {"trajectory", "start", "--resident", r2});
  ASSERT_FALSE(open.empty());
  ASSERT_FALSE(closed.empty());
  v1::Trajectory t;
  ASSERT_TRUE(Json("consultant", {"trajectory", "close", closed, "--reason", "Aan het werk"}, &t));
  ASSERT_EQ(t.status(), v1::TRAJECTORY_STATUS_CLOSED);

  EXPECT_THAT(Cli("consultant", {"trajectory", "transfer", open, "--to", regisseur}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("to_consultant_id")));
  EXPECT_THAT(Cli("consultant", {"trajectory", "transfer", open, "--to", woej}),
              FailsWith("NOT_FOUND", HasSubstr(woej)));
  EXPECT_THAT(Cli("consultant", {"trajectory", "transfer", "--from", first, "--to", woej}),
              FailsWith("NOT_FOUND", HasSubstr(woej)));
  EXPECT_THAT(Cli("consultant", {"trajectory", "transfer", "--from", first, "--to", first}),
              FailsWith("INVALID_ARGUMENT", Not(IsEmpty())));
  EXPECT_THAT(Cli("partner-woej", {"trajectory", "transfer", "--from", first, "--to", woej}),
              FailsWith("PERMISSION_DENIED", Not(IsEmpty())));

  // A colleague leaves: disabled, their open trajectory moves to the other;
  // the closed one stays where it was.
  ASSERT_TRUE(AddConsultant("vertrekkend", "Vertrekkende consulent"));
  const std::string leaving = ProfessionalId("vertrekkend");
  ASSERT_FALSE(leaving.empty());
  ASSERT_TRUE(Json("consultant", {"trajectory", "transfer", open, "--to", leaving}, &t));
  ASSERT_EQ(t.consultant_id(), leaving);
  EXPECT_THAT(Cli("consultant", {"trajectory", "transfer", closed, "--to", leaving}),
              FailsWith("FAILED_PRECONDITION", HasSubstr("closed")));
  Result disable =
      RunCommand({Bin("schakel-admin"), "user", "disable", leaving, "--server",
                  daemon_->address(), "--identity", Identity("admin")});
  ASSERT_EQ(disable.exit_code, 0) << disable.err;
  // Nothing more goes to them ...
  EXPECT_THAT(Cli("consultant", {"trajectory", "transfer", "--from", first, "--to", leaving}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("to_consultant_id")));
  // ... and what they had comes back.
  v1::TransferCaseloadResponse moved;
  ASSERT_TRUE(Json("consultant", {"trajectory", "transfer", "--from", leaving, "--to", first},
                   &moved));
  EXPECT_EQ(moved.transferred(), 1);
  EXPECT_THAT(moved.trajectory_ids(), ElementsAre(open));
  EXPECT_THAT(MyCaseload("consultant"), ElementsAre(open));
  v1::ListCaseloadResponse with_closed;
  ASSERT_TRUE(Json("consultant", {"trajectory", "list", "--mine", "--include-closed", "--all"},
                   &with_closed));
  EXPECT_THAT(Ids(with_closed), UnorderedElementsAre(open, closed));
}

TEST_F(TrajectoryCliTest, DeniedAndInvalidRequestsFailWithOneLineAndNonZeroExit) {
  std::string resident = RegisterResident("Anouk de Groot", "1991-09-02");
  ASSERT_FALSE(resident.empty());
  std::string id = Create("consultant", {"trajectory", "start", "--resident", resident,
                                         "--start-date", MonthStart(3), "--goal", "taal"});
  ASSERT_FALSE(id.empty());

  // The ladder has six rungs.
  EXPECT_THAT(Cli("consultant", {"trajectory", "measure", id, "--rung", "7"}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("rung")));
  EXPECT_THAT(Cli("consultant", {"trajectory", "measure", id, "--rung", "0"}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("rung")));
  // Not in the future, not before the start.
  const std::string next_month = Day(Today() + 31);
  EXPECT_THAT(Cli("consultant", {"trajectory", "measure", id, "--rung", "3", "--date",
                                 next_month}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("date")));
  EXPECT_THAT(Cli("consultant", {"trajectory", "measure", id, "--rung", "3", "--date",
                                 MonthStart(4)}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("date")));
  v1::Trajectory t;
  ASSERT_TRUE(Json("consultant", {"trajectory", "show", id}, &t));
  EXPECT_THAT(t.measurements(), IsEmpty()) << t.DebugString();
  EXPECT_EQ(t.latest_rung(), 0);

  // WOEJ holds no handover for the resident: the trajectory answers as if it
  // did not exist, with the same words as one that does not exist.
  Result stranger = Cli("partner-woej", {"trajectory", "show", id});
  EXPECT_THAT(stranger, FailsWith("NOT_FOUND", HasSubstr(id)));
  const std::string unknown_id = "taaaaaaaaaaaaaaaa";
  Result unknown = Cli("partner-woej", {"trajectory", "show", unknown_id});
  EXPECT_THAT(unknown, FailsWith("NOT_FOUND", HasSubstr(unknown_id)));
  {
    std::string masked = stranger.err;
    size_t at = masked.find(id);
    if (at != std::string::npos) masked.replace(at, id.size(), unknown_id);
    EXPECT_EQ(masked, unknown.err);
  }
  // Only consultants keep trajectories.
  EXPECT_THAT(Cli("partner-woej", {"trajectory", "start", "--resident", resident}),
              FailsWith("PERMISSION_DENIED", Not(IsEmpty())));
  EXPECT_THAT(Cli("partner-woej", {"trajectory", "measure", id, "--rung", "3"}),
              FailsWith("PERMISSION_DENIED", Not(IsEmpty())));

  // Closing takes a reason; a closed trajectory takes no new steps or
  // measurements.
  EXPECT_THAT(Cli("consultant", {"trajectory", "close", id}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("reason")));
  ASSERT_TRUE(Json("consultant", {"trajectory", "close", id, "--reason", "Aan het werk"}, &t));
  EXPECT_EQ(t.status(), v1::TRAJECTORY_STATUS_CLOSED);
  EXPECT_EQ(t.close_reason(), "Aan het werk");
  EXPECT_THAT(Cli("consultant",
                  {"trajectory", "step", id, "--type", "training", "--description", "X"}),
              FailsWith("FAILED_PRECONDITION", HasSubstr("closed")));
  EXPECT_THAT(Cli("consultant", {"trajectory", "measure", id, "--rung", "6"}),
              FailsWith("FAILED_PRECONDITION", HasSubstr("closed")));
  ASSERT_TRUE(Json("consultant", {"trajectory", "show", id}, &t));
  EXPECT_THAT(t.steps(), IsEmpty());
  EXPECT_THAT(t.measurements(), IsEmpty());
  // Out of the open caseload.
  EXPECT_THAT(MyCaseload("consultant"), IsEmpty());
}

TEST_F(TrajectoryCliTest, AnAcceptedHandoverShowsTheReceiverOnlyASummary) {
  std::string resident = RegisterResident("Samira Bakkali", "1988-04-17");
  ASSERT_FALSE(resident.empty());
  const std::string goal = "Betaald werk in de zorg binnen een jaar";
  std::string id = Create("consultant",
                          {"trajectory", "start", "--resident", resident, "--start-date",
                           MonthStart(5), "--bijstand-since", "2020-01-01", "--goal", goal});
  ASSERT_FALSE(id.empty());
  const std::string note = "schulden houden haar tegen";
  ASSERT_EQ(Cli("consultant", {"trajectory", "measure", id, "--rung", "2", "--date",
                               MonthStart(4), "--note", note})
                .exit_code,
            0);
  ASSERT_EQ(Cli("consultant", {"trajectory", "measure", id, "--rung", "3", "--date",
                               MonthStart(1)})
                .exit_code,
            0);
  const std::string training = "Cursus helpende zorg niveau 2";
  std::string training_step = Create(
      "consultant", {"trajectory", "step", id, "--type", "training", "--description", training});
  ASSERT_FALSE(training_step.empty());

  // A referral to WOEJ, with her consent.
  std::string handover =
      Create("consultant", {"handover", "propose", "--resident", resident, "--to", "woej",
                            "--reason", "taalcursus", "--basis", "consent", "--basis-note",
                            "taalcursus en schuldhulp"});
  ASSERT_FALSE(handover.empty());
  // Proposed, not yet accepted: WOEJ sees nothing.
  EXPECT_THAT(Cli("partner-woej", {"trajectory", "show", id}),
              FailsWith("NOT_FOUND", HasSubstr(id)));
  v1::Handover h;
  ASSERT_TRUE(Json("partner-woej", {"handover", "accept", handover}, &h));
  ASSERT_EQ(h.status(), v1::HANDOVER_STATUS_ACCEPTED);

  // A referral step is that handover, and needs one.
  EXPECT_THAT(Cli("consultant", {"trajectory", "step", id, "--type", "referral", "--description",
                                 "Naar WOEJ"}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("handover")));
  const std::string referral = "Taalcursus en schuldhulp bij WOEJ";
  std::string referral_step =
      Create("consultant", {"trajectory", "step", id, "--type", "referral", "--description",
                            referral, "--handover", handover});
  ASSERT_FALSE(referral_step.empty());

  Result summary_json = Cli("partner-woej", {"trajectory", "show", id}, /*json=*/true);
  ASSERT_EQ(summary_json.exit_code, 0) << summary_json.err;
  v1::Trajectory s;
  auto parsed = google::protobuf::util::JsonStringToMessage(summary_json.out, &s);
  ASSERT_TRUE(parsed.ok()) << parsed.ToString() << "\n" << summary_json.out;
  EXPECT_TRUE(s.summary_only());
  EXPECT_EQ(s.id(), id);
  EXPECT_EQ(s.resident_id(), resident);
  EXPECT_EQ(s.latest_rung(), 3);
  EXPECT_EQ(s.latest_rung_label_nl(), "deelname aan georganiseerde activiteiten");
  EXPECT_THAT(s.goal(), IsEmpty());
  EXPECT_THAT(s.bijstand_since(), IsEmpty());
  EXPECT_THAT(s.measurements(), IsEmpty());
  ASSERT_THAT(s.steps(), SizeIs(1)) << s.DebugString();
  const v1::Step& step = s.steps(0);
  EXPECT_EQ(step.id(), referral_step);
  EXPECT_EQ(step.type(), v1::STEP_TYPE_REFERRAL);
  EXPECT_EQ(step.description(), referral);
  EXPECT_EQ(step.handover_id(), handover);
  EXPECT_EQ(step.handover_status(), v1::HANDOVER_STATUS_ACCEPTED);
  // Nothing of the goal, the notes or the other steps, anywhere.
  EXPECT_THAT(summary_json.out, Not(HasSubstr(goal)));
  EXPECT_THAT(summary_json.out, Not(HasSubstr(note)));
  EXPECT_THAT(summary_json.out, Not(HasSubstr(training)));
  EXPECT_THAT(summary_json.out, Not(HasSubstr(training_step)));

  // Plain mode says it is a summary.
  Result plain = Cli("partner-woej", {"trajectory", "show", id});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_THAT(plain.out, HasSubstr("summary"));
  EXPECT_THAT(plain.out, HasSubstr("deelname aan georganiseerde activiteiten"));
  EXPECT_THAT(plain.out, HasSubstr(referral));
  EXPECT_THAT(plain.out, Not(HasSubstr(goal)));
  EXPECT_THAT(plain.out, Not(HasSubstr(note)));
  EXPECT_THAT(plain.out, Not(HasSubstr(training)));

  // The step follows the handover: WOEJ reports the outcome.
  ASSERT_TRUE(Json("partner-woej",
                   {"handover", "complete", handover, "--outcome", "helped", "--text",
                    "taalcursus gestart"},
                   &h));
  ASSERT_TRUE(Show("partner-woej", id, &s));
  EXPECT_TRUE(s.summary_only());
  ASSERT_THAT(s.steps(), SizeIs(1));
  EXPECT_EQ(s.steps(0).handover_status(), v1::HANDOVER_STATUS_COMPLETED);
  EXPECT_EQ(s.steps(0).handover_outcome(), v1::OUTCOME_HELPED);

  // Vidomes holds no handover: still nothing.
  EXPECT_THAT(Cli("partner-vidomes", {"trajectory", "show", id}),
              FailsWith("NOT_FOUND", HasSubstr(id)));
  // The consultant still sees everything.
  v1::Trajectory full;
  ASSERT_TRUE(Show("consultant", id, &full));
  EXPECT_FALSE(full.summary_only());
  EXPECT_EQ(full.goal(), goal);
  EXPECT_THAT(full.measurements(), SizeIs(2));
  EXPECT_THAT(full.steps(), SizeIs(2));
  EXPECT_THAT(full.steps(), Contains(AllOf(Property(&v1::Step::id, referral_step),
                                           Property(&v1::Step::handover_outcome,
                                                    v1::OUTCOME_HELPED))));
}

TEST_F(TrajectoryCliTest, TrajectoryListWithResidentShowsTheTeamInFullAndTheReceiverTheSummary) {
  std::string resident = RegisterResident("Hanna Peters", "1984-09-19");
  std::string other = RegisterResident("Ruben Peters", "1982-03-30");
  ASSERT_FALSE(resident.empty());
  ASSERT_FALSE(other.empty());
  const std::string goal = "Vrijwilligerswerk in de buurtkamer";
  std::string id = Create("consultant", {"trajectory", "start", "--resident", resident,
                                         "--start-date", MonthStart(3), "--goal", goal});
  ASSERT_FALSE(id.empty());
  ASSERT_FALSE(Create("consultant", {"trajectory", "start", "--resident", other}).empty());
  // The consultant's team: in full, only that resident's.
  v1::ListResidentTrajectoriesResponse list;
  ASSERT_TRUE(Json("consultant", {"trajectory", "list", "--resident", resident}, &list));
  ASSERT_THAT(list.trajectories(), SizeIs(1));
  EXPECT_EQ(list.trajectories(0).id(), id);
  EXPECT_FALSE(list.trajectories(0).summary_only());
  EXPECT_EQ(list.trajectories(0).goal(), goal);
  Result plain = Cli("consultant", {"trajectory", "list", "--resident", resident});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_THAT(plain.out, HasSubstr("VIEW"));
  EXPECT_THAT(plain.out, HasSubstr(id));
  EXPECT_THAT(plain.out, HasSubstr("full"));

  // WOEJ: nothing while the handover is proposed, the summary once accepted.
  std::string handover =
      Create("consultant", {"handover", "propose", "--resident", resident, "--to", "woej",
                            "--reason", "buurtkamer", "--basis", "consent", "--basis-note",
                            "vrijwilligerswerk"});
  ASSERT_FALSE(handover.empty());
  list.Clear();
  ASSERT_TRUE(Json("partner-woej", {"trajectory", "list", "--resident", resident}, &list));
  EXPECT_THAT(list.trajectories(), IsEmpty());
  // The inbox about that resident holds the handover; about another, nothing.
  v1::ListHandoversResponse inbox;
  ASSERT_TRUE(Json("partner-woej", {"handover", "inbox", "--resident", resident}, &inbox));
  ASSERT_THAT(inbox.handovers(), SizeIs(1));
  EXPECT_EQ(inbox.handovers(0).id(), handover);
  inbox.Clear();
  ASSERT_TRUE(Json("partner-woej", {"handover", "inbox", "--resident", other}, &inbox));
  EXPECT_THAT(inbox.handovers(), IsEmpty());
  v1::Handover h;
  ASSERT_TRUE(Json("partner-woej", {"handover", "accept", handover}, &h));
  Result summary = Cli("partner-woej", {"trajectory", "list", "--resident", resident});
  ASSERT_EQ(summary.exit_code, 0) << summary.err;
  EXPECT_THAT(summary.out, HasSubstr(id));
  EXPECT_THAT(summary.out, HasSubstr("summary"));
  EXPECT_THAT(summary.out, Not(HasSubstr(goal)));
  Result summary_json = Cli("partner-woej", {"trajectory", "list", "--resident", resident},
                            /*json=*/true);
  ASSERT_EQ(summary_json.exit_code, 0) << summary_json.err;
  EXPECT_THAT(summary_json.out, Not(HasSubstr(goal)));

  // A resident's list is one page: the caseload's paging flags do not go with it.
  EXPECT_THAT(Cli("consultant", {"trajectory", "list", "--resident", resident, "--mine"}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("--mine")));
}

}  // namespace
}  // namespace schakel
