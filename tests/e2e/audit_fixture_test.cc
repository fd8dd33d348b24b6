// End to end: an audit log written by schakel before encoding version 3
// (tests/fixtures/audit-v2-log, made by make_audit_v2_log.sh with the
// binaries of the commit before issue 18 items 1-3) verifies with today's
// `schakel-admin audit verify`, after migration 10 ran over it; and its
// resident index and break-glass session are checked too.
#include <filesystem>
#include <regex>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/files.h"
#include "server/deployment/deployment.h"
#include "server/store/database.h"
#include "tests/support/process.h"
#include "tests/support/test_support.h"
#include "tests/support/transaction.h"

namespace schakel {
namespace {

using ::schakel::testing::Bin;
using ::schakel::testing::IsOk;
using ::schakel::testing::ReadFileOrDie;
using ::schakel::testing::Result;
using ::schakel::testing::RunCommand;
using ::schakel::testing::TempDir;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;

class AuditFixtureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = tmp_.File("deployment");
    std::filesystem::copy(SCHAKEL_FIXTURE_DIR "/audit-v2-log", dir_,
                          std::filesystem::copy_options::recursive);
    // git keeps no modes: the secrets must be private again.
    std::filesystem::permissions(dir_, std::filesystem::perms::owner_all);
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_)) {
      std::filesystem::permissions(entry.path(), entry.is_directory()
                                                     ? std::filesystem::perms::owner_all
                                                     : std::filesystem::perms::owner_read |
                                                           std::filesystem::perms::owner_write);
    }
    const std::string readme = ReadFileOrDie(dir_ + "/README");
    resident_ = readme.substr(readme.find(' ') + 1, readme.find('\n') - readme.find(' ') - 1);
  }

  Result Verify() {
    return RunCommand({Bin("schakel-admin"), "audit", "verify", "--deployment", dir_});
  }

  std::unique_ptr<store::Database> OpenDb() {
    deployment::Paths paths(dir_);
    auto config = deployment::LoadConfig(paths);
    EXPECT_THAT(config, IsOk());
    auto kek = deployment::ReadKek(paths, config->kek(), std::nullopt);
    EXPECT_THAT(kek, IsOk());
    auto db = deployment::OpenDatabase(paths, *kek);
    EXPECT_THAT(db, IsOk());
    return std::move(db).value();
  }

  int64_t QueryInt(const std::string& sql) { return testing::QueryInt(*OpenDb(), sql); }

  std::string QueryText(const std::string& sql) { return testing::QueryText(*OpenDb(), sql); }

  void Tamper(const std::string& sql) {
    auto db = OpenDb();
    testing::Tamper(*db, sql);
  }

  // The one line `schakel-admin audit verify` fails with.
  static std::string NotIntact(int64_t seq, const std::string& problem) {
    return absl::StrCat("schakel-admin: audit log NOT INTACT at seq ", seq, ": ", problem, "\n");
  }

  TempDir tmp_;
  std::string dir_;
  std::string resident_;
};

TEST_F(AuditFixtureTest, ALogOfVersionOneAndTwoEntriesStillVerifies) {
  Result r = Verify();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, IsEmpty());
  EXPECT_THAT(r.out, MatchesRegex("intact: [0-9]+ entries, head [0-9]+:[0-9a-f]+, [0-9]+ "
                                  "checkpoints\n"));
  // What it holds: only old entries, of both versions, and a session whose
  // reason is in the clear (migration 10 ran over it and changed no entry).
  EXPECT_EQ(QueryInt("SELECT count(*) FROM audit_log WHERE version <> 0"), 0);
  EXPECT_GT(QueryInt("SELECT count(*) FROM audit_log WHERE privacy_request = ''"), 10);
  EXPECT_EQ(QueryInt("SELECT count(*) FROM audit_log WHERE privacy_request <> ''"), 2);
  EXPECT_EQ(QueryInt("SELECT count(*) FROM breakglass_sessions WHERE reason_sealed = ''"
                     " AND length(reason) >= 20"),
            1);
  // The old binaries recorded no published lines: a shortened file is found
  // only for lines published from migration 10 on.
  EXPECT_EQ(QueryInt("SELECT count(*) FROM audit_published"), 0);
}

// The index of entries written before version 3 is verified as well: their
// residents field was always hashed and the index written from it.
TEST_F(AuditFixtureTest, DeletedIndexRowsOfOldEntriesAreFound) {
  const int64_t first = QueryInt(absl::StrCat(
      "SELECT min(seq) FROM audit_residents WHERE resident_id = '", resident_, "'"));
  ASSERT_GT(first, 0);
  Tamper(absl::StrCat("DELETE FROM audit_residents WHERE resident_id = '", resident_, "'"));
  Result r = Verify();
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_THAT(r.out, IsEmpty());
  EXPECT_EQ(r.err, NotIntact(first, absl::StrCat(
                                        "the resident index lacks the row (seq ", first,
                                        ", resident ", resident_,
                                        ") of an entry that concerns the resident (deleted from "
                                        "audit_residents: the resident's access report leaves "
                                        "the entry out)")));
}

// An old session has no commitment in its entry; that it exists, for the
// entry's professional and resident, is checked.
TEST_F(AuditFixtureTest, ADeletedOldBreakGlassSessionIsFound) {
  const std::string session = QueryText("SELECT id FROM breakglass_sessions");
  const int64_t opened = QueryInt(absl::StrCat(
      "SELECT seq FROM audit_log WHERE action = 'ResidentService.OpenBreakGlass' AND "
      "outcome = 'allowed' AND resource_id = '", session, "'"));
  ASSERT_GT(opened, 0);
  Tamper("DELETE FROM breakglass_sessions");
  Result r = Verify();
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_EQ(r.err, NotIntact(opened, absl::StrCat("the break-glass session ", session,
                                                  " that entry ", opened,
                                                  " opened is missing from breakglass_sessions "
                                                  "(deleted: the auditor's list and its anomaly "
                                                  "lose it)")));
}

}  // namespace
}  // namespace schakel
