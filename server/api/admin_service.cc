#include "server/api/admin_service.h"

#include "absl/strings/str_cat.h"

#include "server/api/convert.h"
#include "server/api/grant_convert.h"
#include "server/api/people_convert.h"
#include "server/common/status_macros.h"

namespace schakel::api {

grpc::Status AdminService::AddProfessional(grpc::ServerContext* context,
                                           const v1::AddProfessionalRequest* request,
                                           v1::AddProfessionalResponse* response) {
  return handler_->Handle(context, "AdminService.AddProfessional", *request, [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    domain::NewProfessional in;
    in.request_id = request->request_id();
    in.organisation_id = request->organisation_id();
    in.display_name = request->display_name();
    in.csr_pem = request->csr_pem();
    in.team = request->team();
    for (int i = 0; i < request->roles_size(); ++i) {
      auto role = RoleFromProto(request->roles(i));
      if (!role) {
        return absl::InvalidArgumentError(absl::StrCat("roles[", i, "]: not a known role"));
      }
      in.roles.push_back(*role);
    }
    ASSIGN_OR_RETURN(app::AddedProfessional result, app_->AddProfessional(caller, in, trail));
    ToProto(result.professional, response->mutable_professional());
    if (!result.certificate.fingerprint.empty()) {
      ToProto(result.certificate, response->mutable_certificate());
      response->set_certificate_pem(result.certificate.pem);
    }
    response->set_ca_certificate_pem(result.ca_certificate_pem);
    response->set_grant_id(result.grant.id);
    if (!result.enrollment_code.empty()) {
      response->set_enrollment_code(result.enrollment_code);
      SetTime(result.enrollment_expire_time, response->mutable_enrollment_expire_time());
    }
    return absl::OkStatus();
  });
}

grpc::Status AdminService::DisableProfessional(grpc::ServerContext* context,
                                               const v1::DisableProfessionalRequest* request,
                                               v1::Professional* response) {
  return handler_->Handle(context, "AdminService.DisableProfessional", *request, [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(domain::Professional p,
                     app_->DisableProfessional(caller, request->professional_id(), trail));
    ToProto(p, response);
    return absl::OkStatus();
  });
}

grpc::Status AdminService::RevokeCertificate(grpc::ServerContext* context,
                                             const v1::RevokeCertificateRequest* request,
                                             v1::Certificate* response) {
  return handler_->Handle(context, "AdminService.RevokeCertificate", *request, [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(domain::CertificateRecord cert,
                     app_->RevokeCertificate(caller, request->serial(), trail));
    ToProto(cert, response);
    return absl::OkStatus();
  });
}

grpc::Status AdminService::RecordBackup(grpc::ServerContext* context,
                                        const v1::RecordBackupRequest* request,
                                        v1::RecordBackupResponse*) {
  return handler_->Handle(context, "AdminService.RecordBackup", *request,
                          [&](const auth::Principal& caller, audit::Trail& trail) {
    return app_->RecordBackup(caller, request->head_seq(), request->sha256(), trail);
  });
}

grpc::Status AdminService::ListGrants(grpc::ServerContext* context,
                                      const v1::ListGrantsRequest* request,
                                      v1::ListGrantsResponse* response) {
  return handler_->Handle(context, "AdminService.ListGrants", *request, [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(app::GrantListing listing,
                     grants_->List(caller, request->pending_only(), request->professional_id(),
                                   trail));
    ToProto(listing, response);
    return absl::OkStatus();
  });
}

grpc::Status AdminService::RequestGrant(grpc::ServerContext* context,
                                        const v1::RequestGrantRequest* request,
                                        v1::Grant* response) {
  return handler_->Handle(context, "AdminService.RequestGrant", *request, [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    std::vector<domain::Role> roles;
    for (int i = 0; i < request->roles_size(); ++i) {
      auto role = RoleFromProto(request->roles(i));
      if (!role) {
        return absl::InvalidArgumentError(absl::StrCat("roles[", i, "]: not a known role"));
      }
      roles.push_back(*role);
    }
    ASSIGN_OR_RETURN(domain::Grant grant, grants_->Request(caller, request->professional_id(),
                                                           roles, request->team(), trail));
    ToProto(grant, response);
    return absl::OkStatus();
  });
}

grpc::Status AdminService::ApproveGrant(grpc::ServerContext* context,
                                        const v1::ApproveGrantRequest* request,
                                        v1::Grant* response) {
  return handler_->Handle(context, "AdminService.ApproveGrant", *request, [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(domain::Grant grant, grants_->Approve(caller, request->grant_id(), trail));
    ToProto(grant, response);
    return absl::OkStatus();
  });
}

grpc::Status AdminService::RefuseGrant(grpc::ServerContext* context,
                                       const v1::RefuseGrantRequest* request,
                                       v1::Grant* response) {
  return handler_->Handle(context, "AdminService.RefuseGrant", *request, [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(domain::Grant grant,
                     grants_->Refuse(caller, request->grant_id(), request->reason(), trail));
    ToProto(grant, response);
    return absl::OkStatus();
  });
}

grpc::Status AdminService::CreateTeam(grpc::ServerContext* context,
                                      const v1::CreateTeamRequest* request, v1::Team* response) {
  return handler_->Handle(context, "AdminService.CreateTeam", *request, [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    domain::Team in;
    in.organisation_id = request->organisation_id();
    in.id = request->id();
    in.name = request->name();
    ASSIGN_OR_RETURN(domain::Team team, app_->CreateTeam(caller, in, trail));
    ToProto(team, response);
    return absl::OkStatus();
  });
}

grpc::Status AdminService::RemoveFromTeam(grpc::ServerContext* context,
                                          const v1::RemoveFromTeamRequest* request,
                                          v1::Professional* response) {
  return handler_->Handle(context, "AdminService.RemoveFromTeam", *request, [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(domain::Professional p, app_->RemoveFromTeam(caller, request->professional_id(),
                                                                  request->team(), trail));
    ToProto(p, response);
    return absl::OkStatus();
  });
}

grpc::Status AdminService::SetWorkContact(grpc::ServerContext* context,
                                          const v1::SetWorkContactRequest* request,
                                          v1::Person* response) {
  return handler_->Handle(context, "AdminService.SetWorkContact", *request,
                          [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(domain::Person p,
                     app_->SetWorkContact(caller, request->professional_id(),
                                          {request->work_phone(), request->work_email()}, trail));
    ToProto(p, response);
    return absl::OkStatus();
  });
}

}  // namespace schakel::api
