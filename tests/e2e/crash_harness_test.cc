// The crash harness as the test command runs it: schakeld killed with
// SIGKILL twenty times while clients create signals and handovers, and a
// second process backs up, verifies and opens the live deployment.
#include <map>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/process.h"
#include "tests/support/test_support.h"

namespace schakel {
namespace {

using ::testing::HasSubstr;

// "key=value" pairs of the harness's figures line.
std::map<std::string, std::string> Figures(const std::string& out) {
  std::map<std::string, std::string> figures;
  for (absl::string_view field : absl::StrSplit(out, absl::ByAnyChar(" \n"), absl::SkipEmpty())) {
    std::pair<std::string, std::string> kv = absl::StrSplit(field, absl::MaxSplits('=', 1));
    figures[kv.first] = kv.second;
  }
  return figures;
}

long Number(const std::map<std::string, std::string>& figures, const std::string& key) {
  long n = -1;
  auto it = figures.find(key);
  if (it == figures.end() || !absl::SimpleAtoi(it->second, &n)) return -1;
  return n;
}

TEST(CrashHarnessTest, TwentyKillsLoseNothingAcknowledgedAndLeaveAVerifiableChain) {
  testing::TempDir tmp;
  testing::Result r = testing::RunCommand(
      {testing::Bin("schakel-crash-harness"), "--work", tmp.File("run"), "--kills", "20",
       "--clients", "4", "--peek-with", SCHAKEL_SQLCIPHER_STOCK});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  ASSERT_THAT(r.out, HasSubstr("crash-harness "));
  std::map<std::string, std::string> f = Figures(r.out);
  EXPECT_EQ(Number(f, "kills"), 20);
  EXPECT_EQ(Number(f, "kills_during_start"), 2);
  EXPECT_EQ(Number(f, "failed_starts"), 0);
  EXPECT_GT(Number(f, "acknowledged_signals"), 0);
  EXPECT_GT(Number(f, "acknowledged_handovers"), 0);
  // Unacknowledged creates may have landed too, never fewer than acknowledged.
  EXPECT_GE(Number(f, "present"), Number(f, "acknowledged"));
  EXPECT_EQ(Number(f, "lost"), 0);
  EXPECT_EQ(Number(f, "half_written"), 0);
  EXPECT_EQ(Number(f, "unexpected"), 0);
  EXPECT_EQ(f["verify"], "intact");
  // The second process ran each of its steps, and never took the WAL.
  EXPECT_EQ(f["second_process"], "on");
  EXPECT_GT(Number(f, "online_backups"), 0);
  EXPECT_GT(Number(f, "api_verifies"), 0);
  EXPECT_GT(Number(f, "offline_verifies_refused"), 0);
  EXPECT_GT(Number(f, "file_opens"), 0);
  EXPECT_EQ(Number(f, "second_process_failures"), 0);
  EXPECT_EQ(Number(f, "wal_deleted_under_server"), 0);
}

TEST(CrashHarnessTest, RefusesNonsenseFlags) {
  testing::TempDir tmp;
  testing::Result r = testing::RunCommand(
      {testing::Bin("schakel-crash-harness"), "--work", tmp.File("run"), "--kills", "0"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--kills >= 1"));
  r = testing::RunCommand({testing::Bin("schakel-crash-harness")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--work: required"));
}

}  // namespace
}  // namespace schakel
