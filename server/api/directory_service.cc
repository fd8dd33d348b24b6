#include "server/api/directory_service.h"

#include "server/api/convert.h"

namespace schakel::api {

grpc::Status DirectoryService::WhoAmI(grpc::ServerContext* context, const v1::WhoAmIRequest*,
                                      v1::WhoAmIResponse* response) {
  auto caller = AuthenticateCall(*authenticator_, context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  auto result = app_->WhoAmI(*caller);
  if (!result.ok()) return ToGrpcStatus(result.status());
  ToProto(result->professional, response->mutable_professional());
  ToProto(result->organisation, response->mutable_organisation());
  ToProto(result->certificate, response->mutable_certificate());
  return grpc::Status::OK;
}

grpc::Status DirectoryService::ListOrganisations(grpc::ServerContext* context,
                                                 const v1::ListOrganisationsRequest* request,
                                                 v1::ListOrganisationsResponse* response) {
  auto caller = AuthenticateCall(*authenticator_, context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  auto result = app_->ListOrganisations(*caller, request->page_size(), request->page_token());
  if (!result.ok()) return ToGrpcStatus(result.status());
  for (const auto& o : result->organisations) ToProto(o, response->add_organisations());
  response->set_next_page_token(result->next_page_token);
  return grpc::Status::OK;
}

grpc::Status DirectoryService::GetOrganisation(grpc::ServerContext* context,
                                               const v1::GetOrganisationRequest* request,
                                               v1::Organisation* response) {
  auto caller = AuthenticateCall(*authenticator_, context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  auto result = app_->GetOrganisation(*caller, request->id());
  if (!result.ok()) return ToGrpcStatus(result.status());
  ToProto(*result, response);
  return grpc::Status::OK;
}

}  // namespace schakel::api
