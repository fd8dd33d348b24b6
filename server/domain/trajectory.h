// Participation trajectories: a welfare (bijstand) client's path with their
// consultant, measured on the participatieladder, with the concrete steps
// taken. Pure code.
//
// Status: active ⇄ paused; active | paused → closed (with a reason), final.
#ifndef SCHAKEL_SERVER_DOMAIN_TRAJECTORY_H_
#define SCHAKEL_SERVER_DOMAIN_TRAJECTORY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "server/domain/handover.h"

namespace schakel::domain {

// The six rungs of the participatieladder (VNG/Divosa).
inline constexpr int kMinRung = 1;
inline constexpr int kMaxRung = 6;
const char* RungLabelNl(int rung);
const char* RungLabelEn(int rung);

enum class TrajectoryStatus { kActive, kPaused, kClosed };
const char* TrajectoryStatusName(TrajectoryStatus s);
std::optional<TrajectoryStatus> ParseTrajectoryStatus(const std::string& name);

enum class StepType {
  kLanguageCourse, kVolunteering, kTraining, kJobApplication, kWorkPlacement, kDebtHelp,
  kHealth, kReferral, kOther
};
const char* StepTypeName(StepType t);
std::optional<StepType> ParseStepType(const std::string& name);

enum class StepStatus { kPlanned, kStarted, kDone, kStopped };
const char* StepStatusName(StepStatus s);
std::optional<StepStatus> ParseStepStatus(const std::string& name);

struct Measurement {
  std::string id;
  absl::CivilDay date;
  int rung = 0;
  std::string note;
  std::string measured_by;
  absl::Time create_time;  // with the insertion order, orders equal dates
};

struct Step {
  std::string id;
  StepType type = StepType::kOther;
  std::string description;
  StepStatus status = StepStatus::kPlanned;
  std::string planned_date;  // YYYY-MM-DD or empty
  std::string start_date;
  std::string end_date;
  std::string handover_id;  // referral steps: the handover they are
  absl::Time create_time;
};

struct Trajectory {
  std::string id;
  std::string resident_id;
  std::string consultant_id;
  std::string organisation_id;
  std::string team;  // whose caseload it is
  absl::CivilDay start_date;
  std::string bijstand_since;  // YYYY-MM-DD or empty
  std::string goal;
  TrajectoryStatus status = TrajectoryStatus::kActive;
  std::string close_reason;
  absl::Time create_time;
  absl::Time update_time;
  int64_t version = 1;
};

// The etag of a version of a trajectory (changes with every change,
// measurements and steps included).
std::string TrajectoryEtag(int64_t version);

// The ladder over time, from measurements in recorded order.
struct Ladder {
  std::optional<int> latest_rung;
  std::optional<absl::CivilDay> last_measured;
  int since_first = 0;     // latest - first
  int since_previous = 0;  // latest - the one before it
};
Ladder LadderOf(const std::vector<Measurement>& measurements_in_order);

// Measured at least twice a year: the next measurement is due six months
// after the last (or on the start date, before the first).
absl::CivilDay NextMeasurementDue(const Trajectory& t, const Ladder& ladder);
// Due: within kDueWindowDays of the due date; overdue: past it.
inline constexpr int kDueWindowDays = 30;
bool IsMeasurementDue(absl::CivilDay due, absl::CivilDay today);
bool IsMeasurementOverdue(absl::CivilDay due, absl::CivilDay today);

struct NewTrajectory {
  std::string request_id;
  std::string resident_id;
  std::string start_date;      // empty: today
  std::string bijstand_since;  // optional
  std::string goal;            // optional, up to 2,000 characters
  std::string team;            // the consultant's team as asked; empty: their only one
};
absl::Status ValidateNewTrajectory(const NewTrajectory& r, absl::CivilDay today);

struct NewMeasurement {
  std::string request_id;
  std::string date;  // empty: today
  int rung = 0;
  std::string note;
};
// INVALID_ARGUMENT for a rung outside 1–6 or a date in the future or before
// the trajectory's start; FAILED_PRECONDITION on a closed trajectory.
absl::Status ValidateMeasurement(const Trajectory& t, const NewMeasurement& m,
                                 absl::CivilDay today);

struct NewStep {
  std::string request_id;
  StepType type = StepType::kOther;
  std::string description;
  StepStatus status = StepStatus::kPlanned;
  std::string planned_date;
  std::string handover_id;
};
// INVALID_ARGUMENT naming the field (a referral needs handover_id, other
// types take none); FAILED_PRECONDITION on a closed trajectory.
absl::Status ValidateStep(const Trajectory& t, const NewStep& s);

// Pause, resume or close. FAILED_PRECONDITION naming both states when not
// allowed; closing needs a reason (INVALID_ARGUMENT).
absl::Status CheckTrajectoryTransition(TrajectoryStatus from, TrajectoryStatus to,
                                       const std::string& reason);

// Months ahead in civil dates, normalised as SQLite's date(d, '+N months')
// does (31 August + 6 months is 3 March), so that the store can sort by it.
absl::CivilDay AddMonths(absl::CivilDay day, int months);

// A step with the state of the handover a referral step is.
struct StepDetail {
  domain::Step step;
  std::optional<domain::HandoverStatus> handover_status;
  std::optional<domain::Outcome> handover_outcome;
  std::string handover_to_organisation;
  std::string handover_to_team;
};

}  // namespace schakel::domain

#endif  // SCHAKEL_SERVER_DOMAIN_TRAJECTORY_H_
