// Operator acts outside the API leave chained audit entries: `key rotate`,
// `key rewrap` and `restore` with the real schakel-admin, then `audit
// verify` on the result (issue 16, item 6).
#include <sys/stat.h>

#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/audit/audit_store.h"
#include "server/deployment/deployment.h"
#include "tests/support/process.h"
#include "tests/support/test_support.h"

namespace schakel::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// The actions and reasons of every entry of the deployment's log.
std::vector<std::pair<std::string, std::string>> Acts(const std::string& dir,
                                                      const std::string& kek) {
  deployment::Paths paths(dir);
  auto db = deployment::OpenDatabase(paths, kek);
  EXPECT_THAT(db, IsOk());
  std::vector<std::pair<std::string, std::string>> out;
  if (!db.ok()) return out;
  EXPECT_THAT(audit::ForEachEntry(**db,
                                  [&](const audit::Entry& e) {
                                    if (e.action.rfind("schakel-admin.", 0) == 0 &&
                                        e.action != "schakel-admin.init") {
                                      out.emplace_back(e.action, e.reason);
                                    }
                                    return absl::OkStatus();
                                  }),
              IsOk());
  return out;
}

TEST(OperatorAuditCliTest, KeyRotateRewrapAndRestoreLeaveEntriesThatVerify) {
  TempDir tmp;
  const std::string dir = tmp.File("demo");
  ASSERT_EQ(RunCommand({Bin("schakel-admin"), "init", dir, "--demo"}).exit_code, 0);

  Result rotate = RunCommand({Bin("schakel-admin"), "key", "rotate", "--deployment", dir});
  ASSERT_EQ(rotate.exit_code, 0) << rotate.err;
  const std::string kek = tmp.File("new-kek");
  WriteFileOrDie(kek, "a new key-encryption passphrase of some length\n");
  ::chmod(kek.c_str(), 0600);
  Result rewrap = RunCommand(
      {Bin("schakel-admin"), "key", "rewrap", "--deployment", dir, "--new-kek-file", kek});
  ASSERT_EQ(rewrap.exit_code, 0) << rewrap.err;

  Result verify = RunCommand({Bin("schakel-admin"), "audit", "verify", "--deployment", dir});
  ASSERT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_THAT(verify.out, StartsWith("intact: "));
  EXPECT_THAT(Acts(dir, "a new key-encryption passphrase of some length"),
              ::testing::ElementsAre(
                  std::make_pair(std::string("schakel-admin.key-rotate"),
                                 std::string("database key rotated (rekey)")),
                  std::make_pair(std::string("schakel-admin.key-rewrap"),
                                 std::string("database key re-wrapped under a new "
                                             "key-encryption key"))));

  const std::string backup = tmp.File("backup.db");
  Result taken = RunCommand({Bin("schakel-admin"), "backup", "--deployment", dir, "--to", backup});
  ASSERT_EQ(taken.exit_code, 0) << taken.err;
  const std::string restored = tmp.File("restored");
  Result restore = RunCommand({Bin("schakel-admin"), "restore", "--from", backup, "--deployment",
                               restored, "--kek-file", kek});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  Result verify_restored =
      RunCommand({Bin("schakel-admin"), "audit", "verify", "--deployment", restored});
  ASSERT_EQ(verify_restored.exit_code, 0) << verify_restored.err;
  auto acts = Acts(restored, "a new key-encryption passphrase of some length");
  ASSERT_FALSE(acts.empty());
  EXPECT_EQ(acts.back().first, "schakel-admin.restore");
  EXPECT_THAT(acts.back().second, HasSubstr("backup.db"));
  // rotate and rewrap came with the backup; the entry of the backup itself
  // was appended to the source after the copy was taken.
  EXPECT_EQ(acts.size(), 3u);
}

}  // namespace
}  // namespace schakel::testing
