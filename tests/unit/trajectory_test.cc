#include "server/domain/trajectory.h"

#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/domain/calendar.h"
#include "tests/support/test_support.h"

namespace schakel::domain {
namespace {

using ::schakel::testing::IsOk;
using ::schakel::testing::StatusIs;
using ::testing::HasSubstr;

Measurement At(absl::CivilDay day, int rung) {
  Measurement m;
  m.date = day;
  m.rung = rung;
  return m;
}

TEST(LadderTest, LatestRungAndMovementFollowTheRecordedOrder) {
  EXPECT_FALSE(LadderOf({}).latest_rung.has_value());
  Ladder one = LadderOf({At(absl::CivilDay(2026, 1, 5), 2)});
  EXPECT_EQ(one.latest_rung, 2);
  EXPECT_EQ(one.since_first, 0);
  EXPECT_EQ(one.since_previous, 0);
  // Two on one date are kept in the order recorded: the second counts.
  Ladder l = LadderOf({At(absl::CivilDay(2026, 1, 5), 2), At(absl::CivilDay(2026, 4, 1), 3),
                       At(absl::CivilDay(2026, 4, 1), 4), At(absl::CivilDay(2026, 9, 1), 3)});
  EXPECT_EQ(l.latest_rung, 3);
  EXPECT_EQ(l.since_first, 1);
  EXPECT_EQ(l.since_previous, -1);
  EXPECT_EQ(l.last_measured, absl::CivilDay(2026, 9, 1));
}

TEST(LadderTest, LabelsInDutchAndEnglish) {
  EXPECT_STREQ(RungLabelNl(1), "geïsoleerd");
  EXPECT_STREQ(RungLabelEn(6), "paid work");
  EXPECT_STREQ(RungLabelNl(7), "");
}

TEST(MeasurementDueTest, SixMonthsAfterTheLastAndFlaggedAtTheBoundaries) {
  Trajectory t;
  t.start_date = absl::CivilDay(2026, 1, 10);
  // Before the first measurement it is due on the start date.
  EXPECT_EQ(NextMeasurementDue(t, LadderOf({})), t.start_date);
  Ladder l = LadderOf({At(absl::CivilDay(2026, 3, 15), 2)});
  absl::CivilDay due = NextMeasurementDue(t, l);
  EXPECT_EQ(due, absl::CivilDay(2026, 9, 15));
  EXPECT_FALSE(IsMeasurementDue(due, due - 31));
  EXPECT_TRUE(IsMeasurementDue(due, due - 30));
  EXPECT_TRUE(IsMeasurementDue(due, due));
  EXPECT_FALSE(IsMeasurementOverdue(due, due));
  EXPECT_TRUE(IsMeasurementOverdue(due, due + 1));
  EXPECT_FALSE(IsMeasurementDue(due, due + 1));
  // Month ends normalise as the store's SQL does: 31 August + 6 months.
  EXPECT_EQ(AddMonths(absl::CivilDay(2026, 8, 31), 6), absl::CivilDay(2027, 3, 3));
}

TEST(MeasurementTest, BadInputNamesTheFieldAndAClosedTrajectoryIsFinal) {
  Trajectory t;
  t.start_date = absl::CivilDay(2026, 2, 1);
  const absl::CivilDay today(2026, 6, 1);
  NewMeasurement m{"req-measure-1", "2026-05-01", 3, ""};
  EXPECT_THAT(ValidateMeasurement(t, m, today), IsOk());
  for (int rung : {0, 7, -1}) {
    m.rung = rung;
    EXPECT_THAT(ValidateMeasurement(t, m, today),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("rung: must be 1 to 6")));
  }
  m.rung = 3;
  m.date = "2026-06-02";
  EXPECT_THAT(ValidateMeasurement(t, m, today),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("date: must not be in the future")));
  m.date = "2026-01-31";
  EXPECT_THAT(ValidateMeasurement(t, m, today),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("before the trajectory's start")));
  m.date = "";
  t.status = TrajectoryStatus::kClosed;
  EXPECT_THAT(ValidateMeasurement(t, m, today),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("closed")));
  NewStep s{"req-step-0001", StepType::kVolunteering, "Vrijwilligerswerk bij de Tuinkamer"};
  EXPECT_THAT(ValidateStep(t, s), StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("closed")));
  t.status = TrajectoryStatus::kActive;
  EXPECT_THAT(ValidateStep(t, s), IsOk());
  s.type = StepType::kReferral;
  EXPECT_THAT(ValidateStep(t, s), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("handover_id")));
  s.type = StepType::kVolunteering;
  s.handover_id = "h1";
  EXPECT_THAT(ValidateStep(t, s), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("only a referral")));
}

TEST(TrajectoryStatusTest, EveryPairOfStates) {
  using S = TrajectoryStatus;
  const S all[] = {S::kActive, S::kPaused, S::kClosed};
  const std::set<std::pair<S, S>> allowed = {{S::kActive, S::kPaused}, {S::kPaused, S::kActive},
                                             {S::kActive, S::kClosed}, {S::kPaused, S::kClosed}};
  for (S from : all) {
    for (S to : all) {
      absl::Status s = CheckTrajectoryTransition(from, to, "verhuisd naar elders");
      if (allowed.count({from, to})) {
        EXPECT_THAT(s, IsOk());
      } else {
        EXPECT_THAT(s, StatusIs(absl::StatusCode::kFailedPrecondition,
                                HasSubstr(std::string("cannot become ") + TrajectoryStatusName(to))));
      }
    }
  }
  EXPECT_THAT(CheckTrajectoryTransition(S::kActive, S::kClosed, ""),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("reason")));
}

}  // namespace
}  // namespace schakel::domain
