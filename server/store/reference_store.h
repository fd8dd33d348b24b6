// Reference data of the taxonomy (opgaven with their doelen, categories,
// wijken), read-only after seeding. All its SQL lives in
// reference_store.cc. The fixed vocabularies are no tables: they are
// domain code (domain/reference.h).
#ifndef SCHAKEL_SERVER_STORE_REFERENCE_STORE_H_
#define SCHAKEL_SERVER_STORE_REFERENCE_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/domain/reference.h"
#include "server/domain/seed.h"
#include "server/store/database.h"

namespace schakel::store {

class ReferenceStore {
 public:
  virtual ~ReferenceStore() = default;
  virtual absl::StatusOr<std::optional<domain::SignalCategory>> FindCategory(
      const std::string& code) = 0;
  // The categories ordered by code: of one opgave, or all (empty).
  virtual absl::StatusOr<std::vector<domain::SignalCategory>> ListCategories(
      const std::string& opgave) = 0;
  // The wijken ordered by code.
  virtual absl::StatusOr<std::vector<domain::Wijk>> ListWijken() = 0;
  // The opgaven ordered by code, each with its doelen ordered by number.
  virtual absl::StatusOr<std::vector<domain::OpgaveWithDoelen>> ListOpgaven() = 0;
};

class SqliteReferenceStore final : public ReferenceStore {
 public:
  explicit SqliteReferenceStore(Database* db) : db_(db) {}
  absl::StatusOr<std::optional<domain::SignalCategory>> FindCategory(
      const std::string& code) override;
  absl::StatusOr<std::vector<domain::SignalCategory>> ListCategories(
      const std::string& opgave) override;
  absl::StatusOr<std::vector<domain::Wijk>> ListWijken() override;
  absl::StatusOr<std::vector<domain::OpgaveWithDoelen>> ListOpgaven() override;

 private:
  Database* db_;
};

// Inside a transaction: INVALID_ARGUMENT naming `field` unless `code` is a
// known wijk.
absl::Status CheckWijk(Connection& c, const std::string& field, const std::string& code);
// Inside a transaction: NOT_FOUND naming `field` unless the organisation
// exists.
absl::Status CheckOrganisation(Connection& c, const std::string& field, const std::string& id);
// Inside a transaction: the team of `organisation_id` a relation goes to —
// `team` when the organisation has it (NOT_FOUND naming `field` otherwise),
// else its intake team (NOT_FOUND naming `organisation_field` for an
// unknown organisation).
absl::StatusOr<std::string> ResolveTeam(Connection& c, const std::string& organisation_field,
                                        const std::string& organisation_id,
                                        const std::string& field, const std::string& team);

domain::Sensitivity ParseSensitivity(const std::string& name);

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_REFERENCE_STORE_H_
