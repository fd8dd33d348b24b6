#include "server/api/report_service.h"

#include "server/common/status_macros.h"
#include "server/domain/calendar.h"
#include "server/domain/report.h"

namespace schakel::api {
namespace {

struct GroupingEntry {
  v1::ReportGrouping proto;
  domain::ReportGrouping domain;
};
constexpr GroupingEntry kGroupings[] = {
    {v1::REPORT_GROUPING_MONTH, domain::ReportGrouping::kMonth},
    {v1::REPORT_GROUPING_QUARTER, domain::ReportGrouping::kQuarter},
    {v1::REPORT_GROUPING_OPGAVE, domain::ReportGrouping::kOpgave},
    {v1::REPORT_GROUPING_CATEGORY, domain::ReportGrouping::kCategory},
    {v1::REPORT_GROUPING_WIJK, domain::ReportGrouping::kWijk},
    {v1::REPORT_GROUPING_ORGANISATION, domain::ReportGrouping::kOrganisation},
    {v1::REPORT_GROUPING_TEAM, domain::ReportGrouping::kTeam},
};

std::optional<domain::ReportGrouping> FromProto(v1::ReportGrouping g) {
  for (const auto& e : kGroupings) {
    if (e.proto == g) return e.domain;
  }
  return std::nullopt;
}

void ToProto(const domain::ReportRow& in, v1::ReportRow* out) {
  out->set_key(in.key);
  out->set_label(in.label);
  for (const std::string& c : in.cells) out->add_cells(c);
}

}  // namespace

grpc::Status ReportService::Run(grpc::ServerContext* context, const char* action,
                                app::ReportKind kind, const v1::ReportRequest& request,
                                v1::Report* response) {
  return handler_->Handle(context, action, request,
                          [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    if (!request.from().empty() || !request.to().empty()) {
      return absl::InvalidArgumentError(
          "period: reports no longer take from and to; send period: a month (2026-11), a "
          "quarter (2026-Q4) or a year (2026)");
    }
    ASSIGN_OR_RETURN(domain::Report report,
                     app_->Run(caller, kind, request.period(), FromProto(request.by()), trail));
    response->set_period(report.period.Key());
    response->set_from(domain::FormatDate(report.period.from));
    response->set_to(domain::FormatDate(report.period.to));
    response->set_by(request.by());
    for (const auto& c : report.columns) {
      v1::ReportColumn* col = response->add_columns();
      col->set_key(c.key);
      col->set_label_nl(c.label_nl);
    }
    for (const auto& r : report.rows) ToProto(r, response->add_rows());
    ToProto(report.total, response->mutable_total());
    return absl::OkStatus();
  });
}

grpc::Status ReportService::SignalReport(grpc::ServerContext* context,
                                         const v1::ReportRequest* request, v1::Report* response) {
  return Run(context, "ReportService.SignalReport", app::ReportKind::kSignals, *request, response);
}

grpc::Status ReportService::HandoverReport(grpc::ServerContext* context,
                                           const v1::ReportRequest* request,
                                           v1::Report* response) {
  return Run(context, "ReportService.HandoverReport", app::ReportKind::kHandovers, *request,
             response);
}

grpc::Status ReportService::ParticipationReport(grpc::ServerContext* context,
                                                const v1::ReportRequest* request,
                                                v1::Report* response) {
  return Run(context, "ReportService.ParticipationReport", app::ReportKind::kParticipation,
             *request, response);
}

}  // namespace schakel::api
