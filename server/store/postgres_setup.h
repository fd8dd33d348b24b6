// What the database owner does once for a deployment on PostgreSQL (from
// `schakel-admin init --postgresql`), and the connection strings that
// follow from it. The owner's connection is used here only; schakeld
// connects as the service role.
//
// In one transaction: the two login roles (passwords sent as SCRAM
// verifiers only, never in clear), CONNECT on the database for them only
// (not PUBLIC), the schema owned by the maintenance role, the grants (postgres_schema.h: the service role can never change or
// delete audit entries), and the wrapped field keys. A failure leaves
// nothing; DropPostgresDeployment undoes a finished one (init failing
// later). And what the maintenance role does at an upgrade: the schema's
// migration.
#ifndef SCHAKEL_SERVER_STORE_POSTGRES_SETUP_H_
#define SCHAKEL_SERVER_STORE_POSTGRES_SETUP_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/store/field_key_store.h"
#include "server/store/postgres_schema.h"

namespace schakel::store {

struct PostgresRoles {
  std::string service;
  std::string maintenance;
};

// The roles of the deployment in database `dbname`: "<db>_service" and
// "<db>_maintenance", with `dbname` lower-cased and every character outside
// [a-z0-9_] made '_' (role names are global to the cluster; database names
// are unique in it). INVALID_ARGUMENT when `dbname` is empty or longer
// than 40 characters.
absl::StatusOr<PostgresRoles> RolesForDatabase(absl::string_view dbname);

// The value of `keyword` in a libpq connection string ("" when unset, the
// default applying); INVALID_ARGUMENT "conninfo: ..." when it does not parse.
absl::StatusOr<std::string> ConninfoValue(const std::string& conninfo, const char* keyword);

// `conninfo` with user `user`, no password, and `passfile` (a pgpass file
// holding the password): the connection string a deployment's config keeps.
absl::StatusOr<std::string> ConninfoAs(const std::string& conninfo, const std::string& user,
                                       const std::string& passfile);

struct PostgresSetup {
  std::string owner_conninfo;
  PostgresRoles roles;
  std::string service_password;
  std::string maintenance_password;
  std::vector<FieldKeyRow> field_keys;
  // The schema version to make: this schakel's, or an older one as an
  // older release made it (for tests of MigratePostgresSchema).
  int schema_version = kPostgresSchemaVersion;
};

// ALREADY_EXISTS when the database already has a table in schema public,
// or a role of that name exists; FAILED_PRECONDITION when it does not
// compare text bytewise (LC_COLLATE must be C or C.UTF-8); UNAVAILABLE when
// the owner cannot connect; INTERNAL otherwise (the server's message in
// the log only).
absl::Status CreatePostgresDeployment(const PostgresSetup& setup);

// Drops everything the roles own and the roles themselves.
absl::Status DropPostgresDeployment(const std::string& owner_conninfo, const PostgresRoles& roles);

struct PostgresMigrated {
  int from = 0;
  int to = 0;  // == from: the schema was this schakel's already
};

// What an upgrade of schakel does before its first start
// (`schakel-admin migrate`): as the maintenance role, the schema's owner,
// the steps of PostgresMigrations() from the database's version on, with
// the service role's grants on what they make, in one transaction that
// holds table schema_version exclusively (a schakeld starting meanwhile
// reads the old version or the new, never a half-made schema, and
// refuses the old; a second migrate finds it done).
// FAILED_PRECONDITION, changing nothing, while a session of `service_role`
// is open to the database (a schakeld of the old release serving; stop
// every instance first), or when the schema is newer than this schakel's
// or older than the first; UNAVAILABLE when it cannot connect; INTERNAL
// otherwise (the server's message in the log only).
absl::StatusOr<PostgresMigrated> MigratePostgresSchema(const std::string& maintenance_conninfo,
                                                      const std::string& service_role);

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_POSTGRES_SETUP_H_
