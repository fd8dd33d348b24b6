#include "server/app/trajectory_app.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/app/case_context.h"
#include "server/store/resident_store.h"
#include "server/common/status_macros.h"
#include "server/domain/calendar.h"
#include "server/domain/page_token.h"
#include "server/domain/text.h"

namespace schakel::app {
namespace {

constexpr char kCaseload[] = "caseload";
constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 100;

auth::TrajectoryFacts Facts(const store::TrajectoryDetail& d) {
  return auth::TrajectoryFacts{{d.trajectory.organisation_id, d.trajectory.team},
                               d.trajectory.resident_id, d.accepted_handover_teams};
}

absl::Status CheckSameTeam(const std::string& field, const domain::Professional& consultant,
                           const std::string& team) {
  // A caseload is its team's: to another team a client goes by a handover,
  // never by a silent transfer (design.md, "Teams").
  if (consultant.InTeam(team)) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat(field, ": consultant ", consultant.id, " does not work in team ", team,
                   "; to another team a trajectory goes by a handover"));
}

}  // namespace

TrajectoryView TrajectoryApp::View(const auth::Principal& caller, store::TrajectoryDetail d,
                                   auth::TrajectoryAccess access) const {
  TrajectoryView v;
  const absl::CivilDay today = domain::DayOf(clock_->Now());
  v.ladder = domain::LadderOf(d.measurements);
  v.next_due = domain::NextMeasurementDue(d.trajectory, v.ladder);
  v.due = d.trajectory.status != domain::TrajectoryStatus::kClosed &&
          domain::IsMeasurementDue(v.next_due, today);
  v.overdue = d.trajectory.status != domain::TrajectoryStatus::kClosed &&
              domain::IsMeasurementOverdue(v.next_due, today);
  for (const auto& s : d.steps) {
    v.open_steps += s.step.status == domain::StepStatus::kPlanned ||
                    s.step.status == domain::StepStatus::kStarted;
  }
  v.summary_only = access == auth::TrajectoryAccess::kSummary;
  auth::ApplyTrajectoryFields(caller, access, d.trajectory, d.measurements, d.steps);
  v.detail = std::move(d);
  return v;
}

absl::StatusOr<store::TrajectoryDetail> TrajectoryApp::ChangeableFrame(
    Transaction& tx, const auth::Principal& caller, const std::string& id, audit::Trail& trail) {
  ASSIGN_OR_RETURN(std::optional<store::TrajectoryDetail> frame, store_->FindFrame(tx, id));
  const std::string not_found = absl::StrCat("trajectory ", id, " not found");
  if (!frame) return absl::NotFoundError(not_found);
  trail.AddResident(frame->trajectory.resident_id);
  const auth::TrajectoryFacts facts = Facts(*frame);
  if (auth::AccessToTrajectory(caller, facts) == auth::TrajectoryAccess::kNone) {
    return absl::NotFoundError(not_found);
  }
  RETURN_IF_ERROR(auth::CanChangeTrajectory(caller, facts).ToStatus());
  return *std::move(frame);
}

absl::StatusOr<TrajectoryView> TrajectoryApp::ReadView(const auth::Principal& caller,
                                                       const std::string& id,
                                                       auth::TrajectoryAccess access) {
  store::TrajectoryDetail d;
  RETURN_IF_ERROR(uow_->Read([&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(std::optional<store::TrajectoryDetail> frame, store_->FindFrame(tx, id));
    if (!frame) return absl::NotFoundError(absl::StrCat("trajectory ", id, " not found"));
    d = *std::move(frame);
    return store_->LoadHistory(tx, d);
  }));
  TrajectoryView v = View(caller, std::move(d), access);
  RETURN_IF_ERROR(Name(caller, {&v}));
  return v;
}

absl::Status TrajectoryApp::Name(const auth::Principal& caller,
                                 std::vector<TrajectoryView*> views) {
  domain::NameRequest request;
  for (const TrajectoryView* v : views) {
    request.Resident(v->detail.trajectory.resident_id);
    request.Professional(v->detail.trajectory.consultant_id);
    request.Organisation(v->detail.trajectory.organisation_id);
  }
  ASSIGN_OR_RETURN(std::shared_ptr<const domain::Names> names,
                   LookUpNames(*uow_, caller, request));
  for (TrajectoryView* v : views) v->names = names;
  return absl::OkStatus();
}

absl::StatusOr<domain::Professional> TrajectoryApp::ActiveConsultant(
    const std::string& field, const std::string& id, const std::string& organisation) {
  RETURN_IF_ERROR(domain::ValidateId(field, id));
  absl::StatusOr<domain::Professional> p = directory_->GetProfessional(id);
  if (!p.ok() || p->organisation_id != organisation) {
    return absl::NotFoundError(absl::StrCat(field, ": no consultant ", id,
                                            " in your organisation"));
  }
  if (p->disabled || std::find(p->roles.begin(), p->roles.end(), domain::Role::kConsultant) ==
                         p->roles.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must be an active participation consultant"));
  }
  return *std::move(p);
}

absl::StatusOr<TrajectoryView> TrajectoryApp::Start(const auth::Principal& caller,
                                                    const domain::NewTrajectory& r,
                                                    audit::Trail& trail) {
  trail.Concerns("trajectory", "");
  trail.entry.request_id = r.request_id;
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kKeepTrajectories).ToStatus());
  const absl::Time now = clock_->Now();
  const absl::CivilDay today = domain::DayOf(now);
  RETURN_IF_ERROR(domain::ValidateNewTrajectory(r, today));
  trail.AddResident(r.resident_id);
  ASSIGN_OR_RETURN(const std::string team, auth::ActingTeam(caller, r.team));
  domain::Trajectory t;
  t.id = ids_->NewId("t");
  t.resident_id = r.resident_id;
  t.consultant_id = caller.professional.id;
  t.organisation_id = caller.professional.organisation_id;
  t.team = team;
  t.start_date = r.start_date.empty() ? today : *domain::ParseDate("start_date", r.start_date);
  t.bijstand_since = r.bijstand_since;
  t.goal = r.goal;
  t.create_time = now;
  t.update_time = now;
  trail.Concerns("trajectory", t.id);
  const store::CreateRequest request =
      MakeCreateRequest(caller, "StartTrajectory", r.request_id,
                        absl::StrCat(domain::CanonicalFields({r.resident_id, r.start_date,
                                                              r.bijstand_since, r.goal}),
                                     // only when set: a retry across the upgrade stays one
                                     r.team.empty() ? "" : domain::CanonicalFields({r.team})));
  const auth::ListScope scope = auth::ScopeOf(caller);
  std::string created_id;
  bool replayed = false;
  RETURN_IF_ERROR(uow_->Run(trail, [&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(std::optional<std::string> earlier, store::FindCreated(tx, request));
    if (earlier) {
      created_id = *earlier;
      replayed = true;
      trail.Concerns("trajectory", created_id);
      return absl::OkStatus();
    }
    RETURN_IF_ERROR(store::CheckResidentVisible(tx, "resident_id", t.resident_id,
                                                auth::ScopeActingFor(caller, t.team)));
    RETURN_IF_ERROR(store_->Insert(tx, t));
    RETURN_IF_ERROR(store::RecordCreated(tx, request, t.id, t.create_time));
    created_id = t.id;
    return absl::OkStatus();
  }));
  if (replayed) {
    // A retry answers the trajectory as a read would now: the caller may
    // have left its team since (as the other creates' replays do).
    absl::StatusOr<TrajectoryView> again = Get(caller, created_id, trail);
    if (again.status().code() == absl::StatusCode::kNotFound) {
      return absl::NotFoundError("request_id: the trajectory it created is not one you may read");
    }
    return again;
  }
  return ReadView(caller, created_id, auth::TrajectoryAccess::kFull);
}

absl::StatusOr<TrajectoryView> TrajectoryApp::Get(const auth::Principal& caller,
                                                  const std::string& id, audit::Trail& trail) {
  trail.Concerns("trajectory", id.size() <= 64 ? id : "");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kReadCaseData).ToStatus());
  RETURN_IF_ERROR(domain::ValidateId("id", id));
  // Decided before the history is read: a hidden trajectory answers as
  // fast as a missing one. The attempt still names its resident.
  store::TrajectoryDetail d;
  auth::TrajectoryAccess access = auth::TrajectoryAccess::kNone;
  RETURN_IF_ERROR(uow_->Read([&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(std::optional<store::TrajectoryDetail> frame, store_->FindFrame(tx, id));
    if (frame) {
      trail.AddResident(frame->trajectory.resident_id);
      access = auth::AccessToTrajectory(caller, Facts(*frame));
    }
    if (access == auth::TrajectoryAccess::kNone) {
      return absl::NotFoundError(absl::StrCat("trajectory ", id, " not found"));
    }
    d = *std::move(frame);
    return store_->LoadHistory(tx, d);
  }));
  TrajectoryView v = View(caller, std::move(d), access);
  RETURN_IF_ERROR(Name(caller, {&v}));
  return v;
}

absl::StatusOr<CaseloadList> TrajectoryApp::Caseload(const auth::Principal& caller, bool mine,
                                                     bool include_closed, int page_size,
                                                     const std::string& page_token,
                                                     audit::Trail& trail) {
  trail.Concerns("trajectory", "");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kReadCaseload).ToStatus());
  store::CaseloadQuery q;
  q.scope = auth::ScopeOf(caller);
  if (mine) q.consultant_id = caller.professional.id;
  q.include_closed = include_closed;
  ASSIGN_OR_RETURN(q.limit, domain::ResolvePageSize(page_size, kDefaultPageSize, kMaxPageSize));
  const PageScope scope{kCaseload, caller.professional.id,
                        FilterText({mine ? "mine" : "organisation",
                                    include_closed ? "with-closed" : "open"})};
  ASSIGN_OR_RETURN(std::string key, tokens_->Open(scope, page_token));
  if (!key.empty()) {
    std::vector<std::string> parts = absl::StrSplit(key, '/');
    if (parts.size() != 2 || !domain::ParseDate("page_token", parts[0]).ok() ||
        !absl::SimpleAtoi(parts[1], &q.after_seq)) {
      return absl::InvalidArgumentError("page_token: not a token from this list");
    }
    q.after_due = parts[0];
  }
  ASSIGN_OR_RETURN(store::CaseloadPage page, store_->ListCaseload(q));
  CaseloadList out;
  for (store::TrajectoryDetail& d : page.trajectories) {
    trail.AddResident(d.trajectory.resident_id);
    TrajectoryView v = View(caller, std::move(d), auth::TrajectoryAccess::kFull);
    // The caseload shows the ladder's summary, not the whole history.
    v.detail.measurements.clear();
    v.detail.steps.clear();
    out.trajectories.push_back(std::move(v));
  }
  std::vector<TrajectoryView*> views;
  for (TrajectoryView& v : out.trajectories) views.push_back(&v);
  RETURN_IF_ERROR(Name(caller, views));
  if (page.more) {
    ASSIGN_OR_RETURN(out.next_page_token,
                     tokens_->Seal(scope, absl::StrCat(page.last_due, "/", page.last_seq)));
  }
  return out;
}

absl::StatusOr<std::vector<TrajectoryView>> TrajectoryApp::OfResident(
    const auth::Principal& caller, const std::string& resident_id, bool include_closed,
    audit::Trail& trail) {
  trail.Concerns("trajectory", "");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kReadCaseData).ToStatus());
  RETURN_IF_ERROR(domain::ValidateId("resident_id", resident_id));
  store::ResidentTrajectoriesQuery q;
  q.scope = auth::ScopeOf(caller);
  q.resident_id = resident_id;
  q.include_closed = include_closed;
  q.limit = kMaxResidentTrajectories;
  ASSIGN_OR_RETURN(std::vector<store::TrajectoryDetail> rows, store_->ListOfResident(q));
  std::vector<TrajectoryView> out;
  for (store::TrajectoryDetail& d : rows) {
    // The query returned only rows the caller may read
    // (tests/unit/policy_filter_test.cc holds the two together); the view
    // of each, full or summary, is the decision Get makes on its facts.
    // Only an emergency access opened since this request authenticated
    // can set them apart, and then Get would not open it either.
    const auth::TrajectoryAccess access = auth::AccessToTrajectory(caller, Facts(d));
    if (access == auth::TrajectoryAccess::kNone) continue;
    trail.AddResident(d.trajectory.resident_id);
    TrajectoryView v = View(caller, std::move(d), access);
    // As the caseload: the ladder's summary, not the whole history.
    v.detail.measurements.clear();
    v.detail.steps.clear();
    out.push_back(std::move(v));
  }
  std::vector<TrajectoryView*> views;
  for (TrajectoryView& v : out) views.push_back(&v);
  RETURN_IF_ERROR(Name(caller, views));
  return out;
}

absl::StatusOr<TrajectoryView> TrajectoryApp::Measure(const auth::Principal& caller,
                                                      const std::string& id,
                                                      const domain::NewMeasurement& m,
                                                      audit::Trail& trail) {
  trail.Concerns("trajectory", id.size() <= 64 ? id : "");
  trail.entry.request_id = m.request_id;
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kKeepTrajectories).ToStatus());
  RETURN_IF_ERROR(domain::ValidateId("trajectory_id", id));
  const absl::Time now = clock_->Now();
  const absl::CivilDay today = domain::DayOf(now);
  domain::Measurement measurement;
  measurement.id = ids_->NewId("m");
  measurement.rung = m.rung;
  measurement.note = m.note;
  measurement.measured_by = caller.professional.id;
  measurement.create_time = now;
  const store::CreateRequest request =
      MakeCreateRequest(caller, "RecordMeasurement", m.request_id,
                        domain::CanonicalFields({id, m.date, absl::StrCat(m.rung), m.note}));
  RETURN_IF_ERROR(uow_->Run(trail, [&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(store::TrajectoryDetail current, ChangeableFrame(tx, caller, id, trail));
    ASSIGN_OR_RETURN(std::optional<std::string> earlier, store::FindCreated(tx, request));
    if (earlier) return absl::OkStatus();
    RETURN_IF_ERROR(domain::ValidateMeasurement(current.trajectory, m, today));
    measurement.date = m.date.empty() ? today : *domain::ParseDate("date", m.date);
    RETURN_IF_ERROR(store_->InsertMeasurement(tx, id, measurement));
    return store::RecordCreated(tx, request, measurement.id, measurement.create_time);
  }));
  return ReadView(caller, id, auth::TrajectoryAccess::kFull);
}

absl::StatusOr<domain::StepDetail> TrajectoryApp::AddStep(const auth::Principal& caller,
                                                         const std::string& id,
                                                         const domain::NewStep& s,
                                                         audit::Trail& trail) {
  trail.Concerns("trajectory", id.size() <= 64 ? id : "");
  trail.entry.request_id = s.request_id;
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kKeepTrajectories).ToStatus());
  RETURN_IF_ERROR(domain::ValidateId("trajectory_id", id));
  const absl::Time now = clock_->Now();
  domain::Step step;
  step.id = ids_->NewId("st");
  step.type = s.type;
  step.description = s.description;
  step.status = s.status;
  step.planned_date = s.planned_date;
  step.handover_id = s.handover_id;
  step.create_time = now;
  const store::CreateRequest request =
      MakeCreateRequest(caller, "AddStep", s.request_id,
                        domain::CanonicalFields({id, domain::StepTypeName(s.type), s.description,
                                                 domain::StepStatusName(s.status),
                                                 s.planned_date, s.handover_id}));
  domain::StepDetail added;
  RETURN_IF_ERROR(uow_->Run(trail, [&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(store::TrajectoryDetail current, ChangeableFrame(tx, caller, id, trail));
    ASSIGN_OR_RETURN(std::optional<std::string> earlier, store::FindCreated(tx, request));
    if (earlier) {
      ASSIGN_OR_RETURN(added, store_->FindStep(tx, id, *earlier));
      return absl::OkStatus();
    }
    RETURN_IF_ERROR(domain::ValidateStep(current.trajectory, s));
    if (!step.handover_id.empty()) {
      // A referral step is a handover this trajectory's team made about
      // its resident.
      ASSIGN_OR_RETURN(auto referral, store_->ReferralOf(tx, step.handover_id));
      if (!referral || referral->from.organisation_id != current.trajectory.organisation_id ||
          referral->from.team != current.trajectory.team ||
          referral->resident_id != current.trajectory.resident_id) {
        return absl::InvalidArgumentError(
            "handover_id: must be a handover from this trajectory's team about its resident");
      }
    }
    RETURN_IF_ERROR(store_->InsertStep(tx, id, step));
    RETURN_IF_ERROR(store::RecordCreated(tx, request, step.id, step.create_time));
    ASSIGN_OR_RETURN(added, store_->FindStep(tx, id, step.id));
    return absl::OkStatus();
  }));
  return added;
}

absl::StatusOr<domain::StepDetail> TrajectoryApp::UpdateStep(
    const auth::Principal& caller, const std::string& id, const std::string& step_id,
    domain::StepStatus status, const std::string& start_date, const std::string& end_date,
    const std::string& etag, audit::Trail& trail) {
  trail.Concerns("trajectory", id.size() <= 64 ? id : "");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kKeepTrajectories).ToStatus());
  RETURN_IF_ERROR(domain::ValidateId("trajectory_id", id));
  RETURN_IF_ERROR(domain::ValidateId("step_id", step_id));
  RETURN_IF_ERROR(CheckEtag(etag));
  if (!start_date.empty()) RETURN_IF_ERROR(domain::ParseDate("start_date", start_date).status());
  if (!end_date.empty()) RETURN_IF_ERROR(domain::ParseDate("end_date", end_date).status());
  domain::Step update;
  update.id = step_id;
  update.status = status;
  update.start_date = start_date;
  update.end_date = end_date;
  update.create_time = clock_->Now();
  domain::StepDetail updated;
  RETURN_IF_ERROR(uow_->Run(trail, [&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(store::TrajectoryDetail current, ChangeableFrame(tx, caller, id, trail));
    RETURN_IF_ERROR(CheckEtagCurrent("trajectory", etag,
                                     domain::TrajectoryEtag(current.trajectory.version)));
    if (current.trajectory.status == domain::TrajectoryStatus::kClosed) {
      return absl::FailedPreconditionError("trajectory: it is closed");
    }
    RETURN_IF_ERROR(store_->FindStep(tx, id, step_id).status());
    RETURN_IF_ERROR(store_->UpdateStep(tx, id, update));
    ASSIGN_OR_RETURN(updated, store_->FindStep(tx, id, step_id));
    return absl::OkStatus();
  }));
  return updated;
}

absl::StatusOr<TrajectoryView> TrajectoryApp::ChangeStatus(const auth::Principal& caller,
                                                           const std::string& id,
                                                           domain::TrajectoryStatus to,
                                                           const std::string& reason,
                                                           const std::string& etag,
                                                           audit::Trail& trail) {
  trail.Concerns("trajectory", id.size() <= 64 ? id : "");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kKeepTrajectories).ToStatus());
  RETURN_IF_ERROR(domain::ValidateId("id", id));
  RETURN_IF_ERROR(CheckEtag(etag));
  const absl::Time now = clock_->Now();
  RETURN_IF_ERROR(uow_->Run(trail, [&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(store::TrajectoryDetail current, ChangeableFrame(tx, caller, id, trail));
    RETURN_IF_ERROR(CheckEtagCurrent("trajectory", etag,
                                     domain::TrajectoryEtag(current.trajectory.version)));
    RETURN_IF_ERROR(domain::CheckTrajectoryTransition(current.trajectory.status, to, reason));
    domain::Trajectory next = current.trajectory;
    next.status = to;
    next.close_reason = to == domain::TrajectoryStatus::kClosed ? reason : "";
    next.update_time = now;
    next.version = current.trajectory.version + 1;
    return store_->Replace(tx, next, current.trajectory.version);
  }));
  return ReadView(caller, id, auth::TrajectoryAccess::kFull);
}

absl::StatusOr<TrajectoryView> TrajectoryApp::Transfer(const auth::Principal& caller,
                                                       const std::string& id,
                                                       const std::string& to_consultant,
                                                       const std::string& etag,
                                                       audit::Trail& trail) {
  trail.Concerns("trajectory", id.size() <= 64 ? id : "");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kKeepTrajectories).ToStatus());
  RETURN_IF_ERROR(domain::ValidateId("id", id));
  RETURN_IF_ERROR(CheckEtag(etag));
  ASSIGN_OR_RETURN(const domain::Professional target,
                   ActiveConsultant("to_consultant_id", to_consultant,
                                    caller.professional.organisation_id));
  const absl::Time now = clock_->Now();
  RETURN_IF_ERROR(uow_->Run(trail, [&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(store::TrajectoryDetail current, ChangeableFrame(tx, caller, id, trail));
    RETURN_IF_ERROR(CheckEtagCurrent("trajectory", etag,
                                     domain::TrajectoryEtag(current.trajectory.version)));
    if (current.trajectory.status == domain::TrajectoryStatus::kClosed) {
      return absl::FailedPreconditionError("trajectory: it is closed");
    }
    RETURN_IF_ERROR(CheckSameTeam("to_consultant_id", target, current.trajectory.team));
    domain::Trajectory next = current.trajectory;
    next.consultant_id = to_consultant;
    next.update_time = now;
    next.version = current.trajectory.version + 1;
    return store_->Replace(tx, next, current.trajectory.version);
  }));
  return ReadView(caller, id, auth::TrajectoryAccess::kFull);
}

absl::StatusOr<std::vector<std::string>> TrajectoryApp::TransferCaseload(
    const auth::Principal& caller, const std::string& from, const std::string& to,
    audit::Trail& trail) {
  trail.Concerns("trajectory", "");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kKeepTrajectories).ToStatus());
  RETURN_IF_ERROR(domain::ValidateId("from_consultant_id", from));
  ASSIGN_OR_RETURN(const domain::Professional target,
                   ActiveConsultant("to_consultant_id", to, caller.professional.organisation_id));
  if (from == to) {
    return absl::InvalidArgumentError("to_consultant_id: must differ from from_consultant_id");
  }
  const absl::Time now = clock_->Now();
  std::vector<std::string> ids;
  RETURN_IF_ERROR(uow_->Run(trail, [&](Transaction& tx) -> absl::Status {
    ids.clear();  // a unit of work may run again
    ASSIGN_OR_RETURN(std::vector<store::OpenTrajectory> open,
                     store_->OpenTrajectoriesOf(tx, caller.professional.organisation_id, from));
    // Only the caseload of teams the caller keeps, and only to a colleague
    // of the same team.
    for (const store::OpenTrajectory& t : open) {
      if (!auth::WorksIn(caller, {caller.professional.organisation_id, t.team})) continue;
      RETURN_IF_ERROR(CheckSameTeam("to_consultant_id", target, t.team));
      trail.AddResident(t.resident_id);
      RETURN_IF_ERROR(store_->Reassign(tx, t.id, to, now));
      ids.push_back(t.id);
    }
    return absl::OkStatus();
  }));
  return ids;
}

absl::StatusOr<int> TrajectoryApp::RemindMeasurementsDue() {
  constexpr int kBatch = 500;
  const absl::Time now = clock_->Now();
  const absl::CivilDay today = domain::DayOf(now);
  ASSIGN_OR_RETURN(auto due, store_->ListMeasurementDue(today + domain::kDueWindowDays, kBatch));
  int made = 0;
  for (const auto& item : due) {
    // Named, not bound: a lambda below captures them (clang refuses
    // structured bindings in captures before C++20).
    const domain::Trajectory& t = item.first;
    const std::string& due_date = item.second;
    audit::Trail trail = ClockTrail(now, "clock.RemindMeasurementDue", "ladder measurement due",
                                    "trajectory", t.id, t.resident_id);
    int told = 0;
    RETURN_IF_ERROR(uow_->RunIfChanged(trail, [&](Transaction& tx) -> absl::StatusOr<bool> {
      auth::NotificationEvent e;
      e.kind = domain::NotificationKind::kMeasurementDue;
      e.trajectory = auth::TrajectoryFacts{{t.organisation_id, t.team}, t.resident_id, {}};
      e.consultant_id = t.consultant_id;
      ASSIGN_OR_RETURN(std::vector<std::string> recipients,
                       notifier_->Notify(tx, e, t.id, due_date, now, /*once=*/true));
      told = static_cast<int>(recipients.size());
      return told > 0;
    }));
    made += told;
  }
  return made;
}

}  // namespace schakel::app
