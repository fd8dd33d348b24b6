#include "server/domain/report.h"

#include <algorithm>

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
  Report Finish(const std::vector<RowSum>& row_sums, const std::vector<bool>& total_applies) {
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
    std::vector<std::vector<CellState>> state = Suppress(grid, lines);

    Report report;
    for (const Spec& s : specs_) report.columns.push_back({s.key, s.label_nl});
    auto cells = [&](int r, const Tally& t) {
      std::vector<std::string> out;
      for (int c = 0; c < cols; ++c) {
        if (r == n && !total_applies[c]) {
          out.push_back(kNotApplicable);
          continue;
        }
        switch (specs_[c].kind) {
          case Kind::kCount: out.push_back(ShowCount(t.counts[c], state[r][c])); break;
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
  }
  return "month";
}

bool IsTimeGrouping(ReportGrouping g) {
  return g == ReportGrouping::kMonth || g == ReportGrouping::kQuarter;
}

absl::Time ReportPeriod::Start() const { return absl::FromCivil(from, ProgrammeTimeZone()); }
absl::Time ReportPeriod::End() const { return absl::FromCivil(to + 1, ProgrammeTimeZone()); }

absl::StatusOr<ReportPeriod> ParseReportPeriod(absl::string_view from, absl::string_view to) {
  ReportPeriod p;
  absl::StatusOr<absl::CivilDay> f = ParseDate("from", from);
  if (!f.ok()) return f.status();
  absl::StatusOr<absl::CivilDay> t = ParseDate("to", to);
  if (!t.ok()) return t.status();
  p.from = *f;
  p.to = *t;
  if (p.from > p.to) return absl::InvalidArgumentError("to: must not be before from");
  if (p.to - p.from >= kMaxReportDays) {
    return absl::InvalidArgumentError(
        absl::StrCat("to: a report covers at most ", kMaxReportDays, " days"));
  }
  return p;
}

Report SignalReport(const ReportPeriod& period, ReportGrouping by, const GroupLabels& labels,
                    const std::vector<SignalCase>& cases) {
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
  return table.Finish({}, std::vector<bool>(4, true));
}

Report HandoverReport(const ReportPeriod& period, ReportGrouping by, const GroupLabels& labels,
                      const std::vector<HandoverEvent>& events) {
  enum {
    kProposed, kAccepted, kDeclined, kExpired, kCancelled, kCompleted, kHelped, kNotHelped,
    kReferredOn, kResidentDeclined, kMedianAccept, kInTime, kColumns
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
               {"answered_in_time", "binnen termijn beantwoord", Kind::kShare}},
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
        answered(DayOf(e.time) <= e.deadline);
        break;
      case HandoverStatus::kDeclined:
        row.counts[kDeclined]++;
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
                      std::vector<bool>(kColumns, true));
}

absl::StatusOr<Report> ParticipationReport(const ReportPeriod& period, ReportGrouping by,
                                           const GroupLabels& labels,
                                           const std::vector<TrajectoryCase>& cases) {
  if (by == ReportGrouping::kOpgave || by == ReportGrouping::kCategory) {
    return absl::InvalidArgumentError(
        "by: a participation report groups by month, quarter, wijk or organisation");
  }
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
  return table.Finish({{kClients, parts}}, total_applies);
}

}  // namespace schakel::domain
