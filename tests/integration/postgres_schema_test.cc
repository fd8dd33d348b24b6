// The PostgreSQL schema (store/postgres_schema.h) against the schema the
// SQLite migrations leave behind: the same tables, columns, keys and
// indexes, triggers that write the same rows, SQLite's instr, and grants
// under which the service role cannot change the audit log.
#include "server/store/postgres_schema.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/store/database.h"
#include "server/store/sqlite_database.h"
#include "server/store/migrations.h"
#include "server/store/postgres_setup.h"
#include "tests/support/postgres.h"
#include "tests/support/test_support.h"

namespace schakel::testing {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

using PgConnPtr = std::unique_ptr<PGconn, decltype(&PQfinish)>;
using PgResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;
// A row of text values; std::nullopt is NULL.
using Row = std::vector<std::optional<std::string>>;

constexpr char kNull[] = "<null>";

PgConnPtr Connect(const std::string& conninfo) {
  return PgConnPtr(PQconnectdb(conninfo.c_str()), &PQfinish);
}

// Runs `sql` (one or more statements, or one with `params`) and answers its
// rows; a refused statement is INVALID_ARGUMENT with the SQLSTATE first.
absl::StatusOr<std::vector<Row>> PgRows(PGconn* conn, const std::string& sql,
                                        const std::vector<std::optional<std::string>>& params = {}) {
  std::vector<const char*> values;
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  PgResultPtr res(params.empty() ? PQexec(conn, sql.c_str())
                                 : PQexecParams(conn, sql.c_str(), static_cast<int>(values.size()),
                                                nullptr, values.data(), nullptr, nullptr, 0),
                  &PQclear);
  const ExecStatusType st = PQresultStatus(res.get());
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    const char* state = PQresultErrorField(res.get(), PG_DIAG_SQLSTATE);
    return absl::InvalidArgumentError(absl::StrCat(state ? state : "?????", " ",
                                                   PQerrorMessage(conn), " in: ", sql));
  }
  std::vector<Row> rows;
  for (int r = 0; r < PQntuples(res.get()); ++r) {
    Row row;
    for (int c = 0; c < PQnfields(res.get()); ++c) {
      if (PQgetisnull(res.get(), r, c)) {
        row.push_back(std::nullopt);
      } else {
        row.push_back(std::string(PQgetvalue(res.get(), r, c)));
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

absl::Status PgExec(PGconn* conn, const std::string& sql) { return PgRows(conn, sql).status(); }

// The SQLSTATE of a refused statement ("" when it succeeded).
std::string PgState(PGconn* conn, const std::string& sql) {
  absl::Status s = PgExec(conn, sql);
  return s.ok() ? "" : std::string(s.message().substr(0, 5));
}

// One row's values joined with '|' (NULL as <null>), for comparisons.
std::string Joined(const Row& row) {
  std::vector<std::string> parts;
  for (const auto& v : row) parts.push_back(v ? *v : kNull);
  return absl::StrJoin(parts, "|");
}

// A SQLite database with every migration applied.
class SqliteSchema {
 public:
  SqliteSchema() {
    auto db = store::SqliteDatabase::Open(dir_.File("schema.db"), std::string(32, '\x5a'),
                                    /*create=*/true);
    EXPECT_THAT(db, IsOk());
    if (!db.ok()) return;
    db_ = std::move(*db);
    EXPECT_THAT(store::ApplyMigrations(*db_), IsOk());
  }
  bool ok() const { return db_ != nullptr; }
  store::Database& db() { return *db_; }

  // The rows of `sql`, `columns` values each (text; NULL as std::nullopt).
  std::vector<Row> Rows(int columns, const std::string& sql,
                        const std::vector<std::optional<std::string>>& params = {}) {
    std::vector<Row> rows;
    absl::Status s = db_->Read([&](store::Connection& c) -> absl::Status {
      absl::StatusOr<store::Statement> st = c.Prepare(sql, "test query");
      if (!st.ok()) return st.status();
      for (size_t i = 0; i < params.size(); ++i) {
        if (params[i]) {
          st->Bind(static_cast<int>(i + 1), *params[i]);
        } else {
          st->BindNull(static_cast<int>(i + 1));
        }
      }
      for (;;) {
        absl::StatusOr<bool> more = st->Step();
        if (!more.ok()) return more.status();
        if (!*more) break;
        Row row;
        for (int col = 0; col < columns; ++col) {
          if (st->ColumnIsNull(col)) {
            row.push_back(std::nullopt);
          } else {
            row.push_back(st->ColumnText(col));
          }
        }
        rows.push_back(std::move(row));
      }
      return absl::OkStatus();
    });
    EXPECT_THAT(s, IsOk()) << sql;
    return rows;
  }

  absl::Status Exec(const std::string& sql) {
    return db_->Write([&](store::Connection& c) { return c.Exec(sql, "test statements"); });
  }

 private:
  TempDir dir_;
  std::unique_ptr<store::Database> db_;
};

// A new database on the shared cluster with the schema in it, and the
// owner's connection to it.
struct PgSchema {
  std::string name;
  PgConnPtr conn{nullptr, &PQfinish};
};

absl::StatusOr<PgSchema> NewPgSchema(const std::string& prefix) {
  TestPostgres& pg = SharedTestPostgres();
  absl::StatusOr<std::string> db = pg.CreateUniqueDatabase(prefix);
  if (!db.ok()) return db.status();
  PgSchema out;
  out.name = *db;
  out.conn = Connect(pg.owner_conninfo(*db));
  if (PQstatus(out.conn.get()) != CONNECTION_OK) {
    return absl::UnavailableError(PQerrorMessage(out.conn.get()));
  }
  // As the owner runs it: in one transaction.
  const std::string script =
      absl::StrCat("BEGIN;\n", store::PostgresSchemaSql(), "\nCOMMIT;");
  absl::Status s = PgExec(out.conn.get(), script);
  if (!s.ok()) {
    (void)PgExec(out.conn.get(), "ROLLBACK");
    return s;
  }
  return out;
}

struct Column {
  std::string name;
  bool not_null;
  std::string type;  // "integer" or "text"
  std::string default_value;  // as written; "" when none
  bool operator==(const Column& o) const {
    return name == o.name && not_null == o.not_null && type == o.type &&
           default_value == o.default_value;
  }
};

std::ostream& operator<<(std::ostream& os, const Column& c) {
  return os << c.name << " " << c.type << (c.not_null ? " NOT NULL" : "")
            << (c.default_value.empty() ? "" : " DEFAULT " + c.default_value);
}

using Tables = std::map<std::string, std::vector<Column>>;

std::string TypeClass(std::string declared) {
  if (declared == "INTEGER" || declared == "bigint") return "integer";
  if (declared == "TEXT" || declared == "text") return "text";
  return "other:" + declared;
}

Tables SqliteTables(SqliteSchema& lite) {
  Tables out;
  for (const Row& t : lite.Rows(1, "SELECT name FROM sqlite_master WHERE type = 'table'"
                                " AND name <> 'sqlite_sequence' ORDER BY name")) {
    std::vector<Column>& cols = out[*t[0]];
    for (const Row& c : lite.Rows(6, absl::StrCat("PRAGMA table_info(", *t[0], ")"))) {
      // cid, name, type, notnull, dflt_value, pk. A primary key column is
      // NOT NULL on PostgreSQL; SQLite's rowid tables would take a NULL in
      // a text one (a quirk the store never uses).
      cols.push_back(Column{*c[1], *c[3] == "1" || *c[5] != "0", TypeClass(*c[2]),
                            c[4].value_or("")});
    }
  }
  return out;
}

Tables PgTables(PGconn* conn) {
  Tables out;
  absl::StatusOr<std::vector<Row>> rows = PgRows(
      conn,
      "SELECT table_name, column_name, is_nullable, data_type, column_default"
      " FROM information_schema.columns WHERE table_schema = 'public'"
      " ORDER BY table_name, ordinal_position");
  EXPECT_THAT(rows, IsOk());
  if (!rows.ok()) return out;
  for (const Row& r : *rows) {
    // PostgreSQL writes a default with its type: ''::text, 'intake'::text.
    const std::string dflt = absl::StrReplaceAll(r[4].value_or(""), {{"::text", ""}, {"::bigint", ""}});
    out[*r[0]].push_back(Column{*r[1], *r[2] == "NO", TypeClass(*r[3]), dflt});
  }
  return out;
}

std::set<std::string> Keys(const Tables& t) {
  std::set<std::string> out;
  for (const auto& [name, cols] : t) out.insert(name);
  return out;
}

TEST(PostgresSchemaTest, VersionIsTheLatestMigration) {
  // The tables compared below are those of SQLite's latest migration.
  EXPECT_EQ(store::kPostgresSqliteVersion, store::LatestSchemaVersion());
  // Each step raises the version by one, up to this schakel's.
  int version = store::kPostgresFirstVersion;
  for (const store::PostgresMigration& step : store::PostgresMigrations()) {
    EXPECT_EQ(step.version, ++version);
    EXPECT_FALSE(step.ddl.empty()) << step.version;
  }
  EXPECT_EQ(version, store::kPostgresSchemaVersion);
  auto pg = NewPgSchema("version");
  ASSERT_THAT(pg, IsOk());
  auto rows = PgRows(pg->conn.get(), "SELECT version FROM schema_version");
  ASSERT_THAT(rows, IsOk());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0][0], std::to_string(store::kPostgresSchemaVersion));
  // And nothing SQLite-only slipped in (comments may name it).
  std::string sql;
  for (absl::string_view line : absl::StrSplit(store::PostgresSchemaSql(), '\n')) {
    absl::StrAppend(&sql, line.substr(0, line.find("--")), "\n");
  }
  EXPECT_THAT(sql, HasSubstr("CREATE TABLE audit_log ("));
  for (const char* sqlite_only : {"WITHOUT ROWID", "AUTOINCREMENT", "sqlite_", "PRAGMA"}) {
    EXPECT_FALSE(absl::StrContains(sql, sqlite_only)) << sqlite_only;
  }
}

// Text sorts bytewise in SQLite; a database of a language's collation
// would page and order differently, and the script refuses it.
TEST(PostgresSchemaTest, SchemaRefusesALanguageCollation) {
  TestPostgres& pg = SharedTestPostgres();
  const std::string name = absl::StrCat("collation_nl_", ::getpid());
  absl::StatusOr<std::string> created =
      pg.Query("postgres", absl::StrCat("CREATE DATABASE ", name, " TEMPLATE template0"
                                        " LOCALE_PROVIDER icu ICU_LOCALE 'nl-NL'"
                                        " LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"));
  if (!created.ok()) GTEST_SKIP() << "no ICU collation here: " << created.status();
  PgConnPtr conn = Connect(pg.owner_conninfo(name));
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK) << PQerrorMessage(conn.get());
  absl::Status s =
      PgExec(conn.get(), absl::StrCat("BEGIN;\n", store::PostgresSchemaSql(), "\nCOMMIT;"));
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("bytewise")));
  (void)PgExec(conn.get(), "ROLLBACK");
  auto tables = PgRows(conn.get(), "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'");
  ASSERT_THAT(tables, IsOk());
  EXPECT_EQ(Joined(tables->at(0)), "0");
}

TEST(PostgresSchemaTest, TablesAndColumnsAgreeWithSqlite) {
  SqliteSchema lite;
  ASSERT_TRUE(lite.ok());
  auto pg = NewPgSchema("columns");
  ASSERT_THAT(pg, IsOk());
  Tables want = SqliteTables(lite);
  Tables got = PgTables(pg->conn.get());
  ASSERT_EQ(want.size(), 39u);  // every CREATE TABLE of migrations.cc

  // Exactly three tables of PostgreSQL's own.
  std::set<std::string> extra;
  for (const std::string& t : Keys(got)) {
    if (want.count(t) == 0) extra.insert(t);
  }
  EXPECT_EQ(extra, (std::set<std::string>{"cache_generations", "field_keys", "schema_version"}));
  for (const std::string& t : Keys(want)) EXPECT_EQ(got.count(t), 1u) << "missing table " << t;

  EXPECT_THAT(got["schema_version"], ElementsAre(Column{"version", true, "integer", ""}));
  EXPECT_THAT(got["field_keys"],
              ElementsAre(Column{"id", true, "integer", ""}, Column{"wrapped", true, "text", ""},
                          Column{"create_time", true, "integer", ""},
                          Column{"retire_time", false, "integer", ""}));
  EXPECT_THAT(got["cache_generations"],
              ElementsAre(Column{"name", true, "text", ""}, Column{"generation", true, "integer", ""}));

  // Residents have the blind index of the birth date at the end, and
  // nothing else of their own.
  std::vector<Column> residents = got["residents"];
  ASSERT_FALSE(residents.empty());
  EXPECT_EQ(residents.back(), (Column{"birth_index", true, "text", "''"}));
  residents.pop_back();
  got["residents"] = residents;

  for (const auto& [table, cols] : want) {
    EXPECT_EQ(got[table], cols) << "table " << table;
  }
}

// Primary keys, UNIQUE constraints and foreign keys, as column lists.
TEST(PostgresSchemaTest, KeysAgreeWithSqlite) {
  SqliteSchema lite;
  ASSERT_TRUE(lite.ok());
  auto pg = NewPgSchema("keys");
  ASSERT_THAT(pg, IsOk());
  std::set<std::string> want;
  for (const Row& t : lite.Rows(1, "SELECT name FROM sqlite_master WHERE type = 'table'"
                                " AND name <> 'sqlite_sequence'")) {
    std::map<int, std::string> pk;
    for (const Row& c : lite.Rows(6, absl::StrCat("PRAGMA table_info(", *t[0], ")"))) {
      if (*c[5] != "0") pk[std::stoi(*c[5])] = *c[1];
    }
    std::vector<std::string> pk_cols;
    for (const auto& [i, name] : pk) pk_cols.push_back(name);
    if (!pk_cols.empty()) want.insert(absl::StrCat(*t[0], " p (", absl::StrJoin(pk_cols, ","), ")"));
    // UNIQUE constraints are SQLite's automatic indexes of origin "u".
    for (const Row& i : lite.Rows(5, absl::StrCat("PRAGMA index_list(", *t[0], ")"))) {
      if (*i[3] != "u") continue;
      std::vector<std::string> cols;
      for (const Row& c : lite.Rows(3, absl::StrCat("PRAGMA index_info(", *i[1], ")"))) {
        cols.push_back(*c[2]);
      }
      want.insert(absl::StrCat(*t[0], " u (", absl::StrJoin(cols, ","), ")"));
    }
    std::map<int, std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> fks;
    for (const Row& f : lite.Rows(8, absl::StrCat("PRAGMA foreign_key_list(", *t[0], ")"))) {
      auto& fk = fks[std::stoi(*f[0])];
      fk.first = *f[2];
      fk.second.emplace_back(*f[3], f[4].value_or("?"));
    }
    for (const auto& [id, fk] : fks) {
      std::vector<std::string> from, to;
      for (const auto& [f, t2] : fk.second) {
        from.push_back(f);
        to.push_back(t2);
      }
      want.insert(absl::StrCat(*t[0], " f (", absl::StrJoin(from, ","), ") ", fk.first, "(",
                               absl::StrJoin(to, ","), ")"));
    }
  }
  auto rows = PgRows(
      pg->conn.get(),
      "SELECT c.conrelid::regclass::text, c.contype,"
      " (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(c.conkey) WITH ORDINALITY"
      "   k(att, n) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.att),"
      " coalesce(c.confrelid::regclass::text, ''),"
      " (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(c.confkey) WITH ORDINALITY"
      "   k(att, n) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.att)"
      " FROM pg_constraint c WHERE c.connamespace = 'public'::regnamespace"
      " AND c.contype IN ('p', 'u', 'f')");
  ASSERT_THAT(rows, IsOk());
  std::set<std::string> got;
  for (const Row& r : *rows) {
    if (*r[0] == "schema_version" || *r[0] == "field_keys" || *r[0] == "cache_generations") {
      continue;
    }
    std::string key = absl::StrCat(*r[0], " ", *r[1], " (", *r[2], ")");
    if (*r[1] == "f") absl::StrAppend(&key, " ", *r[3], "(", r[4].value_or(""), ")");
    got.insert(key);
  }
  EXPECT_GT(want.size(), 60u);
  EXPECT_EQ(got, want);
}

// CHECK constraints: as many per table as SQLite's CREATE TABLE has
// (PostgreSQL rewrites their text), refusing what SQLite refuses.
TEST(PostgresSchemaTest, ChecksAgreeWithSqlite) {
  SqliteSchema lite;
  ASSERT_TRUE(lite.ok());
  auto pg = NewPgSchema("checks");
  ASSERT_THAT(pg, IsOk());
  std::vector<std::string> want;
  for (const Row& t : lite.Rows(2, "SELECT name, sql FROM sqlite_master WHERE type = 'table'"
                                   " AND name <> 'sqlite_sequence' ORDER BY name")) {
    int n = 0;
    for (size_t at = t[1]->find("CHECK ("); at != std::string::npos;
         at = t[1]->find("CHECK (", at + 1)) {
      ++n;
    }
    if (n > 0) want.push_back(absl::StrCat(*t[0], "|", n));
  }
  auto rows = PgRows(pg->conn.get(),
                     "SELECT c.conrelid::regclass::text, count(*) FROM pg_constraint c"
                     " WHERE c.connamespace = 'public'::regnamespace AND c.contype = 'c'"
                     " GROUP BY 1 ORDER BY 1");
  ASSERT_THAT(rows, IsOk());
  std::vector<std::string> got;
  for (const Row& r : *rows) got.push_back(Joined(r));
  // Every CHECK of migrations.cc, counted per table.
  EXPECT_THAT(got, ElementsAre("audit_anchor|1", "audit_published|1", "grants|1",
                               "health_probe|1", "ladder_measurements|1",
                               "notification_mail|1", "notification_settings|1",
                               "routing_rules|4", "signal_categories|1", "teams|1"));
  EXPECT_EQ(got, want);
  // And they refuse what SQLite refuses, each of them.
  const char* const parents[] = {
      "INSERT INTO opgaven (code, label_nl, label_en) VALUES ('op', 'Opgave', 'Task')",
      "INSERT INTO wijken (code, name) VALUES ('w', 'Wijk')",
      "INSERT INTO organisations (id, name, sector) VALUES ('o', 'Org', 'zorg')",
      "INSERT INTO professionals (id, organisation_id, display_name, create_time)"
      " VALUES ('p', 'o', 'P', 0)",
      "INSERT INTO residents (id, name, name_key, birth_date, address, wijk, create_time)"
      " VALUES ('r', 'R', 'r', '1990-01-01', 'A', 'w', 0)",
      "INSERT INTO trajectories (id, resident_id, consultant_id, organisation_id, start_date,"
      " goal, status, create_time, update_time, version)"
      " VALUES ('t', 'r', 'p', 'o', '2024-01-01', 'g', 'active', 0, 0, 1)",
      "INSERT INTO notifications (id, professional_id, kind, resource_id, create_time)"
      " VALUES ('n', 'p', 'k', 'x', 0)",
  };
  for (const char* sql : parents) {
    ASSERT_THAT(lite.Exec(sql), IsOk()) << sql;
    ASSERT_THAT(PgExec(pg->conn.get(), sql), IsOk()) << sql;
  }
  const std::string rule =
      "INSERT INTO routing_rules (id, position, version, category, opgave, wijk, owner_org,"
      " owner_team, created_by, create_time, update_time, remove_time) VALUES ";
  const std::string refused[] = {
      "INSERT INTO health_probe (id, probe_time) VALUES (2, 0)",
      "INSERT INTO audit_anchor (id, seq, head, time, signature) VALUES (2, 1, 'h', 0, 's')",
      rule + "('r1', 1, 1, '', '', '', 'o', 't', 'p', 0, 0, NULL)",
      rule + "('r2', 1, 1, 'c', '', '', 'o', 't', 'p', 0, 0, 5)",
      rule + "('r3', 0, 1, 'c', '', '', 'o', 't', 'p', 0, 0, NULL)",
      rule + "('r4', -1, 1, 'c', '', '', 'o', 't', 'p', 0, 0, 5)",
      rule + "('r5', 1, 0, 'c', '', '', 'o', 't', 'p', 0, 0, NULL)",
      "INSERT INTO teams (organisation_id, id, name, intake, create_time)"
      " VALUES ('o', 'x', 'X', 2, 0)",
      "INSERT INTO ladder_measurements (id, trajectory_id, date, rung, note, measured_by,"
      " create_time) VALUES ('m', 't', '2024-02-01', 7, '', 'p', 0)",
      "INSERT INTO signal_categories (code, label_nl, label_en, opgave, sensitivity)"
      " VALUES ('c', 'C', 'C', 'op', 'secret')",
      "INSERT INTO grants (id, professional_id, organisation_id, roles, status, requested_by,"
      " request_time) VALUES ('g', 'p', 'o', 'consultant', 'maybe', 'p', 0)",
      "INSERT INTO audit_published (line_hash, kind, seq, head, time)"
      " VALUES ('l', 'other', 1, 'h', 0)",
      "INSERT INTO notification_settings (professional_id, kind, delivery)"
      " VALUES ('p', 'k', 'pigeon')",
      "INSERT INTO notification_mail (notification_seq, professional_id, kind, state,"
      " next_attempt_time) VALUES (1, 'p', 'k', 'lost', 0)",
  };
  for (const std::string& sql : refused) {
    EXPECT_FALSE(lite.Exec(sql).ok()) << "SQLite took " << sql;
    EXPECT_EQ(PgState(pg->conn.get(), sql), "23514") << sql;  // check_violation
  }
  // While rows that keep to the checks go in on both.
  const std::string accepted[] = {
      rule + "('ok1', 1, 1, 'c', '', '', 'o', 't', 'p', 0, 0, NULL)",
      rule + "('ok2', 0, 2, '', '', 'w', 'o', 't', 'p', 0, 0, 7)",
      "INSERT INTO teams (organisation_id, id, name, intake, create_time)"
      " VALUES ('o', 'i', 'Intake', 1, 0)",
      "INSERT INTO ladder_measurements (id, trajectory_id, date, rung, note, measured_by,"
      " create_time) VALUES ('m', 't', '2024-02-01', 6, '', 'p', 0)",
      "INSERT INTO notification_mail (notification_seq, professional_id, kind, state,"
      " next_attempt_time) VALUES (1, 'p', 'k', 'pending', 0)",
  };
  for (const std::string& sql : accepted) {
    EXPECT_THAT(lite.Exec(sql), IsOk()) << sql;
    EXPECT_THAT(PgExec(pg->conn.get(), sql), IsOk()) << sql;
  }
  // A second intake team: the partial unique index refuses it on both.
  const std::string second_intake =
      "INSERT INTO teams (organisation_id, id, name, intake, create_time)"
      " VALUES ('o', 'j', 'Intake 2', 1, 0)";
  EXPECT_FALSE(lite.Exec(second_intake).ok());
  EXPECT_EQ(PgState(pg->conn.get(), second_intake), "23505");  // unique_violation
}

TEST(PostgresSchemaTest, IndexesAgreeWithSqlite) {
  SqliteSchema lite;
  ASSERT_TRUE(lite.ok());
  auto pg = NewPgSchema("indexes");
  ASSERT_THAT(pg, IsOk());
  // name -> "table|unique|columns|partial"
  std::map<std::string, std::string> want;
  for (const Row& t : lite.Rows(1, "SELECT name FROM sqlite_master WHERE type = 'table'")) {
    for (const Row& i : lite.Rows(5, absl::StrCat("PRAGMA index_list(", *t[0], ")"))) {
      // seq, name, unique, origin, partial; origin "c": CREATE INDEX.
      if (*i[3] != "c" || absl::StartsWith(*i[1], "sqlite_autoindex_")) continue;
      std::vector<std::string> cols;
      for (const Row& c : lite.Rows(3, absl::StrCat("PRAGMA index_info(", *i[1], ")"))) {
        cols.push_back(*c[2]);
      }
      want[*i[1]] = absl::StrCat(*t[0], "|", *i[2] == "1" ? "unique" : "plain", "|",
                                 absl::StrJoin(cols, ","), "|", *i[4] == "1" ? "partial" : "whole");
    }
  }
  EXPECT_EQ(want.size(), 45u);  // every CREATE INDEX of migrations.cc
  auto rows = PgRows(
      pg->conn.get(),
      "SELECT i.indexname, i.tablename, CASE WHEN x.indisunique THEN 'unique' ELSE 'plain' END,"
      " (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(x.indkey::int2[])"
      "   WITH ORDINALITY k(att, n) JOIN pg_attribute a ON a.attrelid = x.indrelid"
      "   AND a.attnum = k.att),"
      " CASE WHEN x.indpred IS NULL THEN 'whole' ELSE 'partial' END"
      " FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname"
      " JOIN pg_index x ON x.indexrelid = c.oid WHERE i.schemaname = 'public'"
      " AND c.relnamespace = 'public'::regnamespace");
  ASSERT_THAT(rows, IsOk());
  std::map<std::string, std::string> got;
  for (const Row& r : *rows) {
    got[*r[0]] = absl::StrCat(*r[1], "|", *r[2], "|", r[3].value_or(""), "|", *r[4]);
  }
  for (const auto& [name, what] : want) {
    EXPECT_EQ(got[name], what) << "index " << name;
  }
  // PostgreSQL's own index beyond SQLite's (and the keys' indexes).
  EXPECT_EQ(got["residents_birth_index"], "residents|plain|birth_index|whole");
  for (const auto& [name, what] : got) {
    if (want.count(name) || name == "residents_birth_index") continue;
    EXPECT_TRUE(absl::EndsWith(name, "_pkey") || absl::EndsWith(name, "_key"))
        << "index of its own: " << name << " " << what;
  }
}

// The rows of a handover's and a trajectory's life; the same statements on
// both engines.
constexpr const char* kLifeStatements[] = {
    "INSERT INTO wijken (code, name) VALUES ('w1', 'Centrum')",
    "INSERT INTO organisations (id, name, sector) VALUES ('o1', 'Wijkteam', 'zorg')",
    "INSERT INTO organisations (id, name, sector) VALUES ('o2', 'Werk', 'werk')",
    "INSERT INTO residents (id, name, name_key, birth_date, address, wijk, create_time)"
    " VALUES ('r1', 'An de Vries', 'an de vries', '1980-02-03', 'Straat 1', 'w1', 100)",
    "INSERT INTO handovers (id, resident_id, from_org, sender_id, to_org, reason, basis_kind,"
    " deadline, status, create_time, update_time, version)"
    " VALUES ('h1', 'r1', 'o1', 'p1', 'o2', 'werk zoeken', 'consent', '2024-03-01', 'proposed',"
    " 1000, 1000, 1)",
    "INSERT INTO handovers (id, resident_id, from_org, sender_id, to_org, reason, basis_kind,"
    " deadline, status, create_time, update_time, version)"
    " VALUES ('h2', 'r1', 'o2', 'p2', 'o1', 'zorg', 'vital', '2024-03-02', 'proposed',"
    " 1100, 1100, 1)",
    "UPDATE handovers SET status = 'accepted', receiver_id = 'p3', update_time = 2000,"
    " version = 2 WHERE id = 'h1'",
    // The same status again, and no status at all: no event.
    "UPDATE handovers SET status = 'accepted', update_time = 2500, version = 3 WHERE id = 'h1'",
    "UPDATE handovers SET update_time = 2600, version = 4 WHERE id = 'h1'",
    "UPDATE handovers SET status = 'completed', update_time = 3000, version = 5 WHERE id = 'h1'",
    "UPDATE handovers SET status = 'declined', decline_reason = 'vol', update_time = 3100"
    " WHERE id = 'h2'",
    "INSERT INTO trajectories (id, resident_id, consultant_id, organisation_id, start_date, goal,"
    " status, create_time, update_time, version)"
    " VALUES ('t1', 'r1', 'p3', 'o2', '2024-03-01', 'werk', 'active', 4000, 4000, 1)",
    "UPDATE trajectories SET status = 'paused', update_time = 5000, version = 2 WHERE id = 't1'",
    "UPDATE trajectories SET status = 'paused', update_time = 5500, version = 3 WHERE id = 't1'",
    "UPDATE trajectories SET update_time = 5600 WHERE id = 't1'",
    "UPDATE trajectories SET status = 'closed', close_reason = 'werk', update_time = 6000"
    " WHERE id = 't1'",
};

TEST(PostgresSchemaTest, TriggersRecordHandoverEvents) {
  SqliteSchema lite;
  ASSERT_TRUE(lite.ok());
  auto pg = NewPgSchema("triggers");
  ASSERT_THAT(pg, IsOk());
  for (const char* sql : kLifeStatements) {
    ASSERT_THAT(lite.Exec(sql), IsOk()) << sql;
    ASSERT_THAT(PgExec(pg->conn.get(), sql), IsOk()) << sql;
  }
  const std::string handover_events =
      "SELECT seq, handover_id, time, from_status, to_status FROM handover_events ORDER BY seq";
  const std::string trajectory_events =
      "SELECT seq, trajectory_id, time, from_status, to_status FROM trajectory_events"
      " ORDER BY seq";
  auto joined = [](const std::vector<Row>& rows) {
    std::vector<std::string> out;
    for (const Row& r : rows) out.push_back(Joined(r));
    return out;
  };
  const std::vector<std::string> lite_handovers = joined(lite.Rows(5, handover_events));
  const std::vector<std::string> lite_trajectories =
      joined(lite.Rows(5, trajectory_events));
  auto pg_handovers = PgRows(pg->conn.get(), handover_events);
  auto pg_trajectories = PgRows(pg->conn.get(), trajectory_events);
  ASSERT_THAT(pg_handovers, IsOk());
  ASSERT_THAT(pg_trajectories, IsOk());

  // What SQLite's triggers wrote, and that PostgreSQL's wrote the same.
  EXPECT_THAT(lite_handovers,
              ElementsAre("1|h1|1000|<null>|proposed", "2|h2|1100|<null>|proposed",
                          "3|h1|2000|proposed|accepted", "4|h1|3000|accepted|completed",
                          "5|h2|3100|proposed|declined"));
  EXPECT_THAT(lite_trajectories,
              ElementsAre("1|t1|5000|active|paused", "2|t1|6000|paused|closed"));
  EXPECT_EQ(joined(*pg_handovers), lite_handovers);
  EXPECT_EQ(joined(*pg_trajectories), lite_trajectories);
}

TEST(PostgresSchemaTest, InstrMatchesSqlite) {
  SqliteSchema lite;
  ASSERT_TRUE(lite.ok());
  auto pg = NewPgSchema("instr");
  ASSERT_THAT(pg, IsOk());
  using Case = std::pair<std::optional<std::string>, std::optional<std::string>>;
  const std::vector<std::pair<Case, const char*>> cases = {
      {{",o1,o2,", ",o2,"}, "4"},
      {{",o1,o2,", ",o3,"}, "0"},
      {{",o1,o2,", ",o1,"}, "1"},
      {{"abcabc", "c"}, "3"},
      {{"abc", ""}, "1"},
      {{"", ""}, "1"},
      {{"", "a"}, "0"},
      {{"éé,b", "b"}, "4"},  // characters, not bytes
      {{"ABC", "b"}, "0"},   // case-sensitive
      {{std::nullopt, "a"}, kNull},
      {{"a", std::nullopt}, kNull},
  };
  for (const auto& [args, expected] : cases) {
    std::vector<std::optional<std::string>> params = {args.first, args.second};
    std::vector<Row> l = lite.Rows(1, "SELECT instr(?1, ?2)", params);
    auto p = PgRows(pg->conn.get(), "SELECT instr($1, $2)", params);
    ASSERT_THAT(p, IsOk());
    ASSERT_EQ(l.size(), 1u);
    ASSERT_EQ(p->size(), 1u);
    const std::string what = absl::StrCat(args.first.value_or(kNull), " / ",
                                          args.second.value_or(kNull));
    EXPECT_EQ(Joined(l[0]), expected) << "SQLite " << what;
    EXPECT_EQ(Joined((*p)[0]), expected) << "PostgreSQL " << what;
  }
  // As the access SQL uses it.
  auto p = PgRows(pg->conn.get(), "SELECT instr($1, ',' || 'o2' || ',') > 0", {",o1,o2,"});
  ASSERT_THAT(p, IsOk());
  EXPECT_EQ(Joined((*p)[0]), "t");
  auto volatility = PgRows(pg->conn.get(),
                           "SELECT provolatile, l.lanname, prorettype::regtype::text FROM pg_proc"
                           " JOIN pg_language l ON l.oid = prolang WHERE proname = 'instr'");
  ASSERT_THAT(volatility, IsOk());
  ASSERT_EQ(volatility->size(), 1u);
  EXPECT_EQ(Joined((*volatility)[0]), "i|sql|bigint");
}

TEST(PostgresSchemaTest, GrantsRefuseUnsafeRoleNames) {
  EXPECT_THAT(store::PostgresGrantsSql("Bad-Name", "m"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::AllOf(HasSubstr("service_role"),
                                        HasSubstr("[a-z_][a-z0-9_]{0,62}"))));
  EXPECT_THAT(store::PostgresGrantsSql("s", "m; DROP TABLE audit_log"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::AllOf(HasSubstr("maintenance_role"),
                                        HasSubstr("[a-z_][a-z0-9_]{0,62}"))));
  for (const std::string& bad : {std::string(), std::string("9a"), std::string("a b"),
                                 std::string("a\""), std::string(64, 'a')}) {
    EXPECT_THAT(store::PostgresGrantsSql(bad, "m"),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("[a-z_][a-z0-9_]{0,62}")))
        << bad;
  }
  EXPECT_THAT(store::PostgresGrantsSql("public", "m"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("public")));
  EXPECT_THAT(store::PostgresGrantsSql("s", "pg_monitor"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("pg_")));
  EXPECT_THAT(store::PostgresGrantsSql("same", "same"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("differ")));
  EXPECT_THAT(store::PostgresGrantsSql(std::string(63, 'a'), "_m0"), IsOk());
}

TEST(PostgresSchemaTest, ServiceRoleCannotChangeTheAuditLog) {
  TestPostgres& pg = SharedTestPostgres();
  auto schema = NewPgSchema("grants");
  ASSERT_THAT(schema, IsOk());
  PGconn* owner = schema->conn.get();
  // Roles belong to the cluster, not the database: names of this process.
  const std::string svc = absl::StrCat("svc_", ::getpid());
  const std::string maint = absl::StrCat("maint_", ::getpid());
  const std::string svc_password = "service-pw-1";
  const std::string maint_password = "maintenance-pw-2";
  ASSERT_THAT(PgExec(owner, absl::StrCat("DROP ROLE IF EXISTS ", svc, "; DROP ROLE IF EXISTS ",
                                         maint)),
              IsOk());
  ASSERT_THAT(PgExec(owner, absl::StrCat("CREATE ROLE ", svc, " LOGIN PASSWORD '", svc_password,
                                         "'; CREATE ROLE ", maint, " LOGIN PASSWORD '",
                                         maint_password, "'")),
              IsOk());
  absl::StatusOr<std::string> grants = store::PostgresGrantsSql(svc, maint);
  ASSERT_THAT(grants, IsOk());
  ASSERT_THAT(PgExec(owner, absl::StrCat("BEGIN;\n", *grants, "COMMIT;")), IsOk());

  auto connect_as = [&](const std::string& user, const std::string& password) {
    return Connect(absl::StrCat("host=", pg.host(), " port=", pg.port(), " dbname=", schema->name,
                                " user=", user, " password=", password,
                                " sslmode=verify-full sslrootcert=", pg.ca_file(),
                                " connect_timeout=10"));
  };
  PgConnPtr service = connect_as(svc, svc_password);
  ASSERT_EQ(PQstatus(service.get()), CONNECTION_OK) << PQerrorMessage(service.get());
  PGconn* s = service.get();
  ASSERT_THAT(PgRows(s, "SELECT current_user"), IsOk());
  EXPECT_EQ(Joined(PgRows(s, "SELECT current_user")->at(0)), svc);

  // Appending works.
  const std::string entry =
      "INSERT INTO audit_log (seq, time, professional_id, organisation_id, roles, certificate,"
      " action, resource_type, resource_id, residents, outcome, reason, purpose, break_glass,"
      " request_id, peer, prev_hash, hash) VALUES (%d, 10, 'p1', 'o1', 'consultant', 'ab',"
      " 'ResidentService.Get', 'resident', 'r1', 'r1', 'allowed', '', 'care', 0, 'q', 'peer',"
      " 'h0', 'h%d')";
  auto entry_sql = [&](int seq) {
    return absl::StrReplaceAll(entry, {{"%d", std::to_string(seq)}});
  };
  ASSERT_THAT(PgExec(s, entry_sql(1)), IsOk());
  ASSERT_THAT(PgExec(s, entry_sql(2)), IsOk());
  ASSERT_THAT(PgExec(s, "INSERT INTO audit_residents (resident_id, seq) VALUES ('r1', 1)"),
              IsOk());
  // As the store's INSERT OR IGNORE will be written: INSERT privilege only.
  EXPECT_THAT(PgExec(s, "INSERT INTO audit_residents (resident_id, seq) VALUES ('r1', 1)"
                        " ON CONFLICT DO NOTHING"),
              IsOk());
  EXPECT_THAT(PgExec(s, "INSERT INTO audit_published (line_hash, kind, seq, head, time)"
                        " VALUES ('l1', 'checkpoint', 2, 'h2', 20)"),
              IsOk());
  EXPECT_THAT(PgExec(s, "UPDATE audit_published SET lost_at = 2 WHERE line_hash = 'l1'"),
              IsOk());
  EXPECT_THAT(PgExec(s, "SELECT * FROM audit_anchor"), IsOk());

  // Changing or deleting it does not.
  constexpr char kDenied[] = "42501";  // insufficient_privilege
  EXPECT_EQ(PgState(s, "UPDATE audit_log SET outcome = 'denied' WHERE seq = 1"), kDenied);
  EXPECT_EQ(PgState(s, "UPDATE audit_log SET hash = 'x'"), kDenied);
  EXPECT_EQ(PgState(s, "DELETE FROM audit_log WHERE seq = 2"), kDenied);
  EXPECT_EQ(PgState(s, "DELETE FROM audit_log"), kDenied);
  EXPECT_EQ(PgState(s, "UPDATE audit_residents SET resident_id = 'r2'"), kDenied);
  EXPECT_EQ(PgState(s, "DELETE FROM audit_residents"), kDenied);
  EXPECT_EQ(PgState(s, "TRUNCATE audit_log CASCADE"), kDenied);
  EXPECT_EQ(PgState(s, "TRUNCATE audit_residents"), kDenied);
  // Nor the schema's version: it reads it, the maintenance role sets it.
  EXPECT_THAT(PgExec(s, "SELECT version FROM schema_version"), IsOk());
  EXPECT_EQ(PgState(s, "UPDATE schema_version SET version = 99"), kDenied);
  EXPECT_EQ(PgState(s, "DELETE FROM schema_version"), kDenied);
  EXPECT_EQ(PgState(s, "INSERT INTO schema_version VALUES (16)"), kDenied);
  EXPECT_EQ(PgState(s, "DELETE FROM audit_published"), kDenied);
  EXPECT_EQ(PgState(s, "INSERT INTO audit_anchor (id, seq, head, time, signature)"
                       " VALUES (1, 1, 'h1', 30, 'sig')"),
            kDenied);
  EXPECT_EQ(PgState(s, "ALTER TABLE audit_log DISABLE TRIGGER ALL"), kDenied);
  EXPECT_EQ(PgState(s, "DROP TABLE audit_log CASCADE"), kDenied);
  // A field key is added and retired, never rewritten nor deleted.
  EXPECT_THAT(PgExec(s, "INSERT INTO field_keys (id, wrapped, create_time) VALUES (7, 'k1.x', 1)"),
              IsOk());
  EXPECT_THAT(PgExec(s, "UPDATE field_keys SET retire_time = 2 WHERE id = 7"), IsOk());
  EXPECT_EQ(PgState(s, "UPDATE field_keys SET wrapped = 'k1.y' WHERE id = 7"), kDenied);
  EXPECT_EQ(PgState(s, "DELETE FROM field_keys WHERE id = 7"), kDenied);
  // The writers' lock (postgres_database.cc kBeginWrite) needs no privilege.
  EXPECT_THAT(PgExec(s, "BEGIN; SELECT pg_advisory_xact_lock(7310485230941); COMMIT"), IsOk());
  auto count = PgRows(owner, "SELECT count(*), min(outcome), min(hash) FROM audit_log");
  ASSERT_THAT(count, IsOk());
  EXPECT_EQ(Joined(count->at(0)), "2|allowed|h1");

  // The rest of the store's rows it writes, identities and triggers included.
  for (const char* sql : kLifeStatements) ASSERT_THAT(PgExec(s, sql), IsOk()) << sql;
  auto events = PgRows(s, "SELECT count(*) FROM handover_events");
  ASSERT_THAT(events, IsOk());
  EXPECT_EQ(Joined(events->at(0)), "5");
  EXPECT_THAT(PgExec(s, "DELETE FROM trajectory_events"), IsOk());
  EXPECT_EQ(PgState(s, "TRUNCATE handover_events"), kDenied);
  EXPECT_EQ(Joined(PgRows(s, "SELECT instr('a,b', 'b')")->at(0)), "3");

  // The maintenance role purges, as the audit log's retention does.
  PgConnPtr maintenance = connect_as(maint, maint_password);
  ASSERT_EQ(PQstatus(maintenance.get()), CONNECTION_OK) << PQerrorMessage(maintenance.get());
  PGconn* m = maintenance.get();
  EXPECT_THAT(PgExec(m, "BEGIN; DELETE FROM audit_residents WHERE seq <= 1;"
                        " DELETE FROM audit_log WHERE seq <= 1;"
                        " INSERT INTO audit_anchor (id, seq, head, time, signature)"
                        " VALUES (1, 1, 'h1', 30, 'sig') ON CONFLICT (id) DO UPDATE"
                        " SET seq = excluded.seq, head = excluded.head, time = excluded.time,"
                        " signature = excluded.signature; COMMIT"),
              IsOk());
  count = PgRows(owner, "SELECT count(*) FROM audit_log");
  ASSERT_THAT(count, IsOk());
  EXPECT_EQ(Joined(count->at(0)), "1");

  // Nobody else gets in to the rows: PUBLIC has nothing.
  auto public_grants = PgRows(owner,
                              "SELECT count(*) FROM information_schema.role_table_grants"
                              " WHERE grantee = 'PUBLIC' AND table_schema = 'public'");
  ASSERT_THAT(public_grants, IsOk());
  EXPECT_EQ(Joined(public_grants->at(0)), "0");

  service.reset();
  maintenance.reset();
  // The roles own nothing; dropping them needs their grants gone.
  EXPECT_THAT(PgExec(owner, absl::StrCat("DROP OWNED BY ", svc, ", ", maint, "; DROP ROLE ", svc,
                                         "; DROP ROLE ", maint)),
              IsOk());
}

// A deployment made by an older release and then migrated: what
// describes a schema, its owners and its grants, each line with the
// deployment's role names put as SERVICE and MAINTENANCE, sorted.
std::vector<std::string> CatalogOf(PGconn* conn, const store::PostgresRoles& roles) {
  absl::StatusOr<std::vector<Row>> rows = PgRows(conn, R"sql(
SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable
       || ' ' || coalesce(column_default, '')
  FROM information_schema.columns WHERE table_schema = 'public'
UNION ALL SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' '
       || pg_get_constraintdef(oid)
  FROM pg_constraint WHERE connamespace = 'public'::regnamespace
UNION ALL SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
UNION ALL SELECT 'trigger ' || pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal
UNION ALL SELECT 'function ' || p.oid::regprocedure || ' ' || pg_get_userbyid(p.proowner) || ' '
       || coalesce(p.proacl::text, '') || ' ' || md5(pg_get_functiondef(p.oid))
  FROM pg_proc p WHERE pronamespace = 'public'::regnamespace
UNION ALL SELECT 'owner ' || relname || ' ' || relkind::text || ' ' || pg_get_userbyid(relowner)
  FROM pg_class WHERE relnamespace = 'public'::regnamespace
UNION ALL SELECT 'grant ' || c.relname || ' ' || pg_get_userbyid(a.grantee) || ' '
       || a.privilege_type || ' ' || a.is_grantable
  FROM pg_class c, aclexplode(c.relacl) a WHERE c.relnamespace = 'public'::regnamespace
UNION ALL SELECT 'column grant ' || c.relname || '.' || t.attname || ' '
       || pg_get_userbyid(a.grantee) || ' ' || a.privilege_type
  FROM pg_attribute t JOIN pg_class c ON c.oid = t.attrelid, aclexplode(t.attacl) a
  WHERE c.relnamespace = 'public'::regnamespace
UNION ALL SELECT 'row schema_version ' || version FROM schema_version
ORDER BY 1)sql");
  EXPECT_THAT(rows, IsOk());
  std::vector<std::string> out;
  if (!rows.ok()) return out;
  for (const Row& r : *rows) {
    out.push_back(absl::StrReplaceAll(
        r[0].value_or(kNull), {{roles.service, "SERVICE"}, {roles.maintenance, "MAINTENANCE"}}));
  }
  return out;
}

class PostgresMigrationTest : public ::testing::Test {
 protected:
  // A deployment's schema, roles and grants at `version`, as init made it.
  absl::StatusOr<store::PostgresRoles> MakeAt(const std::string& prefix, int version) {
    TestPostgres& pg = SharedTestPostgres();
    absl::StatusOr<std::string> db = pg.CreateUniqueDatabase(prefix);
    if (!db.ok()) return db.status();
    absl::StatusOr<store::PostgresRoles> roles = store::RolesForDatabase(*db);
    if (!roles.ok()) return roles.status();
    store::PostgresSetup setup;
    setup.owner_conninfo = pg.owner_conninfo(*db);
    setup.roles = *roles;
    setup.service_password = "service-pw-" + *db;
    setup.maintenance_password = "maintenance-pw-" + *db;
    setup.schema_version = version;
    absl::Status made = store::CreatePostgresDeployment(setup);
    if (!made.ok()) return made;
    dbs_.push_back(*db);
    return roles;
  }
  std::string LoginTo(const std::string& db, const std::string& user) {
    TestPostgres& pg = SharedTestPostgres();
    const bool service = absl::EndsWith(user, "_service");
    return absl::StrCat("host=", pg.host(), " port=", pg.port(), " dbname=", db, " user=", user,
                        " password=", service ? "service-pw-" : "maintenance-pw-", db,
                        " sslmode=verify-full sslrootcert=", pg.ca_file(), " connect_timeout=10");
  }
  PgConnPtr Owner(const std::string& db) {
    return Connect(SharedTestPostgres().owner_conninfo(db));
  }
  void TearDown() override {
    for (const std::string& db : dbs_) {
      absl::StatusOr<store::PostgresRoles> roles = store::RolesForDatabase(db);
      if (roles.ok()) {
        (void)store::DropPostgresDeployment(SharedTestPostgres().owner_conninfo(db), *roles);
      }
    }
  }
  std::vector<std::string> dbs_;
};

TEST_F(PostgresMigrationTest, AMigratedSchemaIsTheOneInitMakes) {
  auto old_roles = MakeAt("migrated", store::kPostgresFirstVersion);
  ASSERT_THAT(old_roles, IsOk());
  auto new_roles = MakeAt("fresh", store::kPostgresSchemaVersion);
  ASSERT_THAT(new_roles, IsOk());
  const std::string old_db = dbs_[0];
  const std::string new_db = dbs_[1];
  PgConnPtr old_conn = Owner(old_db);
  PgConnPtr new_conn = Owner(new_db);
  ASSERT_EQ(PQstatus(old_conn.get()), CONNECTION_OK);
  ASSERT_EQ(PQstatus(new_conn.get()), CONNECTION_OK);
  // As the first release made it: no table of a later step.
  EXPECT_EQ(PgState(old_conn.get(), "SELECT 1 FROM cache_generations"), "42P01");
  EXPECT_EQ(Joined(PgRows(old_conn.get(), "SELECT version FROM schema_version")->at(0)),
            std::to_string(store::kPostgresFirstVersion));

  absl::StatusOr<store::PostgresMigrated> migrated =
      store::MigratePostgresSchema(LoginTo(old_db, old_roles->maintenance), old_roles->service);
  ASSERT_THAT(migrated, IsOk());
  EXPECT_EQ(migrated->from, store::kPostgresFirstVersion);
  EXPECT_EQ(migrated->to, store::kPostgresSchemaVersion);

  const std::vector<std::string> got = CatalogOf(old_conn.get(), *old_roles);
  const std::vector<std::string> want = CatalogOf(new_conn.get(), *new_roles);
  ASSERT_GT(want.size(), 300u);
  std::vector<std::string> missing;
  std::vector<std::string> extra;
  std::set_difference(want.begin(), want.end(), got.begin(), got.end(),
                      std::back_inserter(missing));
  std::set_difference(got.begin(), got.end(), want.begin(), want.end(),
                      std::back_inserter(extra));
  EXPECT_THAT(missing, ::testing::IsEmpty()) << "in a new database only";
  EXPECT_THAT(extra, ::testing::IsEmpty()) << "in the migrated one only";

  // The steps' rows, and the service role uses what they made.
  EXPECT_EQ(Joined(PgRows(old_conn.get(), "SELECT string_agg(name || '=' || generation, ','"
                                          " ORDER BY name) FROM cache_generations")
                       ->at(0)),
            "break_glass=0,directory=0");
  PgConnPtr service = Connect(LoginTo(old_db, old_roles->service));
  ASSERT_EQ(PQstatus(service.get()), CONNECTION_OK) << PQerrorMessage(service.get());
  EXPECT_THAT(PgExec(service.get(), "UPDATE cache_generations SET generation = generation + 1"
                                    " WHERE name = 'directory'"),
              IsOk());
  // Done once: a second run finds nothing to do, even with a session open.
  migrated = store::MigratePostgresSchema(LoginTo(old_db, old_roles->maintenance), old_roles->service);
  ASSERT_THAT(migrated, IsOk());
  EXPECT_EQ(migrated->from, store::kPostgresSchemaVersion);
  EXPECT_EQ(migrated->to, store::kPostgresSchemaVersion);
}

// For a while init made cache_generations at version 15 already: such a
// database migrates to the same schema too.
TEST_F(PostgresMigrationTest, ADatabaseThatHasAStepsTableAlreadyMigratesAlike) {
  auto roles = MakeAt("early", store::kPostgresSchemaVersion);
  ASSERT_THAT(roles, IsOk());
  PgConnPtr owner = Owner(dbs_[0]);
  const std::vector<std::string> want = CatalogOf(owner.get(), *roles);
  ASSERT_THAT(PgExec(owner.get(), absl::StrCat("UPDATE schema_version SET version = ",
                                               store::kPostgresFirstVersion)),
              IsOk());
  absl::StatusOr<store::PostgresMigrated> migrated =
      store::MigratePostgresSchema(LoginTo(dbs_[0], roles->maintenance), roles->service);
  ASSERT_THAT(migrated, IsOk());
  EXPECT_EQ(migrated->from, store::kPostgresFirstVersion);
  EXPECT_EQ(CatalogOf(owner.get(), *roles), want);
}

TEST_F(PostgresMigrationTest, AServingSessionOrANewerSchemaIsRefusedAndNothingChanges) {
  auto roles = MakeAt("refused", store::kPostgresFirstVersion);
  ASSERT_THAT(roles, IsOk());
  const std::string db = dbs_[0];
  PgConnPtr owner = Owner(db);
  const std::vector<std::string> before = CatalogOf(owner.get(), *roles);
  {
    // An instance of the old release, serving.
    PgConnPtr serving = Connect(LoginTo(db, roles->service));
    ASSERT_EQ(PQstatus(serving.get()), CONNECTION_OK) << PQerrorMessage(serving.get());
    EXPECT_THAT(store::MigratePostgresSchema(LoginTo(db, roles->maintenance), roles->service),
                StatusIs(absl::StatusCode::kFailedPrecondition,
                         AllOf(HasSubstr("1 session(s) of " + roles->service),
                               HasSubstr("stop every schakeld instance"))));
    EXPECT_EQ(CatalogOf(owner.get(), *roles), before);
  }
  // A schema of a later release than this one.
  ASSERT_THAT(PgExec(owner.get(), "UPDATE schema_version SET version = 99"), IsOk());
  EXPECT_THAT(store::MigratePostgresSchema(LoginTo(db, roles->maintenance), roles->service),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("version 99"), HasSubstr("newer"))));
  EXPECT_EQ(Joined(PgRows(owner.get(), "SELECT version FROM schema_version")->at(0)), "99");
  // The wrong password: cannot connect, and says so without it.
  const std::string wrong = absl::StrReplaceAll(LoginTo(db, roles->maintenance),
                                                {{"maintenance-pw-", "wrong-pw-"}});
  absl::StatusOr<store::PostgresMigrated> refused =
      store::MigratePostgresSchema(wrong, roles->service);
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kUnavailable, HasSubstr("maintenance role")));
  EXPECT_THAT(refused.status().message(), Not(HasSubstr("wrong-pw")));
}

}  // namespace
}  // namespace schakel::testing
