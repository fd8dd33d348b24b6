// A second process touching a live deployment: the online backup, the
// offline verify, a stock SQLCipher program opening the file, the
// file-level tools. Whatever they do, the server keeps its WAL (no
// "(deleted)" -wal or -shm under /proc/PID/fd) and a write acknowledged
// afterwards survives a kill -9.
//
// The failure these guard against: closing any descriptor of the database
// drops every POSIX lock the process holds on it, so another process takes
// itself for the last connection, checkpoints the WAL and deletes it while
// the server still writes into the deleted file.
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/client.h"
#include "server/crypto/openssl_util.h"
#include "server/deployment/deployment.h"
#include "tests/support/cli_support.h"
#include "tests/support/process.h"
#include "tests/support/test_support.h"
#include "tools/common/open_files.h"

namespace schakel {
namespace {

using ::schakel::testing::Bin;
using ::schakel::testing::Daemon;
using ::schakel::tools::DeletedFilesHeldBy;
using ::schakel::testing::Result;
using ::schakel::testing::RunCommand;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

class LiveDeploymentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = tmp_.File("deployment");
    Result init = RunCommand({Bin("schakel-admin"), "init", dir_, "--demo"});
    ASSERT_EQ(init.exit_code, 0) << init.err;
    paths_ = std::make_unique<deployment::Paths>(dir_);
    StartServer();
  }

  void StartServer() {
    daemon_ = std::make_unique<Daemon>(dir_);
    ASSERT_FALSE(daemon_->address().empty()) << daemon_->Stderr();
  }

  // kill -9, then a new schakeld on the same deployment.
  void CrashAndRestart() {
    EXPECT_EQ(daemon_->Kill(), 137);
    StartServer();
  }

  Result Cli(const std::string& user, std::vector<std::string> args) {
    std::vector<std::string> argv = {Bin("schakel"), "--server", daemon_->address(),
                                     "--identity", paths_->UserDir(user)};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv);
  }

  Result Admin(std::vector<std::string> args) {
    args.insert(args.begin(), Bin("schakel-admin"));
    return RunCommand(args);
  }

  // An acknowledged create: the CLI printed the new id.
  std::string CreateSignal(const std::string& what) {
    Result r = Cli("regisseur", {"signal", "create", "--category", "FVW-OVERLAST", "--wijk",
                                 "prinsenhof", "--place", "Portiek", "--description", what});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return std::string(absl::StripAsciiWhitespace(r.out));
  }

  void ExpectSignalThere(const std::string& id) {
    Result r = Cli("regisseur", {"signal", "show", id});
    EXPECT_EQ(r.exit_code, 0) << "signal " << id << " was acknowledged and is gone: " << r.err;
  }

  // The server still holds the WAL and shm that are on disk.
  void ExpectServerKeepsItsWal() {
    EXPECT_THAT(
        DeletedFilesHeldBy(daemon_->pid(),
                           std::filesystem::weakly_canonical(paths_->database).string()),
        IsEmpty());
    EXPECT_TRUE(std::filesystem::exists(paths_->database + "-wal"));
    EXPECT_TRUE(std::filesystem::exists(paths_->database + "-shm"));
  }

  std::string HexKey() {
    auto config = deployment::LoadConfig(*paths_);
    EXPECT_TRUE(config.ok()) << config.status();
    auto kek = deployment::ReadKek(*paths_, config->kek(), std::nullopt);
    EXPECT_TRUE(kek.ok()) << kek.status();
    auto key = deployment::UnwrapKeyFile(paths_->wrapped_key, *kek);
    EXPECT_TRUE(key.ok()) << key.status();
    return crypto::HexEncode(*key);
  }

  Result OnlineBackup(const std::string& to) {
    return Admin({"backup", "--deployment", dir_, "--to", to, "--server", daemon_->address(),
                  "--identity", paths_->UserDir("admin")});
  }

  testing::TempDir tmp_;
  std::string dir_;
  std::unique_ptr<deployment::Paths> paths_;
  std::unique_ptr<Daemon> daemon_;
};

TEST_F(LiveDeploymentTest, AnOnlineBackupLeavesTheServersWalAndTheNextWriteSurvivesACrash) {
  std::string before = CreateSignal("Voor de backup");
  Result backup = OnlineBackup(tmp_.File("backup"));
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  ExpectServerKeepsItsWal();
  std::string after = CreateSignal("Na de backup");
  CrashAndRestart();
  ExpectSignalThere(before);
  ExpectSignalThere(after);
}

TEST_F(LiveDeploymentTest, TheOfflineVerifyRefusesWhileServingAndTheNextWriteSurvivesACrash) {
  CreateSignal("Voor de verificatie");
  Result verify = Admin({"audit", "verify", "--deployment", dir_});
  EXPECT_NE(verify.exit_code, 0);
  EXPECT_THAT(verify.out, IsEmpty());
  EXPECT_THAT(verify.err, AllOf(StartsWith("schakel-admin: "), HasSubstr("held by another process"),
                                HasSubstr("audit verify"), HasSubstr("through the API")));
  ExpectServerKeepsItsWal();
  std::string after = CreateSignal("Na de verificatie");
  CrashAndRestart();
  ExpectSignalThere(after);
  // The API's verify is what works meanwhile.
  Result api = Cli("auditor", {"audit", "verify"});
  EXPECT_EQ(api.exit_code, 0) << api.err;
  EXPECT_THAT(api.out, HasSubstr("intact"));
}

TEST_F(LiveDeploymentTest, AStockSqlcipherOpenFromAnotherProcessLeavesTheServersWal) {
  const std::string key = HexKey();
  for (const char* mode : {"ro", "rw"}) {
    SCOPED_TRACE(mode);
    CreateSignal("Voor het openen");
    Result peek = RunCommand(
        {SCHAKEL_SQLCIPHER_STOCK, "peek", paths_->database, key, "4096", mode});
    ASSERT_EQ(peek.exit_code, 0) << peek.err;
    EXPECT_THAT(peek.out, StartsWith("tables="));
    ExpectServerKeepsItsWal();
    std::string after = CreateSignal("Na het openen");
    CrashAndRestart();
    ExpectSignalThere(after);
  }
}

TEST_F(LiveDeploymentTest, ParallelReadsDoNotFailWhileAnotherProcessOpensTheFile) {
  const std::string key = HexKey();
  std::string id = CreateSignal("Gelezen terwijl een ander opent");
  for (int i = 0; i < 8; ++i) {
    Result peek = RunCommand(
        {SCHAKEL_SQLCIPHER_STOCK, "peek", paths_->database, key, "4096", i % 2 ? "rw" : "ro"});
    ASSERT_EQ(peek.exit_code, 0) << peek.err;
    Result show = Cli("regisseur", {"signal", "show", id});
    EXPECT_EQ(show.exit_code, 0) << show.err;
  }
  ExpectServerKeepsItsWal();
}

TEST_F(LiveDeploymentTest, FileLevelToolsRefuseWhileTheServerHoldsTheDeployment) {
  Result backup = OnlineBackup(tmp_.File("backup"));
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  const std::string kek_file = tmp_.File("kek");
  testing::WriteFileOrDie(kek_file, testing::ReadFileOrDie(paths_->demo_passphrase));
  ::chmod(kek_file.c_str(), 0600);
  const std::string new_kek = tmp_.File("new-kek");
  testing::WriteFileOrDie(new_kek, "een nieuwe sleutel van voldoende lengte\n");
  ::chmod(new_kek.c_str(), 0600);
  const std::string wrapped_before = testing::ReadFileOrDie(paths_->wrapped_key);

  struct Case {
    std::vector<std::string> args;
    std::string hint;
  };
  const std::vector<Case> cases = {
      {{"key", "rotate", "--deployment", dir_}, "stop schakeld first"},
      {{"key", "rewrap", "--deployment", dir_, "--new-kek-file", new_kek}, "stop schakeld first"},
      {{"seed", "--deployment", dir_, "--residents", "1", "--signals", "1", "--handovers", "0"},
       "stop schakeld first"},
      {{"restore", "--from", tmp_.File("backup"), "--deployment", dir_, "--kek-file", kek_file},
       "name a new directory"},
      {{"audit", "verify", "--deployment", dir_}, "through the API"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(absl::StrCat(c.args[0], " ", c.args[1]));
    Result r = Admin(c.args);
    EXPECT_NE(r.exit_code, 0);
    EXPECT_THAT(r.out, IsEmpty());
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_THAT(r.err, AllOf(HasSubstr("held by another process"), HasSubstr(c.hint)));
  }
  // Nothing changed: the same key file, the server serves as before.
  EXPECT_EQ(testing::ReadFileOrDie(paths_->wrapped_key), wrapped_before);
  EXPECT_FALSE(std::filesystem::exists(paths_->next_wrapped_key));
  ExpectServerKeepsItsWal();
  EXPECT_EQ(Cli("regisseur", {"whoami"}).exit_code, 0);
}

TEST_F(LiveDeploymentTest, SigtermWithAnIdleClientConnectedStopsWellWithinTheGrace) {
  ClientOptions options;
  options.server = daemon_->address();
  options.identity_dir = paths_->UserDir("regisseur");
  absl::StatusOr<Client> client = Client::Connect(options);
  ASSERT_TRUE(client.ok()) << client.status();
  // Connected and then idle: the connection stays open.
  ASSERT_TRUE(client->WhoAmI().ok());
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(daemon_->Stop(), 0) << daemon_->Stderr();
  auto took = std::chrono::steady_clock::now() - start;
  // The old stop waited for the idle connection: 5 s and more. What is left
  // is signing the head, closing the database and the test's 50 ms polls.
  EXPECT_LT(took, std::chrono::milliseconds(3500))
      << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms";
}

}  // namespace
}  // namespace schakel
