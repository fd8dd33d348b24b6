#include "server/app/report_app.h"

#include "absl/strings/str_cat.h"
#include "server/auth/policy.h"
#include "server/common/status_macros.h"
#include "server/domain/calendar.h"

namespace schakel::app {

const char* ReportKindName(ReportKind k) {
  switch (k) {
    case ReportKind::kSignals: return "signals";
    case ReportKind::kHandovers: return "handovers";
    case ReportKind::kParticipation: return "participation";
  }
  return "signals";
}

absl::StatusOr<domain::Report> ReportApp::Run(const auth::Principal& caller, ReportKind kind,
                                              const std::string& period_text,
                                              std::optional<domain::ReportGrouping> by,
                                              audit::Trail& trail) {
  // The entry names the report, and its period and grouping once they
  // parsed (never the text as sent).
  trail.Concerns("report", ReportKindName(kind));
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kReadReports).ToStatus());
  ASSIGN_OR_RETURN(domain::ReportPeriod period, domain::ParseReportPeriod(period_text));
  if (!by) {
    return absl::InvalidArgumentError(
        "by: required, one of month, quarter, opgave, category, wijk, organisation");
  }
  RETURN_IF_ERROR(domain::ValidateGrouping(period, *by));
  trail.Concerns("report", absl::StrCat(ReportKindName(kind), " ", period.Key(), " by ",
                                        domain::ReportGroupingName(*by)));
  ASSIGN_OR_RETURN(domain::GroupLabels labels, store_->Labels());
  switch (kind) {
    case ReportKind::kSignals: {
      ASSIGN_OR_RETURN(auto cases, store_->SignalCases(period));
      return domain::SignalReport(period, *by, labels, cases);
    }
    case ReportKind::kHandovers: {
      ASSIGN_OR_RETURN(auto events, store_->HandoverEvents(period));
      return domain::HandoverReport(period, *by, labels, events);
    }
    case ReportKind::kParticipation: {
      if (*by == domain::ReportGrouping::kOpgave || *by == domain::ReportGrouping::kCategory) {
        return domain::ParticipationReport(period, *by, labels, {});  // the INVALID_ARGUMENT
      }
      ASSIGN_OR_RETURN(auto cases, store_->TrajectoryCases(period));
      return domain::ParticipationReport(period, *by, labels, cases);
    }
  }
  return absl::InternalError("unknown report");
}

}  // namespace schakel::app
