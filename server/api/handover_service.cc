#include "server/api/handover_service.h"

#include "server/api/case_convert.h"
#include "server/api/convert.h"
#include "server/common/status_macros.h"

namespace schakel::api {

using domain::HandoverAction;

grpc::Status HandoverService::ProposeHandover(grpc::ServerContext* context,
                                              const v1::ProposeHandoverRequest* request,
                                              v1::Handover* response) {
  return handler_->Handle(context, "HandoverService.ProposeHandover", *request, [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    domain::NewHandover in;
    in.request_id = request->request_id();
    in.resident_id = request->resident_id();
    in.to_organisation_id = request->to_organisation_id();
    in.team = request->team();
    in.to_team = request->to_team();
    in.reason = request->reason();
    in.signal_id = request->signal_id();
    in.basis = FromProto(request->basis());
    in.response_days = request->response_days();
    ASSIGN_OR_RETURN(app::HandoverView v, app_->Propose(caller, in, trail));
    ToProto(v, response);
    return absl::OkStatus();
  });
}

grpc::Status HandoverService::GetHandover(grpc::ServerContext* context,
                                          const v1::GetHandoverRequest* request,
                                          v1::Handover* response) {
  return handler_->Handle(context, "HandoverService.GetHandover", *request, [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(app::HandoverView v, app_->Get(caller, request->id(), trail));
    ToProto(v, response);
    return absl::OkStatus();
  });
}

grpc::Status HandoverService::List(grpc::ServerContext* context, domain::HandoverBox box,
                                   const v1::ListHandoversRequest* request,
                                   v1::ListHandoversResponse* response) {
  return handler_->Handle(context, box == domain::HandoverBox::kInbox ? "HandoverService.ListInbox" : "HandoverService.ListOutbox", *request, [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(auto status, FromProto(request->status(), "status"));
    ASSIGN_OR_RETURN(app::HandoverList list, app_->List(caller, box, status, request->resident_id(),
                                                        request->page_size(),
                                                        request->page_token(), trail));
    for (const auto& v : list.handovers) ToProto(v, response->add_handovers());
    response->set_next_page_token(list.next_page_token);
    return absl::OkStatus();
  });
}

grpc::Status HandoverService::ListInbox(grpc::ServerContext* context,
                                        const v1::ListHandoversRequest* request,
                                        v1::ListHandoversResponse* response) {
  return List(context, domain::HandoverBox::kInbox, request, response);
}

grpc::Status HandoverService::ListOutbox(grpc::ServerContext* context,
                                         const v1::ListHandoversRequest* request,
                                         v1::ListHandoversResponse* response) {
  return List(context, domain::HandoverBox::kOutbox, request, response);
}

grpc::Status HandoverService::Act(grpc::ServerContext* context, HandoverAction action,
                                  const char* rpc, const v1::HandoverActionRequest* request,
                                  v1::Handover* response) {
  return handler_->Handle(context, rpc, *request, [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    domain::HandoverActionInput in;
    in.action = action;
    in.reason = request->reason();
    in.date = request->date();
    in.with = request->with();
    ASSIGN_OR_RETURN(in.outcome, FromProto(request->outcome(), "outcome"));
    in.text = request->text();
    ASSIGN_OR_RETURN(app::HandoverView v, app_->Act(caller, request->id(), request->etag(), in, trail));
    ToProto(v, response);
    return absl::OkStatus();
  });
}

grpc::Status HandoverService::AcceptHandover(grpc::ServerContext* c,
                                             const v1::HandoverActionRequest* r,
                                             v1::Handover* out) {
  return Act(c, HandoverAction::kAccept, "HandoverService.AcceptHandover", r, out);
}
grpc::Status HandoverService::DeclineHandover(grpc::ServerContext* c,
                                              const v1::HandoverActionRequest* r,
                                              v1::Handover* out) {
  return Act(c, HandoverAction::kDecline, "HandoverService.DeclineHandover", r, out);
}
grpc::Status HandoverService::IntroduceHandover(grpc::ServerContext* c,
                                                const v1::HandoverActionRequest* r,
                                                v1::Handover* out) {
  return Act(c, HandoverAction::kIntroduce, "HandoverService.IntroduceHandover", r, out);
}
grpc::Status HandoverService::CompleteHandover(grpc::ServerContext* c,
                                               const v1::HandoverActionRequest* r,
                                               v1::Handover* out) {
  return Act(c, HandoverAction::kComplete, "HandoverService.CompleteHandover", r, out);
}
grpc::Status HandoverService::CancelHandover(grpc::ServerContext* c,
                                             const v1::HandoverActionRequest* r,
                                             v1::Handover* out) {
  return Act(c, HandoverAction::kCancel, "HandoverService.CancelHandover", r, out);
}
grpc::Status HandoverService::WithdrawConsent(grpc::ServerContext* c,
                                              const v1::HandoverActionRequest* r,
                                              v1::Handover* out) {
  return Act(c, HandoverAction::kWithdrawConsent, "HandoverService.WithdrawConsent", r, out);
}

grpc::Status HandoverService::ForwardHandover(grpc::ServerContext* context,
                                              const v1::ForwardHandoverRequest* request,
                                              v1::Handover* response) {
  return handler_->Handle(context, "HandoverService.ForwardHandover", *request, [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(app::HandoverView v, app_->Forward(caller, request->id(), request->etag(),
                                                        request->to_team(), trail));
    ToProto(v, response);
    return absl::OkStatus();
  });
}

grpc::Status HandoverService::AddHandoverNote(grpc::ServerContext* context,
                                              const v1::AddHandoverNoteRequest* request,
                                              v1::Note* response) {
  return handler_->Handle(context, "HandoverService.AddHandoverNote", *request, [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    domain::NewNote in;
    in.request_id = request->request_id();
    in.parent_id = request->handover_id();
    ASSIGN_OR_RETURN(in.visibility, FromProto(request->visibility(), "visibility"));
    in.text = request->text();
    ASSIGN_OR_RETURN(domain::Note note, app_->AddNote(caller, in, trail));
    ToProto(note, response);
    return absl::OkStatus();
  });
}

}  // namespace schakel::api
