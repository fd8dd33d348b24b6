// gRPC adapter of schakel.v1.PrivacyService. No state, no SQL.
#ifndef SCHAKEL_SERVER_API_PRIVACY_SERVICE_H_
#define SCHAKEL_SERVER_API_PRIVACY_SERVICE_H_

#include "schakel/v1/privacy.grpc.pb.h"
#include "server/api/handler.h"
#include "server/app/privacy_app.h"

namespace schakel::api {

class PrivacyService final : public v1::PrivacyService::Service {
 public:
  PrivacyService(const Handler* handler, app::PrivacyApp* app) : handler_(handler), app_(app) {}

  grpc::Status Export(grpc::ServerContext* context, const v1::PrivacyExportRequest* request,
                      v1::PrivacyExportResponse* response) override;
  grpc::Status Rectify(grpc::ServerContext* context, const v1::RectifyRequest* request,
                       v1::RectifyResponse* response) override;
  grpc::Status Erase(grpc::ServerContext* context, const v1::EraseRequest* request,
                     v1::EraseResponse* response) override;
  grpc::Status Hold(grpc::ServerContext* context, const v1::LegalHoldRequest* request,
                    v1::LegalHoldResponse* response) override;
  grpc::Status Release(grpc::ServerContext* context, const v1::LegalHoldRequest* request,
                       v1::LegalHoldResponse* response) override;

 private:
  const Handler* handler_;
  app::PrivacyApp* app_;
};

}  // namespace schakel::api

#endif  // SCHAKEL_SERVER_API_PRIVACY_SERVICE_H_
