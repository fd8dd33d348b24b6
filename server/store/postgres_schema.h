// The PostgreSQL 15 schema of the store: the same tables, columns, keys,
// constraints, indexes and triggers that the SQLite migrations
// (migrations.cc) leave behind at LatestSchemaVersion(), written once for a
// new database, and the grants of the two roles that use it.
//
// Where it differs from SQLite, and why, is said in the SQL itself
// (postgres_schema.cc). tests/integration/postgres_schema_test.cc compares
// the two schemas.
#ifndef SCHAKEL_SERVER_STORE_POSTGRES_SCHEMA_H_
#define SCHAKEL_SERVER_STORE_POSTGRES_SCHEMA_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace schakel::store {

// The PostgreSQL schema has its own versions, kept in the one row of table
// schema_version (PostgreSQL has no user_version). The first, 15, held the
// tables of SQLite's migrations 1 to 15; each later version is one step of
// PostgresMigrations(). A change of the SQLite schema (migrations.cc) is
// such a step too, and raises kPostgresSqliteVersion with it.
inline constexpr int kPostgresFirstVersion = 15;
// The version this schakel makes, migrates to and serves.
inline constexpr int kPostgresSchemaVersion = 16;
// The SQLite schema version (LatestSchemaVersion()) whose tables, columns,
// keys and indexes kPostgresSchemaVersion holds; postgres_schema_test.cc
// compares the two.
inline constexpr int kPostgresSqliteVersion = 15;

// FAILED_PRECONDITION when a database's schema `version` is newer than
// this schakel's: neither schakeld nor migrate touches it.
absl::Status RefuseNewerPostgresSchema(int version);

// One step from version - 1 to `version`. `ddl` runs as the schema's owner
// (the maintenance role), `grants` after it gives the service role what
// PostgresGrantsSql would have given on what `ddl` made ("@SERVICE@" is
// the service role's name, quoted).
struct PostgresMigration {
  int version;
  absl::string_view ddl;
  absl::string_view grants;
};
// Every step after kPostgresFirstVersion, in order, contiguous, the last
// one to kPostgresSchemaVersion.
const std::vector<PostgresMigration>& PostgresMigrations();

// One DDL script that creates the whole schema at `version` (a test makes
// an older one, as an older release did) in an empty database: the first
// schema and then each step, so that a new database and a migrated one
// are made the same way. The database owner runs it in one transaction.
// The database must compare text bytewise (LC_COLLATE C or C.UTF-8), as
// SQLite does: the script refuses any other collation.
std::string PostgresSchemaSql(int version = kPostgresSchemaVersion);

// The SQL the database owner runs after PostgresSchemaSql(), when both roles
// exist: what `service_role` (schakeld) and `maintenance_role` (retention of
// the audit log, repairs) may do. The service role cannot change or delete
// audit entries. INVALID_ARGUMENT, naming the argument, unless each name
// matches [a-z_][a-z0-9_]{0,62} (and is not "public" nor "pg_..."), or when
// both are the same.
absl::StatusOr<std::string> PostgresGrantsSql(absl::string_view service_role,
                                              absl::string_view maintenance_role);

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_POSTGRES_SCHEMA_H_
