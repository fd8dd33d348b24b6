#include "server/api/directory_service.h"

#include "server/api/convert.h"
#include "server/api/people_convert.h"
#include "server/common/status_macros.h"

namespace schakel::api {

grpc::Status DirectoryService::WhoAmI(grpc::ServerContext* context, const v1::WhoAmIRequest* request,
                                      v1::WhoAmIResponse* response) {
  return handler_->Handle(context, "DirectoryService.WhoAmI", *request, [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(app::WhoAmIResult result, app_->WhoAmI(caller, trail));
    ToProto(result.professional, response->mutable_professional());
    ToProto(result.organisation, response->mutable_organisation());
    ToProto(result.certificate, response->mutable_certificate());
    for (const auto& [resident_id, end_time] : result.emergency_access) {
      v1::EmergencyAccess* access = response->add_emergency_access();
      access->set_resident_id(resident_id);
      SetTime(end_time, access->mutable_end_time());
    }
    return absl::OkStatus();
  });
}

grpc::Status DirectoryService::ListOrganisations(grpc::ServerContext* context,
                                                 const v1::ListOrganisationsRequest* request,
                                                 v1::ListOrganisationsResponse* response) {
  return handler_->Handle(context, "DirectoryService.ListOrganisations", *request, [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(app::OrganisationList result,
                     app_->ListOrganisations(caller, request->page_size(), request->page_token(), trail));
    for (const auto& o : result.organisations) ToProto(o, response->add_organisations());
    response->set_next_page_token(result.next_page_token);
    return absl::OkStatus();
  });
}

grpc::Status DirectoryService::GetOrganisation(grpc::ServerContext* context,
                                               const v1::GetOrganisationRequest* request,
                                               v1::Organisation* response) {
  return handler_->Handle(context, "DirectoryService.GetOrganisation", *request, [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(domain::Organisation org, app_->GetOrganisation(caller, request->id(), trail));
    ToProto(org, response);
    return absl::OkStatus();
  });
}

grpc::Status DirectoryService::ListTeams(grpc::ServerContext* context,
                                         const v1::ListTeamsRequest* request,
                                         v1::ListTeamsResponse* response) {
  return handler_->Handle(context, "DirectoryService.ListTeams", *request, [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<domain::Team> teams,
                     app_->ListTeams(caller, request->organisation_id(), trail));
    for (const domain::Team& t : teams) ToProto(t, response->add_teams());
    return absl::OkStatus();
  });
}

grpc::Status DirectoryService::ListPeople(grpc::ServerContext* context,
                                          const v1::ListPeopleRequest* request,
                                          v1::ListPeopleResponse* response) {
  return handler_->Handle(context, "DirectoryService.ListPeople", *request,
                          [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    app::PeopleFilter filter;
    filter.organisation_id = request->organisation_id();
    filter.team = request->team();
    filter.role = request->role();
    filter.name = request->name();
    filter.include_disabled = request->include_disabled();
    ASSIGN_OR_RETURN(app::PeopleList list, app_->ListPeople(caller, filter, request->page_size(),
                                                            request->page_token(), trail));
    for (const domain::Person& p : list.people) ToProto(p, response->add_people());
    response->set_next_page_token(list.next_page_token);
    return absl::OkStatus();
  });
}

grpc::Status DirectoryService::Ping(grpc::ServerContext* context, const v1::PingRequest*,
                                    v1::PingResponse*) {
  // No audit entry: a ping reads no case data and no directory data (see
  // Handler::HandleUnaudited).
  return handler_->HandleUnaudited(
      context, "DirectoryService.Ping", [&](const auth::Principal& caller) { return app_->Ping(caller); });
}

grpc::Status DirectoryService::RenewCertificate(grpc::ServerContext* context,
                                                const v1::RenewCertificateRequest* request,
                                                v1::RenewCertificateResponse* response) {
  return handler_->Handle(context, "DirectoryService.RenewCertificate", *request, [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(app::IssuedCertificate issued,
                     enrollment_->Renew(caller, request->csr_pem(), trail));
    ToProto(issued.certificate, response->mutable_certificate());
    response->set_certificate_pem(issued.certificate.pem);
    response->set_ca_certificate_pem(issued.ca_certificate_pem);
    return absl::OkStatus();
  });
}

}  // namespace schakel::api
