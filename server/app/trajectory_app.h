// The participation trajectories' use cases.
#ifndef SCHAKEL_SERVER_APP_TRAJECTORY_APP_H_
#define SCHAKEL_SERVER_APP_TRAJECTORY_APP_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/app/notifier.h"
#include "server/app/page_tokens.h"
#include "server/app/unit_of_work.h"
#include "server/audit/audit_log.h"
#include "server/audit/trail.h"
#include "server/auth/policy.h"
#include "server/auth/principal.h"
#include "server/common/clock.h"
#include "server/domain/names.h"
#include "server/domain/trajectory.h"
#include "server/store/directory_store.h"
#include "server/store/trajectory_store.h"

namespace schakel::app {

// A trajectory as one caller may see it.
struct TrajectoryView {
  store::TrajectoryDetail detail;  // trimmed to the summary when summary_only
  domain::Ladder ladder;
  absl::CivilDay next_due;
  bool due = false;
  bool overdue = false;
  int open_steps = 0;
  bool summary_only = false;
  // The names of the resident, consultant and organisation (shared by a
  // list). Whoever may open a trajectory, in full or as the summary, may
  // read its resident (a team of theirs keeps it or received a handover
  // about them); the name still comes from the resident rule.
  std::shared_ptr<const domain::Names> names;
};

// A resident has a handful of trajectories; a list of one resident's
// stops here.
inline constexpr int kMaxResidentTrajectories = 50;

struct CaseloadList {
  std::vector<TrajectoryView> trajectories;
  std::string next_page_token;
};

class TrajectoryApp {
 public:
  TrajectoryApp(store::TrajectoryStore* store, store::DirectoryStore* directory,
                UnitOfWork* uow, const Clock* clock, IdGenerator* ids,
                const PageTokens* tokens, Notifier* notifier)
      : store_(store),
        directory_(directory),
        uow_(uow),
        clock_(clock),
        ids_(ids),
        tokens_(tokens),
        notifier_(notifier) {}

  // Tells each active trajectory's consultant that a ladder measurement is
  // due (from kDueWindowDays before the due date), once per due date; the
  // number of notifications made.
  absl::StatusOr<int> RemindMeasurementsDue();

  absl::StatusOr<TrajectoryView> Start(const auth::Principal& caller,
                                       const domain::NewTrajectory& r, audit::Trail& trail);
  absl::StatusOr<TrajectoryView> Get(const auth::Principal& caller, const std::string& id,
                                     audit::Trail& trail);
  absl::StatusOr<CaseloadList> Caseload(const auth::Principal& caller, bool mine,
                                        bool include_closed, int page_size,
                                        const std::string& page_token, audit::Trail& trail);
  // The trajectories of `resident_id` the caller may read, by start date,
  // newest first, at most kMaxResidentTrajectories: each as Get shows it
  // (in full, or the summary) but without measurements and steps, as the
  // caseload shows them; closed ones only with `include_closed`. Those the
  // caller may not read are left out, never counted, so a resident the
  // caller may not read gives an empty list. INVALID_ARGUMENT naming
  // resident_id when it is missing or not an id; PERMISSION_DENIED for a
  // role without case data. The trail names the residents it returned.
  absl::StatusOr<std::vector<TrajectoryView>> OfResident(const auth::Principal& caller,
                                                         const std::string& resident_id,
                                                         bool include_closed,
                                                         audit::Trail& trail);
  absl::StatusOr<TrajectoryView> Measure(const auth::Principal& caller, const std::string& id,
                                         const domain::NewMeasurement& m, audit::Trail& trail);
  absl::StatusOr<domain::StepDetail> AddStep(const auth::Principal& caller, const std::string& id,
                                            const domain::NewStep& s, audit::Trail& trail);
  // The updates take the trajectory's etag of the last read (ABORTED when it
  // changed since; INVALID_ARGUMENT naming etag when missing).
  absl::StatusOr<domain::StepDetail> UpdateStep(const auth::Principal& caller,
                                               const std::string& id, const std::string& step_id,
                                               domain::StepStatus status,
                                               const std::string& start_date,
                                               const std::string& end_date,
                                               const std::string& etag, audit::Trail& trail);
  absl::StatusOr<TrajectoryView> ChangeStatus(const auth::Principal& caller,
                                              const std::string& id, domain::TrajectoryStatus to,
                                              const std::string& reason, const std::string& etag,
                                              audit::Trail& trail);
  absl::StatusOr<TrajectoryView> Transfer(const auth::Principal& caller, const std::string& id,
                                          const std::string& to_consultant,
                                          const std::string& etag, audit::Trail& trail);
  absl::StatusOr<std::vector<std::string>> TransferCaseload(const auth::Principal& caller,
                                                            const std::string& from,
                                                            const std::string& to,
                                                            audit::Trail& trail);

 private:
  // `views` with the names of the ids they show, looked up once.
  absl::Status Name(const auth::Principal& caller, std::vector<TrajectoryView*> views);
  TrajectoryView View(const auth::Principal& caller, store::TrajectoryDetail d,
                      auth::TrajectoryAccess access) const;
  // Inside a unit of work: the trajectory the caller may change, read
  // without its history; NOT_FOUND when the caller may not know it exists,
  // PERMISSION_DENIED when they see only the summary. Names its resident in
  // the trail either way.
  absl::StatusOr<store::TrajectoryDetail> ChangeableFrame(Transaction& tx,
                                                          const auth::Principal& caller,
                                                          const std::string& id,
                                                          audit::Trail& trail);
  // In its own read: the trajectory with its history, as `access` shows it.
  absl::StatusOr<TrajectoryView> ReadView(const auth::Principal& caller, const std::string& id,
                                          auth::TrajectoryAccess access);
  // The professional `id` when an active consultant of `organisation`;
  // NOT_FOUND / INVALID_ARGUMENT naming `field` otherwise.
  absl::StatusOr<domain::Professional> ActiveConsultant(const std::string& field,
                                                        const std::string& id,
                                                        const std::string& organisation);

  store::TrajectoryStore* store_;
  store::DirectoryStore* directory_;
  UnitOfWork* uow_;
  const Clock* clock_;
  IdGenerator* ids_;
  const PageTokens* tokens_;
  Notifier* notifier_;
};

}  // namespace schakel::app

#endif  // SCHAKEL_SERVER_APP_TRAJECTORY_APP_H_
