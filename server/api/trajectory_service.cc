#include "server/api/trajectory_service.h"

#include "absl/strings/str_cat.h"
#include "server/api/case_convert.h"
#include "server/api/convert.h"
#include "server/common/status_macros.h"
#include "server/domain/calendar.h"

namespace schakel::api {
namespace {

using domain::StepStatus;
using domain::StepType;
using domain::TrajectoryStatus;

struct StepTypeEntry {
  v1::StepType proto;
  StepType domain;
};
constexpr StepTypeEntry kStepTypes[] = {
    {v1::STEP_TYPE_LANGUAGE_COURSE, StepType::kLanguageCourse},
    {v1::STEP_TYPE_VOLUNTEERING, StepType::kVolunteering},
    {v1::STEP_TYPE_TRAINING, StepType::kTraining},
    {v1::STEP_TYPE_JOB_APPLICATION, StepType::kJobApplication},
    {v1::STEP_TYPE_WORK_PLACEMENT, StepType::kWorkPlacement},
    {v1::STEP_TYPE_DEBT_HELP, StepType::kDebtHelp},
    {v1::STEP_TYPE_HEALTH, StepType::kHealth},
    {v1::STEP_TYPE_REFERRAL, StepType::kReferral},
    {v1::STEP_TYPE_OTHER, StepType::kOther},
};
struct StepStatusEntry {
  v1::StepStatus proto;
  StepStatus domain;
};
constexpr StepStatusEntry kStepStatuses[] = {
    {v1::STEP_STATUS_PLANNED, StepStatus::kPlanned},
    {v1::STEP_STATUS_STARTED, StepStatus::kStarted},
    {v1::STEP_STATUS_DONE, StepStatus::kDone},
    {v1::STEP_STATUS_STOPPED, StepStatus::kStopped},
};
struct StatusEntry {
  v1::TrajectoryStatus proto;
  TrajectoryStatus domain;
};
constexpr StatusEntry kStatuses[] = {
    {v1::TRAJECTORY_STATUS_ACTIVE, TrajectoryStatus::kActive},
    {v1::TRAJECTORY_STATUS_PAUSED, TrajectoryStatus::kPaused},
    {v1::TRAJECTORY_STATUS_CLOSED, TrajectoryStatus::kClosed},
};

template <typename Table, typename Proto>
auto FromProto(const Table& table, Proto value, const char* field)
    -> absl::StatusOr<decltype(table[0].domain)> {
  for (const auto& e : table) {
    if (e.proto == value) return e.domain;
  }
  return absl::InvalidArgumentError(absl::StrCat(field, ": required, one of the known values"));
}

template <typename Table, typename Domain>
auto ToProto(const Table& table, Domain value) -> decltype(table[0].proto) {
  for (const auto& e : table) {
    if (e.domain == value) return e.proto;
  }
  return table[0].proto;
}



void ToProto(const domain::StepDetail& in, v1::Step* out) {
  out->set_id(in.step.id);
  out->set_type(ToProto(kStepTypes, in.step.type));
  out->set_description(in.step.description);
  out->set_status(ToProto(kStepStatuses, in.step.status));
  out->set_planned_date(in.step.planned_date);
  out->set_start_date(in.step.start_date);
  out->set_end_date(in.step.end_date);
  out->set_handover_id(in.step.handover_id);
  if (in.handover_status) out->set_handover_status(api::ToProto(*in.handover_status));
  if (in.handover_outcome) out->set_handover_outcome(api::ToProto(*in.handover_outcome));
}

void ToProto(const app::TrajectoryView& v, v1::Trajectory* out) {
  const domain::Trajectory& t = v.detail.trajectory;
  out->set_id(t.id);
  out->set_resident_id(t.resident_id);
  out->set_consultant_id(t.consultant_id);
  out->set_organisation_id(t.organisation_id);
  out->set_team(t.team);
  if (v.names) {
    out->set_resident_name(v.names->Resident(t.resident_id));
    out->set_consultant_name(v.names->Professional(t.consultant_id));
    out->set_organisation_name(v.names->Organisation(t.organisation_id));
  }
  out->set_start_date(domain::FormatDate(t.start_date));
  out->set_bijstand_since(t.bijstand_since);
  out->set_goal(t.goal);
  out->set_status(ToProto(kStatuses, t.status));
  out->set_close_reason(t.close_reason);
  if (v.ladder.latest_rung) {
    out->set_latest_rung(*v.ladder.latest_rung);
    out->set_latest_rung_label_nl(domain::RungLabelNl(*v.ladder.latest_rung));
    out->set_latest_rung_label_en(domain::RungLabelEn(*v.ladder.latest_rung));
  }
  if (!v.summary_only) {
    out->set_movement_since_first(v.ladder.since_first);
    out->set_movement_since_previous(v.ladder.since_previous);
    if (v.ladder.last_measured) out->set_last_measured(domain::FormatDate(*v.ladder.last_measured));
    out->set_next_measurement_due(domain::FormatDate(v.next_due));
    out->set_measurement_due(v.due);
    out->set_measurement_overdue(v.overdue);
    out->set_open_steps(v.open_steps);
    out->set_etag(domain::TrajectoryEtag(t.version));
  }
  for (const auto& m : v.detail.measurements) {
    v1::Measurement* p = out->add_measurements();
    p->set_id(m.id);
    p->set_date(domain::FormatDate(m.date));
    p->set_rung(m.rung);
    p->set_rung_label_nl(domain::RungLabelNl(m.rung));
    p->set_rung_label_en(domain::RungLabelEn(m.rung));
    p->set_note(m.note);
    p->set_measured_by(m.measured_by);
  }
  for (const auto& s : v.detail.steps) ToProto(s, out->add_steps());
  out->set_summary_only(v.summary_only);
  SetTime(t.create_time, out->mutable_create_time());
}

}  // namespace

grpc::Status TrajectoryService::StartTrajectory(grpc::ServerContext* context,
                                                const v1::StartTrajectoryRequest* request,
                                                v1::Trajectory* response) {
  return handler_->Handle(context, "TrajectoryService.StartTrajectory", *request,
                          [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    domain::NewTrajectory in{request->request_id(), request->resident_id(), request->start_date(),
                             request->bijstand_since(), request->goal(), request->team()};
    ASSIGN_OR_RETURN(app::TrajectoryView v, app_->Start(caller, in, trail));
    ToProto(v, response);
    return absl::OkStatus();
  });
}

grpc::Status TrajectoryService::GetTrajectory(grpc::ServerContext* context,
                                              const v1::GetTrajectoryRequest* request,
                                              v1::Trajectory* response) {
  return handler_->Handle(context, "TrajectoryService.GetTrajectory", *request,
                          [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(app::TrajectoryView v, app_->Get(caller, request->id(), trail));
    ToProto(v, response);
    return absl::OkStatus();
  });
}

grpc::Status TrajectoryService::ListCaseload(grpc::ServerContext* context,
                                             const v1::ListCaseloadRequest* request,
                                             v1::ListCaseloadResponse* response) {
  return handler_->Handle(context, "TrajectoryService.ListCaseload", *request,
                          [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(app::CaseloadList list,
                     app_->Caseload(caller, request->mine(), request->include_closed(),
                                    request->page_size(), request->page_token(), trail));
    for (const auto& v : list.trajectories) ToProto(v, response->add_trajectories());
    response->set_next_page_token(list.next_page_token);
    return absl::OkStatus();
  });
}

grpc::Status TrajectoryService::RecordMeasurement(grpc::ServerContext* context,
                                                  const v1::RecordMeasurementRequest* request,
                                                  v1::Trajectory* response) {
  return handler_->Handle(context, "TrajectoryService.RecordMeasurement", *request,
                          [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    domain::NewMeasurement m{request->request_id(), request->date(), request->rung(),
                             request->note()};
    ASSIGN_OR_RETURN(app::TrajectoryView v,
                     app_->Measure(caller, request->trajectory_id(), m, trail));
    ToProto(v, response);
    return absl::OkStatus();
  });
}

grpc::Status TrajectoryService::AddStep(grpc::ServerContext* context,
                                        const v1::AddStepRequest* request, v1::Step* response) {
  return handler_->Handle(context, "TrajectoryService.AddStep", *request,
                          [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    domain::NewStep s;
    s.request_id = request->request_id();
    ASSIGN_OR_RETURN(s.type, FromProto(kStepTypes, request->type(), "type"));
    s.description = request->description();
    if (request->status() != v1::STEP_STATUS_UNSPECIFIED) {
      ASSIGN_OR_RETURN(s.status, FromProto(kStepStatuses, request->status(), "status"));
    }
    s.planned_date = request->planned_date();
    s.handover_id = request->handover_id();
    ASSIGN_OR_RETURN(domain::StepDetail step,
                     app_->AddStep(caller, request->trajectory_id(), s, trail));
    ToProto(step, response);
    return absl::OkStatus();
  });
}

grpc::Status TrajectoryService::UpdateStep(grpc::ServerContext* context,
                                           const v1::UpdateStepRequest* request,
                                           v1::Step* response) {
  return handler_->Handle(context, "TrajectoryService.UpdateStep", *request,
                          [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(StepStatus status, FromProto(kStepStatuses, request->status(), "status"));
    ASSIGN_OR_RETURN(domain::StepDetail step,
                     app_->UpdateStep(caller, request->trajectory_id(), request->step_id(),
                                      status, request->start_date(), request->end_date(),
                                      request->etag(), trail));
    ToProto(step, response);
    return absl::OkStatus();
  });
}

grpc::Status TrajectoryService::ChangeTrajectoryStatus(
    grpc::ServerContext* context, const v1::ChangeTrajectoryStatusRequest* request,
    v1::Trajectory* response) {
  return handler_->Handle(context, "TrajectoryService.ChangeTrajectoryStatus", *request,
                          [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(TrajectoryStatus to, FromProto(kStatuses, request->status(), "status"));
    ASSIGN_OR_RETURN(app::TrajectoryView v,
                     app_->ChangeStatus(caller, request->id(), to, request->reason(),
                                        request->etag(), trail));
    ToProto(v, response);
    return absl::OkStatus();
  });
}

grpc::Status TrajectoryService::TransferTrajectory(grpc::ServerContext* context,
                                                   const v1::TransferTrajectoryRequest* request,
                                                   v1::Trajectory* response) {
  return handler_->Handle(context, "TrajectoryService.TransferTrajectory", *request,
                          [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(app::TrajectoryView v,
                     app_->Transfer(caller, request->id(), request->to_consultant_id(),
                                    request->etag(), trail));
    ToProto(v, response);
    return absl::OkStatus();
  });
}

grpc::Status TrajectoryService::TransferCaseload(grpc::ServerContext* context,
                                                 const v1::TransferCaseloadRequest* request,
                                                 v1::TransferCaseloadResponse* response) {
  return handler_->Handle(context, "TrajectoryService.TransferCaseload", *request,
                          [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<std::string> ids,
                     app_->TransferCaseload(caller, request->from_consultant_id(),
                                            request->to_consultant_id(), trail));
    response->set_transferred(static_cast<int>(ids.size()));
    for (const auto& id : ids) response->add_trajectory_ids(id);
    return absl::OkStatus();
  });
}

grpc::Status TrajectoryService::ListResidentTrajectories(
    grpc::ServerContext* context, const v1::ListResidentTrajectoriesRequest* request,
    v1::ListResidentTrajectoriesResponse* response) {
  return handler_->Handle(context, "TrajectoryService.ListResidentTrajectories", *request,
                          [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<app::TrajectoryView> views,
                     app_->OfResident(caller, request->resident_id(), request->include_closed(),
                                      trail));
    for (const auto& v : views) ToProto(v, response->add_trajectories());
    return absl::OkStatus();
  });
}

}  // namespace schakel::api
