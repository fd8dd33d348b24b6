// gRPC adapter of schakel.v1.DirectoryService: authenticate, call the app,
// convert. No state, no SQL.
#ifndef SCHAKEL_SERVER_API_DIRECTORY_SERVICE_H_
#define SCHAKEL_SERVER_API_DIRECTORY_SERVICE_H_

#include "schakel/v1/directory.grpc.pb.h"
#include "server/app/directory_app.h"
#include "server/app/enrollment_app.h"
#include "server/api/handler.h"

namespace schakel::api {

class DirectoryService final : public v1::DirectoryService::Service {
 public:
  DirectoryService(const Handler* handler, app::DirectoryApp* app, app::EnrollmentApp* enrollment)
      : handler_(handler), app_(app), enrollment_(enrollment) {}

  grpc::Status WhoAmI(grpc::ServerContext* context, const v1::WhoAmIRequest* request,
                      v1::WhoAmIResponse* response) override;
  grpc::Status ListOrganisations(grpc::ServerContext* context,
                                 const v1::ListOrganisationsRequest* request,
                                 v1::ListOrganisationsResponse* response) override;
  grpc::Status GetOrganisation(grpc::ServerContext* context,
                               const v1::GetOrganisationRequest* request,
                               v1::Organisation* response) override;
  grpc::Status ListTeams(grpc::ServerContext* context, const v1::ListTeamsRequest* request,
                         v1::ListTeamsResponse* response) override;
  grpc::Status ListPeople(grpc::ServerContext* context, const v1::ListPeopleRequest* request,
                          v1::ListPeopleResponse* response) override;
  grpc::Status Ping(grpc::ServerContext* context, const v1::PingRequest* request,
                    v1::PingResponse* response) override;
  grpc::Status RenewCertificate(grpc::ServerContext* context,
                                const v1::RenewCertificateRequest* request,
                                v1::RenewCertificateResponse* response) override;

 private:
  const Handler* handler_;
  app::DirectoryApp* app_;
  app::EnrollmentApp* enrollment_;
};

}  // namespace schakel::api

#endif  // SCHAKEL_SERVER_API_DIRECTORY_SERVICE_H_
