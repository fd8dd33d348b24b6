#include "server/store/postgres_setup.h"

#include <libpq-fe.h>

#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "server/common/log.h"
#include "server/common/status_macros.h"
#include "server/store/postgres_database.h"
#include "server/store/postgres_schema.h"

namespace schakel::store {
namespace {

using ConnPtr = std::unique_ptr<PGconn, decltype(&PQfinish)>;
using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;
using OptionsPtr = std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)>;

absl::StatusOr<OptionsPtr> Parse(const std::string& conninfo) {
  char* error = nullptr;
  OptionsPtr options(PQconninfoParse(conninfo.c_str(), &error), &PQconninfoFree);
  if (options == nullptr) {
    // libpq's message quotes the offending part, which may hold a password.
    if (error != nullptr) PQfreemem(error);
    return absl::InvalidArgumentError("conninfo: not a valid libpq connection string");
  }
  return options;
}

// A libpq keyword=value string: values single-quoted, \ and ' escaped.
std::string Quote(absl::string_view v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\\' || c == '\'') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

absl::StatusOr<ConnPtr> ConnectAs(const std::string& conninfo, absl::string_view who) {
  ConnPtr conn(PQconnectdb(conninfo.c_str()), &PQfinish);
  if (conn == nullptr || PQstatus(conn.get()) != CONNECTION_OK) {
    LogError(absl::StrCat("postgresql: ", who, " connect: ",
                          conn == nullptr ? "out of memory" : PQerrorMessage(conn.get())));
    return absl::UnavailableError(absl::StrCat("connect to PostgreSQL as the ", who,
                                               ": database unavailable (see the log)"));
  }
  PQsetNoticeProcessor(conn.get(), [](void*, const char*) {}, nullptr);
  return conn;
}

// Runs `sql` (one or more statements without parameters); the first column
// of the first row, or "".
absl::StatusOr<std::string> Run(PGconn* conn, const std::string& sql, absl::string_view what) {
  ResultPtr r(PQexec(conn, sql.c_str()), &PQclear);
  const ExecStatusType st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    const char* state = r ? PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) : nullptr;
    LogError(absl::StrCat("postgresql: ", what, ": ", state == nullptr ? "" : state, " ",
                          r ? PQresultErrorMessage(r.get()) : PQerrorMessage(conn)));
    if (state != nullptr && absl::string_view(state) == "P0001") {
      // The schema script's own refusal (RAISE EXCEPTION): its message is ours.
      return absl::FailedPreconditionError(
          absl::StrCat(what, ": ", absl::StripAsciiWhitespace(PQresultErrorField(
                                       r.get(), PG_DIAG_MESSAGE_PRIMARY))));
    }
    return PostgresStatus(PQstatus(conn) == CONNECTION_OK && state != nullptr ? state : "", what);
  }
  if (st == PGRES_TUPLES_OK && PQntuples(r.get()) > 0 && PQnfields(r.get()) > 0) {
    return std::string(PQgetvalue(r.get(), 0, 0));
  }
  return std::string();
}

std::string Literal(PGconn* conn, absl::string_view v) {
  char* quoted = PQescapeLiteral(conn, v.data(), v.size());
  std::string out = quoted == nullptr ? "''" : quoted;
  if (quoted != nullptr) PQfreemem(quoted);
  return out;
}

std::string Identifier(PGconn* conn, absl::string_view v) {
  char* quoted = PQescapeIdentifier(conn, v.data(), v.size());
  std::string out = quoted == nullptr ? "\"\"" : quoted;
  if (quoted != nullptr) PQfreemem(quoted);
  return out;
}

// CREATE ROLE with the SCRAM verifier of `password`, made here: the
// password itself never reaches the server (nor its statement log).
absl::StatusOr<std::string> CreateRole(PGconn* conn, const std::string& role,
                                       const std::string& password) {
  char* verifier = PQencryptPasswordConn(conn, password.c_str(), role.c_str(), "scram-sha-256");
  if (verifier == nullptr) return absl::InternalError("cannot make the role's password verifier");
  std::string sql = absl::StrCat("CREATE ROLE ", Identifier(conn, role),
                                 " LOGIN NOINHERIT PASSWORD ", Literal(conn, verifier), ";");
  PQfreemem(verifier);
  return sql;
}

}  // namespace

absl::StatusOr<PostgresRoles> RolesForDatabase(absl::string_view dbname) {
  if (dbname.empty() || dbname.size() > 40) {
    return absl::InvalidArgumentError("dbname: must be 1 to 40 characters");
  }
  std::string base;
  for (char c : dbname) {
    char l = absl::ascii_tolower(static_cast<unsigned char>(c));
    base.push_back(absl::ascii_isalnum(static_cast<unsigned char>(l)) || l == '_' ? l : '_');
  }
  if (absl::ascii_isdigit(static_cast<unsigned char>(base[0]))) base.insert(0, "_");
  return PostgresRoles{absl::StrCat(base, "_service"), absl::StrCat(base, "_maintenance")};
}

absl::StatusOr<std::string> ConninfoValue(const std::string& conninfo, const char* keyword) {
  ASSIGN_OR_RETURN(OptionsPtr options, Parse(conninfo));
  for (PQconninfoOption* o = options.get(); o->keyword != nullptr; ++o) {
    if (absl::string_view(o->keyword) == keyword) return std::string(o->val ? o->val : "");
  }
  return std::string();
}

absl::StatusOr<std::string> ConninfoAs(const std::string& conninfo, const std::string& user,
                                       const std::string& passfile) {
  ASSIGN_OR_RETURN(OptionsPtr options, Parse(conninfo));
  std::string out;
  for (PQconninfoOption* o = options.get(); o->keyword != nullptr; ++o) {
    const absl::string_view k = o->keyword;
    if (o->val == nullptr || k == "user" || k == "password" || k == "passfile") continue;
    absl::StrAppend(&out, k, "=", Quote(o->val), " ");
  }
  absl::StrAppend(&out, "user=", Quote(user), " passfile=", Quote(passfile));
  return out;
}

absl::Status CreatePostgresDeployment(const PostgresSetup& setup) {
  ASSIGN_OR_RETURN(ConnPtr conn, ConnectAs(setup.owner_conninfo, "owner"));
  PGconn* c = conn.get();
  ASSIGN_OR_RETURN(std::string tables,
                   Run(c, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
                       "look for tables"));
  if (tables != "0") {
    return absl::AlreadyExistsError(
        "the database already holds tables; init makes a deployment only in an empty database");
  }
  ASSIGN_OR_RETURN(
      std::string roles,
      Run(c, absl::StrCat("SELECT count(*) FROM pg_roles WHERE rolname IN (",
                          Literal(c, setup.roles.service), ", ", Literal(c, setup.roles.maintenance),
                          ")"),
          "look for roles"));
  if (roles != "0") {
    return absl::AlreadyExistsError(absl::StrCat("the role ", setup.roles.service, " or ",
                                                 setup.roles.maintenance, " exists already"));
  }
  ASSIGN_OR_RETURN(std::string grants,
                   PostgresGrantsSql(setup.roles.service, setup.roles.maintenance));
  ASSIGN_OR_RETURN(std::string service, CreateRole(c, setup.roles.service, setup.service_password));
  ASSIGN_OR_RETURN(std::string maintenance,
                   CreateRole(c, setup.roles.maintenance, setup.maintenance_password));
  const std::string maint = Identifier(c, setup.roles.maintenance);
  ASSIGN_OR_RETURN(std::string dbname, Run(c, "SELECT current_database()", "name the database"));
  const std::string db = Identifier(c, dbname);
  const std::string service_role_ident = Identifier(c, setup.roles.service);
  std::string keys;
  for (const FieldKeyRow& k : setup.field_keys) {
    absl::StrAppend(&keys, "INSERT INTO field_keys (id, wrapped, create_time) VALUES (", k.id, ", ",
                    Literal(c, k.wrapped), ", ", absl::ToUnixMicros(k.create_time), ");");
  }
  // The maintenance role owns the schema (and keeps CREATE on it, for
  // later migrations): the owner of the database sets up, then needs no
  // part in running it.
  const std::string script = absl::StrCat(
      "BEGIN;", service, maintenance, "GRANT ", maint, " TO CURRENT_USER;",
      // Only the deployment's roles connect: another role of the cluster
      // could otherwise LISTEN to which professionals get notifications
      // (instance_wakeups.h), or make temporary tables.
      "REVOKE CONNECT, TEMPORARY ON DATABASE ", db, " FROM PUBLIC;",
      "GRANT CONNECT ON DATABASE ", db, " TO ", service_role_ident, ", ", maint, ";",
      "GRANT USAGE, CREATE ON SCHEMA public TO ", maint, ";", "SET LOCAL ROLE ", maint, ";",
      PostgresSchemaSql(setup.schema_version), ";", grants, ";", keys, "RESET ROLE;", "COMMIT;");
  absl::StatusOr<std::string> done = Run(c, script, "create the schema");
  if (!done.ok()) {
    Run(c, "ROLLBACK", "roll back").IgnoreError();
    return done.status();
  }
  return absl::OkStatus();
}

absl::Status DropPostgresDeployment(const std::string& owner_conninfo, const PostgresRoles& roles) {
  ASSIGN_OR_RETURN(ConnPtr conn, ConnectAs(owner_conninfo, "owner"));
  PGconn* c = conn.get();
  const std::string service = Identifier(c, roles.service);
  const std::string maint = Identifier(c, roles.maintenance);
  return Run(c,
             absl::StrCat("BEGIN; DROP OWNED BY ", service, ", ", maint, " CASCADE; DROP ROLE ",
                          service, "; DROP ROLE ", maint, "; COMMIT;"),
             "drop the deployment")
      .status();
}

absl::StatusOr<PostgresMigrated> MigratePostgresSchema(const std::string& maintenance_conninfo,
                                                      const std::string& service_role) {
  ASSIGN_OR_RETURN(ConnPtr conn, ConnectAs(maintenance_conninfo, "maintenance role"));
  PGconn* c = conn.get();
  absl::StatusOr<PostgresMigrated> result = [&]() -> absl::StatusOr<PostgresMigrated> {
    RETURN_IF_ERROR(Run(c, "BEGIN; LOCK TABLE schema_version IN ACCESS EXCLUSIVE MODE",
                        "lock the schema version")
                        .status());
    ASSIGN_OR_RETURN(std::string version,
                     Run(c, "SELECT version FROM schema_version", "read the schema version"));
    PostgresMigrated out;
    if (!absl::SimpleAtoi(version, &out.from)) {
      return absl::FailedPreconditionError("the schema version row is missing or not a number");
    }
    RETURN_IF_ERROR(RefuseNewerPostgresSchema(out.from));
    if (out.from < kPostgresFirstVersion) {
      return absl::FailedPreconditionError(
          absl::StrCat("the PostgreSQL schema is version ", out.from, ", older than the first (",
                       kPostgresFirstVersion, ")"));
    }
    if (out.from == kPostgresSchemaVersion) {
      out.to = out.from;
      RETURN_IF_ERROR(Run(c, "ROLLBACK", "end the read").status());
      return out;
    }
    // Under the lock: a schakeld connecting from now on cannot read the
    // version until this transaction ends (and then refuses the old one),
    // so the count cannot miss one that serves the old schema.
    ASSIGN_OR_RETURN(std::string sessions,
                     Run(c,
                         absl::StrCat("SELECT count(*) FROM pg_stat_activity WHERE datname ="
                                      " current_database() AND usename = ",
                                      Literal(c, service_role)),
                         "count the service role's sessions"));
    if (sessions != "0") {
      return absl::FailedPreconditionError(absl::StrCat(
          sessions, " session(s) of ", service_role,
          " are open to the database: stop every schakeld instance first, then migrate"));
    }
    const std::string service = Identifier(c, service_role);
    std::string script;
    for (const PostgresMigration& step : PostgresMigrations()) {
      if (step.version <= out.from) continue;
      absl::StrAppend(&script, step.ddl,
                      absl::StrReplaceAll(step.grants, {{"@SERVICE@", service}}));
    }
    out.to = kPostgresSchemaVersion;
    absl::StrAppend(&script, "UPDATE schema_version SET version = ", out.to, ";");
    RETURN_IF_ERROR(Run(c, script, "migrate the schema").status());
    RETURN_IF_ERROR(Run(c, "COMMIT", "commit the migration").status());
    return out;
  }();
  if (!result.ok()) Run(c, "ROLLBACK", "roll back").IgnoreError();
  return result;
}

}  // namespace schakel::store
