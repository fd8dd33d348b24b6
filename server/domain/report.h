// The programme monitor's figures (design.md, "reports"): pure aggregation
// of per-case facts the report store reads, into tables whose cells have
// already passed disclosure control (disclosure.h). A report holds only
// counts, medians and shares per group — never an id, a name or free text.
//
// A report covers one period of a fixed grid (docs/reports.md): a month, a
// quarter or a year in the programme's time zone (calendar.h), never free
// dates, so that no two reports differ by a few days. Figures about events (opened, accepted, moved up…)
// count the events inside the period, each in the month or quarter it
// happened; figures about a state (clients per rung, overdue measurements)
// describe the last day of the period or of each month or quarter.
#ifndef SCHAKEL_SERVER_DOMAIN_REPORT_H_
#define SCHAKEL_SERVER_DOMAIN_REPORT_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "server/domain/handover.h"

namespace schakel::domain {

enum class ReportGrouping { kMonth, kQuarter, kOpgave, kCategory, kWijk, kOrganisation, kTeam };
const char* ReportGroupingName(ReportGrouping g);
bool IsTimeGrouping(ReportGrouping g);

enum class PeriodKind { kMonth, kQuarter, kYear };

struct ReportPeriod {
  PeriodKind kind = PeriodKind::kMonth;
  absl::CivilDay from;  // the first day, included
  absl::CivilDay to;    // the last day, included
  // 00:00 of `from` and 00:00 of the day after `to`, programme time.
  absl::Time Start() const;
  absl::Time End() const;
  // "2026-11", "2026-Q4" or "2026".
  std::string Key() const;
};

// The first and the last year a period may name.
inline constexpr int kFirstReportYear = 2000;
inline constexpr int kLastReportYear = 2199;

// A month "YYYY-MM", a quarter "YYYY-Qn" (n 1..4) or a year "YYYY";
// INVALID_ARGUMENT naming `period` and the rule otherwise.
absl::StatusOr<ReportPeriod> ParseReportPeriod(absl::string_view period);

// The periods of the grid inside `year`: its 12 months, 4 quarters and the
// year itself, in that order.
std::vector<ReportPeriod> PeriodsOfYear(int year);

// INVALID_ARGUMENT naming `by` when a period cannot be grouped so: a month
// by quarter (its one row would name a quarter it does not cover).
absl::Status ValidateGrouping(const ReportPeriod& period, ReportGrouping by);

// What a case is grouped by, besides time: codes and ids, "" when the case
// has none (a handover without a signal has no opgave or category).
struct GroupKeys {
  std::string opgave;
  std::string category;
  std::string wijk;
  std::string organisation;
  // The team inside `organisation`, as "ORGANISATION/TEAM" ("" with it).
  std::string team;
};

// Dutch labels of the groups, from the reference data (seed).
struct GroupLabels {
  std::map<std::string, std::string> opgaven;
  std::map<std::string, std::string> categories;
  std::map<std::string, std::string> wijken;
  std::map<std::string, std::string> organisations;
  // "ORGANISATION/TEAM" → "Organisation — Team".
  std::map<std::string, std::string> teams;
};

// --- Inputs, as the report store reads them --------------------------------

// A signal created in the period or with a status change to resolved or
// closed in it. `key` tells one signal from another inside the server only.
struct SignalCase {
  int64_t key = 0;
  GroupKeys keys;  // organisation: the owner ("" before it has one)
  absl::Time created;
  // The status changes to resolved and to closed inside the period.
  std::vector<absl::Time> resolved;
  std::vector<absl::Time> closed;
};

// One status change of a handover inside the period (the first row of a
// handover is its proposal).
struct HandoverEvent {
  GroupKeys keys;  // organisation: the receiving one; opgave, category: of the linked signal
  absl::Time time;
  HandoverStatus to = HandoverStatus::kProposed;
  absl::Time proposed;            // when the handover was proposed
  absl::CivilDay deadline;        // the last day to answer
  std::optional<Outcome> outcome; // of a completed handover
};

// A trajectory that may have been open during the period, with its
// measurements in date order.
struct TrajectoryCase {
  GroupKeys keys;  // wijk of the resident, organisation of the trajectory
  absl::CivilDay start;
  std::optional<absl::Time> closed;
  std::vector<std::pair<absl::CivilDay, int>> measurements;  // (date, rung)
};

// --- Output ----------------------------------------------------------------

struct ReportColumn {
  std::string key;       // e.g. "opened"
  std::string label_nl;  // e.g. "geopend"
};

struct ReportRow {
  std::string key;    // "2026-11", "2026-Q4", an opgave or category code, a wijk, an organisation id, "ORGANISATION/TEAM"; "" for none
  std::string label;  // Dutch label (the key for months and quarters)
  // One per column: "0", "<5", "x", a number, a median "3.5", a share "80%",
  // "." (no cases) or "" (no such figure for this row).
  std::vector<std::string> cells;
};

struct Report {
  ReportPeriod period;
  std::vector<ReportColumn> columns;
  std::vector<ReportRow> rows;
  ReportRow total;
};

Report SignalReport(const ReportPeriod& period, ReportGrouping by, const GroupLabels& labels,
                    const std::vector<SignalCase>& cases);
Report HandoverReport(const ReportPeriod& period, ReportGrouping by, const GroupLabels& labels,
                      const std::vector<HandoverEvent>& events);
// INVALID_ARGUMENT naming `by` for opgave and category: trajectories have
// neither.
absl::StatusOr<Report> ParticipationReport(const ReportPeriod& period, ReportGrouping by,
                                           const GroupLabels& labels,
                                           const std::vector<TrajectoryCase>& cases);

}  // namespace schakel::domain

#endif  // SCHAKEL_SERVER_DOMAIN_REPORT_H_
