// The differencing attack on the programme monitor, through a real server
// (TLS on loopback) over a year of generated data (schakel-admin seed): an
// analyst fetches every report of the period grid — the 12 months, the 4
// quarters and the year, for each report and each grouping — and subtracts
// them from each other in every way the grid allows (a quarter minus any of
// its months; the year minus any mix of whole quarters and single months).
// No subtraction may give a count of 1 to 4: neither by taking the shown
// numbers as exact, nor by bounding each cell by what its label means.
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/reports.grpc.pb.h"
#include "server/deployment/seed_data.h"
#include "server/domain/report.h"
#include "server/server.h"
#include "tests/support/deployment_support.h"
#include "tests/support/test_support.h"

namespace schakel::testing {
namespace {

constexpr int64_t kInf = std::numeric_limits<int64_t>::max() / 4;

// What a reader knows of a true count from its published cell.
struct Range {
  int64_t lo = 0;
  int64_t hi = 0;
  bool exact_number = false;  // shown as a number (taken as exact by a naive reader)
  int64_t shown = 0;
};

// "0", "<5", "x", or a count rounded to the nearest 5 (5 stands for 5..7:
// 3 and 4 are "<5"). Anything else is not a count cell.
bool ParseCell(const std::string& cell, Range* out) {
  if (cell == "<5") {
    *out = {1, 4, false, 0};
    return true;
  }
  if (cell == "x") {
    *out = {5, kInf, false, 0};
    return true;
  }
  int64_t v = 0;
  if (!absl::SimpleAtoi(cell, &v) || v < 0) return false;
  if (v == 0) {
    *out = {0, 0, true, 0};
  } else if (v == 5) {
    *out = {5, 7, true, 5};
  } else {
    *out = {v - 2, v + 2, true, v};
  }
  return true;
}

// A published report: row key ("" is the row without a group; the total is
// "(total)") → cells; column keys.
struct Published {
  std::vector<std::string> columns;
  std::map<std::string, std::vector<std::string>> rows;
};

// One derivation an attacker can make: the remainder big − Σ parts, which
// is the sum of the months `left`, bounded also by their own cells (and by
// those of the quarters in `quarters_left`, wholly in the remainder).
struct Derivation {
  int big = 0;                     // index into the grid
  std::vector<int> parts;          // indices into the grid
  std::vector<int> left;           // months (0..11)
  std::vector<int> quarters_left;  // quarters (12..15)
};

// Every subtraction of the grid of PeriodsOfYear order (0..11 months,
// 12..15 quarters, 16 the year), "minus nothing" included (the big cell
// against the sum of its months).
std::vector<Derivation> GridDerivations() {
  std::vector<Derivation> out;
  // A quarter minus any set of its months.
  for (int q = 0; q < 4; ++q) {
    for (int mask = 0; mask < 8; ++mask) {
      Derivation d{12 + q, {}, {}, {}};
      for (int m = 0; m < 3; ++m) {
        (mask & (1 << m) ? d.parts : d.left).push_back(q * 3 + m);
      }
      out.push_back(d);
    }
  }
  // The year minus, per quarter, nothing, the whole quarter or a non-empty
  // set of its months (9 choices each).
  for (int code = 0; code < 9 * 9 * 9 * 9; ++code) {
    Derivation d{16, {}, {}, {}};
    int c = code;
    for (int q = 0; q < 4; ++q, c /= 9) {
      const int choice = c % 9;  // 0 nothing, 8 the quarter, 1..7 a set of months
      if (choice == 8) {
        d.parts.push_back(12 + q);
        continue;
      }
      if (choice == 0) d.quarters_left.push_back(12 + q);
      for (int m = 0; m < 3; ++m) {
        (choice & (1 << m) ? d.parts : d.left).push_back(q * 3 + m);
      }
    }
    out.push_back(d);
  }
  return out;
}

bool IsCountColumn(const std::string& key) {
  return key.rfind("median_", 0) != 0 && key != "answered_in_time";
}

// The derived cells of 1..4 an attacker finds over `reports` (indexed as
// the grid; a missing report is nullptr: never subtracted), as readable
// lines, at most `limit`.
std::vector<std::string> Attack(const std::vector<const Published*>& reports,
                                const std::vector<Derivation>& derivations, size_t limit = 20) {
  std::vector<std::string> found;
  const Published* any = nullptr;
  for (const Published* p : reports) {
    if (p != nullptr) any = p;
  }
  if (any == nullptr) return found;
  std::set<std::string> row_keys;
  for (const Published* p : reports) {
    if (p == nullptr) continue;
    for (const auto& [key, cells] : p->rows) row_keys.insert(key);
  }
  const std::vector<std::string> rows(row_keys.begin(), row_keys.end());
  const size_t columns = any->columns.size();
  // The cells as ranges, [report][row][column]: an absent row is 0 (no case
  // of that group in that period); "" (no such figure) and missing reports
  // are not usable.
  struct Known {
    bool usable = false;
    Range range;
  };
  std::vector<std::vector<std::vector<Known>>> known(
      reports.size(), std::vector<std::vector<Known>>(rows.size(), std::vector<Known>(columns)));
  for (size_t r = 0; r < reports.size(); ++r) {
    if (reports[r] == nullptr) continue;
    for (size_t k = 0; k < rows.size(); ++k) {
      auto it = reports[r]->rows.find(rows[k]);
      for (size_t c = 0; c < columns; ++c) {
        Known& x = known[r][k][c];
        if (it == reports[r]->rows.end()) {
          x = {true, {0, 0, true, 0}};
        } else if (c < it->second.size()) {
          x.usable = ParseCell(it->second[c], &x.range);
        }
      }
    }
  }
  for (size_t c = 0; c < columns; ++c) {
    if (!IsCountColumn(any->columns[c])) continue;
    for (size_t k = 0; k < rows.size(); ++k) {
      for (const Derivation& d : derivations) {
        const Known& big = known[d.big][k][c];
        if (!big.usable) continue;
        int64_t lo = big.range.lo, hi = big.range.hi;
        bool naive = big.range.exact_number;
        int64_t naive_value = big.range.shown;
        bool usable = true;
        for (int part : d.parts) {
          const Known& p = known[part][k][c];
          if (!p.usable) {
            usable = false;
            break;
          }
          lo = (lo <= -kInf || p.range.hi >= kInf) ? -kInf : lo - p.range.hi;
          hi = hi >= kInf ? kInf : hi - p.range.lo;
          naive = naive && p.range.exact_number;
          naive_value -= p.range.shown;
        }
        if (!usable) continue;
        const bool naive_small = naive && naive_value >= 1 && naive_value <= 4 && !d.parts.empty();
        lo = std::max<int64_t>(lo, 0);  // a count is never negative
        // The remainder's own cells bound it too.
        int64_t left_lo = 0, left_hi = 0;
        bool any_small = false;
        for (int m : d.left) {
          const Known& x = known[m][k][c];
          if (!x.usable) {
            usable = false;
            break;
          }
          left_lo += x.range.lo;
          left_hi = (left_hi >= kInf || x.range.hi >= kInf) ? kInf : left_hi + x.range.hi;
          any_small |= x.range.lo == 1 && x.range.hi == 4;
        }
        if (!usable) continue;
        lo = std::max(lo, left_lo);
        hi = std::min(hi, left_hi);
        for (int q : d.quarters_left) {
          const Known& x = known[q][k][c];
          if (!x.usable) continue;
          // A quarter wholly left is bounded by its own cell as well: its
          // months' share of the remainder is in [lo, hi] of that cell.
          int64_t other_lo = left_lo, other_hi = left_hi;
          int64_t q_lo = 0, q_hi = 0;
          for (int m = (q - 12) * 3; m < (q - 12) * 3 + 3; ++m) {
            q_lo += known[m][k][c].range.lo;
            q_hi = (q_hi >= kInf || known[m][k][c].range.hi >= kInf) ? kInf
                                                                      : q_hi + known[m][k][c].range.hi;
          }
          other_lo -= q_lo;
          other_hi = (other_hi >= kInf) ? kInf : other_hi - q_hi;
          lo = std::max(lo, other_lo + x.range.lo);
          if (x.range.hi < kInf && other_hi < kInf) hi = std::min(hi, other_hi + x.range.hi);
        }
        const bool pinned = lo == hi && lo >= 1 && lo <= 4 && !d.left.empty();
        // A "<5" month of the remainder pinned to one value.
        bool member_pinned = false;
        if (any_small && lo <= hi) {
          for (int p : d.left) {
            const Range& pr = known[p][k][c].range;
            if (pr.lo != 1 || pr.hi != 4) continue;
            int64_t others_lo = 0, others_hi = 0;
            for (int o : d.left) {
              if (o == p) continue;
              others_lo += known[o][k][c].range.lo;
              others_hi = (others_hi >= kInf || known[o][k][c].range.hi >= kInf)
                              ? kInf
                              : others_hi + known[o][k][c].range.hi;
            }
            const int64_t p_lo = std::max<int64_t>(1, others_hi >= kInf ? 1 : lo - others_hi);
            const int64_t p_hi = std::min<int64_t>(4, hi >= kInf ? 4 : hi - others_lo);
            if (p_lo == p_hi) member_pinned = true;
          }
        }
        if ((pinned || naive_small || member_pinned) && found.size() < limit) {
          std::string parts;
          for (int part : d.parts) absl::StrAppend(&parts, " ", part);
          found.push_back(absl::StrCat("column ", any->columns[c], " row '", rows[k], "': report ",
                                       d.big, " minus", parts,
                                       member_pinned ? " pins a <5 month"
                                       : pinned      ? absl::StrCat(" pins ", lo)
                                                     : absl::StrCat(" gives ", naive_value)));
        }
      }
    }
  }
  return found;
}

// The attack itself has teeth: on counts shown exactly (no rounding), a
// year of 12 beside months of 10 and 0 gives the small 2 away.
TEST(ReportGridAttackTest, FindsWhatExactCountsGiveAway) {
  std::vector<Published> grid(17);
  for (Published& p : grid) p.columns = {"opened"};
  for (int m = 0; m < 12; ++m) grid[m].rows["wijk"] = {m == 0 ? "10" : "0"};
  grid[12].rows["wijk"] = {"12"};
  grid[16].rows["wijk"] = {"12"};
  for (int q = 1; q < 4; ++q) grid[12 + q].rows["wijk"] = {"0"};
  std::vector<const Published*> reports;
  for (const Published& p : grid) reports.push_back(&p);
  EXPECT_THAT(Attack(reports, GridDerivations()), ::testing::Not(::testing::IsEmpty()));
  // The same publication rounded as the server rounds it (12 -> 10): the
  // year minus its months gives 0, nothing small.
  grid[12].rows["wijk"] = {"10"};
  grid[16].rows["wijk"] = {"10"};
  EXPECT_THAT(Attack(reports, GridDerivations()), ::testing::IsEmpty());
  // Rounding alone is not enough: two months of 4 ("<5" each) and nothing
  // else make a year of 8, shown "10" (8..12): the months add up to at most
  // 8, so both are 4. The server hides such a year as "x".
  std::vector<Published> edge(17);
  for (Published& p : edge) p.columns = {"opened"};
  edge[2].rows["g"] = {"<5"};
  edge[7].rows["g"] = {"<5"};
  edge[12].rows["g"] = {"<5"};
  edge[14].rows["g"] = {"<5"};
  edge[16].rows["g"] = {"10"};
  std::vector<const Published*> edge_reports;
  for (const Published& p : edge) edge_reports.push_back(&p);
  EXPECT_THAT(Attack(edge_reports, GridDerivations()), ::testing::Not(::testing::IsEmpty()));
  edge[16].rows["g"] = {"x"};
  EXPECT_THAT(Attack(edge_reports, GridDerivations()), ::testing::IsEmpty());
}

class ReportGridTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Certificates from the day the other case tests use (TLS checks them
    // against the real clock); the data and the server a year later.
    FakeClock init_clock(absl::FromUnixSeconds(1795424400));
    paths_ = InitDemoDeployment(tmp_, &init_clock);
    // A year of rows, 1 January 2026 up to the clock's now (1 January 2027,
    // 00:00 in Amsterdam): a few hundred signals spread over wijken,
    // categories and owners, handovers and trajectories — small counts in
    // most cells of a month.
    deployment::SeedOptions seed;
    seed.residents = 300;
    seed.signals = 700;
    seed.handovers = 300;
    seed.trajectories = 150;
    seed.seed = 18;
    ASSERT_THAT(deployment::SeedDeployment(*paths_, DemoKek(*paths_), seed, clock_), IsOk());
    ServerOptions options;
    options.deployment_dir = paths_->dir;
    options.listen = "127.0.0.1:0";
    options.clock = &clock_;
    auto server = Server::Start(options);
    ASSERT_THAT(server, IsOk());
    server_ = std::move(server).value();
    reports_ = v1::ReportService::NewStub(
        MakeChannel(server_->address(), LoadIdentity(paths_->UserDir("analyst"))));
  }

  // The report, or nullptr (with a test failure) when the server refused it.
  bool Fetch(const char* which, const std::string& period, v1::ReportGrouping by,
             Published* out) {
    v1::ReportRequest req;
    req.set_period(period);
    req.set_by(by);
    v1::Report r;
    CallContext ctx;
    grpc::Status s;
    if (std::string(which) == "signals") s = reports_->SignalReport(ctx.get(), req, &r);
    if (std::string(which) == "handovers") s = reports_->HandoverReport(ctx.get(), req, &r);
    if (std::string(which) == "participation") {
      s = reports_->ParticipationReport(ctx.get(), req, &r);
    }
    if (!s.ok()) {
      ADD_FAILURE() << which << " " << period << ": " << s.error_message();
      return false;
    }
    EXPECT_EQ(r.period(), period);
    for (const auto& c : r.columns()) out->columns.push_back(c.key());
    for (const auto& row : r.rows()) {
      out->rows[row.key()] = {row.cells().begin(), row.cells().end()};
    }
    out->rows["(total)"] = {r.total().cells().begin(), r.total().cells().end()};
    return true;
  }

  // 00:00 on 1 January 2027 in Amsterdam (23:00 UTC the day before).
  FakeClock clock_{absl::FromUnixSeconds(1798758000)};
  TempDir tmp_;
  std::unique_ptr<deployment::Paths> paths_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<v1::ReportService::Stub> reports_;
};

TEST_F(ReportGridTest, NoSubtractionOverTheGridGivesACountOfOneToFour) {
  const std::vector<domain::ReportPeriod> grid = domain::PeriodsOfYear(2026);
  const std::vector<Derivation> derivations = GridDerivations();
  ASSERT_EQ(derivations.size(), 4u * 8 + 9 * 9 * 9 * 9);
  struct Kind {
    const char* which;
    std::vector<v1::ReportGrouping> groupings;
  };
  const std::vector<v1::ReportGrouping> all = {
      v1::REPORT_GROUPING_MONTH, v1::REPORT_GROUPING_QUARTER, v1::REPORT_GROUPING_OPGAVE,
      v1::REPORT_GROUPING_CATEGORY, v1::REPORT_GROUPING_WIJK, v1::REPORT_GROUPING_ORGANISATION};
  const std::vector<Kind> kinds = {
      {"signals", all},
      {"handovers", all},
      {"participation",
       {v1::REPORT_GROUPING_MONTH, v1::REPORT_GROUPING_QUARTER, v1::REPORT_GROUPING_WIJK,
        v1::REPORT_GROUPING_ORGANISATION}}};
  int small_cells = 0;  // "<5" cells seen: the data has what there is to protect
  int reports_fetched = 0;
  for (const Kind& kind : kinds) {
    for (v1::ReportGrouping by : kind.groupings) {
      std::vector<Published> published(grid.size());
      std::vector<const Published*> usable(grid.size(), nullptr);
      for (size_t i = 0; i < grid.size(); ++i) {
        // A month is not grouped by quarter (refused: ReportTest).
        if (grid[i].kind == domain::PeriodKind::kMonth && by == v1::REPORT_GROUPING_QUARTER) {
          continue;
        }
        if (!Fetch(kind.which, grid[i].Key(), by, &published[i])) continue;
        usable[i] = &published[i];
        ++reports_fetched;
        for (const auto& [key, cells] : published[i].rows) {
          for (const std::string& c : cells) small_cells += c == "<5";
        }
      }
      std::vector<std::string> leaks = Attack(usable, derivations);
      EXPECT_THAT(leaks, ::testing::IsEmpty())
          << kind.which << " by " << v1::ReportGrouping_Name(by) << ":\n"
          << absl::StrJoin(leaks, "\n");
    }
  }
  EXPECT_EQ(reports_fetched, 2 * (6 * 17 - 12) + (4 * 17 - 12));
  // Without small cells the test would prove nothing.
  EXPECT_GT(small_cells, 100);
}

}  // namespace
}  // namespace schakel::testing
