// gRPC adapter of schakel.v1.ReportService. No state, no SQL.
#ifndef SCHAKEL_SERVER_API_REPORT_SERVICE_H_
#define SCHAKEL_SERVER_API_REPORT_SERVICE_H_

#include "schakel/v1/reports.grpc.pb.h"
#include "server/api/handler.h"
#include "server/app/report_app.h"

namespace schakel::api {

class ReportService final : public v1::ReportService::Service {
 public:
  ReportService(const Handler* handler, app::ReportApp* app) : handler_(handler), app_(app) {}

  grpc::Status SignalReport(grpc::ServerContext* context, const v1::ReportRequest* request,
                            v1::Report* response) override;
  grpc::Status HandoverReport(grpc::ServerContext* context, const v1::ReportRequest* request,
                              v1::Report* response) override;
  grpc::Status ParticipationReport(grpc::ServerContext* context, const v1::ReportRequest* request,
                                   v1::Report* response) override;

 private:
  grpc::Status Run(grpc::ServerContext* context, const char* action, app::ReportKind kind,
                   const v1::ReportRequest& request, v1::Report* response);

  const Handler* handler_;
  app::ReportApp* app_;
};

}  // namespace schakel::api

#endif  // SCHAKEL_SERVER_API_REPORT_SERVICE_H_
