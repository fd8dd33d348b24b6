#include "server/api/resident_service.h"

#include "server/api/case_convert.h"
#include "server/api/convert.h"
#include "server/common/status_macros.h"

namespace schakel::api {

grpc::Status ResidentService::RegisterResident(grpc::ServerContext* context,
                                               const v1::RegisterResidentRequest* request,
                                               v1::RegisterResidentResponse* response) {
  return handler_->Handle(context, "ResidentService.RegisterResident", *request, [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    domain::NewResident in{request->request_id(), request->name(),  request->birth_date(),
                           request->address(),    request->wijk(), request->register_anyway(),
                           request->team()};
    ASSIGN_OR_RETURN(domain::RegistrationResult result, app_->Register(caller, in, trail));
    if (result.created) {
      response->set_outcome(v1::RegisterResidentResponse::OUTCOME_REGISTERED);
      response->set_id(result.created->id);
      ToProto(*result.created, response->mutable_resident());
    } else {
      response->set_outcome(v1::RegisterResidentResponse::OUTCOME_POSSIBLE_MATCH);
    }
    for (const auto& m : result.matches) ToProto(m, response->add_matches());
    return absl::OkStatus();
  });
}

grpc::Status ResidentService::GetResident(grpc::ServerContext* context,
                                          const v1::GetResidentRequest* request,
                                          v1::Resident* response) {
  return handler_->Handle(context, "ResidentService.GetResident", *request, [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(domain::Resident r, app_->Get(caller, request->id(), trail));
    ToProto(r, response);
    return absl::OkStatus();
  });
}

grpc::Status ResidentService::FindResidents(grpc::ServerContext* context,
                                            const v1::FindResidentsRequest* request,
                                            v1::FindResidentsResponse* response) {
  return handler_->Handle(context, "ResidentService.FindResidents", *request, [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(auto found, app_->Find(caller, request->name(), request->birth_date(),
                                           request->address(), trail));
    for (const auto& r : found) ToProto(r, response->add_residents());
    return absl::OkStatus();
  });
}

grpc::Status ResidentService::ListPossibleDuplicates(
    grpc::ServerContext* context, const v1::ListPossibleDuplicatesRequest* request,
    v1::ListPossibleDuplicatesResponse* response) {
  return handler_->Handle(context, "ResidentService.ListPossibleDuplicates", *request, [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(auto pairs, app_->ListDuplicates(caller, trail));
    auto to_proto = [](const app::ResidentView& v, v1::Resident* out) {
      if (!v.withheld) return ToProto(v.resident, out);
      out->set_id(v.resident.id);
      out->set_content_withheld(true);
    };
    for (const auto& [resident, original] : pairs) {
      v1::DuplicatePair* p = response->add_pairs();
      to_proto(resident, p->mutable_resident());
      to_proto(original, p->mutable_duplicate_of());
    }
    return absl::OkStatus();
  });
}

grpc::Status ResidentService::MergeResidents(grpc::ServerContext* context,
                                             const v1::MergeResidentsRequest* request,
                                             v1::Resident* response) {
  return handler_->Handle(context, "ResidentService.MergeResidents", *request, [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(domain::Resident kept,
                     app_->Merge(caller, request->keep_id(), request->merge_id(), trail));
    ToProto(kept, response);
    return absl::OkStatus();
  });
}

grpc::Status ResidentService::OpenBreakGlass(grpc::ServerContext* context,
                                             const v1::OpenBreakGlassRequest* request,
                                             v1::OpenBreakGlassResponse* response) {
  return handler_->Handle(context, "ResidentService.OpenBreakGlass", *request,
                          [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(audit::BreakGlassSession s,
                     app_->OpenBreakGlass(caller, request->resident_id(), request->reason(), trail));
    response->set_id(s.id);
    response->set_resident_id(s.resident_id);
    SetTime(s.start_time, response->mutable_start_time());
    SetTime(s.end_time, response->mutable_end_time());
    return absl::OkStatus();
  });
}

}  // namespace schakel::api
