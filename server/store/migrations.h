// Numbered schema migrations, applied at start.
#ifndef SCHAKEL_SERVER_STORE_MIGRATIONS_H_
#define SCHAKEL_SERVER_STORE_MIGRATIONS_H_

#include "absl/status/status.h"
#include "server/store/database.h"

namespace schakel::store {

// The schema version this binary expects.
int LatestSchemaVersion();

// Applies every migration above the database's user_version, each in its own
// transaction together with the new user_version, so a crash leaves the
// schema at a whole version. Running it again changes nothing. A database of
// a newer schema than this binary knows is FAILED_PRECONDITION.
absl::Status ApplyMigrations(Database& db);
// The same, up to schema version `up_to` only (tests of a migration over the
// rows of an older schema).
absl::Status ApplyMigrations(Database& db, int up_to);

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_MIGRATIONS_H_
