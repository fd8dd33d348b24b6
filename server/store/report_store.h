// The programme monitor's store: reads the per-case facts the reports
// aggregate (server/domain/report.h) — group codes, times, statuses and
// rungs, never names, addresses or free text — and the Dutch labels of the
// groups. Read-only; all its SQL lives in report_store.cc. The status
// histories it reads (handover_events, trajectory_events) are written by
// triggers of migration 6 inside each change's own transaction.
#ifndef SCHAKEL_SERVER_STORE_REPORT_STORE_H_
#define SCHAKEL_SERVER_STORE_REPORT_STORE_H_

#include <vector>

#include "absl/status/statusor.h"
#include "server/domain/report.h"
#include "server/store/database.h"

namespace schakel::store {

class ReportStore {
 public:
  virtual ~ReportStore() = default;
  // Labels of opgaven, categories, wijken and organisations.
  virtual absl::StatusOr<domain::GroupLabels> Labels() = 0;
  // Signals created in the period or resolved or closed in it, with those
  // status changes.
  virtual absl::StatusOr<std::vector<domain::SignalCase>> SignalCases(
      const domain::ReportPeriod& period) = 0;
  // Every status change of a handover inside the period, its proposal included.
  virtual absl::StatusOr<std::vector<domain::HandoverEvent>> HandoverEvents(
      const domain::ReportPeriod& period) = 0;
  // Trajectories started on or before the period's last day and not closed
  // before its first, with their measurements up to its last day.
  virtual absl::StatusOr<std::vector<domain::TrajectoryCase>> TrajectoryCases(
      const domain::ReportPeriod& period) = 0;
};

class SqliteReportStore final : public ReportStore {
 public:
  explicit SqliteReportStore(Database* db) : db_(db) {}
  absl::StatusOr<domain::GroupLabels> Labels() override;
  absl::StatusOr<std::vector<domain::SignalCase>> SignalCases(
      const domain::ReportPeriod& period) override;
  absl::StatusOr<std::vector<domain::HandoverEvent>> HandoverEvents(
      const domain::ReportPeriod& period) override;
  absl::StatusOr<std::vector<domain::TrajectoryCase>> TrajectoryCases(
      const domain::ReportPeriod& period) override;

 private:
  Database* db_;
};

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_REPORT_STORE_H_
