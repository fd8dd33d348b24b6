// The resident aggregate's store. All SQL of residents lives in
// resident_store.cc; what a caller may see is the Viewer's filter, applied
// in the query (visibility_sql.h).
#ifndef SCHAKEL_SERVER_STORE_RESIDENT_STORE_H_
#define SCHAKEL_SERVER_STORE_RESIDENT_STORE_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "server/domain/resident.h"
#include "server/store/create_requests.h"
#include "server/store/database.h"
#include "server/store/visibility_sql.h"

namespace schakel::store {

struct Registration {
  domain::Resident resident;  // id, create_time set by the caller
  std::string name_key;
  std::string organisation_id;
  std::string professional_id;
  bool register_anyway = false;
  CreateRequest request;
};

struct RegistrationResult {
  // Set when a record was created (or a retry found the first one).
  std::optional<domain::Resident> created;
  // Visible matches, when nothing was created.
  std::vector<domain::Resident> matches;
  // Whether this call created the record (not a replay of an earlier one).
  bool changed = false;
};

class ResidentStore {
 public:
  virtual ~ResidentStore() = default;
  // In one transaction: replays a known request id; else looks for
  // residents with the same name key and birth date. Matches the viewer
  // may read stop the registration unless register_anyway; any match marks
  // the new record as a possible duplicate. INVALID_ARGUMENT naming wijk
  // when the wijk is unknown.
  virtual absl::StatusOr<RegistrationResult> Register(const Registration& r,
                                                      const Viewer& viewer,
                                                      const CommitHook& audit) = 0;
  // NOT_FOUND unless it exists and the viewer may read it. A merged id
  // answers the record it was merged into.
  virtual absl::StatusOr<domain::Resident> Get(const std::string& id, const Viewer& viewer) = 0;
  virtual absl::StatusOr<std::vector<domain::Resident>> Find(const std::string& name_key,
                                                             const std::string& birth_date,
                                                             const Viewer& viewer) = 0;
  // (possible duplicate, the record it matched), oldest first.
  virtual absl::StatusOr<std::vector<std::pair<domain::Resident, domain::Resident>>>
  ListPossibleDuplicates() = 0;
  // Moves every signal, handover and registration of `merge_id` to
  // `keep_id` and retires `merge_id`. NOT_FOUND naming the field for an
  // unknown or already merged id.
  virtual absl::StatusOr<domain::Resident> Merge(const std::string& keep_id,
                                                 const std::string& merge_id,
                                                 const CommitHook& audit) = 0;
  // NOT_FOUND naming `field` unless the resident exists (whoever may read
  // it): for emergency access, which is about residents one cannot read.
  virtual absl::Status CheckExists(const std::string& field, const std::string& id) = 0;
};

class SqliteResidentStore final : public ResidentStore {
 public:
  explicit SqliteResidentStore(Database* db) : db_(db) {}
  absl::StatusOr<RegistrationResult> Register(const Registration& r, const Viewer& viewer,
                                              const CommitHook& audit) override;
  absl::StatusOr<domain::Resident> Get(const std::string& id, const Viewer& viewer) override;
  absl::StatusOr<std::vector<domain::Resident>> Find(const std::string& name_key,
                                                     const std::string& birth_date,
                                                     const Viewer& viewer) override;
  absl::StatusOr<std::vector<std::pair<domain::Resident, domain::Resident>>>
  ListPossibleDuplicates() override;
  absl::StatusOr<domain::Resident> Merge(const std::string& keep_id, const std::string& merge_id,
                                         const CommitHook& audit) override;
  absl::Status CheckExists(const std::string& field, const std::string& id) override;

 private:
  Database* db_;
};

// Inside a transaction: NOT_FOUND naming `field` unless the resident exists
// (not merged) and the viewer may read it. For other aggregates' stores.
absl::Status CheckResidentVisible(Connection& c, const std::string& field, const std::string& id,
                                  const Viewer& viewer);

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_RESIDENT_STORE_H_
