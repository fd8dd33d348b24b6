// The display names of professionals, organisations and residents that a
// response names (domain/names.h). Reads across the directory and the
// resident aggregate, like the reference checks in reference_store.h.
#ifndef SCHAKEL_SERVER_STORE_NAME_ROWS_H_
#define SCHAKEL_SERVER_STORE_NAME_ROWS_H_

#include "absl/status/statusor.h"
#include "server/auth/access_sql.h"
#include "server/domain/names.h"
#include "server/store/database.h"

namespace schakel::store {

// Inside a read or a unit of work: the names of `request`'s ids. A
// resident's name only when the scope may read that resident
// (auth::ResidentVisibleSql), an erased or merged one never.
absl::StatusOr<domain::Names> ReadNames(Connection& c, const domain::NameRequest& request,
                                        const auth::ListScope& scope);

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_NAME_ROWS_H_
