#include "server/api/privacy_service.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include "server/api/convert.h"
#include "server/common/status_macros.h"

namespace schakel::api {
namespace {

void ToProto(const domain::ResidentRecord& in, v1::ExportedResident* out) {
  out->set_id(in.id);
  out->set_name(in.name);
  out->set_birth_date(in.birth_date);
  out->set_address(in.address);
  out->set_wijk(in.wijk);
  SetTime(in.create_time, out->mutable_create_time());
  for (const auto& o : in.registering_organisations) out->add_registering_organisation_ids(o);
  for (const auto& m : in.merged_ids) out->add_merged_ids(m);
  out->set_legal_hold(in.legal_hold);
}

void ToProto(const domain::RectificationRecord& in, v1::Rectification* out) {
  out->set_field(in.field);
  out->set_old_value(in.old_value);
  out->set_new_value(in.new_value);
  out->set_professional_id(in.professional_id);
  out->set_request_ref(in.request_ref);
  SetTime(in.time, out->mutable_time());
}

void ToProto(const app::ResidentExport& in, v1::ResidentExport* out) {
  SetTime(in.export_time, out->mutable_export_time());
  out->set_request_ref(in.request_ref);
  ToProto(in.data.resident, out->mutable_resident());
  for (const auto& s : in.data.signals) {
    v1::ExportedSignal* p = out->add_signals();
    p->set_id(s.id);
    p->set_category(s.category);
    p->set_wijk(s.wijk);
    p->set_place(s.place);
    p->set_description(s.description);
    p->set_urgency(s.urgency);
    p->set_status(s.status);
    p->set_owner_organisation_id(s.owner_organisation_id);
    p->set_author_id(s.author_id);
    p->set_author_organisation_id(s.author_organisation_id);
    SetTime(s.create_time, p->mutable_create_time());
    SetTime(s.update_time, p->mutable_update_time());
  }
  for (const auto& h : in.data.handovers) {
    v1::ExportedHandover* p = out->add_handovers();
    p->set_id(h.id);
    p->set_from_organisation_id(h.from_organisation_id);
    p->set_to_organisation_id(h.to_organisation_id);
    p->set_reason(h.reason);
    p->set_signal_id(h.signal_id);
    p->set_basis(h.basis);
    p->set_status(h.status);
    p->set_outcome(h.outcome);
    p->set_outcome_text(h.outcome_text);
    p->set_deadline(h.deadline);
    SetTime(h.create_time, p->mutable_create_time());
    SetTime(h.update_time, p->mutable_update_time());
  }
  for (const auto& t : in.data.trajectories) {
    v1::ExportedTrajectory* p = out->add_trajectories();
    p->set_id(t.id);
    p->set_organisation_id(t.organisation_id);
    p->set_consultant_id(t.consultant_id);
    p->set_start_date(t.start_date);
    p->set_goal(t.goal);
    p->set_status(t.status);
    p->set_close_reason(t.close_reason);
    for (const auto& m : t.measurements) p->add_measurements(m);
    for (const auto& s : t.steps) p->add_steps(s);
    SetTime(t.create_time, p->mutable_create_time());
    SetTime(t.update_time, p->mutable_update_time());
  }
  for (const auto& n : in.data.notes) {
    v1::ExportedNote* p = out->add_notes();
    p->set_id(n.id);
    p->set_parent_type(n.parent_type);
    p->set_parent_id(n.parent_id);
    p->set_author_id(n.author_id);
    p->set_author_organisation_id(n.author_organisation_id);
    p->set_visibility(n.visibility);
    p->set_text(n.text);
    SetTime(n.create_time, p->mutable_create_time());
  }
  for (const auto& r : in.data.rectifications) ToProto(r, out->add_rectifications());
  for (const auto& e : in.accesses) api::ToProto(e, out->add_accesses());
}

}  // namespace

grpc::Status PrivacyService::Export(grpc::ServerContext* context,
                                    const v1::PrivacyExportRequest* request,
                                    v1::PrivacyExportResponse* response) {
  return handler_->Handle(context, "PrivacyService.Export", *request,
                          [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(app::ResidentExport e,
                     app_->Export(caller, request->resident_id(), request->request_ref(), trail));
    ToProto(e, response->mutable_document());
    return absl::OkStatus();
  });
}

grpc::Status PrivacyService::Rectify(grpc::ServerContext* context,
                                     const v1::RectifyRequest* request,
                                     v1::RectifyResponse* response) {
  return handler_->Handle(context, "PrivacyService.Rectify", *request,
                          [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    domain::RectifyInput in{request->name(), request->birth_date(), request->address(),
                            request->wijk()};
    ASSIGN_OR_RETURN(domain::ResidentData d, app_->Rectify(caller, request->resident_id(),
                                                          request->request_ref(), in, trail));
    ToProto(d.resident, response->mutable_resident());
    for (const auto& r : d.rectifications) ToProto(r, response->add_history());
    return absl::OkStatus();
  });
}

grpc::Status PrivacyService::Erase(grpc::ServerContext* context, const v1::EraseRequest* request,
                                   v1::EraseResponse* response) {
  return handler_->Handle(context, "PrivacyService.Erase", *request,
                          [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(domain::EraseResult r,
                     app_->Erase(caller, request->resident_id(), request->request_ref(), trail));
    response->set_resident_id(request->resident_id());
    response->set_signals_withdrawn(r.signals_withdrawn);
    response->set_handovers_cancelled(r.handovers_cancelled);
    response->set_trajectories_closed(r.trajectories_closed);
    response->set_texts_erased(r.texts_erased);
    response->set_rectifications_removed(r.rectifications_removed);
    SetTime(trail.entry.time, response->mutable_erase_time());
    return absl::OkStatus();
  });
}

grpc::Status PrivacyService::Hold(grpc::ServerContext* context,
                                  const v1::LegalHoldRequest* request,
                                  v1::LegalHoldResponse* response) {
  return handler_->Handle(context, "PrivacyService.Hold", *request,
                          [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    RETURN_IF_ERROR(
        app_->SetHold(caller, request->resident_id(), request->request_ref(), true, trail));
    response->set_resident_id(request->resident_id());
    response->set_held(true);
    return absl::OkStatus();
  });
}

grpc::Status PrivacyService::Release(grpc::ServerContext* context,
                                     const v1::LegalHoldRequest* request,
                                     v1::LegalHoldResponse* response) {
  return handler_->Handle(context, "PrivacyService.Release", *request,
                          [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    RETURN_IF_ERROR(
        app_->SetHold(caller, request->resident_id(), request->request_ref(), false, trail));
    response->set_resident_id(request->resident_id());
    response->set_held(false);
    return absl::OkStatus();
  });
}

}  // namespace schakel::api
