#include "server/store/report_store.h"

#include <map>
#include <string>

#include "server/common/status_macros.h"
#include "server/domain/calendar.h"

namespace schakel::store {
namespace {

constexpr const char* kLabelQueries[] = {
    "SELECT code, label_nl FROM opgaven",
    "SELECT code, label_nl FROM signal_categories",
    "SELECT code, name FROM wijken",
    "SELECT id, name FROM organisations",
    "SELECT t.organisation_id || '/' || t.id, o.name || ' — ' || t.name FROM teams t"
    " JOIN organisations o ON o.id = t.organisation_id",
};

// One row per signal created in the period (without an event), then one per
// resolution or closing in the period; each half uses its time index.
constexpr char kSignalCases[] =
    "SELECT s.seq, s.opgave, s.category, s.wijk, COALESCE(s.owner_org, ''), s.create_time,"
    " NULL, NULL, 0, COALESCE(s.owner_org || '/' || s.owner_team, '') FROM signals s"
    " WHERE s.create_time >= :start AND s.create_time < :end"
    " UNION ALL"
    " SELECT s.seq, s.opgave, s.category, s.wijk, COALESCE(s.owner_org, ''), s.create_time,"
    " e.to_status, e.time, e.seq, COALESCE(s.owner_org || '/' || s.owner_team, '')"
    " FROM signal_events e JOIN signals s ON s.id = e.signal_id"
    " WHERE e.time >= :start AND e.time < :end AND e.kind = 'status_changed'"
    " AND e.to_status IN ('resolved', 'closed')"
    " ORDER BY 1, 9";

constexpr char kHandoverEvents[] =
    "SELECT e.time, e.to_status, h.create_time, h.deadline, COALESCE(h.outcome, ''), h.to_org,"
    " COALESCE(s.opgave, ''), COALESCE(s.category, ''), COALESCE(r.wijk, ''),"
    " h.to_org || '/' || h.to_team FROM handover_events e JOIN handovers h ON h.id = e.handover_id"
    " LEFT JOIN signals s ON s.id = h.signal_id"
    " LEFT JOIN residents r ON r.id = h.resident_id"
    " WHERE e.time >= :start AND e.time < :end ORDER BY e.seq";

constexpr char kTrajectories[] =
    "SELECT t.seq, t.organisation_id, COALESCE(r.wijk, ''), t.start_date,"
    " CASE WHEN t.status = 'closed' THEN (SELECT MAX(v.time) FROM trajectory_events v"
    "  WHERE v.trajectory_id = t.id AND v.to_status = 'closed') END,"
    " t.organisation_id || '/' || t.team"
    " FROM trajectories t LEFT JOIN residents r ON r.id = t.resident_id"
    " WHERE t.start_date <= :to ORDER BY t.seq";

constexpr char kMeasurements[] =
    "SELECT t.seq, m.date, m.rung FROM ladder_measurements m"
    " JOIN trajectories t ON t.id = m.trajectory_id"
    " WHERE t.start_date <= :to AND m.date <= :to ORDER BY t.seq, m.date, m.seq";

}  // namespace

absl::StatusOr<domain::GroupLabels> SqliteReportStore::Labels() {
  domain::GroupLabels labels;
  std::map<std::string, std::string>* targets[] = {&labels.opgaven, &labels.categories,
                                                   &labels.wijken, &labels.organisations,
                                                   &labels.teams};
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    for (size_t i = 0; i < std::size(kLabelQueries); ++i) {
      ASSIGN_OR_RETURN(Statement st, c.Prepare(kLabelQueries[i], "read report labels"));
      while (true) {
        ASSIGN_OR_RETURN(bool row, st.Step());
        if (!row) break;
        (*targets[i])[st.ColumnText(0)] = st.ColumnText(1);
      }
    }
    return absl::OkStatus();
  }));
  return labels;
}

absl::StatusOr<std::vector<domain::SignalCase>> SqliteReportStore::SignalCases(
    const domain::ReportPeriod& period) {
  std::vector<domain::SignalCase> cases;
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kSignalCases, "read signal report"));
    st.BindName(":start", absl::ToUnixMicros(period.Start()));
    st.BindName(":end", absl::ToUnixMicros(period.End()));
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      int64_t key = st.ColumnInt(0);
      if (cases.empty() || cases.back().key != key) {
        domain::SignalCase s;
        s.key = key;
        s.keys = {st.ColumnText(1), st.ColumnText(2), st.ColumnText(3), st.ColumnText(4),
                  st.ColumnText(9)};
        s.created = st.ColumnTime(5);
        cases.push_back(std::move(s));
      }
      if (st.ColumnIsNull(6)) continue;
      (st.ColumnText(6) == "resolved" ? cases.back().resolved : cases.back().closed)
          .push_back(st.ColumnTime(7));
    }
    return absl::OkStatus();
  }));
  return cases;
}

absl::StatusOr<std::vector<domain::HandoverEvent>> SqliteReportStore::HandoverEvents(
    const domain::ReportPeriod& period) {
  std::vector<domain::HandoverEvent> events;
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kHandoverEvents, "read handover report"));
    st.BindName(":start", absl::ToUnixMicros(period.Start()));
    st.BindName(":end", absl::ToUnixMicros(period.End()));
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      std::optional<domain::HandoverStatus> to = domain::ParseHandoverStatus(st.ColumnText(1));
      auto deadline = domain::ParseDate("deadline", st.ColumnText(3));
      if (!to || !deadline.ok()) continue;  // unreadable rows count nowhere
      domain::HandoverEvent e;
      e.time = st.ColumnTime(0);
      e.to = *to;
      e.proposed = st.ColumnTime(2);
      e.deadline = *deadline;
      if (!st.ColumnText(4).empty()) e.outcome = domain::ParseOutcome(st.ColumnText(4));
      e.keys = {st.ColumnText(6), st.ColumnText(7), st.ColumnText(8), st.ColumnText(5),
                st.ColumnText(9)};
      events.push_back(std::move(e));
    }
    return absl::OkStatus();
  }));
  return events;
}

absl::StatusOr<std::vector<domain::TrajectoryCase>> SqliteReportStore::TrajectoryCases(
    const domain::ReportPeriod& period) {
  std::vector<domain::TrajectoryCase> cases;
  std::map<int64_t, size_t> by_seq;
  const std::string to = domain::FormatDate(period.to);
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kTrajectories, "read participation report"));
    st.BindName(":to", to);
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      auto start = domain::ParseDate("start_date", st.ColumnText(3));
      if (!start.ok()) continue;
      domain::TrajectoryCase t;
      t.keys.organisation = st.ColumnText(1);
      t.keys.wijk = st.ColumnText(2);
      t.keys.team = st.ColumnText(5);
      t.start = *start;
      if (!st.ColumnIsNull(4)) t.closed = st.ColumnTime(4);
      // Closed before the period: nothing of it is in the report.
      if (t.closed && domain::DayOf(*t.closed) < period.from) continue;
      by_seq[st.ColumnInt(0)] = cases.size();
      cases.push_back(std::move(t));
    }
    ASSIGN_OR_RETURN(Statement m, c.Prepare(kMeasurements, "read participation measurements"));
    m.BindName(":to", to);
    while (true) {
      ASSIGN_OR_RETURN(bool row, m.Step());
      if (!row) break;
      auto it = by_seq.find(m.ColumnInt(0));
      auto date = domain::ParseDate("date", m.ColumnText(1));
      if (it == by_seq.end() || !date.ok()) continue;
      cases[it->second].measurements.push_back({*date, static_cast<int>(m.ColumnInt(2))});
    }
    return absl::OkStatus();
  }));
  return cases;
}

}  // namespace schakel::store
