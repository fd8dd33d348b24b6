// The PostgreSQL engine (server/store/postgres_database.h) against a real
// PostgreSQL 15 of the test's own: transactions, group commit, the error
// mapping, sealed fields, and a server that goes away and comes back.
#include "server/store/postgres_database.h"

#include <algorithm>
#include <any>
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/synchronization/mutex.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/read_stop.h"
#include "server/common/status_macros.h"
#include "server/crypto/field_cipher.h"
#include "server/store/instance_wakeups.h"
#include "server/store/shared_generations.h"
#include "tests/support/postgres.h"
#include "tests/support/test_support.h"

namespace schakel::store {
namespace {

using ::schakel::testing::IsOk;
using ::schakel::testing::SharedTestPostgres;
using ::schakel::testing::StatusIs;
using ::schakel::testing::TestPostgres;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

std::shared_ptr<const crypto::FieldKeyring> Keyring() {
  auto keyring = crypto::FieldKeyring::Create({{1, *crypto::NewDataKey()}}, 1,
                                              *crypto::NewDataKey());
  EXPECT_THAT(keyring, IsOk());
  return *keyring;
}

class PostgresDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> name = pg().CreateUniqueDatabase("engine");
    ASSERT_THAT(name, IsOk());
    dbname_ = *name;
    db_ = OpenDb();
    ASSERT_NE(db_, nullptr);
    ASSERT_THAT(db_->Write([](Connection& c) {
      return c.Exec(
          "CREATE TABLE items (id BIGINT PRIMARY KEY, label TEXT NOT NULL, note TEXT);"
          "CREATE TABLE schema_version (version BIGINT NOT NULL);"
          "INSERT INTO schema_version VALUES (15);",
          "schema");
    }), IsOk());
  }

  virtual TestPostgres& pg() { return SharedTestPostgres(); }

  std::unique_ptr<PostgresDatabase> OpenDb() {
    PostgresDatabase::Options options;
    options.conninfo = pg().owner_conninfo(dbname_);
    options.keyring = keyring_;
    absl::StatusOr<std::unique_ptr<PostgresDatabase>> db = PostgresDatabase::Open(options);
    EXPECT_THAT(db, IsOk());
    return db.ok() ? *std::move(db) : nullptr;
  }

  absl::Status Insert(int64_t id, absl::string_view label) {
    return db_->Write([&](Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(Statement st, c.Prepare("INSERT INTO items (id, label) VALUES (?1, ?2)",
                                               "insert item"));
      st.Bind(1, id).Bind(2, label);
      return st.Run();
    });
  }

  // The labels of every item, by id, "-" for none.
  std::string Labels() {
    std::string out;
    EXPECT_THAT(db_->Read([&](Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(Statement st, c.Prepare("SELECT id, label FROM items ORDER BY id", "list"));
      while (true) {
        ASSIGN_OR_RETURN(bool row, st.Step());
        if (!row) return absl::OkStatus();
        absl::StrAppend(&out, out.empty() ? "" : ",", st.ColumnInt(0), "=", st.ColumnView(1));
      }
    }), IsOk());
    return out.empty() ? "-" : out;
  }

  std::shared_ptr<const crypto::FieldKeyring> keyring_ = Keyring();
  std::string dbname_;
  std::unique_ptr<PostgresDatabase> db_;
};

TEST_F(PostgresDatabaseTest, WritesAreReadBackWithParametersOfEveryKind) {
  EXPECT_EQ(db_->engine(), Engine::kPostgresql);
  ASSERT_THAT(db_->Write([](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st,
                     c.Prepare("INSERT INTO items (id, label, note) VALUES (:id, :label, :note)",
                               "insert named"));
    EXPECT_TRUE(st.HasParameter(":note"));
    EXPECT_FALSE(st.HasParameter(":absent"));
    st.BindName(":id", int64_t{7}).BindName(":label", "it's ?1 :x").BindNameOrNull(":note", "");
    RETURN_IF_ERROR(st.Run());
    EXPECT_EQ(c.Changes(), 1);
    return absl::OkStatus();
  }), IsOk());
  ASSERT_THAT(db_->Read([](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare("SELECT label, note, id = ?1, id > ?1, count(*) OVER ()"
                                             " FROM items WHERE id = ?1", "read"));
    st.Bind(1, int64_t{7});
    ASSIGN_OR_RETURN(bool row, st.Step());
    EXPECT_TRUE(row);
    EXPECT_EQ(st.ColumnText(0), "it's ?1 :x");
    EXPECT_TRUE(st.ColumnIsNull(1));
    EXPECT_EQ(st.ColumnInt(2), 1);  // a comparison reads as SQLite's 1
    EXPECT_EQ(st.ColumnInt(3), 0);  // and 0
    EXPECT_EQ(st.ColumnInt(4), 1);
    ASSIGN_OR_RETURN(row, st.Step());
    EXPECT_FALSE(row);
    // Reset and run again with another binding: the prepared statement is
    // kept, the old result is not.
    st.Reset();
    st.Bind(1, int64_t{8});
    ASSIGN_OR_RETURN(row, st.Step());
    EXPECT_FALSE(row);
    return absl::OkStatus();
  }), IsOk());
  EXPECT_THAT(db_->SchemaVersion(), IsOk());
  EXPECT_EQ(db_->SchemaVersion().value_or(0), 15);
  EXPECT_THAT(db_->Ping(), IsOk());
}

TEST_F(PostgresDatabaseTest, ADuplicateKeyIsAlreadyExistsWithoutTheServersMessage) {
  ASSERT_THAT(Insert(1, "first"), IsOk());
  absl::Status again = Insert(1, "Jansen, Prinsenhof 12");
  EXPECT_THAT(again, StatusIs(absl::StatusCode::kAlreadyExists,
                              AllOf(HasSubstr("insert item"), Not(HasSubstr("Jansen")),
                                    Not(HasSubstr("duplicate")), Not(HasSubstr("(id)")))));
  EXPECT_EQ(Labels(), "1=first");
  // The writer connection is usable again.
  EXPECT_THAT(Insert(2, "second"), IsOk());
  EXPECT_EQ(Labels(), "1=first,2=second");
}

TEST_F(PostgresDatabaseTest, BadSqlIsInternalAndNamesOnlyTheStatement) {
  absl::Status s = db_->Read([](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare("SELECT no_such_column FROM items", "odd read"));
    return st.Step().status();
  });
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInternal,
                          AllOf(HasSubstr("odd read"), Not(HasSubstr("no_such_column")))));
  EXPECT_THAT(db_->Read([](Connection& c) { return c.Prepare("PRAGMA user_version", "p").status(); }),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("p: database error")));
  EXPECT_THAT(db_->Ping(), IsOk());
}

TEST_F(PostgresDatabaseTest, AReadCannotWrite) {
  absl::Status s = db_->Read([](Connection& c) {
    return c.Exec("INSERT INTO items (id, label) VALUES (5, 'x')", "sneaky write");
  });
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kUnavailable, HasSubstr("read-only")));
  EXPECT_EQ(Labels(), "-");
}

// Concurrent writes share commits; a write that fails after changing rows
// takes back its own rows only, and so does one whose failing statement
// aborted the shared transaction.
TEST_F(PostgresDatabaseTest, GroupCommitKeepsEveryGoodWriteAndNoFailedOne) {
  constexpr int kWriters = 48;
  std::vector<std::thread> threads;
  std::vector<absl::Status> results(kWriters);
  for (int i = 0; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      results[i] = db_->Write([i](Connection& c) -> absl::Status {
        ASSIGN_OR_RETURN(Statement st, c.Prepare("INSERT INTO items (id, label) VALUES (?1, ?2)",
                                                 "insert item"));
        st.Bind(1, int64_t{i}).Bind(2, absl::StrCat("w", i));
        RETURN_IF_ERROR(st.Run());
        if (i % 7 == 3) return absl::FailedPreconditionError("changed its mind");
        if (i % 7 == 5) {
          // A second insert of the same key: PostgreSQL aborts the
          // transaction the whole batch shares.
          ASSIGN_OR_RETURN(Statement dup, c.Prepare("INSERT INTO items (id, label) VALUES (?1, ?2)",
                                                    "insert item"));
          dup.Bind(1, int64_t{i}).Bind(2, "dup");
          return dup.Run();
        }
        return absl::OkStatus();
      });
    });
  }
  for (std::thread& t : threads) t.join();
  std::string expected;
  for (int i = 0; i < kWriters; ++i) {
    if (i % 7 == 3) {
      EXPECT_THAT(results[i], StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("mind")));
    } else if (i % 7 == 5) {
      EXPECT_THAT(results[i], StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("insert item")));
    } else {
      EXPECT_THAT(results[i], IsOk()) << i;
      absl::StrAppend(&expected, expected.empty() ? "" : ",", i, "=w", i);
    }
  }
  EXPECT_EQ(Labels(), expected);
  Database::WriteStats stats = db_->write_stats();
  EXPECT_EQ(stats.writes, kWriters + 1);  // and the schema's
  EXPECT_GE(stats.commits, 1);
}

// The same with the statements sent without waiting (RunPipelined): a
// duplicate is answered only during a later write of the batch or at the
// commit, and still fails only the write that sent it, while one that reads
// after sending sees its own row.
TEST_F(PostgresDatabaseTest, APipelinedStatementThatFailsLateFailsOnlyTheWriteThatSentIt) {
  constexpr int kWriters = 48;
  std::vector<std::thread> threads;
  std::vector<absl::Status> results(kWriters);
  std::vector<int64_t> seen(kWriters, -1);
  for (int i = 0; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      results[i] = db_->Write([&, i](Connection& c) -> absl::Status {
        ASSIGN_OR_RETURN(Statement st, c.Prepare("INSERT INTO items (id, label) VALUES (?1, ?2)",
                                                 "insert item"));
        st.Bind(1, int64_t{i}).Bind(2, absl::StrCat("w", i));
        RETURN_IF_ERROR(st.RunPipelined());
        if (i % 5 == 2) {
          ASSIGN_OR_RETURN(Statement dup, c.Prepare("INSERT INTO items (id, label) VALUES (?1, ?2)",
                                                    "insert item again"));
          dup.Bind(1, int64_t{i}).Bind(2, "dup");
          RETURN_IF_ERROR(dup.RunPipelined());
        }
        if (i % 5 == 4) {
          ASSIGN_OR_RETURN(Statement read, c.Prepare("SELECT count(*) FROM items WHERE id = ?1",
                                                     "read own item"));
          read.Bind(1, int64_t{i});
          ASSIGN_OR_RETURN(bool row, read.Step());
          if (row) seen[i] = read.ColumnInt(0);
        }
        return absl::OkStatus();
      });
    });
  }
  for (std::thread& t : threads) t.join();
  std::string expected;
  for (int i = 0; i < kWriters; ++i) {
    if (i % 5 == 2) {
      EXPECT_THAT(results[i], StatusIs(absl::StatusCode::kAlreadyExists,
                                       HasSubstr("insert item again"))) << i;
    } else {
      EXPECT_THAT(results[i], IsOk()) << i;
      absl::StrAppend(&expected, expected.empty() ? "" : ",", i, "=w", i);
    }
    if (i % 5 == 4) {
      EXPECT_EQ(seen[i], 1) << i;
    }
  }
  EXPECT_EQ(Labels(), expected);
  // The writer connection serves on, with and without pipelining.
  EXPECT_THAT(Insert(1000, "after"), IsOk());
}

TEST_F(PostgresDatabaseTest, SealedFieldsReachTheServerOnlyAsCiphertext) {
  const std::string secret = "Fatima el Amrani, schulden bij woningcorporatie";
  ASSERT_THAT(db_->Write([&](Connection& c) -> absl::Status {
    for (int64_t id : {1, 2}) {
      ASSIGN_OR_RETURN(Statement st, c.Prepare("INSERT INTO items (id, label, note) VALUES (?1, ?2, ?3)",
                                               "insert sealed"));
      st.Bind(1, id).Bind(2, "x").BindSealed(3, absl::StrCat("items.note/", id),
                                             absl::StrCat(secret, " ", id));
      RETURN_IF_ERROR(st.Run());
    }
    return absl::OkStatus();
  }), IsOk());
  absl::StatusOr<std::string> raw = pg().Query(dbname_, "SELECT string_agg(note, '|' ORDER BY id) FROM items");
  ASSERT_THAT(raw, IsOk());
  EXPECT_THAT(*raw, StartsWith("f1.1."));
  EXPECT_THAT(*raw, HasSubstr("|f1.1."));
  EXPECT_THAT(*raw, Not(HasSubstr("Fatima")));
  auto read_note = [&](int64_t id, std::string* out) {
    return db_->Read([&](Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(Statement st, c.Prepare("SELECT note FROM items WHERE id = ?1", "read note"));
      st.Bind(1, id);
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return absl::NotFoundError("no item");
      *out = st.ColumnSealed(0, absl::StrCat("items.note/", id));
      return absl::OkStatus();
    });
  };
  std::string note;
  ASSERT_THAT(read_note(2, &note), IsOk());
  EXPECT_EQ(note, secret + " 2");

  // Someone with the database's rights moves row 1's value into row 2: it
  // no longer opens there, and the read fails rather than show "".
  ASSERT_THAT(pg().Query(dbname_, "UPDATE items SET note = (SELECT note FROM items WHERE id = 1)"
                                  " WHERE id = 2"),
              IsOk());
  note = "unchanged";
  absl::Status moved = read_note(2, &note);
  EXPECT_THAT(moved, StatusIs(absl::StatusCode::kDataLoss,
                              AllOf(HasSubstr("items.note/2"), HasSubstr("does not authenticate"),
                                    Not(HasSubstr("Fatima")))));
  // And a write that reads it fails too, leaving nothing behind.
  absl::Status write = db_->Write([&](Connection& c) -> absl::Status {
    RETURN_IF_ERROR(c.Exec("INSERT INTO items (id, label) VALUES (9, 'after')", "insert"));
    ASSIGN_OR_RETURN(Statement st, c.Prepare("SELECT note FROM items WHERE id = 2", "read note"));
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (row) st.ColumnSealed(0, "items.note/2");
    return absl::OkStatus();
  });
  EXPECT_THAT(write, StatusIs(absl::StatusCode::kDataLoss, HasSubstr("items.note/2")));
  EXPECT_EQ(Labels(), "1=x,2=x");
}

TEST_F(PostgresDatabaseTest, WithoutAKeyringNothingPersonalIsWrittenOrRead) {
  PostgresDatabase::Options options;
  options.conninfo = pg().owner_conninfo(dbname_);
  absl::StatusOr<std::unique_ptr<PostgresDatabase>> keyless = PostgresDatabase::Open(options);
  ASSERT_THAT(keyless, IsOk());
  absl::Status write = (*keyless)->Write([](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare("INSERT INTO items (id, label, note) VALUES (1, 'x', ?1)",
                                             "insert sealed"));
    st.BindSealed(1, "items.note/1", "Jansen");
    return st.Run();
  });
  EXPECT_THAT(write, StatusIs(absl::StatusCode::kInternal, HasSubstr("no field keyring")));
  EXPECT_EQ(Labels(), "-");
  ASSERT_THAT(Insert(2, "plain"), IsOk());
  absl::Status read = (*keyless)->Read([](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare("SELECT label FROM items", "read"));
    ASSIGN_OR_RETURN(bool row, st.Step());
    EXPECT_TRUE(row);
    EXPECT_EQ(st.ColumnSealed(0, "items.label/2"), "");
    return absl::OkStatus();
  });
  EXPECT_THAT(read, StatusIs(absl::StatusCode::kInternal, HasSubstr("no field keyring")));
  // Given its keys, it serves.
  (*keyless)->SetKeyring(keyring_);
  EXPECT_THAT((*keyless)->Write([](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare("INSERT INTO items (id, label, note) VALUES (3, 'x', ?1)",
                                             "insert sealed"));
    st.BindSealed(1, "items.note/3", "Jansen");
    return st.Run();
  }), IsOk());
}

TEST_F(PostgresDatabaseTest, AServerThatCannotBeReachedIsUnavailableWithoutThePassword) {
  PostgresDatabase::Options options;
  options.keyring = keyring_;
  options.conninfo = "host=127.0.0.1 port=1 dbname=x user=x password=hunter2 connect_timeout=2";
  absl::StatusOr<std::unique_ptr<PostgresDatabase>> db = PostgresDatabase::Open(options);
  EXPECT_THAT(db, StatusIs(absl::StatusCode::kUnavailable,
                           AllOf(HasSubstr("database unavailable"), Not(HasSubstr("hunter2")))));
}

TEST_F(PostgresDatabaseTest, AReadStopCancelsTheRunningQueryAndTheConnectionServesOn) {
  std::atomic<int> checks{0};
  const absl::Time start = absl::Now();
  absl::Status s;
  {
    ScopedReadStop stop([&]() -> absl::Status {
      ++checks;
      return absl::Now() - start > absl::Milliseconds(100)
                 ? absl::DeadlineExceededError("past the deadline")
                 : absl::OkStatus();
    });
    s = db_->Read([](Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(Statement st, c.Prepare("SELECT pg_sleep(10)", "slow read"));
      return st.Step().status();
    });
  }
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kDeadlineExceeded, HasSubstr("past the deadline")));
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  EXPECT_GT(checks.load(), 5);  // asked every few milliseconds while the query ran
  // Every reader connection serves again (none is left in the cancelled
  // transaction), and without a stop nothing is cancelled.
  for (int i = 0; i < 8; ++i) EXPECT_THAT(db_->Ping(), IsOk());
  EXPECT_THAT(db_->Read([](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare("SELECT pg_sleep(0.2)", "short read"));
    return st.Step().status();
  }), IsOk());
}

// A read's BEGIN goes with its first statement and its ROLLBACK is sent
// without waiting (PgConnection::Defer): still one snapshot for all of the
// read's statements, ended as the read returns, on a connection the next
// read (also after a failed one) finds ready.
TEST_F(PostgresDatabaseTest, AReadIsOneSnapshotEndedWhenItReturns) {
  PostgresDatabase::Options options;
  options.conninfo = pg().owner_conninfo(dbname_);
  options.keyring = keyring_;
  options.readers = 1;  // every read on the same connection
  absl::StatusOr<std::unique_ptr<PostgresDatabase>> one = PostgresDatabase::Open(options);
  ASSERT_THAT(one, IsOk());
  ASSERT_THAT(Insert(1, "first"), IsOk());
  auto count = [](Connection& c, int64_t& n) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare("SELECT count(*) FROM items", "count"));
    ASSIGN_OR_RETURN(bool row, st.Step());
    n = row ? st.ColumnInt(0) : -1;
    return absl::OkStatus();
  };
  int64_t before = -1, after = -1;
  ASSERT_THAT((*one)->Read([&](Connection& c) -> absl::Status {
    RETURN_IF_ERROR(count(c, before));
    // Committed while the read runs: not in its snapshot.
    RETURN_IF_ERROR(Insert(2, "second"));
    return count(c, after);
  }), IsOk());
  EXPECT_EQ(before, 1);
  EXPECT_EQ(after, 1);
  // Ended when Read returned, not when the connection is next used: no
  // session of this database is left in a transaction.
  const std::string in_transaction =
      absl::StrCat("SELECT count(*) FROM pg_stat_activity WHERE datname = '", dbname_,
                   "' AND state LIKE 'idle in transaction%'");
  absl::StatusOr<std::string> open = pg().Query(dbname_, in_transaction);
  ASSERT_THAT(open, IsOk());
  EXPECT_EQ(*open, "0");
  int64_t next = -1;
  ASSERT_THAT((*one)->Read([&](Connection& c) { return count(c, next); }), IsOk());
  EXPECT_EQ(next, 2);
  // A read that fails, then one that reads nothing at all, leave the
  // connection to the next.
  EXPECT_THAT((*one)->Read([](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare("SELECT no_such_column FROM items", "odd read"));
    return st.Step().status();
  }), StatusIs(absl::StatusCode::kInternal, HasSubstr("odd read")));
  EXPECT_THAT((*one)->Read([](Connection&) { return absl::OkStatus(); }), IsOk());
  ASSERT_THAT(Insert(3, "third"), IsOk());
  ASSERT_THAT((*one)->Read([&](Connection& c) { return count(c, next); }), IsOk());
  EXPECT_EQ(next, 3);
  open = pg().Query(dbname_, in_transaction);
  ASSERT_THAT(open, IsOk());
  EXPECT_EQ(*open, "0");
}

// What a write transaction keeps for its later statements
// (Connection::TransactionMemo) is its own: emptied for the next
// transaction and when a failing write of the batch is taken back.
TEST_F(PostgresDatabaseTest, ATransactionsMemoNeverOutlivesWhatItDescribes) {
  EXPECT_THAT(db_->Read([](Connection& c) -> absl::Status {
    return c.TransactionMemo("k") == nullptr ? absl::OkStatus()
                                             : absl::InternalError("a read has a memo");
  }), IsOk());
  ASSERT_THAT(db_->Write([](Connection& c) -> absl::Status {
    std::any* memo = c.TransactionMemo("k");
    if (memo == nullptr || memo->has_value()) return absl::InternalError("no empty memo");
    *memo = std::string("kept");
    return absl::OkStatus();
  }), IsOk());
  constexpr int kWriters = 32;
  std::vector<std::thread> threads;
  std::vector<absl::Status> results(kWriters);
  std::vector<std::string> found(kWriters);
  for (int i = 0; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      results[i] = db_->Write([&, i](Connection& c) -> absl::Status {
        std::any* memo = c.TransactionMemo("k");
        found[i] = memo->has_value() ? std::any_cast<std::string>(*memo) : "";
        ASSIGN_OR_RETURN(Statement st, c.Prepare("INSERT INTO items (id, label) VALUES (?1, ?2)",
                                                 "insert item"));
        st.Bind(1, int64_t{i}).Bind(2, absl::StrCat("w", i));
        RETURN_IF_ERROR(st.Run());
        *memo = absl::StrCat("w", i);
        // Changed rows, then failed: its memo goes with its rows.
        if (i % 4 == 1) return absl::FailedPreconditionError("changed its mind");
        return absl::OkStatus();
      });
    });
  }
  for (std::thread& t : threads) t.join();
  for (int i = 0; i < kWriters; ++i) {
    // Never the last transaction's, never a failed write's: empty, or a
    // write's of the same batch that was kept.
    EXPECT_NE(found[i], "kept") << i;
    if (!found[i].empty()) {
      int w = -1;
      ASSERT_TRUE(absl::SimpleAtoi(absl::string_view(found[i]).substr(1), &w)) << found[i];
      EXPECT_NE(w % 4, 1) << i << " saw the memo of a failed write";
    }
    if (i % 4 == 1) {
      EXPECT_THAT(results[i], StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("mind"))) << i;
    } else {
      EXPECT_THAT(results[i], IsOk()) << i;
    }
  }
}

// Several instances' caches (store/shared_generations.h): a raise
// committed before a Refresh began is always seen by it, also while other
// Refresh calls share reads.
TEST_F(PostgresDatabaseTest, ARefreshSeesEveryRaiseCommittedBeforeItAndSharesReads) {
  ASSERT_THAT(db_->Write([](Connection& c) {
    return c.Exec(
        "CREATE TABLE cache_generations (name TEXT PRIMARY KEY, generation BIGINT NOT NULL);"
        "INSERT INTO cache_generations VALUES ('directory', 0), ('break_glass', 0);",
        "generations");
  }), IsOk());
  SharedGenerations shared(db_.get());
  std::atomic<int> emptied{0};
  shared.OnChange(SharedCache::kDirectory, [&] { ++emptied; });
  shared.OnChange(SharedCache::kBreakGlass, [] {});
  ASSERT_THAT(shared.Refresh(), IsOk());
  const int at_start = emptied.load();
  EXPECT_EQ(at_start, 1);  // the first read sees generation 0 > nothing seen
  ASSERT_THAT(shared.Refresh(), IsOk());
  EXPECT_EQ(emptied.load(), at_start);  // nothing raised: nothing emptied

  constexpr int kRounds = 20;
  constexpr int kCallers = 16;
  std::atomic<bool> stop{false};
  // Callers refreshing all along, as requests do.
  std::vector<std::thread> callers;
  std::atomic<int> calls{0};
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back([&] {
      while (!stop) {
        EXPECT_THAT(shared.Refresh(), IsOk());
        ++calls;
      }
    });
  }
  for (int round = 0; round < kRounds; ++round) {
    const int before = emptied.load();
    ASSERT_THAT(db_->Write([](Connection& c) {
      return BumpSharedGeneration(c, SharedCache::kDirectory);
    }), IsOk());
    // Committed: the next Refresh to begin empties the cache before it
    // returns, whatever the callers are doing.
    ASSERT_THAT(shared.Refresh(), IsOk());
    EXPECT_GT(emptied.load(), before) << round;
  }
  stop = true;
  for (std::thread& t : callers) t.join();
  EXPECT_EQ(emptied.load(), at_start + kRounds);  // once per raise
  EXPECT_LT(shared.reads(), static_cast<uint64_t>(calls.load()));  // reads were shared
  // Fail closed: unreadable generations are UNAVAILABLE, never a stale OK.
  ASSERT_THAT(db_->Write([](Connection& c) {
    return c.Exec("DROP TABLE cache_generations", "drop");
  }), IsOk());
  EXPECT_THAT(shared.Refresh(), StatusIs(absl::StatusCode::kUnavailable, HasSubstr("retry")));
}

// Wake-ups across instances (store/instance_wakeups.h): heard at commit,
// never from a write taken back, a long list in several notifications, and
// again after the listening connection was ended.
TEST_F(PostgresDatabaseTest, AnnouncedRecipientsAreHeardAtCommitOnlyAndAfterAReconnect) {
  absl::Mutex mu;
  std::vector<std::string> heard;
  std::atomic<bool> stop{false};
  std::thread listener([&] {
    db_->Listen(kNotificationsChannel,
                [&](const std::string& payload) {
                  absl::MutexLock lock(&mu);
                  for (std::string& r : RecipientsOf(payload)) heard.push_back(std::move(r));
                },
                [&] { return stop.load(); });
  });
  auto heard_now = [&] {
    absl::MutexLock lock(&mu);
    return heard;
  };
  auto wait_for = [&](size_t n, int tries = 200) {
    for (int i = 0; i < tries && heard_now().size() < n; ++i) {
      absl::SleepFor(absl::Milliseconds(25));
    }
    return heard_now();
  };
  // The listener is in place once a notification of its own is heard.
  do {
    ASSERT_THAT(db_->Write([](Connection& c) { return AnnounceNotifications(c, {"probe"}); }),
                IsOk());
  } while (wait_for(1, 4).empty());
  {
    absl::MutexLock lock(&mu);
    heard.clear();
  }
  // Taken back: nothing is heard.
  EXPECT_THAT(db_->Write([](Connection& c) -> absl::Status {
    RETURN_IF_ERROR(AnnounceNotifications(c, {"never"}));
    return absl::AbortedError("taken back");
  }), StatusIs(absl::StatusCode::kAborted, HasSubstr("taken back")));
  std::vector<std::string> many;
  for (int i = 0; i < 1000; ++i) many.push_back(absl::StrCat("professional-", 100000 + i));
  ASSERT_THAT(db_->Write([&](Connection& c) { return AnnounceNotifications(c, many); }), IsOk());
  EXPECT_EQ(wait_for(many.size()), many);  // 19 kB: in three notifications, in order

  // Its session ended: it listens again on a new one.
  ASSERT_THAT(pg().Query(dbname_, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                                  " WHERE query LIKE 'LISTEN%' AND datname = current_database()"),
              IsOk());
  bool again = false;
  for (int i = 0; i < 100 && !again; ++i) {
    ASSERT_THAT(db_->Write([](Connection& c) { return AnnounceNotifications(c, {"again"}); }),
                IsOk());
    absl::SleepFor(absl::Milliseconds(100));
    const std::vector<std::string> now = heard_now();
    again = std::find(now.begin(), now.end(), "again") != now.end();
  }
  EXPECT_TRUE(again);
  stop = true;
  listener.join();
  const std::vector<std::string> all = heard_now();
  EXPECT_EQ(std::find(all.begin(), all.end(), "never"), all.end());
}

// A cluster of this test's own, killed and restarted.
class PostgresRestartTest : public PostgresDatabaseTest {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<TestPostgres>> pg = TestPostgres::Start();
    ASSERT_THAT(pg, IsOk());
    own_ = *std::move(pg);
    PostgresDatabaseTest::SetUp();
  }
  void TearDown() override {
    db_.reset();
    own_.reset();
  }
  TestPostgres& pg() override { return *own_; }
  std::unique_ptr<TestPostgres> own_;
};

TEST_F(PostgresRestartTest, AServerThatWentAwayIsUnavailableThenServesAgain) {
  ASSERT_THAT(Insert(1, "before"), IsOk());
  EXPECT_EQ(Labels(), "1=before");
  ASSERT_THAT(own_->Kill9(), IsOk());
  EXPECT_THAT(Insert(2, "during"), StatusIs(absl::StatusCode::kUnavailable, HasSubstr("retry")));
  EXPECT_THAT(db_->Ping(), StatusIs(absl::StatusCode::kUnavailable, HasSubstr("retry")));
  ASSERT_THAT(own_->Restart(), IsOk());
  // Reconnected by itself; what was acknowledged survived the crash, what
  // failed is not there.
  EXPECT_THAT(Insert(3, "after"), IsOk());
  EXPECT_EQ(Labels(), "1=before,3=after");
  EXPECT_THAT(db_->Ping(), IsOk());
}

}  // namespace
}  // namespace schakel::store
