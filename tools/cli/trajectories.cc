// schakel trajectory start | show | list | measure | step | step-status |
// transfer | close | pause | resume
//
// `list` is the caseload of the caller's teams, or with --resident one
// resident's trajectories as the caller may read them.
//
// Participation trajectories: a welfare client's rung on the participation
// ladder over time and the steps taken. Consultants of the owning
// organisation see everything; an organisation holding an accepted handover
// for the resident sees a summary (said so by `show`).
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "tools/cli/command.h"

namespace schakel::cli {
namespace {

constexpr char kStatusPrefix[] = "TRAJECTORY_STATUS_";
constexpr char kStepTypePrefix[] = "STEP_TYPE_";
constexpr char kStepStatusPrefix[] = "STEP_STATUS_";

std::string StatusWord(const v1::Trajectory& t) {
  return EnumWord(v1::TrajectoryStatus_descriptor(), kStatusPrefix, t.status());
}

std::string StepTypeWord(const v1::Step& s) {
  return EnumWord(v1::StepType_descriptor(), kStepTypePrefix, s.type());
}

std::string StepStatusWord(const v1::Step& s) {
  return EnumWord(v1::StepStatus_descriptor(), kStepStatusPrefix, s.status());
}

// A movement on the ladder: "+2", "-1", "+0".
std::string Movement(int n) { return absl::StrFormat("%+d", n); }

// "3 (deelname aan georganiseerde activiteiten)"; "3" without a label.
std::string Rung(int rung, const std::string& label_nl) {
  if (label_nl.empty()) return absl::StrCat(rung);
  return absl::StrCat(rung, " (", Cell(label_nl), ")");
}

// The latest rung with the movement since the first and the previous
// measurement: "3 (…), +2 since first, +1 since previous".
std::string LatestRung(const v1::Trajectory& t) {
  if (t.latest_rung() == 0) return "- (no measurement yet)";
  std::string out =
      absl::StrCat(Rung(t.latest_rung(), t.latest_rung_label_nl()), ", ",
                   Movement(t.movement_since_first()), " since first, ",
                   Movement(t.movement_since_previous()), " since previous");
  if (t.measurements_size() == 1) absl::StrAppend(&out, " (first measurement)");
  return out;
}

// "" when the next measurement is not due yet, else "due" or "OVERDUE".
std::string DueFlag(const v1::Trajectory& t) {
  if (t.measurement_overdue()) return "OVERDUE";
  if (t.measurement_due()) return "due";
  return "";
}

// The next measurement date with its flag: "2025-03-01 (OVERDUE)".
std::string NextDue(const v1::Trajectory& t) {
  if (t.next_measurement_due().empty()) return "-";
  std::string flag = DueFlag(t);
  std::string date = Cell(t.next_measurement_due());
  return flag.empty() ? date : absl::StrCat(date, " (", flag, ")");
}

// The cells both trajectory tables (the caseload, a resident's list) show
// alike: the next measurement with its flag ("2025-03-01 OVERDUE"), the
// latest rung ("-" before the first), the consultant by name or id.
std::string DueCell(const v1::Trajectory& t) {
  std::string due = Cell(t.next_measurement_due());
  std::string flag = DueFlag(t);
  if (!flag.empty() && !t.next_measurement_due().empty()) absl::StrAppend(&due, " ", flag);
  return due;
}
std::string RungCell(const v1::Trajectory& t) {
  return t.latest_rung() == 0 ? "-" : absl::StrCat(t.latest_rung());
}
std::string ConsultantCell(const v1::Trajectory& t) {
  return t.consultant_name().empty() ? Cell(t.consultant_id()) : Cell(t.consultant_name());
}

// "planned 2024-02-01, started 2024-02-03"; "" when the step has no dates.
std::string StepDates(const v1::Step& s) {
  std::vector<std::string> parts;
  if (!s.planned_date().empty()) parts.push_back(absl::StrCat("planned ", Cell(s.planned_date())));
  if (!s.start_date().empty()) parts.push_back(absl::StrCat("started ", Cell(s.start_date())));
  if (!s.end_date().empty()) parts.push_back(absl::StrCat("ended ", Cell(s.end_date())));
  return absl::StrJoin(parts, ", ");
}

// "H1, status accepted, outcome helped" for a referral step's handover.
std::string StepHandover(const v1::Step& s) {
  std::string outcome =
      s.handover_outcome() == v1::OUTCOME_UNSPECIFIED
          ? "no outcome yet"
          : absl::StrCat("outcome ",
                         EnumWord(v1::Outcome_descriptor(), "OUTCOME_", s.handover_outcome()));
  return absl::StrCat(
      Cell(s.handover_id()), ", status ",
      EnumWord(v1::HandoverStatus_descriptor(), "HANDOVER_STATUS_", s.handover_status()), ", ",
      outcome);
}

// One step under "steps" of `trajectory show`.
void StepLines(const v1::Step& s) {
  std::string dates = StepDates(s);
  std::cout << absl::StrFormat("    %s  %s, %s%s\n", Cell(s.id()), StepTypeWord(s),
                               StepStatusWord(s), dates.empty() ? "" : absl::StrCat(" (", dates, ")"));
  if (!s.description().empty()) Indented(s.description(), 6);
  if (!s.handover_id().empty()) std::cout << "      handover " << StepHandover(s) << "\n";
}

// One step on its own (`trajectory step-status`).
void ShowStep(const v1::Step& s) {
  Field("id", s.id());
  Field("type", StepTypeWord(s));
  Field("status", StepStatusWord(s));
  Field("planned", s.planned_date());
  Field("started", s.start_date());
  Field("ended", s.end_date());
  Block("description", s.description());
  if (!s.handover_id().empty()) Field("handover", StepHandover(s));
}

void ShowTrajectory(const v1::Trajectory& t) {
  if (t.summary_only()) {
    Field("view",
          "summary only: the latest rung and the steps referred to your organisation (goal, "
          "ladder history and notes stay with the consultant's organisation)");
  }
  Field("id", t.id());
  Field("status", StatusWord(t));
  if (!t.close_reason().empty()) Block("close reason", t.close_reason());
  Field("resident", NameId(t.resident_name(), t.resident_id()));
  Field("consultant", NameId(t.consultant_name(), t.consultant_id()));
  Field("organisation", NameId(t.organisation_name(), OrgTeam(t.organisation_id(), t.team())));
  Field("start date", t.start_date());
  if (!t.summary_only()) {
    Field("bijstand since", t.bijstand_since());
    Block("goal", t.goal());
  }
  if (t.summary_only()) {
    // A summary carries the latest rung, not the movement or the schedule.
    Field("latest rung", t.latest_rung() == 0 ? "- (no measurement yet)"
                                              : Rung(t.latest_rung(), t.latest_rung_label_nl()));
    if (!t.last_measured().empty()) Field("last measured", t.last_measured());
    if (!t.next_measurement_due().empty()) Field("next measurement", NextDue(t));
  } else {
    Field("latest rung", LatestRung(t));
    Field("last measured", t.last_measured());
    Field("next measurement", NextDue(t));
    Field("open steps", absl::StrCat(t.open_steps()));
  }
  Field("created", Time(t.create_time()));
  if (!t.etag().empty()) Field("etag", t.etag());
  if (!t.summary_only()) {
    if (t.measurements().empty()) {
      Field("ladder", "no measurements yet");
    } else {
      std::cout << "ladder\n";
      for (const v1::Measurement& m : t.measurements()) {
        std::cout << absl::StrFormat(
            "    %s  rung %s%s\n", Cell(m.date()), Rung(m.rung(), m.rung_label_nl()),
            m.measured_by().empty() ? "" : absl::StrCat(", measured by ", Cell(m.measured_by())));
        if (!m.note().empty()) Indented(m.note(), 6);
      }
    }
  }
  if (t.steps().empty()) {
    Field("steps", t.summary_only() ? "none referred to your organisation" : "none");
  } else {
    std::cout << "steps\n";
    for (const v1::Step& s : t.steps()) StepLines(s);
  }
}

int Start(Invocation& in) {
  Flags f(in);
  v1::StartTrajectoryRequest request;
  request.set_resident_id(f.Required("resident"));
  request.set_start_date(f.Date("start-date", /*required=*/false));
  request.set_bijstand_since(f.Date("bijstand-since", /*required=*/false));
  request.set_goal(f.Optional("goal"));
  request.set_team(f.Optional("team"));
  request.set_request_id(f.RequestId());
  if (!f.ok()) return Fail(f.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto r = (*client)->StartTrajectory(request);
  if (!r.ok()) return FailCreate(r.status(), request.request_id());
  return Print(in, *r, [&] { std::cout << r->id() << "\n"; });
}

int Show(Invocation& in) {
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto r = (*client)->GetTrajectory(in.id());
  if (!r.ok()) return Fail(r.status());
  return Print(in, *r, [&] { ShowTrajectory(*r); });
}

// `trajectory list --resident ID`: the trajectories of one resident the
// caller may read, newest first, each marked full or summary.
int ListOfResident(Invocation& in, Flags& f) {
  v1::ListResidentTrajectoriesRequest request;
  request.set_resident_id(f.Required("resident"));
  request.set_include_closed(f.Has("include-closed"));
  for (const char* flag : {"mine", "page-size", "page-token", "all"}) {
    if (f.Has(flag)) {
      f.Error(absl::InvalidArgumentError(absl::StrCat(
          "--", flag, ": not with --resident (a resident's list is one page, at most 50)")));
    }
  }
  if (!f.ok()) return Fail(f.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto response = (*client)->ListResidentTrajectories(request);
  if (!response.ok()) return Fail(response.status());
  tools::Table table{{"ID", "ORGANISATION", "TEAM", "CONSULTANT", "STATUS", "RUNG", "START",
                      "NEXT DUE", "VIEW"},
                     {},
                     {false, false, false, false, false, true, false, false, false}};
  for (const auto& t : response->trajectories()) {
    table.rows.push_back(
        {Cell(t.id()),
         t.organisation_name().empty() ? Cell(t.organisation_id()) : Cell(t.organisation_name()),
         Cell(t.team()), ConsultantCell(t), StatusWord(t), RungCell(t), Cell(t.start_date()),
         DueCell(t), t.summary_only() ? "summary" : "full"});
  }
  return PrintList(in, *response, table);
}

int List(Invocation& in) {
  Flags f(in);
  if (f.Has("resident")) return ListOfResident(in, f);
  v1::ListCaseloadRequest request;
  request.set_mine(f.Has("mine"));
  request.set_include_closed(f.Has("include-closed"));
  request.set_page_size(f.Int("page-size", 0));
  request.set_page_token(f.Optional("page-token"));
  if (!f.ok()) return Fail(f.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  v1::ListCaseloadResponse response;
  if (f.Has("all")) {
    auto all = (*client)->ListAllCaseload(request);
    if (!all.ok()) return Fail(all.status());
    for (auto& t : *all) *response.add_trajectories() = std::move(t);
  } else {
    auto page = (*client)->ListCaseload(request);
    if (!page.ok()) return Fail(page.status());
    response = *std::move(page);
  }
  tools::Table table{{"ID", "RESIDENT", "CONSULTANT", "STATUS", "RUNG", "LAST MEASURED",
                      "NEXT DUE", "OPEN STEPS"},
                     {},
                     {false, false, false, false, true, false, false, true}};
  for (const auto& t : response.trajectories()) {
    table.rows.push_back({Cell(t.id()), NameId(t.resident_name(), t.resident_id()),
                          ConsultantCell(t), StatusWord(t), RungCell(t), Cell(t.last_measured()),
                          DueCell(t), absl::StrCat(t.open_steps())});
  }
  return PrintList(in, response, table, response.next_page_token());
}

int Measure(Invocation& in) {
  Flags f(in);
  v1::RecordMeasurementRequest request;
  request.set_trajectory_id(in.id());
  if (!f.Has("rung")) f.Required("rung");  // "--rung is required"
  request.set_rung(f.Int("rung", 0));      // the server checks 1..6
  request.set_date(f.Date("date", /*required=*/false));
  request.set_note(f.Optional("note"));
  request.set_request_id(f.RequestId());
  if (!f.ok()) return Fail(f.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto r = (*client)->RecordMeasurement(request);
  if (!r.ok()) return FailCreate(r.status(), request.request_id());
  return Print(in, *r, [&] { std::cout << "rung " << LatestRung(*r) << "\n"; });
}

int AddStep(Invocation& in) {
  Flags f(in);
  v1::AddStepRequest request;
  request.set_trajectory_id(in.id());
  request.set_type(static_cast<v1::StepType>(
      f.Enum("type", v1::StepType_descriptor(), kStepTypePrefix, /*required=*/true)));
  request.set_description(f.Required("description"));
  request.set_status(static_cast<v1::StepStatus>(
      f.Enum("status", v1::StepStatus_descriptor(), kStepStatusPrefix, /*required=*/false)));
  request.set_planned_date(f.Date("planned-date", /*required=*/false));
  request.set_handover_id(f.Optional("handover"));
  if (request.type() == v1::STEP_TYPE_REFERRAL && request.handover_id().empty()) {
    f.Error(absl::InvalidArgumentError(
        "--handover: required for --type referral (the handover the referral is)"));
  } else if (request.type() != v1::STEP_TYPE_UNSPECIFIED &&
             request.type() != v1::STEP_TYPE_REFERRAL && f.Has("handover")) {
    f.Error(absl::InvalidArgumentError("--handover: only with --type referral"));
  }
  request.set_request_id(f.RequestId());
  if (!f.ok()) return Fail(f.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto r = (*client)->AddStep(request);
  if (!r.ok()) return FailCreate(r.status(), request.request_id());
  return Print(in, *r, [&] { std::cout << r->id() << "\n"; });
}

absl::StatusOr<std::string> CurrentEtag(const std::string& id, Client& client) {
  auto current = client.GetTrajectory(id);
  if (!current.ok()) return current.status();
  return current->etag();
}

int StepStatus(Invocation& in) {
  Flags f(in);
  std::string step = f.Required("step");
  auto status = static_cast<v1::StepStatus>(
      f.Enum("status", v1::StepStatus_descriptor(), kStepStatusPrefix, /*required=*/true));
  std::string start_date = f.Date("start-date", /*required=*/false);
  std::string end_date = f.Date("end-date", /*required=*/false);
  if (f.ok() && !start_date.empty() && !end_date.empty() && end_date < start_date) {
    f.Error(absl::InvalidArgumentError("--end-date: must not be before --start-date"));
  }
  v1::UpdateStepRequest request;
  request.set_trajectory_id(in.id());
  request.set_step_id(step);
  request.set_status(status);
  request.set_start_date(start_date);
  request.set_end_date(end_date);
  return UpdateWithEtag(
      in, f, [&](Client& c) { return CurrentEtag(in.id(), c); },
      [&](Client& c, const std::string& etag) {
        request.set_etag(etag);
        return c.UpdateStep(request);
      },
      ShowStep);
}

// The actions on one trajectory: check the flags, then call with the etag
// and show it.
int Act(Invocation& in, Flags& f,
        const std::function<absl::StatusOr<v1::Trajectory>(Client&, const std::string&)>& call) {
  return UpdateWithEtag(
      in, f, [&](Client& c) { return CurrentEtag(in.id(), c); }, call, ShowTrajectory);
}

// `transfer ID --to C` moves one trajectory; `transfer --from C --to C2`
// every open trajectory of consultant C.
int Transfer(Invocation& in) {
  Flags f(in);
  if (in.has_id()) {
    if (f.Has("from")) {
      f.Error(absl::InvalidArgumentError(
          "--from: not with an ID (transfer ID --to C moves one trajectory; transfer --from C "
          "--to C2 the whole caseload of C)"));
    }
    std::string to = f.Required("to");
    return Act(in, f, [&](Client& c, const std::string& etag) {
      v1::TransferTrajectoryRequest request;
      request.set_id(in.id());
      request.set_to_consultant_id(to);
      request.set_etag(etag);
      return c.TransferTrajectory(request);
    });
  }
  if (!f.Has("from")) {
    f.Error(absl::InvalidArgumentError(
        "trajectory transfer: expected ID (one trajectory), or --from CONSULTANT_ID (the whole "
        "caseload)"));
  }
  std::string from = f.Required("from");
  std::string to = f.Required("to");
  if (f.ok() && from == to) {
    f.Error(absl::InvalidArgumentError(
        "trajectory transfer: --from and --to name the same consultant"));
  }
  if (!f.ok()) return Fail(f.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto r = (*client)->TransferCaseload(from, to);
  if (!r.ok()) return Fail(r.status());
  return Print(in, *r, [&] {
    std::cout << "transferred " << r->transferred()
              << (r->transferred() == 1 ? " trajectory" : " trajectories") << " from "
              << Cell(from) << " to " << Cell(to) << "\n";
    for (const std::string& id : r->trajectory_ids()) std::cout << "    " << Cell(id) << "\n";
  });
}

int ChangeStatus(Invocation& in, v1::TrajectoryStatus status, bool reason_required) {
  Flags f(in);
  std::string reason = reason_required ? f.Required("reason") : f.Optional("reason");
  return Act(in, f, [&](Client& c, const std::string& etag) {
    v1::ChangeTrajectoryStatusRequest request;
    request.set_id(in.id());
    request.set_status(status);
    request.set_reason(reason);
    request.set_etag(etag);
    return c.ChangeTrajectoryStatus(request);
  });
}

}  // namespace

std::vector<Command> TrajectoryCommands() {
  return {
      {"trajectory", "start", "",
       {"resident", "start-date", "bijstand-since", "goal", "request-id", "team"},
       "--resident ID [--start-date D] [--bijstand-since D] [--goal T] [--request-id ID]\n"
       "        [--team T]   (the team whose caseload it joins)",
       Start},
      {"trajectory", "show", "ID", {}, "", Show},
      {"trajectory", "list", "",
       {"mine", "include-closed", "page-size", "page-token", "all", "resident"},
       "[--mine] [--include-closed] [--page-size N] [--page-token T] [--all]\n"
       "        | --resident ID [--include-closed]   (without --resident: your teams'\n"
       "        caseload; with it: that resident's trajectories you may read, the summary\n"
       "        where your team holds an accepted handover)",
       List},
      {"trajectory", "measure", "ID", {"rung", "date", "note", "request-id"},
       "--rung N [--date D] [--note T] [--request-id ID]   (N: 1..6)", Measure},
      {"trajectory", "step", "ID",
       {"type", "description", "status", "planned-date", "handover", "request-id"},
       "--type language_course|volunteering|training|job_application|work_placement|\n"
       "        debt_help|health|referral|other --description T\n"
       "        [--status planned|started|done|stopped] [--planned-date D] [--handover H]\n"
       "        [--request-id ID]   (--handover: required for, and only with, referral)",
       AddStep},
      {"trajectory", "step-status", "ID", {"step", "status", "start-date", "end-date", "etag"},
       "--step STEP --status planned|started|done|stopped [--start-date D] [--end-date D]\n"
       "        [--etag E]",
       StepStatus},
      {"trajectory", "transfer", "[ID]", {"from", "to", "etag"},
       "--to CONSULTANT_ID | --from CONSULTANT_ID --to CONSULTANT_ID   (with ID: one\n"
       "        trajectory; with --from: every open trajectory of that consultant)",
       Transfer},
      {"trajectory", "close", "ID", {"reason", "etag"}, "--reason T [--etag E]",
       [](Invocation& in) {
         return ChangeStatus(in, v1::TRAJECTORY_STATUS_CLOSED, /*reason_required=*/true);
       }},
      {"trajectory", "pause", "ID", {"reason", "etag"}, "[--reason T] [--etag E]",
       [](Invocation& in) {
         return ChangeStatus(in, v1::TRAJECTORY_STATUS_PAUSED, /*reason_required=*/false);
       }},
      {"trajectory", "resume", "ID", {"etag"}, "[--etag E]",
       [](Invocation& in) {
         return ChangeStatus(in, v1::TRAJECTORY_STATUS_ACTIVE, /*reason_required=*/false);
       }},
  };
}

}  // namespace schakel::cli
