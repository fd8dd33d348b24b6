// The resident aggregate's store. All SQL of residents lives in
// resident_store.cc; what a caller may see is the access module's predicate,
// applied in the query (server/auth/access_sql.h).
#ifndef SCHAKEL_SERVER_STORE_RESIDENT_STORE_H_
#define SCHAKEL_SERVER_STORE_RESIDENT_STORE_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "server/domain/directory.h"
#include "server/domain/resident.h"
#include "server/store/create_requests.h"
#include "server/store/database.h"
#include "server/store/scope_binding.h"

namespace schakel::store {

// What a registration's duplicate check finds: residents with the same name
// key and birth date.
struct RegistrationMatches {
  // The oldest match, whoever may read it: the new record is marked as its
  // possible duplicate (for the regisseur), the caller learns nothing of it.
  std::string first_id;
  // The matches the scope may read.
  std::vector<domain::Resident> visible;
};

// The store runs no rule of its own: which residents a caller sees is the
// access module's predicate (auth::ResidentVisibleSql); what a
// registration or a merge may do is the use case's decision. The steps
// taking a Connection run inside the use case's unit of work.
class ResidentStore {
 public:
  virtual ~ResidentStore() = default;
  // NOT_FOUND unless it exists and the scope may read it. A merged id
  // answers the record it was merged into.
  virtual absl::StatusOr<domain::Resident> Get(const std::string& id,
                                               const auth::ListScope& scope) = 0;
  // The residents of `search` the scope may read, by name, at most
  // `limit`: the rows of that birth date and/or with that part of the
  // address, narrowed by the index, the name matched here
  // (domain::NameMatches); a resident the scope may not read is never
  // read beyond the predicate.
  virtual absl::StatusOr<std::vector<domain::Resident>> Search(const domain::ResidentSearch& search,
                                                               const auth::ListScope& scope,
                                                               int limit) = 0;
  // (possible duplicate, the record it matched), oldest first.
  virtual absl::StatusOr<std::vector<std::pair<domain::Resident, domain::Resident>>>
  ListPossibleDuplicates() = 0;
  // NOT_FOUND naming `field` unless the resident exists (whoever may read
  // it): for emergency access, which is about residents one cannot read.
  virtual absl::Status CheckExists(const std::string& field, const std::string& id) = 0;

  // --- Inside a unit of work ---
  // The resident when it exists and the scope may read it (a merged id:
  // the record it was merged into); nullopt otherwise.
  virtual absl::StatusOr<std::optional<domain::Resident>> Find(Connection& c,
                                                               const std::string& id,
                                                               const auth::ListScope& scope) = 0;
  virtual absl::StatusOr<RegistrationMatches> Matches(Connection& c, const std::string& name_key,
                                                      absl::CivilDay birth_date,
                                                      const auth::ListScope& scope) = 0;
  // Inserts the resident, registered by `professional_id` for
  // `registering_team`, marked as a possible duplicate of `duplicate_of`
  // (may be empty).
  virtual absl::Status Insert(Connection& c, const domain::Resident& resident,
                              const std::string& name_key, const std::string& duplicate_of,
                              const domain::TeamRef& registering_team,
                              const std::string& professional_id) = 0;
  // Moves every signal, handover and registration of `merge_id` to
  // `keep_id` and retires `merge_id` (its personal data cleared). NOT_FOUND
  // naming the field for an unknown or already merged id.
  virtual absl::Status Merge(Connection& c, const std::string& keep_id,
                             const std::string& merge_id) = 0;
};

class SqliteResidentStore final : public ResidentStore {
 public:
  explicit SqliteResidentStore(Database* db) : db_(db) {}
  absl::StatusOr<domain::Resident> Get(const std::string& id,
                                       const auth::ListScope& scope) override;
  absl::StatusOr<std::vector<domain::Resident>> Search(const domain::ResidentSearch& search,
                                                       const auth::ListScope& scope,
                                                       int limit) override;
  absl::StatusOr<std::vector<std::pair<domain::Resident, domain::Resident>>>
  ListPossibleDuplicates() override;
  absl::Status CheckExists(const std::string& field, const std::string& id) override;
  absl::StatusOr<std::optional<domain::Resident>> Find(Connection& c, const std::string& id,
                                                       const auth::ListScope& scope) override;
  absl::StatusOr<RegistrationMatches> Matches(Connection& c, const std::string& name_key,
                                              absl::CivilDay birth_date,
                                              const auth::ListScope& scope) override;
  absl::Status Insert(Connection& c, const domain::Resident& resident,
                      const std::string& name_key, const std::string& duplicate_of,
                      const domain::TeamRef& registering_team,
                      const std::string& professional_id) override;
  absl::Status Merge(Connection& c, const std::string& keep_id,
                     const std::string& merge_id) override;

 private:
  // Search where names and addresses are sealed (PostgreSQL): by the birth
  // date's blind index, the rest matched on the opened values.
  absl::StatusOr<std::vector<domain::Resident>> SearchSealed(const domain::ResidentSearch& search,
                                                             const auth::ListScope& scope,
                                                             int limit);
  Database* db_;
};

// The resident's row as every writer of residents makes it (the store, the
// seed): name, birth date and address sealed where the engine seals, with
// the blind indexes of (name key, birth date) and of the birth date; the
// name key and the folded address in the clear elsewhere.
absl::Status InsertResidentRow(Connection& c, const domain::Resident& resident,
                               const std::string& name_key, const std::string& duplicate_of);
// After a rectification of the name or the birth date: the keys it is
// found by.
absl::Status SetResidentNameKeys(Connection& c, const std::string& id, const std::string& name_key,
                                 absl::CivilDay birth_date);

// Inside a transaction: NOT_FOUND naming `field` unless the resident exists
// (not merged) and the viewer may read it. For other aggregates' stores.
absl::Status CheckResidentVisible(Connection& c, const std::string& field, const std::string& id,
                                  const auth::ListScope& viewer);

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_RESIDENT_STORE_H_
