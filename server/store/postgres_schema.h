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

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace schakel::store {

// The SQLite schema version that PostgresSchemaSql() corresponds to
// (LatestSchemaVersion(); the test asserts they are equal). Stored in the
// one row of table schema_version (PostgreSQL has no user_version).
inline constexpr int kPostgresSchemaVersion = 15;

// One DDL script that creates the whole schema in an empty database; the
// database owner runs it in one transaction. The database must compare text
// bytewise (LC_COLLATE C or C.UTF-8), as SQLite does: the script refuses
// any other collation.
absl::string_view PostgresSchemaSql();

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
