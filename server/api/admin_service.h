// gRPC adapter of schakel.v1.AdminService: authenticate, call the app,
// convert. No state, no SQL.
#ifndef SCHAKEL_SERVER_API_ADMIN_SERVICE_H_
#define SCHAKEL_SERVER_API_ADMIN_SERVICE_H_

#include "schakel/v1/admin.grpc.pb.h"
#include "server/app/directory_app.h"
#include "server/app/grant_app.h"
#include "server/api/handler.h"

namespace schakel::api {

class AdminService final : public v1::AdminService::Service {
 public:
  AdminService(const Handler* handler, app::DirectoryApp* app, app::GrantApp* grants)
      : handler_(handler), app_(app), grants_(grants) {}

  grpc::Status AddProfessional(grpc::ServerContext* context,
                               const v1::AddProfessionalRequest* request,
                               v1::AddProfessionalResponse* response) override;
  grpc::Status DisableProfessional(grpc::ServerContext* context,
                                   const v1::DisableProfessionalRequest* request,
                                   v1::Professional* response) override;
  grpc::Status RevokeCertificate(grpc::ServerContext* context,
                                 const v1::RevokeCertificateRequest* request,
                                 v1::Certificate* response) override;
  grpc::Status RecordBackup(grpc::ServerContext* context, const v1::RecordBackupRequest* request,
                            v1::RecordBackupResponse* response) override;
  grpc::Status ListGrants(grpc::ServerContext* context, const v1::ListGrantsRequest* request,
                          v1::ListGrantsResponse* response) override;
  grpc::Status RequestGrant(grpc::ServerContext* context, const v1::RequestGrantRequest* request,
                            v1::Grant* response) override;
  grpc::Status CreateTeam(grpc::ServerContext* context, const v1::CreateTeamRequest* request,
                          v1::Team* response) override;
  grpc::Status RemoveFromTeam(grpc::ServerContext* context,
                              const v1::RemoveFromTeamRequest* request,
                              v1::Professional* response) override;
  grpc::Status SetWorkContact(grpc::ServerContext* context,
                              const v1::SetWorkContactRequest* request,
                              v1::Person* response) override;
  grpc::Status ApproveGrant(grpc::ServerContext* context, const v1::ApproveGrantRequest* request,
                            v1::Grant* response) override;
  grpc::Status RefuseGrant(grpc::ServerContext* context, const v1::RefuseGrantRequest* request,
                           v1::Grant* response) override;

 private:
  const Handler* handler_;
  app::DirectoryApp* app_;
  app::GrantApp* grants_;
};

}  // namespace schakel::api

#endif  // SCHAKEL_SERVER_API_ADMIN_SERVICE_H_
