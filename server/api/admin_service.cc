#include "server/api/admin_service.h"

#include "absl/strings/str_cat.h"
#include "server/api/convert.h"

namespace schakel::api {

grpc::Status AdminService::AddProfessional(grpc::ServerContext* context,
                                           const v1::AddProfessionalRequest* request,
                                           v1::AddProfessionalResponse* response) {
  auto caller = AuthenticateCall(*authenticator_, context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  domain::NewProfessional in;
  in.request_id = request->request_id();
  in.organisation_id = request->organisation_id();
  in.display_name = request->display_name();
  in.csr_pem = request->csr_pem();
  for (int i = 0; i < request->roles_size(); ++i) {
    auto role = RoleFromProto(request->roles(i));
    if (!role) {
      return ToGrpcStatus(absl::InvalidArgumentError(
          absl::StrCat("roles[", i, "]: not a known role")));
    }
    in.roles.push_back(*role);
  }
  auto result = app_->AddProfessional(*caller, in);
  if (!result.ok()) return ToGrpcStatus(result.status());
  ToProto(result->professional, response->mutable_professional());
  ToProto(result->certificate, response->mutable_certificate());
  response->set_certificate_pem(result->certificate.pem);
  response->set_ca_certificate_pem(result->ca_certificate_pem);
  return grpc::Status::OK;
}

grpc::Status AdminService::DisableProfessional(grpc::ServerContext* context,
                                               const v1::DisableProfessionalRequest* request,
                                               v1::Professional* response) {
  auto caller = AuthenticateCall(*authenticator_, context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  auto result = app_->DisableProfessional(*caller, request->professional_id());
  if (!result.ok()) return ToGrpcStatus(result.status());
  ToProto(*result, response);
  return grpc::Status::OK;
}

grpc::Status AdminService::RevokeCertificate(grpc::ServerContext* context,
                                             const v1::RevokeCertificateRequest* request,
                                             v1::Certificate* response) {
  auto caller = AuthenticateCall(*authenticator_, context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  auto result = app_->RevokeCertificate(*caller, request->serial());
  if (!result.ok()) return ToGrpcStatus(result.status());
  ToProto(*result, response);
  return grpc::Status::OK;
}

}  // namespace schakel::api
