#include "server/domain/trajectory.h"

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/domain/calendar.h"
#include "server/domain/directory.h"
#include "server/domain/text.h"

namespace schakel::domain {

std::string TrajectoryEtag(int64_t version) { return absl::StrCat("v", version); }

namespace {

constexpr size_t kMaxGoal = 2000;
const char* const kRungsNl[] = {"geïsoleerd", "sociale contacten buiten de deur",
                                "deelname aan georganiseerde activiteiten", "onbetaald werk",
                                "betaald werk met ondersteuning", "betaald werk"};
const char* const kRungsEn[] = {"isolated", "social contacts outside the home",
                                "taking part in organised activities", "unpaid work",
                                "paid work with support", "paid work"};

template <typename E, size_t N>
std::optional<E> ParseName(const std::string& name, const E (&all)[N], const char* (*to)(E)) {
  for (E e : all) {
    if (name == to(e)) return e;
  }
  return std::nullopt;
}

const TrajectoryStatus kStatuses[] = {TrajectoryStatus::kActive, TrajectoryStatus::kPaused,
                                      TrajectoryStatus::kClosed};
const StepType kStepTypes[] = {StepType::kLanguageCourse, StepType::kVolunteering,
                               StepType::kTraining,       StepType::kJobApplication,
                               StepType::kWorkPlacement,  StepType::kDebtHelp,
                               StepType::kHealth,         StepType::kReferral,
                               StepType::kOther};
const StepStatus kStepStatuses[] = {StepStatus::kPlanned, StepStatus::kStarted, StepStatus::kDone,
                                    StepStatus::kStopped};

absl::Status CheckOpen(const Trajectory& t) {
  if (t.status == TrajectoryStatus::kClosed) {
    return absl::FailedPreconditionError("trajectory: it is closed");
  }
  return absl::OkStatus();
}

absl::Status ValidateOptionalDate(const char* field, const std::string& value) {
  if (value.empty()) return absl::OkStatus();
  return ParseDate(field, value).status();
}

}  // namespace

const char* RungLabelNl(int rung) {
  return rung >= kMinRung && rung <= kMaxRung ? kRungsNl[rung - 1] : "";
}
const char* RungLabelEn(int rung) {
  return rung >= kMinRung && rung <= kMaxRung ? kRungsEn[rung - 1] : "";
}

const char* TrajectoryStatusName(TrajectoryStatus s) {
  switch (s) {
    case TrajectoryStatus::kActive: return "active";
    case TrajectoryStatus::kPaused: return "paused";
    case TrajectoryStatus::kClosed: return "closed";
  }
  return "active";
}
std::optional<TrajectoryStatus> ParseTrajectoryStatus(const std::string& name) {
  return ParseName(name, kStatuses, TrajectoryStatusName);
}

const char* StepTypeName(StepType t) {
  switch (t) {
    case StepType::kLanguageCourse: return "language_course";
    case StepType::kVolunteering: return "volunteering";
    case StepType::kTraining: return "training";
    case StepType::kJobApplication: return "job_application";
    case StepType::kWorkPlacement: return "work_placement";
    case StepType::kDebtHelp: return "debt_help";
    case StepType::kHealth: return "health";
    case StepType::kReferral: return "referral";
    case StepType::kOther: return "other";
  }
  return "other";
}
std::optional<StepType> ParseStepType(const std::string& name) {
  return ParseName(name, kStepTypes, StepTypeName);
}

const char* StepStatusName(StepStatus s) {
  switch (s) {
    case StepStatus::kPlanned: return "planned";
    case StepStatus::kStarted: return "started";
    case StepStatus::kDone: return "done";
    case StepStatus::kStopped: return "stopped";
  }
  return "planned";
}
std::optional<StepStatus> ParseStepStatus(const std::string& name) {
  return ParseName(name, kStepStatuses, StepStatusName);
}

Ladder LadderOf(const std::vector<Measurement>& m) {
  Ladder l;
  if (m.empty()) return l;
  l.latest_rung = m.back().rung;
  l.since_first = m.back().rung - m.front().rung;
  l.since_previous = m.size() > 1 ? m.back().rung - m[m.size() - 2].rung : 0;
  absl::CivilDay last = m.front().date;
  for (const Measurement& x : m) last = std::max(last, x.date);
  l.last_measured = last;
  return l;
}

absl::CivilDay AddMonths(absl::CivilDay day, int months) {
  absl::CivilMonth month = absl::CivilMonth(day) + months;
  // CivilDay normalises an overflowing day into the next month.
  return absl::CivilDay(month.year(), month.month(), day.day());
}

absl::CivilDay NextMeasurementDue(const Trajectory& t, const Ladder& ladder) {
  if (!ladder.last_measured) return t.start_date;
  return AddMonths(*ladder.last_measured, 6);
}

bool IsMeasurementOverdue(absl::CivilDay due, absl::CivilDay today) { return today > due; }
bool IsMeasurementDue(absl::CivilDay due, absl::CivilDay today) {
  return !IsMeasurementOverdue(due, today) && today >= due - kDueWindowDays;
}

absl::Status ValidateNewTrajectory(const NewTrajectory& r, absl::CivilDay today) {
  RETURN_IF_ERROR(ValidateRequestId("request_id", r.request_id));
  RETURN_IF_ERROR(ValidateId("resident_id", r.resident_id));
  if (!r.team.empty()) RETURN_IF_ERROR(ValidateTeamId("team", r.team));
  if (!r.start_date.empty()) {
    ASSIGN_OR_RETURN(absl::CivilDay start, ParseDate("start_date", r.start_date));
    if (start > today) return absl::InvalidArgumentError("start_date: must not be in the future");
  }
  if (!r.bijstand_since.empty()) {
    ASSIGN_OR_RETURN(absl::CivilDay since, ParseDate("bijstand_since", r.bijstand_since));
    if (since > today) {
      return absl::InvalidArgumentError("bijstand_since: must not be in the future");
    }
  }
  return ValidateOptionalText("goal", r.goal, kMaxGoal, true);
}

absl::Status ValidateMeasurement(const Trajectory& t, const NewMeasurement& m,
                                 absl::CivilDay today) {
  RETURN_IF_ERROR(ValidateRequestId("request_id", m.request_id));
  if (m.rung < kMinRung || m.rung > kMaxRung) {
    return absl::InvalidArgumentError("rung: must be 1 to 6 (the participatieladder)");
  }
  if (!m.date.empty()) {
    ASSIGN_OR_RETURN(absl::CivilDay date, ParseDate("date", m.date));
    if (date > today) return absl::InvalidArgumentError("date: must not be in the future");
    if (date < t.start_date) {
      return absl::InvalidArgumentError(absl::StrCat(
          "date: must not be before the trajectory's start ", FormatDate(t.start_date)));
    }
  }
  RETURN_IF_ERROR(ValidateOptionalText("note", m.note, kMaxDescriptionLength, true));
  return CheckOpen(t);
}

absl::Status ValidateStep(const Trajectory& t, const NewStep& s) {
  RETURN_IF_ERROR(ValidateRequestId("request_id", s.request_id));
  RETURN_IF_ERROR(ValidateText("description", s.description, kMaxGoal, true));
  RETURN_IF_ERROR(ValidateOptionalDate("planned_date", s.planned_date));
  if (s.type == StepType::kReferral) {
    RETURN_IF_ERROR(ValidateId("handover_id", s.handover_id));
  } else if (!s.handover_id.empty()) {
    return absl::InvalidArgumentError("handover_id: only a referral step is a handover");
  }
  return CheckOpen(t);
}

absl::Status CheckTrajectoryTransition(TrajectoryStatus from, TrajectoryStatus to,
                                       const std::string& reason) {
  using S = TrajectoryStatus;
  bool ok = (from == S::kActive && (to == S::kPaused || to == S::kClosed)) ||
            (from == S::kPaused && (to == S::kActive || to == S::kClosed));
  if (!ok) {
    return absl::FailedPreconditionError(absl::StrCat("status: a trajectory that is ",
                                                      TrajectoryStatusName(from),
                                                      " cannot become ", TrajectoryStatusName(to)));
  }
  if (to == S::kClosed) return ValidateText("reason", reason, kMaxGoal, true);
  return ValidateOptionalText("reason", reason, kMaxGoal, true);
}

}  // namespace schakel::domain
