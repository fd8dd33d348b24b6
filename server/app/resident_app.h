// The residents' use cases.
#ifndef SCHAKEL_SERVER_APP_RESIDENT_APP_H_
#define SCHAKEL_SERVER_APP_RESIDENT_APP_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "server/auth/principal.h"
#include "server/common/clock.h"
#include "server/domain/resident.h"
#include "server/store/resident_store.h"

namespace schakel::app {

class ResidentApp {
 public:
  ResidentApp(store::ResidentStore* store, const Clock* clock, IdGenerator* ids)
      : store_(store), clock_(clock), ids_(ids) {}

  absl::StatusOr<store::RegistrationResult> Register(const auth::Principal& caller,
                                                     const domain::NewResident& request);
  absl::StatusOr<domain::Resident> Get(const auth::Principal& caller, const std::string& id);
  absl::StatusOr<std::vector<domain::Resident>> Find(const auth::Principal& caller,
                                                     const std::string& name,
                                                     const std::string& birth_date);
  absl::StatusOr<std::vector<std::pair<domain::Resident, domain::Resident>>> ListDuplicates(
      const auth::Principal& caller);
  absl::StatusOr<domain::Resident> Merge(const auth::Principal& caller, const std::string& keep_id,
                                         const std::string& merge_id);

 private:
  store::ResidentStore* store_;
  const Clock* clock_;
  IdGenerator* ids_;
};

}  // namespace schakel::app

#endif  // SCHAKEL_SERVER_APP_RESIDENT_APP_H_
