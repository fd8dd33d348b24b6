// The analyst's use cases: the programme monitor's reports (design.md,
// "reports"). Each answers a table through disclosure control; the request
// is audited as a read of resource "report" without residents.
#ifndef SCHAKEL_SERVER_APP_REPORT_APP_H_
#define SCHAKEL_SERVER_APP_REPORT_APP_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "server/audit/trail.h"
#include "server/auth/principal.h"
#include "server/domain/report.h"
#include "server/store/report_store.h"

namespace schakel::app {

enum class ReportKind { kSignals, kHandovers, kParticipation };
const char* ReportKindName(ReportKind k);

class ReportApp {
 public:
  explicit ReportApp(store::ReportStore* store) : store_(store) {}

  // PERMISSION_DENIED unless the caller is an analyst; INVALID_ARGUMENT
  // naming `period` (a month, quarter or year of the grid:
  // domain::ParseReportPeriod) or `by` (participation: not by opgave or
  // category; a month not by quarter). `by` is nullopt when the request
  // named no grouping.
  absl::StatusOr<domain::Report> Run(const auth::Principal& caller, ReportKind kind,
                                     const std::string& period,
                                     std::optional<domain::ReportGrouping> by,
                                     audit::Trail& trail);

 private:
  store::ReportStore* store_;
};

}  // namespace schakel::app

#endif  // SCHAKEL_SERVER_APP_REPORT_APP_H_
