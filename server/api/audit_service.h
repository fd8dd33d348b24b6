// gRPC adapter of schakel.v1.AuditService. No state, no SQL.
#ifndef SCHAKEL_SERVER_API_AUDIT_SERVICE_H_
#define SCHAKEL_SERVER_API_AUDIT_SERVICE_H_

#include "schakel/v1/audit.grpc.pb.h"
#include "server/api/handler.h"
#include "server/app/audit_app.h"
#include "server/app/grant_app.h"

namespace schakel::api {

class AuditService final : public v1::AuditService::Service {
 public:
  AuditService(const Handler* handler, app::AuditApp* app, app::GrantApp* grants)
      : handler_(handler), app_(app), grants_(grants) {}

  grpc::Status QueryAudit(grpc::ServerContext* context, const v1::QueryAuditRequest* request,
                          v1::QueryAuditResponse* response) override;
  grpc::Status VerifyAudit(grpc::ServerContext* context, const v1::VerifyAuditRequest* request,
                           v1::VerifyAuditResponse* response) override;
  grpc::Status ListBreakGlass(grpc::ServerContext* context,
                              const v1::ListBreakGlassRequest* request,
                              v1::ListBreakGlassResponse* response) override;
  grpc::Status ResidentAccessReport(grpc::ServerContext* context,
                                    const v1::ResidentAccessReportRequest* request,
                                    v1::ResidentAccessReportResponse* response) override;
  grpc::Status ListAnomalies(grpc::ServerContext* context, const v1::ListAnomaliesRequest* request,
                             v1::ListAnomaliesResponse* response) override;
  grpc::Status ListGrants(grpc::ServerContext* context, const v1::ListGrantsRequest* request,
                          v1::ListGrantsResponse* response) override;
  grpc::Status ListPrivacyActs(grpc::ServerContext* context,
                               const v1::ListPrivacyActsRequest* request,
                               v1::ListPrivacyActsResponse* response) override;

 private:
  const Handler* handler_;
  app::AuditApp* app_;
  app::GrantApp* grants_;
};

}  // namespace schakel::api

#endif  // SCHAKEL_SERVER_API_AUDIT_SERVICE_H_
