// The rows of dual control and enrollment: grants and enrollment_codes
// (migration 9). Part of the directory aggregate: SqliteDirectoryStore
// opens the transactions, these read and write the rows inside them.
#ifndef SCHAKEL_SERVER_STORE_GRANT_ROWS_H_
#define SCHAKEL_SERVER_STORE_GRANT_ROWS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/domain/grant.h"
#include "server/store/database.h"

namespace schakel::store {

absl::Status InsertGrant(Connection& c, const domain::Grant& grant);
absl::StatusOr<std::optional<domain::Grant>> ReadGrant(Connection& c, const std::string& id);
// Grants oldest request first, at most `limit`: all, or those of one
// professional (non-empty `professional_id`), or only pending ones.
absl::StatusOr<std::vector<domain::Grant>> ReadGrants(Connection& c, bool pending_only,
                                                      const std::string& professional_id,
                                                      int limit);
// The roles of a professional's pending grants, sorted, no duplicates.
absl::StatusOr<std::vector<domain::Role>> ReadPendingRoles(Connection& c,
                                                           const std::string& professional_id);
// Sets the decision of a grant that is still pending; FAILED_PRECONDITION
// when it was decided meanwhile (another administrator was faster).
absl::Status DecideGrantRow(Connection& c, const domain::Grant& decided);

// One enrollment code, as stored (its hash only).
struct EnrollmentCodeRow {
  std::string code_hash;
  std::string professional_id;
  absl::Time create_time;
  absl::Time expire_time;
  std::optional<absl::Time> use_time;
};

absl::Status InsertEnrollmentCode(Connection& c, const EnrollmentCodeRow& row);
absl::StatusOr<std::optional<EnrollmentCodeRow>> ReadEnrollmentCode(Connection& c,
                                                                    const std::string& code_hash);
// Marks the code used at `now` if it is unused and unexpired then;
// FAILED_PRECONDITION otherwise (used or expired meanwhile).
absl::Status UseEnrollmentCode(Connection& c, const std::string& code_hash, absl::Time now);

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_GRANT_ROWS_H_
