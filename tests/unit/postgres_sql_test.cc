// The translation of the store's SQL for PostgreSQL (server/store/postgres_sql.h).
#include "server/store/postgres_sql.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_support.h"

namespace schakel::store {
namespace {

using ::schakel::testing::IsOk;
using ::schakel::testing::StatusIs;
using ::testing::HasSubstr;

std::string Text(absl::string_view sql) {
  absl::StatusOr<PostgresSql> out = TranslateToPostgres(sql);
  EXPECT_THAT(out, IsOk()) << sql;
  return out.ok() ? out->text : "<failed>";
}

TEST(PostgresSqlTest, NumberedParametersKeepTheirNumbers) {
  absl::StatusOr<PostgresSql> out =
      TranslateToPostgres("SELECT a FROM t WHERE b = ?2 AND c = ?1 AND d = ?2");
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ(out->text, "SELECT a FROM t WHERE b = $2 AND c = $1 AND d = $2");
  EXPECT_EQ(out->parameters, 2);
}

TEST(PostgresSqlTest, BareParametersCountOnAsSqliteCountsThem) {
  absl::StatusOr<PostgresSql> out = TranslateToPostgres("VALUES (?, ?5, ?)");
  ASSERT_THAT(out, IsOk());
  // SQLite: the first ? is 1, ?5 is 5, the next ? is 6.
  EXPECT_EQ(out->text, "VALUES ($1, $5, $6)");
  EXPECT_EQ(out->parameters, 6);
}

TEST(PostgresSqlTest, NamedParametersTakeTheNextIndexOnceEach) {
  absl::StatusOr<PostgresSql> out = TranslateToPostgres(
      "SELECT 1 WHERE x = :wijk AND (:wijk = '' OR y = @status) AND z = ?1 AND w = $who");
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ(out->text, "SELECT 1 WHERE x = $1 AND ($1 = '' OR y = $2) AND z = $1 AND w = $3");
  EXPECT_EQ(out->IndexOf(":wijk"), 1);
  EXPECT_EQ(out->IndexOf("@status"), 2);
  EXPECT_EQ(out->IndexOf("$who"), 3);
  EXPECT_EQ(out->IndexOf(":absent"), 0);
  EXPECT_EQ(out->parameters, 3);
}

TEST(PostgresSqlTest, LiteralsIdentifiersAndCommentsAreLeftAlone) {
  EXPECT_EQ(Text("SELECT '?1 :x it''s', \"col?\" FROM t -- what ?2 :y\nWHERE a = ?1"),
            "SELECT '?1 :x it''s', \"col?\" FROM t -- what ?2 :y\nWHERE a = $1");
  EXPECT_EQ(Text("SELECT /* ? :z */ a FROM t WHERE b = ?"),
            "SELECT /* ? :z */ a FROM t WHERE b = $1");
  EXPECT_EQ(Text("SELECT [order] FROM `t`"), "SELECT \"order\" FROM \"t\"");
  // A PostgreSQL cast is not a parameter.
  EXPECT_EQ(Text("SELECT x::text FROM t WHERE y = :y"), "SELECT x::text FROM t WHERE y = $1");
}

TEST(PostgresSqlTest, InsertOrIgnoreBecomesOnConflictDoNothing) {
  EXPECT_EQ(Text("INSERT OR IGNORE INTO team_members (a, b) VALUES (?1, ?2);"),
            "INSERT INTO team_members (a, b) VALUES ($1, $2) ON CONFLICT DO NOTHING");
  EXPECT_EQ(Text("insert or ignore into t (a) values ('or ignore')"),
            "insert into t (a) values ('or ignore') ON CONFLICT DO NOTHING");
  // Only the statement's own head counts.
  EXPECT_EQ(Text("INSERT INTO t (a) SELECT b FROM u WHERE c = 1 OR d = 2"),
            "INSERT INTO t (a) SELECT b FROM u WHERE c = 1 OR d = 2");
}

TEST(PostgresSqlTest, IfnullBecomesCoalesce) {
  EXPECT_EQ(Text("SELECT IFNULL(a, '') , ifnull (b, 0), ifnull_x FROM t"),
            "SELECT coalesce(a, '') , ifnull (b, 0), ifnull_x FROM t");
}

TEST(PostgresSqlTest, WordsInsideNumbersAndNamesAreNotTouched) {
  EXPECT_EQ(Text("SELECT 1e5, t.pragma_x, a1?1 FROM t"), "SELECT 1e5, t.pragma_x, a1$1 FROM t");
}

TEST(PostgresSqlTest, SqliteOnlyConstructsAreRefusedByName) {
  EXPECT_THAT(TranslateToPostgres("INSERT OR REPLACE INTO a (id) VALUES (1)"),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("INSERT OR REPLACE")));
  EXPECT_THAT(TranslateToPostgres("PRAGMA user_version"),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("PRAGMA")));
  EXPECT_THAT(TranslateToPostgres("SELECT group_concat(role) FROM r"),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("group_concat")));
  EXPECT_THAT(TranslateToPostgres("SELECT 1 FROM sqlite_master"),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("sqlite_master")));
  // But inside a literal they are only text.
  EXPECT_EQ(Text("SELECT 'PRAGMA group_concat sqlite_master'"),
            "SELECT 'PRAGMA group_concat sqlite_master'");
}

TEST(PostgresSqlTest, UnterminatedLiteralsAndCommentsAreRefused) {
  EXPECT_THAT(TranslateToPostgres("SELECT 'open"), StatusIs(absl::StatusCode::kInternal, HasSubstr("does not end")));
  EXPECT_THAT(TranslateToPostgres("SELECT \"open"), StatusIs(absl::StatusCode::kInternal, HasSubstr("does not end")));
  EXPECT_THAT(TranslateToPostgres("SELECT 1 /* open"), StatusIs(absl::StatusCode::kInternal, HasSubstr("does not end")));
  EXPECT_THAT(TranslateToPostgres("SELECT ?99999"),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("out of range")));
  // A line comment may end the text.
  EXPECT_EQ(Text("SELECT 1 -- done"), "SELECT 1 -- done");
}

}  // namespace
}  // namespace schakel::store
