#include "server/domain/report.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <functional>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "server/domain/calendar.h"
#include "server/domain/disclosure.h"
#include "server/domain/trajectory.h"

namespace schakel::domain {
namespace {

enum class Kind { kCount, kMedian, kShare };
struct Spec {
  const char* key;
  const char* label_nl;
  Kind kind;
};

// One row's figures before disclosure control, indexed by column.
struct Tally {
  std::vector<int64_t> counts;
  std::vector<std::vector<double>> samples;
  std::vector<std::pair<int64_t, int64_t>> shares;  // (part, whole)
};

// A cell that is the sum of other cells of the same row.
struct RowSum {
  int total;
  std::vector<int> parts;
};

// Cells of a table to hide before its own suppression: (row key, column);
// the total row is kTotalRow.
using HiddenCells = std::set<std::pair<std::string, int>>;
constexpr char kTotalRow[] = "\x01total";

absl::CivilDay BucketStart(ReportGrouping by, absl::CivilDay day) {
  absl::CivilMonth month(day);
  if (by == ReportGrouping::kQuarter) {
    month = absl::CivilMonth(month.year(), (month.month() - 1) / 3 * 3 + 1);
  }
  return absl::CivilDay(month);
}

absl::CivilDay NextBucketStart(ReportGrouping by, absl::CivilDay start) {
  return absl::CivilDay(absl::CivilMonth(start) + (by == ReportGrouping::kQuarter ? 3 : 1));
}

std::string BucketKey(ReportGrouping by, absl::CivilDay day) {
  if (by == ReportGrouping::kQuarter) {
    return absl::StrFormat("%04d-Q%d", day.year(), (day.month() - 1) / 3 + 1);
  }
  return absl::StrFormat("%04d-%02d", day.year(), day.month());
}

double Days(absl::Duration d) { return absl::ToDoubleHours(d) / 24.0; }

class Table {
 public:
  Table(const ReportPeriod& period, ReportGrouping by, const GroupLabels& labels,
        std::vector<Spec> specs, std::string none_label)
      : period_(period), by_(by), labels_(labels), specs_(std::move(specs)),
        none_label_(std::move(none_label)) {
    if (IsTimeGrouping(by_)) {
      // Every month or quarter of the period has its row, empty or not.
      for (absl::CivilDay d = BucketStart(by_, period_.from); d <= period_.to;
           d = NextBucketStart(by_, d)) {
        Row(BucketKey(by_, d));
      }
    }
  }

  // The row of a case on `day` (an event's day; ignored unless by time).
  Tally& RowOf(const GroupKeys& keys, absl::CivilDay day) {
    switch (by_) {
      case ReportGrouping::kMonth:
      case ReportGrouping::kQuarter: return Row(BucketKey(by_, day));
      case ReportGrouping::kOpgave: return Row(keys.opgave);
      case ReportGrouping::kCategory: return Row(keys.category);
      case ReportGrouping::kWijk: return Row(keys.wijk);
      case ReportGrouping::kOrganisation: return Row(keys.organisation);
      case ReportGrouping::kTeam: return Row(keys.team);
    }
    return Row("");
  }

  Tally& Row(const std::string& key) {
    auto it = rows_.find(key);
    if (it == rows_.end()) {
      Tally t;
      t.counts.assign(specs_.size(), 0);
      t.samples.resize(specs_.size());
      t.shares.assign(specs_.size(), {0, 0});
      it = rows_.emplace(key, std::move(t)).first;
    }
    return it->second;
  }

  // Applies disclosure control. `total_applies[c]` is false for a figure
  // whose total over the rows means nothing (a state summed over months):
  // the total row leaves it empty.
  Report Finish(const std::vector<RowSum>& row_sums, const std::vector<bool>& total_applies,
                const HiddenCells* hidden) {
    std::vector<std::pair<std::string, const Tally*>> ordered;
    for (const auto& [key, tally] : rows_) ordered.push_back({key, &tally});
    if (!IsTimeGrouping(by_)) {
      // By label; the row without a group last.
      std::stable_sort(ordered.begin(), ordered.end(), [&](const auto& a, const auto& b) {
        if (a.first.empty() != b.first.empty()) return b.first.empty();
        return Label(a.first) < Label(b.first);
      });
    }
    const int n = static_cast<int>(ordered.size());
    const int cols = static_cast<int>(specs_.size());
    Tally total;
    total.counts.assign(cols, 0);
    total.samples.resize(cols);
    total.shares.assign(cols, {0, 0});
    for (const auto& [key, t] : ordered) {
      for (int c = 0; c < cols; ++c) {
        total.counts[c] += t->counts[c];
        total.samples[c].insert(total.samples[c].end(), t->samples[c].begin(),
                                t->samples[c].end());
        total.shares[c].first += t->shares[c].first;
        total.shares[c].second += t->shares[c].second;
      }
    }
    std::vector<std::vector<int64_t>> grid;
    for (const auto& [key, t] : ordered) grid.push_back(t->counts);
    grid.push_back(total.counts);
    for (int c = 0; c < cols; ++c) {
      if (!total_applies[c]) grid[n][c] = 0;
    }
    std::vector<Line> lines;
    for (int c = 0; c < cols; ++c) {
      if (specs_[c].kind != Kind::kCount || !total_applies[c]) continue;
      Line line{{n, c}, {}};
      for (int r = 0; r < n; ++r) line.parts.push_back({r, c});
      lines.push_back(std::move(line));
    }
    for (const RowSum& s : row_sums) {
      for (int r = 0; r <= n; ++r) {
        if (r == n && !total_applies[s.total]) continue;
        Line line{{r, s.total}, {}};
        for (int p : s.parts) line.parts.push_back({r, p});
        lines.push_back(std::move(line));
      }
    }
    std::vector<std::vector<bool>> hidden_first(n + 1, std::vector<bool>(cols, false));
    if (hidden != nullptr) {
      for (int r = 0; r <= n; ++r) {
        const std::string& key = r == n ? std::string(kTotalRow) : ordered[r].first;
        for (int c = 0; c < cols; ++c) hidden_first[r][c] = hidden->count({key, c}) > 0;
      }
    }
    std::vector<std::vector<CellState>> state = Suppress(grid, lines, &hidden_first);

    Report report;
    report.period = period_;
    for (const Spec& s : specs_) report.columns.push_back({s.key, s.label_nl});
    auto cells = [&](int r, const Tally& t) {
      std::vector<std::string> out;
      for (int c = 0; c < cols; ++c) {
        if (r == n && !total_applies[c]) {
          out.push_back(kNotApplicable);
          continue;
        }
        switch (specs_[c].kind) {
          // Suppression decides on the true counts; what is shown is
          // rounded (RoundCount), the same in every report.
          case Kind::kCount:
            // A "<5" the grid check hides (OnGrid) reads "x": 1..4 itself
            // would pin its months.
            out.push_back(state[r][c] == CellState::kSmall && hidden_first[r][c]
                              ? std::string(kSuppressedOther)
                              : ShowCount(RoundCount(t.counts[c]), state[r][c]));
            break;
          case Kind::kMedian: out.push_back(ShowMedian(t.samples[c])); break;
          case Kind::kShare: out.push_back(ShowShare(t.shares[c].first, t.shares[c].second)); break;
        }
      }
      return out;
    };
    for (int r = 0; r < n; ++r) {
      report.rows.push_back({ordered[r].first, Label(ordered[r].first), cells(r, *ordered[r].second)});
    }
    report.total = {"", "totaal", cells(n, total)};
    return report;
  }

  ReportGrouping by() const { return by_; }
  const ReportPeriod& period() const { return period_; }

 private:
  std::string Label(const std::string& key) const {
    if (IsTimeGrouping(by_)) return key;
    if (key.empty()) return none_label_;
    const std::map<std::string, std::string>* names = nullptr;
    switch (by_) {
      case ReportGrouping::kOpgave: names = &labels_.opgaven; break;
      case ReportGrouping::kCategory: names = &labels_.categories; break;
      case ReportGrouping::kWijk: names = &labels_.wijken; break;
      case ReportGrouping::kTeam: names = &labels_.teams; break;
      default: names = &labels_.organisations; break;
    }
    auto it = names->find(key);
    return it == names->end() ? key : it->second;
  }

  ReportPeriod period_;
  ReportGrouping by_;
  const GroupLabels& labels_;
  std::vector<Spec> specs_;
  std::string none_label_;
  std::map<std::string, Tally> rows_;
};

bool InPeriod(const ReportPeriod& p, absl::Time t) { return t >= p.Start() && t < p.End(); }

}  // namespace

const char* ReportGroupingName(ReportGrouping g) {
  switch (g) {
    case ReportGrouping::kMonth: return "month";
    case ReportGrouping::kQuarter: return "quarter";
    case ReportGrouping::kOpgave: return "opgave";
    case ReportGrouping::kCategory: return "category";
    case ReportGrouping::kWijk: return "wijk";
    case ReportGrouping::kOrganisation: return "organisation";
    case ReportGrouping::kTeam: return "team";
  }
  return "month";
}

bool IsTimeGrouping(ReportGrouping g) {
  return g == ReportGrouping::kMonth || g == ReportGrouping::kQuarter;
}

absl::Time ReportPeriod::Start() const { return absl::FromCivil(from, ProgrammeTimeZone()); }
absl::Time ReportPeriod::End() const { return absl::FromCivil(to + 1, ProgrammeTimeZone()); }

std::string ReportPeriod::Key() const {
  switch (kind) {
    case PeriodKind::kMonth: return absl::StrFormat("%04d-%02d", from.year(), from.month());
    case PeriodKind::kQuarter:
      return absl::StrFormat("%04d-Q%d", from.year(), (from.month() - 1) / 3 + 1);
    case PeriodKind::kYear: return absl::StrFormat("%04d", from.year());
  }
  return "";
}

namespace {

ReportPeriod MakePeriod(PeriodKind kind, int year, int first_month) {
  const int months = kind == PeriodKind::kMonth ? 1 : kind == PeriodKind::kQuarter ? 3 : 12;
  ReportPeriod p;
  p.kind = kind;
  p.from = absl::CivilDay(year, first_month, 1);
  p.to = absl::CivilDay(absl::CivilMonth(year, first_month) + months) - 1;
  return p;
}

bool AllDigits(absl::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

absl::StatusOr<ReportPeriod> ParseReportPeriod(absl::string_view period) {
  const absl::Status bad = absl::InvalidArgumentError(absl::StrCat(
      "period: a month YYYY-MM (2026-11), a quarter YYYY-Qn (2026-Q4) or a year YYYY (2026), "
      "years ", kFirstReportYear, " to ", kLastReportYear));
  if (period.size() < 4 || !AllDigits(period.substr(0, 4))) return bad;
  const int year = (period[0] - '0') * 1000 + (period[1] - '0') * 100 + (period[2] - '0') * 10 +
                   (period[3] - '0');
  if (year < kFirstReportYear || year > kLastReportYear) return bad;
  absl::string_view rest = period.substr(4);
  if (rest.empty()) return MakePeriod(PeriodKind::kYear, year, 1);
  if (rest.size() == 3 && rest[0] == '-' && rest[1] == 'Q' && rest[2] >= '1' && rest[2] <= '4') {
    return MakePeriod(PeriodKind::kQuarter, year, (rest[2] - '1') * 3 + 1);
  }
  if (rest.size() == 3 && rest[0] == '-' && AllDigits(rest.substr(1))) {
    const int month = (rest[1] - '0') * 10 + (rest[2] - '0');
    if (month >= 1 && month <= 12) return MakePeriod(PeriodKind::kMonth, year, month);
  }
  return bad;
}

std::vector<ReportPeriod> PeriodsOfYear(int year) {
  std::vector<ReportPeriod> out;
  for (int m = 1; m <= 12; ++m) out.push_back(MakePeriod(PeriodKind::kMonth, year, m));
  for (int q = 0; q < 4; ++q) out.push_back(MakePeriod(PeriodKind::kQuarter, year, q * 3 + 1));
  out.push_back(MakePeriod(PeriodKind::kYear, year, 1));
  return out;
}

absl::Status ValidateGrouping(const ReportPeriod& period, ReportGrouping by) {
  if (period.kind == PeriodKind::kMonth && by == ReportGrouping::kQuarter) {
    return absl::InvalidArgumentError(
        "by: a month's report cannot be grouped by quarter (ask for the quarter)");
  }
  return absl::OkStatus();
}

namespace {

// --- Consistency over the period grid (docs/reports.md, "Differencing") ---

using Compute = std::function<Report(const ReportPeriod&, const HiddenCells*)>;

constexpr int64_t kUnbounded = std::numeric_limits<int64_t>::max() / 4;

// What a reader knows of a true count from its published cell; nullopt for
// a cell that is no count ("", a median, a share).
struct Bound {
  int64_t lo = 0;
  int64_t hi = 0;  // kUnbounded: no upper bound
};
std::optional<Bound> BoundOf(const std::string& cell) {
  if (cell == kSuppressedSmall) return Bound{1, kMinCases - 1};
  if (cell == kSuppressedOther) return Bound{kMinCases, kUnbounded};
  int64_t v = 0;
  if (!absl::SimpleAtoi(cell, &v) || v < 0) return std::nullopt;
  if (v == 0) return Bound{0, 0};
  // 3 and 4 are "<5": a shown 5 is 5 to 7; any other is v - 2 to v + 2.
  if (v == kMinCases) return Bound{kMinCases, kMinCases + 2};
  return Bound{v - 2, v + 2};
}

int64_t Add(int64_t a, int64_t b) { return a >= kUnbounded || b >= kUnbounded ? kUnbounded : a + b; }

// The cell of `report` at (row key, column); an absent row is 0.
std::optional<Bound> CellBound(const Report& report, const std::string& row, int column) {
  const ReportRow* found = nullptr;
  if (row == kTotalRow) {
    found = &report.total;
  } else {
    for (const ReportRow& r : report.rows) {
      if (r.key == row) found = &r;
    }
  }
  if (found == nullptr) return Bound{0, 0};
  if (column >= static_cast<int>(found->cells.size())) return std::nullopt;
  return BoundOf(found->cells[column]);
}

// One way to take a quarter apart in a subtraction: what is subtracted
// (bounds summed), which of its months are left in the remainder, and
// what the reader knows of those left months together.
struct Option {
  Bound subtracted;
  std::vector<int> left;  // month indices
  Bound left_sum;
};

// Whether the remainder `region` (months of `months`, summed to `known`)
// of top minus `subtracted` is pinned to one count of 1..4, or pins one of
// its "<5" months to one value.
bool Pins(const Bound& top, const Bound& subtracted, const std::vector<int>& region,
          const Bound& known, const std::vector<Bound>& months) {
  if (region.empty()) return false;
  // region = top - subtracted
  int64_t lo = subtracted.hi >= kUnbounded ? 0 : top.lo - subtracted.hi;
  int64_t hi = top.hi >= kUnbounded ? kUnbounded : top.hi - subtracted.lo;
  lo = std::max({lo, known.lo, int64_t{0}});
  hi = std::min(hi, known.hi);
  if (lo > hi) return false;  // cannot happen with true data
  if (lo == hi && lo >= 1 && lo < kMinCases) return true;
  for (int p : region) {
    if (months[p].lo != 1 || months[p].hi != kMinCases - 1) continue;
    int64_t others_lo = 0, others_hi = 0;
    for (int o : region) {
      if (o == p) continue;
      others_lo += months[o].lo;
      others_hi = Add(others_hi, months[o].hi);
    }
    int64_t p_lo = std::max<int64_t>(1, others_hi >= kUnbounded ? 1 : lo - others_hi);
    int64_t p_hi = std::min<int64_t>(kMinCases - 1, hi >= kUnbounded ? kMinCases - 1 : hi - others_lo);
    if (p_lo == p_hi) return true;
  }
  return false;
}

// Whether publishing `top` (the cell of a quarter or the year) lets a
// reader who also has the months (and, for the year, the quarters) pin a
// count of 1..4: over every subtraction of the grid — per quarter,
// nothing, the whole quarter, or any set of its months — and the remainder
// bounded by its own months' cells. Months whose cell is 0 change nothing
// and are left out of the enumeration.
bool GivesSmallAway(const Bound& top, const std::vector<Bound>& months,
                    const std::vector<std::optional<Bound>>& quarters) {
  bool any_small = false;
  for (const Bound& m : months) any_small |= m.lo == 1 && m.hi == kMinCases - 1;
  // A remainder of months that are each 0 or at least 5 is never 1..4, and
  // has no "<5" to pin.
  if (!any_small) return false;
  const int groups = static_cast<int>(months.size()) / 3;
  std::vector<std::vector<Option>> options(groups);
  for (int q = 0; q < groups; ++q) {
    std::vector<int> nonzero;
    Bound all{0, 0};
    for (int m = q * 3; m < q * 3 + 3; ++m) {
      all.lo += months[m].lo;
      all.hi = Add(all.hi, months[m].hi);
      if (months[m].hi > 0) nonzero.push_back(m);
    }
    for (int mask = 0; mask < (1 << nonzero.size()); ++mask) {
      Option o;
      for (size_t i = 0; i < nonzero.size(); ++i) {
        const Bound& b = months[nonzero[i]];
        if (mask & (1 << i)) {
          o.subtracted.lo += b.lo;
          o.subtracted.hi = Add(o.subtracted.hi, b.hi);
        } else {
          o.left.push_back(nonzero[i]);
          o.left_sum.lo += b.lo;
          o.left_sum.hi = Add(o.left_sum.hi, b.hi);
        }
      }
      if (mask == 0 && quarters[q]) {
        // The whole quarter left: its own cell bounds it too.
        o.left_sum.lo = std::max(all.lo, quarters[q]->lo);
        o.left_sum.hi = std::min(all.hi, quarters[q]->hi);
      }
      options[q].push_back(std::move(o));
    }
    if (quarters[q]) options[q].push_back(Option{*quarters[q], {}, {0, 0}});
  }
  // Every combination of one option per quarter.
  std::vector<size_t> pick(groups, 0);
  while (true) {
    Bound subtracted{0, 0}, known{0, 0};
    std::vector<int> region;
    for (int q = 0; q < groups; ++q) {
      const Option& o = options[q][pick[q]];
      subtracted.lo += o.subtracted.lo;
      subtracted.hi = Add(subtracted.hi, o.subtracted.hi);
      known.lo += o.left_sum.lo;
      known.hi = Add(known.hi, o.left_sum.hi);
      region.insert(region.end(), o.left.begin(), o.left.end());
    }
    if (Pins(top, subtracted, region, known, months)) return true;
    int q = 0;
    while (q < groups && ++pick[q] == options[q].size()) pick[q++] = 0;
    if (q == groups) return false;
  }
}

// The report of `period` as published: a month as it is; a quarter or the
// year with every count hidden ("x", and protected in its table like any
// other) whose publication beside the months (and quarters) of the period
// would give a count of 1..4 away — a "<5" too (four months of 1 in a year
// of "<5" are each 1). Each month is published the same
// whichever report it is asked for in (its cell depends only on its own
// table), so this holds for every combination of grid reports.
Report OnGrid(const ReportPeriod& period, const Compute& compute) {
  Report plain = compute(period, nullptr);
  if (period.kind == PeriodKind::kMonth) return plain;
  std::vector<Report> months, quarters;
  for (const ReportPeriod& p : PeriodsOfYear(period.from.year())) {
    if (p.from < period.from || p.to > period.to) continue;
    if (p.kind == PeriodKind::kMonth) months.push_back(compute(p, nullptr));
    if (p.kind == PeriodKind::kQuarter && period.kind == PeriodKind::kYear) {
      quarters.push_back(OnGrid(p, compute));
    }
  }
  HiddenCells hidden;
  std::vector<std::string> rows;
  for (const ReportRow& r : plain.rows) rows.push_back(r.key);
  rows.push_back(kTotalRow);
  for (const std::string& row : rows) {
    for (int c = 0; c < static_cast<int>(plain.columns.size()); ++c) {
      std::optional<Bound> top = CellBound(plain, row, c);
      // A shown count, or a "<5" (which then reads "x"); 0 and "x" say
      // nothing more.
      if (!top || top->hi == 0 || top->hi >= kUnbounded) continue;
      std::vector<Bound> month_bounds;
      bool usable = true;
      for (const Report& m : months) {
        std::optional<Bound> b = CellBound(m, row, c);
        if (!b) usable = false;
        month_bounds.push_back(b.value_or(Bound{}));
      }
      if (!usable) continue;
      std::vector<std::optional<Bound>> quarter_bounds(months.size() / 3);
      for (size_t q = 0; q < quarters.size(); ++q) quarter_bounds[q] = CellBound(quarters[q], row, c);
      if (GivesSmallAway(*top, month_bounds, quarter_bounds)) hidden.insert({row, c});
    }
  }
  if (hidden.empty()) return plain;
  return compute(period, &hidden);
}

Report SignalTable(const ReportPeriod& period, ReportGrouping by, const GroupLabels& labels,
                   const std::vector<SignalCase>& cases, const HiddenCells* hidden) {
  enum { kOpened, kResolved, kClosed, kMedianResolve };
  Table table(period, by, labels,
              {{"opened", "geopend", Kind::kCount},
               {"resolved", "opgelost", Kind::kCount},
               {"closed", "gesloten", Kind::kCount},
               {"median_days_to_resolve", "mediaan dagen tot opgelost", Kind::kMedian}},
              "(zonder eigenaar)");
  auto last_in_period = [&](const std::vector<absl::Time>& times) -> std::optional<absl::Time> {
    std::optional<absl::Time> last;
    for (absl::Time t : times) {
      if (InPeriod(period, t) && (!last || t > *last)) last = t;
    }
    return last;
  };
  for (const SignalCase& s : cases) {
    if (InPeriod(period, s.created)) table.RowOf(s.keys, DayOf(s.created)).counts[kOpened]++;
    // A signal resolved, reopened and resolved again counts once, at its
    // last resolution in the period: the rows then add up to the total.
    if (auto t = last_in_period(s.resolved)) {
      Tally& row = table.RowOf(s.keys, DayOf(*t));
      row.counts[kResolved]++;
      row.samples[kMedianResolve].push_back(Days(*t - s.created));
    }
    if (auto t = last_in_period(s.closed)) table.RowOf(s.keys, DayOf(*t)).counts[kClosed]++;
  }
  return table.Finish({}, std::vector<bool>(4, true), hidden);
}

Report HandoverTable(const ReportPeriod& period, ReportGrouping by, const GroupLabels& labels,
                     const std::vector<HandoverEvent>& events, const HiddenCells* hidden) {
  enum {
    kProposed, kAccepted, kDeclined, kExpired, kCancelled, kCompleted, kHelped, kNotHelped,
    kReferredOn, kResidentDeclined, kMedianAccept, kInTime, kMedianFirstAnswer, kColumns
  };
  bool by_signal = by == ReportGrouping::kOpgave || by == ReportGrouping::kCategory;
  Table table(period, by, labels,
              {{"proposed", "voorgesteld", Kind::kCount},
               {"accepted", "geaccepteerd", Kind::kCount},
               {"declined", "afgewezen", Kind::kCount},
               {"expired", "verlopen", Kind::kCount},
               {"cancelled", "geannuleerd", Kind::kCount},
               {"completed", "afgerond", Kind::kCount},
               {"helped", "geholpen", Kind::kCount},
               {"not_helped", "niet geholpen", Kind::kCount},
               {"referred_on", "doorverwezen", Kind::kCount},
               {"resident_declined", "bewoner wilde niet", Kind::kCount},
               {"median_days_to_accept", "mediaan dagen tot acceptatie", Kind::kMedian},
               {"answered_in_time", "binnen termijn beantwoord", Kind::kShare},
               // The receiving team is notified in the proposal's own
               // transaction: proposal to answer is notification to first
               // action.
               {"median_hours_to_first_answer", "mediaan uren tot eerste antwoord",
                Kind::kMedian}},
              by_signal ? "(zonder signaal)" : "(onbekend)");
  for (const HandoverEvent& e : events) {
    if (!InPeriod(period, e.time)) continue;
    Tally& row = table.RowOf(e.keys, DayOf(e.time));
    // An answer is in time on or before the deadline day; an expiry is an
    // answer that never came.
    auto answered = [&](bool in_time) {
      row.shares[kInTime].second++;
      if (in_time) row.shares[kInTime].first++;
    };
    switch (e.to) {
      case HandoverStatus::kProposed: row.counts[kProposed]++; break;
      case HandoverStatus::kAccepted:
        row.counts[kAccepted]++;
        row.samples[kMedianAccept].push_back(Days(e.time - e.proposed));
        row.samples[kMedianFirstAnswer].push_back(absl::ToDoubleHours(e.time - e.proposed));
        answered(DayOf(e.time) <= e.deadline);
        break;
      case HandoverStatus::kDeclined:
        row.counts[kDeclined]++;
        row.samples[kMedianFirstAnswer].push_back(absl::ToDoubleHours(e.time - e.proposed));
        answered(DayOf(e.time) <= e.deadline);
        break;
      case HandoverStatus::kExpired:
        row.counts[kExpired]++;
        answered(false);
        break;
      case HandoverStatus::kCancelled: row.counts[kCancelled]++; break;
      case HandoverStatus::kCompleted:
        row.counts[kCompleted]++;
        if (e.outcome) {
          switch (*e.outcome) {
            case Outcome::kHelped: row.counts[kHelped]++; break;
            case Outcome::kNotHelped: row.counts[kNotHelped]++; break;
            case Outcome::kReferredOn: row.counts[kReferredOn]++; break;
            case Outcome::kResidentDeclined: row.counts[kResidentDeclined]++; break;
          }
        }
        break;
      case HandoverStatus::kIntroduced: break;
    }
  }
  return table.Finish({{kCompleted, {kHelped, kNotHelped, kReferredOn, kResidentDeclined}}},
                      std::vector<bool>(kColumns, true), hidden);
}

Report ParticipationTable(const ReportPeriod& period, ReportGrouping by,
                          const GroupLabels& labels, const std::vector<TrajectoryCase>& cases,
                          const HiddenCells* hidden) {
  enum { kClients, kRung1, kNotMeasured = kRung1 + kMaxRung, kUp, kDown, kOverdue, kColumns };
  std::vector<Spec> specs = {{"clients", "cliënten", Kind::kCount}};
  static const char* const kRungKeys[] = {"rung_1", "rung_2", "rung_3",
                                          "rung_4", "rung_5", "rung_6"};
  static const char* const kRungLabels[] = {"trede 1", "trede 2", "trede 3",
                                            "trede 4", "trede 5", "trede 6"};
  for (int r = 0; r < kMaxRung; ++r) specs.push_back({kRungKeys[r], kRungLabels[r], Kind::kCount});
  specs.push_back({"not_measured", "nog niet gemeten", Kind::kCount});
  specs.push_back({"moved_up", "gestegen", Kind::kCount});
  specs.push_back({"moved_down", "gedaald", Kind::kCount});
  specs.push_back({"measurement_overdue", "meting te laat", Kind::kCount});
  Table table(period, by, labels, specs, "(onbekend)");

  // The windows: each month or quarter (clipped to the period), or the
  // whole period.
  std::vector<std::pair<absl::CivilDay, absl::CivilDay>> windows;
  if (IsTimeGrouping(by)) {
    for (absl::CivilDay d = BucketStart(by, period.from); d <= period.to;
         d = NextBucketStart(by, d)) {
      windows.push_back({std::max(d, period.from), std::min(NextBucketStart(by, d) - 1, period.to)});
    }
  } else {
    windows.push_back({period.from, period.to});
  }
  for (const TrajectoryCase& t : cases) {
    for (const auto& [first, last] : windows) {
      Tally& row = table.RowOf(t.keys, first);
      bool open_at_end = t.start <= last && (!t.closed || DayOf(*t.closed) > last);
      if (open_at_end) {
        const std::pair<absl::CivilDay, int>* latest = nullptr;
        for (const auto& m : t.measurements) {
          if (m.first <= last) latest = &m;
        }
        row.counts[kClients]++;
        if (latest != nullptr && latest->second >= kMinRung && latest->second <= kMaxRung) {
          row.counts[kRung1 + latest->second - 1]++;
        } else {
          row.counts[kNotMeasured]++;
        }
        absl::CivilDay due = latest != nullptr ? AddMonths(latest->first, 6) : t.start;
        if (IsMeasurementOverdue(due, last)) row.counts[kOverdue]++;
      }
      bool up = false, down = false;
      for (size_t i = 1; i < t.measurements.size(); ++i) {
        if (t.measurements[i].first < first || t.measurements[i].first > last) continue;
        up = up || t.measurements[i].second > t.measurements[i - 1].second;
        down = down || t.measurements[i].second < t.measurements[i - 1].second;
      }
      if (up) row.counts[kUp]++;
      if (down) row.counts[kDown]++;
    }
  }
  // By month or quarter, a state summed over the rows means nothing; the
  // last row is the state at the end of the period.
  std::vector<bool> total_applies(kColumns, !IsTimeGrouping(by));
  total_applies[kUp] = total_applies[kDown] = true;
  std::vector<int> parts;
  for (int c = kRung1; c <= kNotMeasured; ++c) parts.push_back(c);
  return table.Finish({{kClients, parts}}, total_applies, hidden);
}

}  // namespace

Report SignalReport(const ReportPeriod& period, ReportGrouping by, const GroupLabels& labels,
                    const std::vector<SignalCase>& cases) {
  return OnGrid(period, [&](const ReportPeriod& p, const HiddenCells* hidden) {
    return SignalTable(p, by, labels, cases, hidden);
  });
}

Report HandoverReport(const ReportPeriod& period, ReportGrouping by, const GroupLabels& labels,
                      const std::vector<HandoverEvent>& events) {
  return OnGrid(period, [&](const ReportPeriod& p, const HiddenCells* hidden) {
    return HandoverTable(p, by, labels, events, hidden);
  });
}

absl::StatusOr<Report> ParticipationReport(const ReportPeriod& period, ReportGrouping by,
                                           const GroupLabels& labels,
                                           const std::vector<TrajectoryCase>& cases) {
  if (by == ReportGrouping::kOpgave || by == ReportGrouping::kCategory) {
    return absl::InvalidArgumentError(
        "by: a participation report groups by month, quarter, wijk, organisation or team");
  }
  return OnGrid(period, [&](const ReportPeriod& p, const HiddenCells* hidden) {
    return ParticipationTable(p, by, labels, cases, hidden);
  });
}

}  // namespace schakel::domain
