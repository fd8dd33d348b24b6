#include "server/api/signal_service.h"

#include "server/api/case_convert.h"
#include "server/api/convert.h"
#include "server/common/status_macros.h"

namespace schakel::api {

grpc::Status SignalService::CreateSignal(grpc::ServerContext* context,
                                         const v1::CreateSignalRequest* request,
                                         v1::Signal* response) {
  return handler_->Handle(context, "SignalService.CreateSignal", *request, [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    domain::NewSignal in;
    in.request_id = request->request_id();
    in.category = request->category();
    in.wijk = request->wijk();
    in.place = request->place();
    in.description = request->description();
    in.resident_id = request->resident_id();
    ASSIGN_OR_RETURN(in.urgency, FromProto(request->urgency(), "urgency"));
    in.owner_organisation_id = request->owner_organisation_id();
    in.team = request->team();
    in.owner_team = request->owner_team();
    ASSIGN_OR_RETURN(app::SignalView created, app_->Create(caller, in, trail));
    ToProto(created, response);
    return absl::OkStatus();
  });
}

grpc::Status SignalService::GetSignal(grpc::ServerContext* context,
                                      const v1::GetSignalRequest* request, v1::Signal* response) {
  return handler_->Handle(context, "SignalService.GetSignal", *request, [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(app::SignalView v, app_->Get(caller, request->id(), trail));
    ToProto(v, response);
    return absl::OkStatus();
  });
}

grpc::Status SignalService::ListSignals(grpc::ServerContext* context,
                                        const v1::ListSignalsRequest* request,
                                        v1::ListSignalsResponse* response) {
  return handler_->Handle(context, "SignalService.ListSignals", *request, [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    domain::SignalQuery q;
    ASSIGN_OR_RETURN(q.status, FromProto(request->status(), "status"));
    q.category = request->category();
    q.opgave = request->opgave();
    q.wijk = request->wijk();
    q.owner_organisation_id = request->owner_organisation_id();
    q.owner_team = request->owner_team();
    q.resident_id = request->resident_id();
    ASSIGN_OR_RETURN(app::SignalList list,
                     app_->List(caller, q, request->page_size(), request->page_token(), trail));
    for (const auto& v : list.signals) ToProto(v, response->add_signals());
    response->set_next_page_token(list.next_page_token);
    return absl::OkStatus();
  });
}

grpc::Status SignalService::AssignSignal(grpc::ServerContext* context,
                                         const v1::AssignSignalRequest* request,
                                         v1::Signal* response) {
  return handler_->Handle(context, "SignalService.AssignSignal", *request, [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(app::SignalView v, app_->Assign(caller, request->id(), request->etag(),
                                                     request->owner_organisation_id(),
                                                     request->owner_team(), trail));
    ToProto(v, response);
    return absl::OkStatus();
  });
}

grpc::Status SignalService::ChangeSignalStatus(grpc::ServerContext* context,
                                               const v1::ChangeSignalStatusRequest* request,
                                               v1::Signal* response) {
  return handler_->Handle(context, "SignalService.ChangeSignalStatus", *request, [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(auto to, FromProto(request->status(), "status"));
    if (!to) return absl::InvalidArgumentError("status: required");
    ASSIGN_OR_RETURN(app::SignalView v,
                     app_->ChangeStatus(caller, request->id(), request->etag(), *to, trail));
    ToProto(v, response);
    return absl::OkStatus();
  });
}

grpc::Status SignalService::AddSignalNote(grpc::ServerContext* context,
                                          const v1::AddSignalNoteRequest* request,
                                          v1::Note* response) {
  return handler_->Handle(context, "SignalService.AddSignalNote", *request, [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    domain::NewNote in;
    in.request_id = request->request_id();
    in.parent_id = request->signal_id();
    ASSIGN_OR_RETURN(in.visibility, FromProto(request->visibility(), "visibility"));
    in.text = request->text();
    ASSIGN_OR_RETURN(domain::Note note, app_->AddNote(caller, in, trail));
    ToProto(note, response);
    return absl::OkStatus();
  });
}

}  // namespace schakel::api
