// Disclosure control and the programme monitor's aggregation, as tables.
#include <random>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/domain/calendar.h"
#include "server/domain/disclosure.h"
#include "server/domain/report.h"
#include "tests/support/test_support.h"

namespace schakel::domain {
namespace {

using ::schakel::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A column of parts and its total in the last row.
std::vector<Line> ColumnLine(int rows, int column) {
  Line line{{rows, column}, {}};
  for (int r = 0; r < rows; ++r) line.parts.push_back({r, column});
  return {line};
}

TEST(DisclosureTest, CountsOfOneToFourAreShownAsLessThanFive) {
  const std::pair<int64_t, const char*> table[] = {
      {0, "0"}, {1, "<5"}, {2, "<5"}, {3, "<5"}, {4, "<5"}, {5, "5"}, {17, "17"}};
  for (const auto& [count, shown] : table) {
    auto state = Suppress({{count}}, {});
    EXPECT_EQ(ShowCount(count, state[0][0]), shown) << count;
  }
}

// Parts 3, 10, 7 and their total 20: with only the 3 hidden, 20 - 10 - 7
// gives it back. The next-smallest part (7) is hidden too.
TEST(DisclosureTest, SingleSuppressedCellRecoverableFromTheTotalGetsAPartner) {
  std::vector<std::vector<int64_t>> counts = {{3}, {10}, {7}, {20}};
  auto state = Suppress(counts, ColumnLine(3, 0));
  EXPECT_EQ(state[0][0], CellState::kSmall);
  EXPECT_EQ(state[1][0], CellState::kShown);
  EXPECT_EQ(state[2][0], CellState::kSecondary);
  EXPECT_EQ(state[3][0], CellState::kShown);
  EXPECT_EQ(ShowCount(7, state[2][0]), "x");
  // Without the line, the 7 would have been shown: the test can fail.
  EXPECT_EQ(Suppress(counts, {})[2][0], CellState::kShown);
}

TEST(DisclosureTest, TwoSmallCellsInALineNeedNoPartner) {
  auto state = Suppress({{3}, {2}, {10}, {15}}, ColumnLine(3, 0));
  EXPECT_EQ(state[2][0], CellState::kShown);
  EXPECT_EQ(state[3][0], CellState::kShown);
}

// Hiding a zero protects nothing: 11 - 0 - 8 would still give the 3.
TEST(DisclosureTest, APartnerIsNeverAZero) {
  auto state = Suppress({{3}, {0}, {8}, {11}}, ColumnLine(3, 0));
  EXPECT_EQ(state[1][0], CellState::kShown);
  EXPECT_EQ(state[2][0], CellState::kSecondary);
}

// A total of 1..4 is itself suppressed, so its single small part is not
// alone in the line.
TEST(DisclosureTest, TotalsFollowTheRulesToo) {
  auto state = Suppress({{2}, {0}, {2}}, ColumnLine(2, 0));
  EXPECT_EQ(state[0][0], CellState::kSmall);
  EXPECT_EQ(state[1][0], CellState::kShown);
  EXPECT_EQ(state[2][0], CellState::kSmall);
}

// Rows and columns: a partner chosen in a column can leave its row with a
// single hidden cell, which then needs its own partner.
TEST(DisclosureTest, SecondarySuppressionCascadesUntilEveryLineIsSafe) {
  // Two groups × (a, b, a+b), plus the total row.
  std::vector<std::vector<int64_t>> counts = {{2, 9, 11}, {6, 8, 14}, {8, 17, 25}};
  std::vector<Line> lines;
  for (int c = 0; c < 3; ++c) lines.push_back({{2, c}, {{0, c}, {1, c}}});
  for (int r = 0; r < 3; ++r) lines.push_back({{r, 2}, {{r, 0}, {r, 1}}});
  auto state = Suppress(counts, lines);
  EXPECT_EQ(state[0][0], CellState::kSmall);
  // Column a: 6 is the partner; row 0: 9; row 1: 8 (then column b has two).
  EXPECT_EQ(state[1][0], CellState::kSecondary);
  EXPECT_EQ(state[0][1], CellState::kSecondary);
  EXPECT_EQ(state[1][1], CellState::kSecondary);
  for (const Line& line : lines) {
    int hidden = state[line.total.row][line.total.column] != CellState::kShown;
    for (const CellRef& p : line.parts) hidden += state[p.row][p.column] != CellState::kShown;
    EXPECT_NE(hidden, 1);
  }
}

// The invariant on random tables: no line is left with exactly one hidden
// cell unless all its other cells are zero (then the total is small too).
TEST(DisclosureTest, NoLineOfARandomTableHasASingleHiddenCell) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> value(0, 12);
  for (int round = 0; round < 200; ++round) {
    const int rows = 1 + round % 5, parts = 1 + round % 4;
    std::vector<std::vector<int64_t>> counts(rows + 1, std::vector<int64_t>(parts + 1, 0));
    for (int r = 0; r < rows; ++r) {
      for (int c = 0; c < parts; ++c) {
        counts[r][c] = value(rng) < 4 ? value(rng) % 5 : value(rng);
        counts[r][parts] += counts[r][c];
        counts[rows][c] += counts[r][c];
        counts[rows][parts] += counts[r][c];
      }
    }
    std::vector<Line> lines;
    for (int c = 0; c <= parts; ++c) {
      Line l{{rows, c}, {}};
      for (int r = 0; r < rows; ++r) l.parts.push_back({r, c});
      lines.push_back(l);
    }
    for (int r = 0; r <= rows; ++r) {
      Line l{{r, parts}, {}};
      for (int c = 0; c < parts; ++c) l.parts.push_back({r, c});
      lines.push_back(l);
    }
    auto state = Suppress(counts, lines);
    for (const Line& line : lines) {
      int hidden = state[line.total.row][line.total.column] != CellState::kShown;
      for (const CellRef& p : line.parts) hidden += state[p.row][p.column] != CellState::kShown;
      EXPECT_NE(hidden, 1) << "round " << round;
    }
    for (int r = 0; r <= rows; ++r) {
      for (int c = 0; c <= parts; ++c) {
        if (counts[r][c] >= 1 && counts[r][c] <= 4) {
          EXPECT_EQ(state[r][c], CellState::kSmall);
        }
      }
    }
  }
}

TEST(DisclosureTest, MediansRestOnAtLeastFiveCases) {
  EXPECT_EQ(ShowMedian({}), ".");
  EXPECT_EQ(ShowMedian({1, 2, 3, 4}), "x");
  EXPECT_EQ(ShowMedian({100, 1, 3, 2, 4}), "3.0");
  EXPECT_EQ(ShowMedian({1, 2, 3, 4, 5, 6}), "3.5");
}

TEST(DisclosureTest, SharesNeverGiveASmallCountAway) {
  const std::tuple<int64_t, int64_t, const char*> table[] = {
      {0, 0, "."},   {3, 4, "x"},   {5, 5, "100%"}, {0, 5, "0%"},
      {5, 7, "x"},   // 2 late, and 7 is known from the counts
      {2, 9, "x"},   {6, 12, "50%"}, {5, 10, "50%"},
  };
  for (const auto& [part, whole, shown] : table) {
    EXPECT_EQ(ShowShare(part, whole), shown) << part << "/" << whole;
  }
}

TEST(ReportTest, PeriodIsCheckedNamingTheField) {
  EXPECT_THAT(ParseReportPeriod("2026-13-01", "2026-12-31"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("from")));
  EXPECT_THAT(ParseReportPeriod("2026-01-01", ""),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("to")));
  EXPECT_THAT(ParseReportPeriod("2026-02-01", "2026-01-31"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("to: must not be before")));
  EXPECT_THAT(ParseReportPeriod("2000-01-01", "2026-01-31"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at most")));
  auto p = ParseReportPeriod("2026-03-01", "2026-03-31");
  ASSERT_TRUE(p.ok());
  // Whole days in Amsterdam (CET, UTC+1 in March before the 29th).
  EXPECT_EQ(p->Start(), absl::FromCivil(absl::CivilSecond(2026, 2, 28, 23, 0, 0),
                                        absl::UTCTimeZone()));
}

absl::Time At(int y, int m, int d) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, 12, 0, 0), ProgrammeTimeZone());
}

TEST(ReportTest, SignalsByMonthHaveEveryMonthAndCountAResolutionOnce) {
  ReportPeriod p = *ParseReportPeriod("2026-01-15", "2026-03-10");
  std::vector<SignalCase> cases;
  for (int i = 0; i < 6; ++i) {
    SignalCase s;
    s.key = i;
    s.keys = {"FZ", "FZ-SCHULDEN", "prinsenhof", "woej"};
    s.created = At(2026, 1, 20);
    // Resolved, reopened and resolved again: counted at the last one.
    s.resolved = {At(2026, 1, 22), At(2026, 3, 1 + i)};
    cases.push_back(s);
  }
  Report r = SignalReport(p, ReportGrouping::kMonth, {}, cases);
  ASSERT_EQ(r.rows.size(), 3u);
  EXPECT_EQ(r.rows[0].key, "2026-01");
  EXPECT_THAT(r.rows[0].cells, ElementsAre("6", "0", "0", "."));
  EXPECT_THAT(r.rows[1].cells, ElementsAre("0", "0", "0", "."));
  EXPECT_EQ(r.rows[2].cells[1], "6");
  EXPECT_EQ(r.rows[2].cells[3], "42.5");  // days 40..45 after creation
  EXPECT_THAT(r.total.cells, ElementsAre("6", "6", "0", "42.5"));
}

TEST(ReportTest, HandoverOutcomesAddUpToCompletedAndAreProtectedAsARow) {
  ReportPeriod p = *ParseReportPeriod("2026-01-01", "2026-01-31");
  std::vector<HandoverEvent> events;
  for (int i = 0; i < 9; ++i) {
    HandoverEvent e;
    e.keys.organisation = "woej";
    e.time = At(2026, 1, 10);
    e.to = HandoverStatus::kCompleted;
    e.proposed = At(2026, 1, 2);
    e.deadline = absl::CivilDay(2026, 1, 9);
    e.outcome = i < 6 ? Outcome::kHelped : (i < 8 ? Outcome::kNotHelped : Outcome::kReferredOn);
    events.push_back(e);
  }
  GroupLabels labels;
  labels.organisations["woej"] = "Woej";
  Report r = HandoverReport(p, ReportGrouping::kOrganisation, labels, events);
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0].label, "Woej");
  // completed 9 = helped 6 + not_helped 2 + referred_on 1: two small cells,
  // no partner needed in the row.
  EXPECT_THAT(std::vector<std::string>(r.rows[0].cells.begin() + 5, r.rows[0].cells.begin() + 10),
              ElementsAre("9", "6", "<5", "<5", "0"));
}

TEST(ReportTest, ParticipationHasNoOpgaveOrCategory) {
  ReportPeriod p = *ParseReportPeriod("2026-01-01", "2026-01-31");
  EXPECT_THAT(ParticipationReport(p, ReportGrouping::kOpgave, {}, {}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("by:")));
  EXPECT_THAT(ParticipationReport(p, ReportGrouping::kCategory, {}, {}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("by:")));
}

TEST(ReportTest, ParticipationByQuarterLeavesStateTotalsEmpty) {
  ReportPeriod p = *ParseReportPeriod("2026-01-01", "2026-06-30");
  std::vector<TrajectoryCase> cases;
  for (int i = 0; i < 5; ++i) {
    TrajectoryCase t;
    t.keys = {"", "", "prinsenhof", "gemeente-lv"};
    t.start = absl::CivilDay(2025, 12, 1);
    t.measurements = {{absl::CivilDay(2025, 12, 1), 2}, {absl::CivilDay(2026, 5, 1), 3}};
    cases.push_back(t);
  }
  auto r = ParticipationReport(p, ReportGrouping::kQuarter, {}, cases);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->rows.size(), 2u);
  // Q1: 5 clients on rung 2; Q2: on rung 3, all moved up.
  EXPECT_EQ(r->rows[0].cells[0], "5");
  EXPECT_EQ(r->rows[0].cells[2], "5");
  EXPECT_EQ(r->rows[1].cells[3], "5");
  EXPECT_EQ(r->rows[1].cells[8], "5");
  EXPECT_EQ(r->total.cells[0], "");   // clients: a state, no total over quarters
  EXPECT_EQ(r->total.cells[8], "5");  // moved up: summed
}

}  // namespace
}  // namespace schakel::domain
