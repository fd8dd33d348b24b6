// The scale tools as an operator runs them: `schakel-admin seed` on a
// stopped demo deployment, then `schakel-bench` against the server for a
// second per run, checking the exact output format.
#include <regex>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/cli_support.h"
#include "tests/support/process.h"

namespace schakel::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class BenchCliTest : public DemoCliTest {};

TEST_F(BenchCliTest, SeedRefusesWhileServingThenSeedsAStoppedDeploymentThatVerifiesAndServes) {
  std::vector<std::string> seed = {Bin("schakel-admin"), "seed",         "--deployment", dir_,
                                   "--residents",        "20",           "--signals",    "300",
                                   "--handovers",        "10",           "--trajectories", "5",
                                   "--seed",             "3"};
  Result refused = RunCommand(seed);
  EXPECT_EQ(refused.exit_code, 1) << refused.err;
  EXPECT_THAT(refused.err, HasSubstr("held by another process"));

  ASSERT_EQ(daemon_->Stop(), 0) << daemon_->Stderr();
  daemon_.reset();
  Result seeded = RunCommand(seed);
  ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
  EXPECT_THAT(seeded.out,
              StartsWith("seeded 20 residents, 300 signals, 10 handovers, 5 trajectories in "));
  Result verify = RunCommand({Bin("schakel-admin"), "audit", "verify", "--deployment", dir_});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_THAT(verify.out, StartsWith("intact: "));

  daemon_ = std::make_unique<Daemon>(dir_);
  ASSERT_FALSE(daemon_->address().empty()) << daemon_->Stderr();
  Result listed = Cli("regisseur", {"signal", "list"});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_GE(std::count(listed.out.begin(), listed.out.end(), '\n'), 50);

  Result bad = RunCommand({Bin("schakel-admin"), "seed", "--deployment", dir_, "--residents", "x",
                           "--signals", "1", "--handovers", "0"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.err, HasSubstr("--residents: must be a whole number"));
}

TEST_F(BenchCliTest, BenchPrintsOneLinePerScenarioWithPingMeasuredInTheSameRun) {
  Result r = RunCommand({Bin("schakel-bench"), "--server", daemon_->address(), "--identity",
                         Identity("regisseur"), "--peer-identity", Identity("partner-woej"),
                         "--scenario", "all", "--concurrency", "1,2", "--seconds", "0.3",
                         "--server-pid", std::to_string(daemon_->pid())});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  std::vector<std::string> lines = absl::StrSplit(r.out, '\n', absl::SkipEmpty());
  // Two concurrencies: a second run must not replay the first one's
  // request ids (a replay would be answered as a retry, or fail).
  ASSERT_EQ(lines.size(), 13u) << r.out;
  const std::regex line(
      R"(([a-z-]+) conc=([12]) rps=[0-9]+\.[0-9] p50_us=[0-9]+ p90_us=[0-9]+ p99_us=[0-9]+ ratio_to_ping=[0-9]+\.[0-9]{3})");
  const char* expected[] = {"ping", "create-signal", "get-signal", "list-signals",
                            "handover-loop", "mixed"};
  for (int i = 0; i < 12; ++i) {
    std::smatch m;
    ASSERT_TRUE(std::regex_match(lines[i], m, line)) << lines[i];
    EXPECT_EQ(m[1], expected[i % 6]);
    EXPECT_EQ(m[2], i < 6 ? "1" : "2");
    EXPECT_THAT(lines[i], ::testing::Not(HasSubstr("rps=0.0 "))) << "no request succeeded";
  }
  EXPECT_THAT(lines[0], HasSubstr("ratio_to_ping=1.000"));
  EXPECT_THAT(lines[6], HasSubstr("ratio_to_ping=1.000"));
  EXPECT_TRUE(std::regex_match(lines[12], std::regex(R"(server peak_rss_mb=[0-9]+\.[0-9])")))
      << lines[12];

  Result unknown = RunCommand({Bin("schakel-bench"), "--server", daemon_->address(),
                               "--identity", Identity("regisseur"), "--scenario", "nope"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_THAT(unknown.err, HasSubstr("unknown scenario nope"));
  Result no_peer = RunCommand({Bin("schakel-bench"), "--server", daemon_->address(),
                               "--identity", Identity("regisseur"), "--scenario",
                               "handover-loop", "--seconds", "0.2"});
  EXPECT_EQ(no_peer.exit_code, 1);
  EXPECT_THAT(no_peer.err, HasSubstr("--peer-identity"));
}

}  // namespace
}  // namespace schakel::testing
