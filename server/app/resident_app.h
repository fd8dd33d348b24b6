// The residents' use cases.
#ifndef SCHAKEL_SERVER_APP_RESIDENT_APP_H_
#define SCHAKEL_SERVER_APP_RESIDENT_APP_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "server/app/unit_of_work.h"
#include "server/audit/audit_log.h"
#include "server/audit/trail.h"
#include "server/auth/principal.h"
#include "server/common/clock.h"
#include "server/domain/resident.h"
#include "server/store/resident_store.h"

namespace schakel::app {

// A resident as one caller sees it: the record, or (withheld) its id only.
struct ResidentView {
  domain::Resident resident;
  bool withheld = false;
};

class ResidentApp {
 public:
  ResidentApp(store::ResidentStore* store, UnitOfWork* uow, audit::AuditLog* audit,
              const Clock* clock, IdGenerator* ids)
      : store_(store), uow_(uow), audit_(audit), clock_(clock), ids_(ids) {}

  absl::StatusOr<domain::RegistrationResult> Register(const auth::Principal& caller,
                                                     const domain::NewResident& request,
                                                     audit::Trail& trail);
  absl::StatusOr<domain::Resident> Get(const auth::Principal& caller, const std::string& id,
                                       audit::Trail& trail);
  // Residents the caller may read whose folded name matches `name`, with
  // that birth date and/or part of the address (domain::ParseResidentSearch).
  absl::StatusOr<std::vector<domain::Resident>> Find(const auth::Principal& caller,
                                                     const std::string& name,
                                                     const std::string& birth_date,
                                                     const std::string& address,
                                                     audit::Trail& trail);
  // Each possible duplicate with the record it matched; a side the caller
  // may not read shows only its id (withheld).
  absl::StatusOr<std::vector<std::pair<ResidentView, ResidentView>>> ListDuplicates(
      const auth::Principal& caller, audit::Trail& trail);
  // Merges `merge_id` into `keep_id`; NOT_FOUND unless the caller may read
  // both (a pair the caller cannot read both sides of is not theirs to
  // merge: docs/design.md, "Possible duplicates").
  absl::StatusOr<domain::Resident> Merge(const auth::Principal& caller, const std::string& keep_id,
                                         const std::string& merge_id, audit::Trail& trail);
  // Emergency access (break-glass) to every record of one resident for
  // kBreakGlassDuration, with a written reason; flagged in the audit log.
  absl::StatusOr<audit::BreakGlassSession> OpenBreakGlass(const auth::Principal& caller,
                                                          const std::string& resident_id,
                                                          const std::string& reason,
                                                          audit::Trail& trail);

 private:
  store::ResidentStore* store_;
  UnitOfWork* uow_;
  // Emergency-access sessions are the audit log's own (AuditLog::OpenBreakGlass).
  audit::AuditLog* audit_;
  const Clock* clock_;
  IdGenerator* ids_;
};

}  // namespace schakel::app

#endif  // SCHAKEL_SERVER_APP_RESIDENT_APP_H_
