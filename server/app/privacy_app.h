// The privacy officer's use cases (residents' rights under the AVG) and the
// retention job. Every act of the privacy officer names the resident's
// request (request_ref), which flags its audit entry.
#ifndef SCHAKEL_SERVER_APP_PRIVACY_APP_H_
#define SCHAKEL_SERVER_APP_PRIVACY_APP_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/app/unit_of_work.h"
#include "server/audit/audit_log.h"
#include "server/audit/trail.h"
#include "server/auth/policy.h"
#include "server/auth/principal.h"
#include "server/common/clock.h"
#include "server/domain/privacy.h"
#include "server/store/database.h"
#include "server/store/privacy_store.h"

namespace schakel::app {

struct ResidentExport {
  absl::Time export_time;
  std::string request_ref;
  domain::ResidentData data;
  // The resident's access report: every audit entry concerning them, with
  // only the person's own resident ids and without peer, certificate and
  // hashes.
  std::vector<audit::Entry> accesses;
};

class PrivacyApp {
 public:
  PrivacyApp(store::PrivacyStore* store, store::Database* db, UnitOfWork* uow,
             const Clock* clock)
      : store_(store), db_(db), uow_(uow), clock_(clock) {}

  absl::StatusOr<ResidentExport> Export(const auth::Principal& caller,
                                        const std::string& resident_id,
                                        const std::string& request_ref, audit::Trail& trail);
  absl::StatusOr<domain::ResidentData> Rectify(const auth::Principal& caller,
                                              const std::string& resident_id,
                                              const std::string& request_ref,
                                              const domain::RectifyInput& changes,
                                              audit::Trail& trail);
  absl::StatusOr<domain::EraseResult> Erase(const auth::Principal& caller,
                                           const std::string& resident_id,
                                           const std::string& request_ref, audit::Trail& trail);
  absl::Status SetHold(const auth::Principal& caller, const std::string& resident_id,
                       const std::string& request_ref, bool held, audit::Trail& trail);

 private:
  // Validates the resident id and the request reference, applies the
  // policy for `action`, and flags the trail.
  absl::Status Begin(const auth::Principal& caller, auth::Action action,
                     const std::string& resident_id, const std::string& request_ref,
                     audit::Trail& trail);
  store::Actor ActorOf(const auth::Principal& caller, const std::string& request_ref) const;

  store::PrivacyStore* store_;
  store::Database* db_;
  UnitOfWork* uow_;
  const Clock* clock_;
};

// What one retention run purged.
struct RetentionReport {
  int64_t signals = 0;
  int64_t handovers = 0;
  int64_t trajectories = 0;
  int64_t audit_entries = 0;
};

// The retention job: purges what is older than its period (domain/privacy.h
// RetentionPeriods) at the clock's time. Every purge is recorded in the
// audit log as the clock's act (action `retention.Purge*`), inside the
// purge's transaction.
class RetentionJob {
 public:
  // The audit log's own retention (PurgeOlderThan) runs through `audit`.
  RetentionJob(store::PrivacyStore* store, UnitOfWork* uow, audit::AuditLog* audit,
               const Clock* clock, domain::RetentionPeriods periods)
      : store_(store), uow_(uow), audit_(audit), clock_(clock), periods_(periods) {}

  absl::StatusOr<RetentionReport> RunOnce();

 private:
  store::PrivacyStore* store_;
  UnitOfWork* uow_;
  audit::AuditLog* audit_;
  const Clock* clock_;
  domain::RetentionPeriods periods_;
};

}  // namespace schakel::app

#endif  // SCHAKEL_SERVER_APP_PRIVACY_APP_H_
