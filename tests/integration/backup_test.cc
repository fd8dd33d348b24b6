// Backups taken while the server serves, restored into a new deployment
// that serves the same data, passes audit verify and accepts the
// professionals' existing certificates.
#include <sys/stat.h>

#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/config/backup.pb.h"
#include "schakel/v1/directory.grpc.pb.h"
#include "schakel/v1/signals.grpc.pb.h"
#include "server/audit/checkpoint.h"
#include "server/audit/verifier.h"
#include "server/common/files.h"
#include "server/deployment/backup.h"
#include "server/deployment/deployment.h"
#include "server/server.h"
#include "tests/support/deployment_support.h"
#include "tests/support/test_engine.h"
#include "tests/support/test_support.h"

namespace schakel {
namespace {

using ::schakel::testing::CallContext;
using ::schakel::testing::IsOk;
using ::schakel::testing::LoadIdentity;
using ::schakel::testing::MakeChannel;
using ::schakel::testing::ReadFileOrDie;
using ::schakel::testing::StatusIs;
using ::schakel::testing::TempDir;
using ::schakel::testing::WriteFileOrDie;
using ::testing::HasSubstr;

std::unique_ptr<Server> StartOn(const std::string& dir) {
  ServerOptions options;
  options.deployment_dir = dir;
  options.listen = "127.0.0.1:0";
  auto server = Server::Start(options);
  EXPECT_THAT(server, IsOk());
  return server.ok() ? std::move(server).value() : nullptr;
}

v1::Signal Create(v1::SignalService::Stub& stub, const std::string& request_id) {
  v1::CreateSignalRequest req;
  req.set_request_id(request_id);
  req.set_category("FVW-AFVALDUMP");
  req.set_wijk("prinsenhof");
  req.set_place("Hoek Prinsenhoflaan");
  req.set_description("Afval naast de container");
  v1::Signal out;
  CallContext ctx;
  EXPECT_TRUE(stub.CreateSignal(ctx.get(), req, &out).ok());
  return out;
}

TEST(BackupTest, ABackupTakenWhileServingRestoresIntoADeploymentThatServesTheSameData) {
  SCHAKEL_SQLCIPHER_ONLY("schakel-admin backup copies the SQLCipher file; PostgreSQL is backed up with its own tools");
  TempDir tmp;
  auto paths = testing::InitDemoDeployment(tmp);
  const std::string kek = testing::DemoKek(*paths);
  auto server = StartOn(paths->dir);
  ASSERT_NE(server, nullptr);
  auto signals = v1::SignalService::NewStub(
      MakeChannel(server->address(), LoadIdentity(paths->UserDir("regisseur"))));
  std::vector<std::string> before;
  for (int i = 0; i < 20; ++i) before.push_back(Create(*signals, absl::StrCat("req-before-", i)).id());

  // Writers keep writing while the backup runs.
  std::atomic<bool> stop{false};
  std::atomic<int> during{0};
  std::thread writer([&] {
    while (!stop) Create(*signals, absl::StrCat("req-during-", during++));
  });
  SystemClock clock;
  std::string file = tmp.File("backup.bin");
  auto result = deployment::CreateBackup(*paths, kek, file, clock);
  stop = true;
  writer.join();
  ASSERT_THAT(result, IsOk());
  EXPECT_GT(result->head_seq, 20);
  EXPECT_GT(during.load(), 0);
  server->Shutdown(absl::Seconds(2));
  server.reset();

  // The key-encryption key is not in the backup; the database is encrypted.
  std::string bytes = ReadFileOrDie(file);
  EXPECT_EQ(bytes.find(kek), std::string::npos);
  EXPECT_EQ(bytes.find("Afval naast de container"), std::string::npos);
  EXPECT_EQ(bytes.find("BEGIN PRIVATE KEY"), std::string::npos);

  // Restore with the same key-encryption key from a file.
  std::string kek_file = tmp.File("kek");
  WriteFileOrDie(kek_file, kek);
  ::chmod(kek_file.c_str(), 0600);
  config::KekSource source;
  source.set_file(kek_file);
  std::string restored_dir = tmp.File("restored");
  ASSERT_THAT(deployment::RestoreBackup(file, restored_dir, kek, source), IsOk());
  deployment::Paths restored(restored_dir);
  EXPECT_EQ(deployment::LoadConfig(restored)->kek().file(), kek_file);
  EXPECT_THAT(deployment::CheckSecretsArePrivate(restored), IsOk());

  // It passes audit verify, up to the backup's head.
  {
    auto db = deployment::OpenDatabase(restored, kek);
    ASSERT_THAT(db, IsOk());
    auto checkpoints = audit::ReadCheckpoints(restored.audit_checkpoints);
    ASSERT_THAT(checkpoints, IsOk());
    auto report = audit::VerifyChain(**db, *checkpoints, ReadFileOrDie(restored.audit_public_key),
                                     audit::ExpectedHead{result->head_seq, result->head_hash});
    ASSERT_THAT(report, IsOk());
    EXPECT_TRUE(report->intact) << report->problem;
    EXPECT_EQ(report->head.seq, result->head_seq);
  }

  // It serves the same data to the professionals' existing certificates.
  auto again = StartOn(restored_dir);
  ASSERT_NE(again, nullptr);
  auto restored_signals = v1::SignalService::NewStub(
      MakeChannel(again->address(), LoadIdentity(paths->UserDir("regisseur"))));
  for (const std::string& id : before) {
    CallContext ctx;
    v1::GetSignalRequest get;
    get.set_id(id);
    v1::Signal s;
    grpc::Status status = restored_signals->GetSignal(ctx.get(), get, &s);
    EXPECT_TRUE(status.ok()) << id << ": " << status.error_message();
  }
  // Consistent: every signal in the copy has its created entry in the copy's log.
  v1::ListSignalsRequest all;
  all.set_page_size(100);
  v1::ListSignalsResponse listed;
  {
    CallContext ctx;
    ASSERT_TRUE(restored_signals->ListSignals(ctx.get(), all, &listed).ok());
  }
  EXPECT_GE(listed.signals_size(), 20);
  again->Shutdown(absl::Seconds(2));
}

TEST(BackupTest, AWrongKeyOrADamagedFileIsRefusedAndNothingIsWritten) {
  SCHAKEL_SQLCIPHER_ONLY("a backup file of the SQLCipher store");
  TempDir tmp;
  auto paths = testing::InitDemoDeployment(tmp);
  const std::string kek = testing::DemoKek(*paths);
  SystemClock clock;
  std::string file = tmp.File("backup.bin");
  ASSERT_THAT(deployment::CreateBackup(*paths, kek, file, clock), IsOk());
  EXPECT_THAT(deployment::CreateBackup(*paths, kek, file, clock),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("never overwrites")));
  config::KekSource env;
  env.set_environment(true);
  EXPECT_THAT(deployment::RestoreBackup(file, tmp.File("a"), "not the key-encryption key", env),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("does not open")));
  EXPECT_FALSE(PathExists(tmp.File("a")));
  std::string bytes = ReadFileOrDie(file);
  bytes[bytes.size() / 2] ^= 0x01;
  std::string damaged = tmp.File("damaged.bin");
  WriteFileOrDie(damaged, bytes);
  absl::Status s = deployment::RestoreBackup(damaged, tmp.File("b"), kek, env);
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(s.code() == absl::StatusCode::kDataLoss ||
              s.code() == absl::StatusCode::kPermissionDenied)
      << s;
  EXPECT_FALSE(PathExists(tmp.File("b")));
  EXPECT_THAT(deployment::RestoreBackup(file, paths->dir, kek, env),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("never overwrites")));
}

}  // namespace
}  // namespace schakel
