// The trajectory aggregate's store: trajectories, their ladder measurements
// and steps. All SQL of trajectories lives in trajectory_store.cc.
#ifndef SCHAKEL_SERVER_STORE_TRAJECTORY_STORE_H_
#define SCHAKEL_SERVER_STORE_TRAJECTORY_STORE_H_

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "server/domain/handover.h"
#include "server/domain/trajectory.h"
#include "server/store/create_requests.h"
#include "server/store/database.h"
#include "server/store/scope_binding.h"

namespace schakel::store {

using domain::StepDetail;

struct TrajectoryDetail {
  domain::Trajectory trajectory;
  std::vector<domain::Measurement> measurements;  // by date, then as recorded
  std::vector<StepDetail> steps;
  // Receiving teams of accepted (introduced, completed) handovers for the
  // resident: who may see the summary.
  std::vector<domain::TeamRef> accepted_handover_teams;
};

struct CaseloadQuery {
  // The caseload of the scope's teams (auth::CaseloadSql).
  auth::ListScope scope;
  std::string consultant_id;  // empty: the whole team
  bool include_closed = false;
  // Keyset: after (next due, seq); empty due for the first page.
  std::string after_due;
  int64_t after_seq = 0;
  int limit = 50;
};

struct CaseloadPage {
  std::vector<TrajectoryDetail> trajectories;
  std::string last_due;
  int64_t last_seq = 0;
  bool more = false;
};

struct ResidentTrajectoriesQuery {
  // Only the trajectories the scope may read (auth::TrajectoryReadableSql).
  auth::ListScope scope;
  std::string resident_id;
  bool include_closed = false;
  int limit = 50;
};

// A trajectory of an organisation's consultant, as a caseload transfer
// moves it.
struct OpenTrajectory {
  std::string id;
  std::string resident_id;
  std::string team;
};

// The sending side and resident of a handover, for a referral step.
struct Referral {
  domain::TeamRef from;
  std::string resident_id;
};

// The store runs no rule of its own: who may see or change a trajectory is
// the access module's decision (auth::AccessToTrajectory on the frame read
// here), what a change may do is the domain's. Every step takes the use
// case's transaction: its unit of work, or a read of its own
// (app::UnitOfWork::Read).
class TrajectoryStore {
 public:
  virtual ~TrajectoryStore() = default;
  // The caseload, ordered by next measurement due.
  virtual absl::StatusOr<CaseloadPage> ListCaseload(const CaseloadQuery& q) = 0;
  // The trajectories of one resident the scope may read, by start date,
  // newest first (then the later recorded first), at most q.limit; each
  // with what access is decided on and its history (the ladder's summary
  // is computed from it).
  virtual absl::StatusOr<std::vector<TrajectoryDetail>> ListOfResident(
      const ResidentTrajectoriesQuery& q) = 0;

  // The trajectory's row and what access is decided on (who holds an
  // accepted handover for the resident), without its history: nullopt when
  // there is none. Deciding on this before LoadHistory makes a hidden
  // trajectory cost what a missing one costs.
  virtual absl::StatusOr<std::optional<TrajectoryDetail>> FindFrame(Connection& c,
                                                                    const std::string& id) = 0;
  // Measurements and steps, into `d` (read by FindFrame).
  virtual absl::Status LoadHistory(Connection& c, TrajectoryDetail& d) = 0;
  virtual absl::Status Insert(Connection& c, const domain::Trajectory& t) = 0;
  // Writes owner consultant, status, close reason and update time over the
  // row at `old_version` (ABORTED when it changed).
  virtual absl::Status Replace(Connection& c, const domain::Trajectory& next,
                               int64_t old_version) = 0;
  // Inserts a measurement and marks the trajectory changed at its time.
  virtual absl::Status InsertMeasurement(Connection& c, const std::string& trajectory_id,
                                         const domain::Measurement& m) = 0;
  // Inserts a step and marks the trajectory changed at its time.
  virtual absl::Status InsertStep(Connection& c, const std::string& trajectory_id,
                                  const domain::Step& step) = 0;
  // NOT_FOUND naming step_id when the trajectory has no such step.
  virtual absl::StatusOr<StepDetail> FindStep(Connection& c, const std::string& trajectory_id,
                                              const std::string& step_id) = 0;
  // Sets the step's status and dates (empty dates stay as they are) and
  // marks the trajectory changed at update.create_time.
  virtual absl::Status UpdateStep(Connection& c, const std::string& trajectory_id,
                                  const domain::Step& update) = 0;
  // The sending side and resident of a handover, for a referral step;
  // nullopt when there is no such handover.
  virtual absl::StatusOr<std::optional<Referral>> ReferralOf(Connection& c,
                                                             const std::string& handover_id) = 0;
  // The trajectories of `consultant` in `organisation` that are not closed.
  virtual absl::StatusOr<std::vector<OpenTrajectory>> OpenTrajectoriesOf(
      Connection& c, const std::string& organisation, const std::string& consultant) = 0;
  virtual absl::Status Reassign(Connection& c, const std::string& id, const std::string& to,
                                absl::Time now) = 0;
  // Active trajectories of an enabled consultant whose next measurement is
  // due by `until` and who was not reminded of that due date yet, the
  // earliest due first, at most `limit`; each with its due date.
  virtual absl::StatusOr<std::vector<std::pair<domain::Trajectory, std::string>>>
  ListMeasurementDue(absl::CivilDay until, int limit) = 0;
};

class SqliteTrajectoryStore final : public TrajectoryStore {
 public:
  explicit SqliteTrajectoryStore(Database* db) : db_(db) {}
  absl::StatusOr<CaseloadPage> ListCaseload(const CaseloadQuery& q) override;
  absl::StatusOr<std::vector<TrajectoryDetail>> ListOfResident(
      const ResidentTrajectoriesQuery& q) override;
  absl::StatusOr<std::optional<TrajectoryDetail>> FindFrame(Connection& c,
                                                            const std::string& id) override;
  absl::Status LoadHistory(Connection& c, TrajectoryDetail& d) override;
  absl::Status Insert(Connection& c, const domain::Trajectory& t) override;
  absl::Status Replace(Connection& c, const domain::Trajectory& next,
                       int64_t old_version) override;
  absl::Status InsertMeasurement(Connection& c, const std::string& trajectory_id,
                                 const domain::Measurement& m) override;
  absl::Status InsertStep(Connection& c, const std::string& trajectory_id,
                          const domain::Step& step) override;
  absl::StatusOr<StepDetail> FindStep(Connection& c, const std::string& trajectory_id,
                                      const std::string& step_id) override;
  absl::Status UpdateStep(Connection& c, const std::string& trajectory_id,
                          const domain::Step& update) override;
  absl::StatusOr<std::optional<Referral>> ReferralOf(Connection& c,
                                                     const std::string& handover_id) override;
  absl::StatusOr<std::vector<OpenTrajectory>> OpenTrajectoriesOf(
      Connection& c, const std::string& organisation, const std::string& consultant) override;
  absl::Status Reassign(Connection& c, const std::string& id, const std::string& to,
                        absl::Time now) override;
  absl::StatusOr<std::vector<std::pair<domain::Trajectory, std::string>>> ListMeasurementDue(
      absl::CivilDay until, int limit) override;

 private:
  Database* db_;
};

// The trajectory's row as every writer of trajectories makes it (the store,
// the seed): its goal sealed where the engine seals.
absl::Status InsertTrajectoryRow(Connection& c, const domain::Trajectory& trajectory);

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_TRAJECTORY_STORE_H_
