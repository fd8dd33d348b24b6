// A full disk and a failing fsync, injected under SQLite by a test VFS, with
// the real store, the real server and real TLS on top.
#include <sqlcipher/sqlite3.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/status_macros.h"
#include "server/crypto/openssl_util.h"
#include "server/store/database.h"
#include "server/store/sqlite_database.h"
#include "tests/fault/fault_fixture.h"
#include "tests/support/fault_vfs.h"
#include "tests/support/test_support.h"

namespace schakel {
namespace {

using ::schakel::testing::FaultVfs;
using ::schakel::testing::IsOk;
using ::schakel::testing::StatusIs;
using ::testing::HasSubstr;

class DiskFaultEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { FaultVfs::Install(); }
};
const auto* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new DiskFaultEnvironment);

// Every test leaves the disk healthy, whatever it asserted.
class Healthy {
 public:
  ~Healthy() {
    FaultVfs::SetDiskFull(false);
    FaultVfs::SetSyncFails(false);
  }
};

std::unique_ptr<store::Database> OpenTable(const std::string& path) {
  auto db = store::SqliteDatabase::Open(path, std::string(32, '\x5a'), /*create=*/true);
  EXPECT_THAT(db, IsOk());
  EXPECT_THAT((*db)->Write([](store::Connection& c) {
    return c.Exec("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT NOT NULL);",
                  "create t");
  }),
              IsOk());
  return std::move(db).value();
}

absl::Status Insert(store::Database& db, int id) {
  return db.Write([id](store::Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(store::Statement st, c.Prepare("INSERT INTO t (id, v) VALUES (?, ?)", "insert t"));
    st.Bind(1, static_cast<int64_t>(id)).Bind(2, std::string(300, 'x'));
    return st.Run();
  });
}

int64_t Count(store::Database& db, std::string* integrity = nullptr) {
  int64_t n = -1;
  EXPECT_THAT(db.Read([&](store::Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(store::Statement st, c.Prepare("SELECT count(*) FROM t", "count"));
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (row) n = st.ColumnInt(0);
    if (integrity != nullptr) {
      ASSIGN_OR_RETURN(store::Statement check, c.Prepare("PRAGMA integrity_check", "check"));
      ASSIGN_OR_RETURN(bool r, check.Step());
      if (r) *integrity = check.ColumnText(0);
    }
    return absl::OkStatus();
  }),
              IsOk());
  return n;
}

TEST(DiskFaultTest, AFullDiskRefusesWritesWithResourceExhaustedAndCorruptsNothing) {
  Healthy healthy;
  testing::TempDir tmp;
  std::string path = tmp.File("t.db");
  {
    auto db = OpenTable(path);
    for (int i = 0; i < 50; ++i) ASSERT_THAT(Insert(*db, i), IsOk());
    long refused = FaultVfs::RefusedWrites();
    FaultVfs::SetDiskFull(true);
    for (int i = 50; i < 60; ++i) {
      absl::Status s = Insert(*db, i);
      EXPECT_THAT(s, StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("disk full")));
      // No SQLite message reaches the status.
      EXPECT_THAT(std::string(s.message()), ::testing::Not(HasSubstr("database or disk")));
    }
    EXPECT_GT(FaultVfs::RefusedWrites(), refused);  // the fault was really hit
    // Reads still work while the disk is full.
    EXPECT_EQ(Count(*db), 50);
    // Space returns: the same connection writes again, nothing to restart.
    FaultVfs::SetDiskFull(false);
    ASSERT_THAT(Insert(*db, 60), IsOk());
    std::string integrity;
    EXPECT_EQ(Count(*db, &integrity), 51);
    EXPECT_EQ(integrity, "ok");
  }
  // Reopened from the file: the refused writes left nothing, the rest is there.
  auto db = OpenTable(path);
  std::string integrity;
  EXPECT_EQ(Count(*db, &integrity), 51);
  EXPECT_EQ(integrity, "ok");
}

TEST(DiskFaultDeathTest, AFailedFsyncStopsTheProcess) {
  // Death tests run first, before any gRPC thread exists: fork is safe.
  ::testing::FLAGS_gtest_death_test_style = "fast";
  testing::TempDir tmp;
  std::string path = tmp.File("t.db");
  ASSERT_THAT(Insert(*OpenTable(path), 1), IsOk());
  EXPECT_DEATH(
      {
        auto db = OpenTable(path);
        FaultVfs::SetSyncFails(true);
        absl::Status s = Insert(*db, 2);
        // Not reached: carrying on after a failed fsync is the bug.
        std::fprintf(stderr, "carried on: %s\n", s.ToString().c_str());
        std::exit(0);
      },
      "fsync failed during commit");
  // The write that met the failure was never acknowledged; whether its
  // frames reached the disk is up to the kernel. The acknowledged one is
  // there and the file opens intact.
  std::string integrity;
  int64_t n = Count(*OpenTable(path), &integrity);
  EXPECT_GE(n, 1);
  EXPECT_LE(n, 2);
  EXPECT_EQ(integrity, "ok");
}

// The real server on a disk that fills up and empties again.
class ServerDiskFaultTest : public testing::FaultFixture {
 protected:
  void SetUp() override { StartServer(); }
};

TEST_F(ServerDiskFaultTest, AFullDiskRefusesChangesAndAuditedReadsUntilSpaceReturns) {
  Healthy healthy;
  using testing::Serving;
  v1::Signal before;
  grpc::Status first = Create(1, &before);
  ASSERT_TRUE(first.ok()) << first.error_message();
  ASSERT_TRUE(HealthBecomes(Serving::SERVING));

  FaultVfs::SetDiskFull(true);
  v1::Signal none;
  grpc::Status create = Create(2, &none);
  EXPECT_EQ(create.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << create.error_message();
  EXPECT_THAT(create.error_message(), HasSubstr("disk full"));
  EXPECT_TRUE(none.id().empty());
  // A read whose audit entry cannot be written returns nothing: fail closed.
  grpc::Status get = Get(before.id());
  EXPECT_EQ(get.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << get.error_message();
  EXPECT_TRUE(HealthBecomes(Serving::NOT_SERVING));

  // Space returns: the service resumes by itself, with nothing half-written.
  FaultVfs::SetDiskFull(false);
  EXPECT_TRUE(HealthBecomes(Serving::SERVING));
  EXPECT_TRUE(Get(before.id()).ok());
  v1::Signal after;
  ASSERT_TRUE(Create(2, &after).ok());  // the refused request, retried
  EXPECT_EQ(ListCount(), 2);

  ExpectAuditIntact();
}

}  // namespace
}  // namespace schakel
