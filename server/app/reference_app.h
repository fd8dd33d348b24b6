// The reference data's use cases (ReferenceService): the seeded taxonomy,
// wijken and opgaven from the store, the fixed vocabularies from the
// domain. Every authenticated role may read them (the policy's
// kReadDirectory); each read leaves its audit entry through the trail, as
// any directory read.
#ifndef SCHAKEL_SERVER_APP_REFERENCE_APP_H_
#define SCHAKEL_SERVER_APP_REFERENCE_APP_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/audit/trail.h"
#include "server/auth/principal.h"
#include "server/domain/reference.h"
#include "server/domain/seed.h"
#include "server/store/reference_store.h"

namespace schakel::app {

// Thread-safe; holds a pointer to a store that outlives it.
class ReferenceApp {
 public:
  explicit ReferenceApp(store::ReferenceStore* store) : store_(store) {}

  // The categories ordered by code; with `opgave`, of that opgave only
  // (INVALID_ARGUMENT naming opgave, with the known codes, when there is
  // no such opgave).
  absl::StatusOr<std::vector<domain::SignalCategory>> ListCategories(
      const auth::Principal& caller, const std::string& opgave, audit::Trail& trail);
  absl::StatusOr<std::vector<domain::Wijk>> ListWijken(const auth::Principal& caller,
                                                       audit::Trail& trail);
  absl::StatusOr<std::vector<domain::OpgaveWithDoelen>> ListOpgaven(
      const auth::Principal& caller, audit::Trail& trail);
  // Every fixed vocabulary, or the one named `name` (INVALID_ARGUMENT
  // naming name, with the known names, for another).
  absl::StatusOr<std::vector<domain::Vocabulary>> ListVocabularies(const auth::Principal& caller,
                                                                  const std::string& name,
                                                                  audit::Trail& trail);

 private:
  store::ReferenceStore* store_;
};

}  // namespace schakel::app

#endif  // SCHAKEL_SERVER_APP_REFERENCE_APP_H_
