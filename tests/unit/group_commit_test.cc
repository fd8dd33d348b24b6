// Group commit on the writer connection and the pool of reader connections
// (server/store/database.h): concurrent writes share commits, a failing one
// takes only its own changes back, every call returns after its commit, and
// reads neither wait for a write nor see it before it commits.
#include <atomic>
#include <filesystem>
#include <functional>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/status_macros.h"
#include "server/crypto/key_wrap.h"
#include "server/store/database.h"
#include "server/store/sqlite_database.h"
#include "tests/support/test_support.h"

namespace schakel::store {
namespace {

using ::schakel::testing::IsOk;
using ::schakel::testing::StatusIs;
using ::schakel::testing::TempDir;
using ::testing::HasSubstr;

class GroupCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = *crypto::NewDatabaseKey();
    auto db = SqliteDatabase::Open(dir_.File("g.db"), key_, /*create=*/true);
    ASSERT_THAT(db, IsOk());
    db_ = std::move(db).value();
    ASSERT_THAT(db_->Write([](Connection& c) {
      return c.Exec("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL);", "create");
    }),
                IsOk());
  }

  absl::Status Insert(Connection& c, const std::string& k) {
    ASSIGN_OR_RETURN(Statement st, c.Prepare("INSERT INTO t (k, v) VALUES (?1, 1)", "insert"));
    st.Bind(1, k);
    return st.Run();
  }
  std::vector<std::string> Keys() {
    std::vector<std::string> keys;
    EXPECT_THAT(db_->Read([&](Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(Statement st, c.Prepare("SELECT k FROM t ORDER BY k", "keys"));
      while (true) {
        ASSIGN_OR_RETURN(bool row, st.Step());
        if (!row) return absl::OkStatus();
        keys.push_back(st.ColumnText(0));
      }
    }),
                IsOk());
    return keys;
  }

  TempDir dir_;
  std::string key_;
  std::unique_ptr<Database> db_;
};

TEST_F(GroupCommitTest, AFailingWriteInABatchTakesBackOnlyItsOwnChanges) {
  // The first write holds the writer while three more queue behind it; they
  // then go in one batch, the middle one failing after it inserted.
  absl::Notification queued, release;
  std::thread first([&] {
    EXPECT_THAT(db_->Write([&](Connection& c) -> absl::Status {
      queued.Notify();
      release.WaitForNotification();
      return Insert(c, "a");
    }),
                IsOk());
  });
  queued.WaitForNotification();
  const Database::WriteStats before = db_->write_stats();
  absl::Status b, c, d;
  std::thread tb([&] { b = db_->Write([&](Connection& conn) { return Insert(conn, "b"); }); });
  absl::SleepFor(absl::Milliseconds(100));
  std::thread tc([&] {
    c = db_->Write([&](Connection& conn) -> absl::Status {
      RETURN_IF_ERROR(Insert(conn, "c"));
      return absl::FailedPreconditionError("c: refused after writing");
    });
  });
  absl::SleepFor(absl::Milliseconds(100));
  std::thread td([&] { d = db_->Write([&](Connection& conn) { return Insert(conn, "d"); }); });
  absl::SleepFor(absl::Milliseconds(200));
  release.Notify();
  first.join();
  tb.join();
  tc.join();
  td.join();
  EXPECT_THAT(b, IsOk());
  EXPECT_THAT(c, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("refused")));
  EXPECT_THAT(d, IsOk());
  EXPECT_THAT(Keys(), ::testing::ElementsAre("a", "b", "d"));
  const Database::WriteStats after = db_->write_stats();
  EXPECT_EQ(after.writes - before.writes, 4);
  EXPECT_EQ(after.commits - before.commits, 2) << "b, c and d share one commit";
}

// Holds the writer with one write while `writes` queue behind it in order,
// so that they run as one batch; returns their statuses.
std::vector<absl::Status> RunAsOneBatch(
    Database& db, const std::vector<std::function<absl::Status(Connection&)>>& writes) {
  absl::Notification queued, release;
  std::thread holder([&] {
    EXPECT_THAT(db.Write([&](Connection&) -> absl::Status {
      queued.Notify();
      release.WaitForNotification();
      return absl::OkStatus();
    }),
                IsOk());
  });
  queued.WaitForNotification();
  std::vector<absl::Status> statuses(writes.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < writes.size(); ++i) {
    threads.emplace_back([&, i] { statuses[i] = db.Write(writes[i]); });
    absl::SleepFor(absl::Milliseconds(50));
  }
  release.Notify();
  holder.join();
  for (auto& t : threads) t.join();
  return statuses;
}

TEST_F(GroupCommitTest, AFailureAfterChangesRunsTheOthersAgainEachInItsOwnSavepoint) {
  std::atomic<int> runs_b{0}, runs_c{0}, runs_d{0}, runs_e{0};
  const Database::WriteStats before = db_->write_stats();
  std::vector<absl::Status> s = RunAsOneBatch(
      *db_, {[&](Connection& c) {
               ++runs_b;
               return Insert(c, "b");
             },
             [&](Connection& c) -> absl::Status {
               ++runs_c;
               RETURN_IF_ERROR(Insert(c, "c"));
               return absl::FailedPreconditionError("c: refused after writing");
             },
             [&](Connection& c) {
               ++runs_d;
               return Insert(c, "d");
             },
             [&](Connection& c) -> absl::Status {
               ++runs_e;
               RETURN_IF_ERROR(Insert(c, "e"));
               return absl::FailedPreconditionError("e: refused after writing");
             }});
  EXPECT_THAT(s[0], IsOk());
  EXPECT_THAT(s[1], StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("c: refused")));
  EXPECT_THAT(s[2], IsOk());
  EXPECT_THAT(s[3], StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("e: refused")));
  EXPECT_THAT(Keys(), ::testing::ElementsAre("b", "d"));
  // b ran before c failed and again after the rollback; the failed c is
  // not run again; d and e ran once, in savepoints.
  EXPECT_EQ(runs_b.load(), 2);
  EXPECT_EQ(runs_c.load(), 1);
  EXPECT_EQ(runs_d.load(), 1);
  EXPECT_EQ(runs_e.load(), 1);
  const Database::WriteStats after = db_->write_stats();
  EXPECT_EQ(after.commits - before.commits, 2) << "the holder's commit and the batch's one";
}

TEST_F(GroupCommitTest, AFailureWithoutChangesNeedsNoRollbackAndNothingRunsTwice) {
  std::atomic<int> runs_b{0}, runs_d{0};
  std::vector<absl::Status> s = RunAsOneBatch(
      *db_, {[&](Connection& c) {
               ++runs_b;
               return Insert(c, "b");
             },
             [&](Connection& c) -> absl::Status {
               // A refused insert (duplicate key) is taken back by SQLite.
               RETURN_IF_ERROR(Insert(c, "b"));
               return absl::OkStatus();
             },
             [&](Connection& c) {
               ++runs_d;
               return Insert(c, "d");
             }});
  EXPECT_THAT(s[0], IsOk());
  EXPECT_THAT(s[1], StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("insert")));
  EXPECT_THAT(s[2], IsOk());
  EXPECT_THAT(Keys(), ::testing::ElementsAre("b", "d"));
  EXPECT_EQ(runs_b.load(), 1);
  EXPECT_EQ(runs_d.load(), 1);
}

TEST_F(GroupCommitTest, TheFirstWriteOfATransactionFailingAfterChangesRollsBackAloneAndTheRestRunOnce) {
  std::atomic<int> runs_c{0};
  std::vector<absl::Status> s = RunAsOneBatch(
      *db_, {[&](Connection& c) -> absl::Status {
               RETURN_IF_ERROR(Insert(c, "b"));
               return absl::AbortedError("b: refused after writing");
             },
             [&](Connection& c) {
               ++runs_c;
               return Insert(c, "c");
             }});
  EXPECT_THAT(s[0], StatusIs(absl::StatusCode::kAborted, HasSubstr("b: refused")));
  EXPECT_THAT(s[1], IsOk());
  EXPECT_THAT(Keys(), ::testing::ElementsAre("c"));
  EXPECT_EQ(runs_c.load(), 1);
}

// Schema changes count in no row total: a failing migration must still
// leave nothing behind, alone or in a batch.
TEST_F(GroupCommitTest, AFailingSchemaChangeLeavesNothingAloneOrInABatch) {
  const auto has_table = [&](const std::string& name) {
    bool found = false;
    EXPECT_THAT(db_->Read([&](Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(Statement st, c.Prepare("SELECT 1 FROM sqlite_master WHERE name = ?1",
                                               "table exists"));
      st.Bind(1, name);
      ASSIGN_OR_RETURN(found, st.Step());
      return absl::OkStatus();
    }),
                IsOk());
    return found;
  };
  // Alone: the second statement fails (t exists), the first must go too.
  EXPECT_FALSE(db_->Write([](Connection& c) {
                    return c.Exec("CREATE TABLE x (a); CREATE TABLE t (k);", "two tables");
                  })
                   .ok());
  EXPECT_FALSE(has_table("x"));
  // Second in a batch, after a write that commits.
  std::vector<absl::Status> s = RunAsOneBatch(
      *db_, {[&](Connection& c) { return Insert(c, "b"); },
             [&](Connection& c) -> absl::Status {
               RETURN_IF_ERROR(c.Exec("CREATE TABLE y (a);", "table y"));
               RETURN_IF_ERROR(c.Exec("PRAGMA user_version = 42;", "version"));
               return absl::InternalError("migration failed halfway");
             }});
  EXPECT_THAT(s[0], IsOk());
  EXPECT_THAT(s[1], StatusIs(absl::StatusCode::kInternal, HasSubstr("halfway")));
  EXPECT_FALSE(has_table("y"));
  EXPECT_THAT(Keys(), ::testing::ElementsAre("b"));
  absl::StatusOr<int> version = db_->SchemaVersion();
  ASSERT_THAT(version, IsOk());
  EXPECT_EQ(*version, 0);
}

TEST_F(GroupCommitTest, AWriteThatBreaksAConstraintFailsAloneAndTheOthersCommit) {
  ASSERT_THAT(db_->Write([&](Connection& c) { return Insert(c, "taken"); }), IsOk());
  constexpr int kThreads = 16, kEach = 20;
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        // Every tenth write collides with an existing key.
        std::string k = i % 10 == 9 ? "taken" : absl::StrCat("k", t, "-", i);
        absl::Status s = db_->Write([&](Connection& c) { return Insert(c, k); });
        if (k == "taken") {
          EXPECT_THAT(s, StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("insert")));
          ++failed;
        } else {
          EXPECT_THAT(s, IsOk());
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), kThreads * 2);
  EXPECT_EQ(Keys().size(), 1u + kThreads * (kEach - 2));
  const Database::WriteStats stats = db_->write_stats();
  EXPECT_LT(stats.commits, stats.writes) << "concurrent writes should share commits";
}

TEST_F(GroupCommitTest, ReadsDoNotWaitForAWriteAndSeeOnlyWhatIsCommitted) {
  ASSERT_THAT(db_->Write([&](Connection& c) { return Insert(c, "before"); }), IsOk());
  absl::Notification inside, release;
  std::thread writer([&] {
    EXPECT_THAT(db_->Write([&](Connection& c) -> absl::Status {
      RETURN_IF_ERROR(Insert(c, "during"));
      inside.Notify();
      release.WaitForNotification();
      return absl::OkStatus();
    }),
                IsOk());
  });
  inside.WaitForNotification();
  // The writer holds its transaction open; reads still answer, from the
  // last commit.
  for (int i = 0; i < 8; ++i) EXPECT_THAT(Keys(), ::testing::ElementsAre("before"));
  release.Notify();
  writer.join();
  EXPECT_THAT(Keys(), ::testing::ElementsAre("before", "during"));
}

TEST_F(GroupCommitTest, ABackgroundCheckpointMovesTheWalIntoTheDatabaseFile) {
  ASSERT_THAT(db_->Write([](Connection& c) { return c.Exec("CREATE TABLE b (x BLOB);", "b"); }),
              IsOk());
  const auto file_size = [&] { return std::filesystem::file_size(dir_.File("g.db")); };
  const uintmax_t before = file_size();
  // ~1,500 pages of 4 KiB, more than kCheckpointPages, in a few commits.
  for (int i = 0; i < 6; ++i) {
    ASSERT_THAT(db_->Write([](Connection& c) {
      return c.Exec(
          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 250) "
          "INSERT INTO b SELECT randomblob(3500) FROM n;",
          "blobs");
    }),
                IsOk());
  }
  absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (db_->write_stats().checkpoints == 0 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_GE(db_->write_stats().checkpoints, 1);
  EXPECT_GT(file_size(), before + 4 * 1000 * 1000) << "the WAL's pages reached the file";
  int64_t rows = 0;
  ASSERT_THAT(db_->Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare("SELECT count(*) FROM b", "count"));
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (row) rows = st.ColumnInt(0);
    return absl::OkStatus();
  }),
              IsOk());
  EXPECT_EQ(rows, 1500);
}

TEST_F(GroupCommitTest, AReadCannotWrite) {
  EXPECT_FALSE(db_->Read([&](Connection& c) { return Insert(c, "x"); }).ok());
  EXPECT_TRUE(Keys().empty());
}

TEST_F(GroupCommitTest, AnExceptionInAWriteFailsThatWriteOnly) {
  absl::Status s = db_->Write([](Connection&) -> absl::Status { throw std::runtime_error("boom"); });
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInternal, HasSubstr("boom")));
  EXPECT_THAT(db_->Write([&](Connection& c) { return Insert(c, "after"); }), IsOk());
  EXPECT_THAT(Keys(), ::testing::ElementsAre("after"));
}

}  // namespace
}  // namespace schakel::store
