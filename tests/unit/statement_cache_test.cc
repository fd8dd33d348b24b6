// Kept prepared statements (server/store/statement_cache.h): a connection
// hands the same statement out again for the same SQL, never with the last
// use's bindings or position, re-prepared after a schema change, and the
// cache stays bounded.
#include "server/store/statement_cache.h"

#include <sqlcipher/sqlite3.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "server/common/status_macros.h"
#include "server/store/database.h"
#include "server/store/sqlite_database.h"
#include "tests/support/test_support.h"

namespace schakel::store {
namespace {

using ::schakel::testing::IsOk;

class StatementCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(sqlite3_open(":memory:", &db_), SQLITE_OK);
    SqliteConnection plain_backend(db_);
    Connection plain(&plain_backend);
    ASSERT_THAT(plain.Exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT);"
                           "INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, 'three');",
                           "setup"),
                IsOk());
  }
  void TearDown() override {
    cache_.reset();
    sqlite3_close(db_);
  }

  // The value of row `k`, or "<none>"; binds only when `bind`.
  std::string Value(Connection& c, int64_t k, bool bind = true) {
    auto st = c.Prepare("SELECT v FROM t WHERE k = ?1", "value");
    EXPECT_THAT(st, IsOk());
    if (bind) st->Bind(1, k);
    auto row = st->Step();
    EXPECT_THAT(row, IsOk());
    return row.ok() && *row ? st->ColumnText(0) : "<none>";
  }

  sqlite3* db_ = nullptr;
  std::unique_ptr<StatementCache> cache_;
};

TEST_F(StatementCacheTest, TheSameSqlReusesOneStatementWithoutItsLastBindings) {
  cache_ = std::make_unique<StatementCache>(db_);
  SqliteConnection c_backend(db_, cache_.get());
  Connection c(&c_backend);
  EXPECT_EQ(Value(c, 2), "two");
  EXPECT_EQ(cache_->kept(), 1);
  sqlite3_stmt* first = cache_->Take("SELECT v FROM t WHERE k = ?1");
  ASSERT_NE(first, nullptr);
  cache_->Give(first);
  EXPECT_EQ(Value(c, 3), "three");
  EXPECT_EQ(cache_->kept(), 1);
  EXPECT_EQ(cache_->Take("SELECT v FROM t WHERE k = ?1"), first);
  cache_->Give(first);
  // The last use bound 3; an unbound parameter is NULL again.
  EXPECT_EQ(Value(c, 0, /*bind=*/false), "<none>");
}

TEST_F(StatementCacheTest, AStatementLeftMidwayStartsOverOnItsNextUse) {
  cache_ = std::make_unique<StatementCache>(db_);
  SqliteConnection c_backend(db_, cache_.get());
  Connection c(&c_backend);
  {
    auto st = c.Prepare("SELECT k FROM t ORDER BY k", "all");
    ASSERT_THAT(st, IsOk());
    ASSERT_TRUE(*st->Step());
    EXPECT_EQ(st->ColumnInt(0), 1);
    ASSERT_TRUE(*st->Step());
    EXPECT_EQ(st->ColumnInt(0), 2);
  }
  auto again = c.Prepare("SELECT k FROM t ORDER BY k", "all");
  ASSERT_THAT(again, IsOk());
  ASSERT_TRUE(*again->Step());
  EXPECT_EQ(again->ColumnInt(0), 1);
}

TEST_F(StatementCacheTest, TwoLiveStatementsOfTheSameSqlAreDistinct) {
  cache_ = std::make_unique<StatementCache>(db_);
  SqliteConnection c_backend(db_, cache_.get());
  Connection c(&c_backend);
  auto outer = c.Prepare("SELECT k FROM t ORDER BY k", "outer");
  ASSERT_THAT(outer, IsOk());
  int rows = 0;
  while (*outer->Step()) {
    auto inner = c.Prepare("SELECT k FROM t ORDER BY k", "inner");
    ASSERT_THAT(inner, IsOk());
    int inner_rows = 0;
    while (*inner->Step()) ++inner_rows;
    EXPECT_EQ(inner_rows, 3);
    ++rows;
  }
  EXPECT_EQ(rows, 3);
}

TEST_F(StatementCacheTest, AKeptStatementFollowsASchemaChange) {
  cache_ = std::make_unique<StatementCache>(db_);
  SqliteConnection c_backend(db_, cache_.get());
  Connection c(&c_backend);
  {
    auto st = c.Prepare("SELECT * FROM t WHERE k = 1", "star");
    ASSERT_THAT(st, IsOk());
    ASSERT_TRUE(*st->Step());
  }
  EXPECT_EQ(cache_->kept(), 1);
  ASSERT_THAT(c.Exec("ALTER TABLE t ADD COLUMN w TEXT DEFAULT 'new';", "alter"), IsOk());
  auto st = c.Prepare("SELECT * FROM t WHERE k = 1", "star");
  ASSERT_THAT(st, IsOk());
  ASSERT_TRUE(*st->Step());
  EXPECT_EQ(st->ColumnText(2), "new");
}

TEST_F(StatementCacheTest, SeveralStatementsInOneExecRunAndAreNotKept) {
  cache_ = std::make_unique<StatementCache>(db_);
  SqliteConnection c_backend(db_, cache_.get());
  Connection c(&c_backend);
  ASSERT_THAT(c.Exec("INSERT INTO t VALUES (4, 'four'); INSERT INTO t VALUES (5, 'five');",
                     "two inserts"),
              IsOk());
  EXPECT_EQ(Value(c, 5), "five");
  EXPECT_EQ(cache_->kept(), 1) << "only the SELECT of Value()";
  EXPECT_EQ(cache_->Take("INSERT INTO t VALUES (4, 'four'); INSERT INTO t VALUES (5, 'five');"),
            nullptr);
  // A single statement through Exec is kept, and runs again.
  ASSERT_THAT(c.Exec("DELETE FROM t WHERE k = 5", "delete"), IsOk());
  ASSERT_THAT(c.Exec("DELETE FROM t WHERE k = 5", "delete"), IsOk());
  EXPECT_EQ(Value(c, 5), "<none>");
}

TEST_F(StatementCacheTest, SettingPragmasAndAttachAreNeverKept) {
  cache_ = std::make_unique<StatementCache>(db_);
  SqliteConnection c_backend(db_, cache_.get());
  Connection c(&c_backend);
  ASSERT_THAT(c.Exec("PRAGMA cache_size = 100;", "cache size"), IsOk());
  ASSERT_THAT(c.Exec("ATTACH DATABASE ':memory:' AS other;", "attach"), IsOk());
  ASSERT_THAT(c.Exec("DETACH DATABASE other;", "detach"), IsOk());
  {
    auto st = c.Prepare("PRAGMA cache_size = 200", "cache size");
    ASSERT_THAT(st, IsOk());
    ASSERT_THAT(st->Step(), IsOk());
  }
  EXPECT_EQ(cache_->kept(), 0);
  for (sqlite3_stmt* s = sqlite3_next_stmt(db_, nullptr); s != nullptr;
       s = sqlite3_next_stmt(db_, s)) {
    ADD_FAILURE() << "a statement outlived its use: " << sqlite3_sql(s);
  }
  // A reading pragma is kept like any query.
  {
    auto st = c.Prepare("PRAGMA user_version", "user version");
    ASSERT_THAT(st, IsOk());
    ASSERT_THAT(st->Step(), IsOk());
  }
  EXPECT_EQ(cache_->kept(), 1);
}

TEST_F(StatementCacheTest, TheCacheStaysBounded) {
  cache_ = std::make_unique<StatementCache>(db_);
  SqliteConnection c_backend(db_, cache_.get());
  Connection c(&c_backend);
  for (int i = 0; i < StatementCache::kMaxStatements + 50; ++i) {
    auto st = c.Prepare(absl::StrCat("SELECT v FROM t WHERE k = ", i), "many");
    ASSERT_THAT(st, IsOk());
    ASSERT_THAT(st->Step(), IsOk());
  }
  EXPECT_LE(cache_->kept(), StatementCache::kMaxStatements);
  EXPECT_GT(cache_->kept(), 0);
}

TEST_F(StatementCacheTest, AFailedPrepareIsReportedAndKeepsNothing) {
  cache_ = std::make_unique<StatementCache>(db_);
  SqliteConnection c_backend(db_, cache_.get());
  Connection c(&c_backend);
  auto st = c.Prepare("SELECT nope FROM t", "bad column");
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(cache_->kept(), 0);
}

}  // namespace
}  // namespace schakel::store
