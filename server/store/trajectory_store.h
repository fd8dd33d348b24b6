// The trajectory aggregate's store: trajectories, their ladder measurements
// and steps. All SQL of trajectories lives in trajectory_store.cc.
#ifndef SCHAKEL_SERVER_STORE_TRAJECTORY_STORE_H_
#define SCHAKEL_SERVER_STORE_TRAJECTORY_STORE_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/domain/handover.h"
#include "server/domain/trajectory.h"
#include "server/store/create_requests.h"
#include "server/store/database.h"
#include "server/store/visibility_sql.h"

namespace schakel::store {

// A step with the state of the handover a referral step is.
struct StepDetail {
  domain::Step step;
  std::optional<domain::HandoverStatus> handover_status;
  std::optional<domain::Outcome> handover_outcome;
  std::string handover_to_organisation;
};

struct TrajectoryDetail {
  domain::Trajectory trajectory;
  std::vector<domain::Measurement> measurements;  // by date, then as recorded
  std::vector<StepDetail> steps;
  // Receiving organisations of accepted (introduced, completed) handovers
  // for the resident: who may see the summary.
  std::vector<std::string> accepted_handover_organisations;
};

struct CaseloadQuery {
  std::string organisation_id;
  std::string consultant_id;  // empty: the whole organisation
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

// Checks run inside a change's transaction on the current state (policy
// and domain rules); a non-OK status aborts the change.
using TrajectoryCheck = std::function<absl::Status(const TrajectoryDetail&)>;
// Whether the caller may see a trajectory, from its row and access facts
// (TrajectoryDetail without measurements and steps).
using TrajectoryVisible = std::function<bool(const TrajectoryDetail&)>;

class TrajectoryStore {
 public:
  virtual ~TrajectoryStore() = default;
  // Replays a known request id; else NOT_FOUND naming resident_id unless the
  // viewer may read the resident; inserts.
  virtual absl::StatusOr<domain::Trajectory> Create(const domain::Trajectory& t,
                                                    const CreateRequest& request,
                                                    const Viewer& viewer,
                                                    const CommitHook& audit) = 0;
  // NOT_FOUND when there is none, or when `visible` (the policy, asked on
  // the row and its access facts before the history is read) says no.
  virtual absl::StatusOr<TrajectoryDetail> Get(const std::string& id,
                                               const TrajectoryVisible& visible) = 0;
  // The caseload, ordered by next measurement due.
  virtual absl::StatusOr<CaseloadPage> ListCaseload(const CaseloadQuery& q) = 0;
  virtual absl::StatusOr<TrajectoryDetail> AddMeasurement(const std::string& trajectory_id,
                                                          const domain::Measurement& m,
                                                          const CreateRequest& request,
                                                          const TrajectoryCheck& check,
                                                          const CommitHook& audit) = 0;
  // A referral step's handover must exist, come from the trajectory's
  // organisation and concern its resident (INVALID_ARGUMENT naming
  // handover_id otherwise).
  virtual absl::StatusOr<StepDetail> AddStep(const std::string& trajectory_id,
                                             const domain::Step& step,
                                             const CreateRequest& request,
                                             const TrajectoryCheck& check,
                                             const CommitHook& audit) = 0;
  // Sets the step's status and dates (empty dates stay as they are).
  virtual absl::StatusOr<StepDetail> UpdateStep(const std::string& trajectory_id,
                                                const domain::Step& update,
                                                const TrajectoryCheck& check,
                                                const CommitHook& audit) = 0;
  // Status, close reason, consultant; `mutate` returns the new trajectory.
  virtual absl::StatusOr<domain::Trajectory> Update(
      const std::string& id,
      const std::function<absl::StatusOr<domain::Trajectory>(const TrajectoryDetail&)>& mutate,
      const CommitHook& audit) = 0;
  // Every open trajectory of `from` in `organisation` to `to`; their ids.
  virtual absl::StatusOr<std::vector<std::string>> TransferCaseload(
      const std::string& organisation, const std::string& from, const std::string& to,
      absl::Time now, const CommitHook& audit) = 0;
};

class SqliteTrajectoryStore final : public TrajectoryStore {
 public:
  explicit SqliteTrajectoryStore(Database* db) : db_(db) {}
  absl::StatusOr<domain::Trajectory> Create(const domain::Trajectory& t,
                                            const CreateRequest& request, const Viewer& viewer,
                                            const CommitHook& audit) override;
  absl::StatusOr<TrajectoryDetail> Get(const std::string& id,
                                       const TrajectoryVisible& visible) override;
  absl::StatusOr<CaseloadPage> ListCaseload(const CaseloadQuery& q) override;
  absl::StatusOr<TrajectoryDetail> AddMeasurement(const std::string& trajectory_id,
                                                  const domain::Measurement& m,
                                                  const CreateRequest& request,
                                                  const TrajectoryCheck& check,
                                                  const CommitHook& audit) override;
  absl::StatusOr<StepDetail> AddStep(const std::string& trajectory_id, const domain::Step& step,
                                     const CreateRequest& request, const TrajectoryCheck& check,
                                     const CommitHook& audit) override;
  absl::StatusOr<StepDetail> UpdateStep(const std::string& trajectory_id,
                                        const domain::Step& update, const TrajectoryCheck& check,
                                        const CommitHook& audit) override;
  absl::StatusOr<domain::Trajectory> Update(
      const std::string& id,
      const std::function<absl::StatusOr<domain::Trajectory>(const TrajectoryDetail&)>& mutate,
      const CommitHook& audit) override;
  absl::StatusOr<std::vector<std::string>> TransferCaseload(const std::string& organisation,
                                                            const std::string& from,
                                                            const std::string& to, absl::Time now,
                                                            const CommitHook& audit) override;

 private:
  Database* db_;
};

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_TRAJECTORY_STORE_H_
