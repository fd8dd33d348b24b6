#include "server/deployment/deployment.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/files.h"
#include "server/deployment/init.h"
#include "server/store/directory_store.h"
#include "tests/support/pkcs12_support.h"
#include "tests/support/test_support.h"

namespace schakel::deployment {
namespace {

using ::schakel::testing::IsOk;
using ::schakel::testing::StatusIs;
using ::schakel::testing::TempDir;
using ::schakel::testing::ReadFileOrDie;
using ::schakel::testing::WriteFileOrDie;
using ::testing::HasSubstr;

class DeploymentTest : public ::testing::Test {
 protected:
  std::string Dir() const { return tmp_.File("deployment"); }
  SystemClock clock_;
  RandomIdGenerator ids_;
  TempDir tmp_;
};

// A real deployment: init makes no key for anyone, only the enrollment codes
// of the first two administrators, whose admin role is in effect at once.
TEST_F(DeploymentTest, InitWithoutDemoMakesTwoAdminCodesNoKeysAndNoPassphraseFile) {
  std::string kek = tmp_.File("kek");
  WriteFileOrDie(kek, "a long enough passphrase\n");
  ::chmod(kek.c_str(), 0600);
  InitOptions options;
  options.dir = Dir();
  options.kek_file = kek;
  InitResult result;
  ASSERT_THAT(InitDeployment(options, clock_, ids_, &result), IsOk());
  Paths paths(Dir());
  EXPECT_FALSE(PathExists(paths.demo_passphrase));
  EXPECT_FALSE(PathExists(paths.UserDir("admin")));
  EXPECT_FALSE(PathExists(paths.UserDir("regisseur")));
  ASSERT_EQ(result.first_admins.size(), 2u);
  EXPECT_EQ(result.first_admins[0].name, "admin");
  EXPECT_EQ(result.first_admins[1].name, "admin2");
  EXPECT_NE(result.first_admins[0].enrollment_code, result.first_admins[1].enrollment_code);
  auto cfg = LoadConfig(paths);
  ASSERT_THAT(cfg, IsOk());
  EXPECT_FALSE(cfg->demo());
  EXPECT_EQ(cfg->kek().file(), kek);
  EXPECT_THAT(CheckSecretsArePrivate(paths), IsOk());
  // The HTTPS port stays closed until the operator opens it.
  EXPECT_FALSE(cfg->has_web());

  auto db = OpenDatabase(paths, "a long enough passphrase");
  ASSERT_THAT(db, IsOk());
  store::SqliteDirectoryStore directory(db->get());
  auto page = directory.ListOrganisations("", 100);
  ASSERT_THAT(page, IsOk());
  EXPECT_EQ(page->organisations.size(), 34u);
  for (const auto& admin : result.first_admins) {
    auto p = directory.GetProfessional(admin.professional_id);
    ASSERT_THAT(p, IsOk());
    EXPECT_EQ(p->roles, std::vector<domain::Role>{domain::Role::kAdmin});
    EXPECT_TRUE(p->pending_roles.empty());
    // Only the code's hash is stored.
    auto row = directory.FindEnrollmentCode(admin.enrollment_code);
    ASSERT_THAT(row, IsOk());
    EXPECT_FALSE(row->has_value());
  }
}

TEST_F(DeploymentTest, InitWithoutAnyKekSourceRefuses) {
  ::unsetenv(kKekEnvironmentVariable);
  ::unsetenv("CREDENTIALS_DIRECTORY");
  InitOptions options;
  options.dir = Dir();
  EXPECT_THAT(InitDeployment(options, clock_, ids_),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("no key-encryption key")));
  EXPECT_FALSE(PathExists(Dir() + "/schakel.conf"));
}

TEST_F(DeploymentTest, InitRefusesAShortKek) {
  std::string kek = tmp_.File("kek");
  WriteFileOrDie(kek, "short\n");
  ::chmod(kek.c_str(), 0600);
  InitOptions options;
  options.dir = Dir();
  options.kek_file = kek;
  EXPECT_THAT(InitDeployment(options, clock_, ids_),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("at least 16")));
  EXPECT_FALSE(PathExists(Dir()));
}

TEST_F(DeploymentTest, CredentialIsReadWhateverItsModeAndNeedsTheDirectory) {
  Paths paths(Dir());
  config::KekSource cred;
  cred.set_credential("schakel-kek");
  ::unsetenv("CREDENTIALS_DIRECTORY");
  EXPECT_THAT(ReadKek(paths, cred, std::nullopt),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("CREDENTIALS_DIRECTORY")));
  // systemd shows a credential read through an ACL as 0440.
  WriteFileOrDie(tmp_.File("schakel-kek"), "credential passphrase");
  ::chmod(tmp_.File("schakel-kek").c_str(), 0440);
  ::setenv("CREDENTIALS_DIRECTORY", tmp_.path().c_str(), 1);
  EXPECT_EQ(*ReadKek(paths, cred, std::nullopt), "credential passphrase");
  ::unsetenv("CREDENTIALS_DIRECTORY");
}

TEST_F(DeploymentTest, OpenDirectoryIsRefusedWithTheDirectoryFix) {
  InitOptions options;
  options.dir = Dir();
  options.demo = true;
  ASSERT_THAT(InitDeployment(options, clock_, ids_), IsOk());
  ::chmod(Dir().c_str(), 0750);
  EXPECT_THAT(CheckSecretsArePrivate(Paths(Dir())),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("chmod 700")));
}

TEST_F(DeploymentTest, InitNeverOverwritesADeployment) {
  InitOptions options;
  options.dir = Dir();
  options.demo = true;
  ASSERT_THAT(InitDeployment(options, clock_, ids_), IsOk());
  EXPECT_THAT(InitDeployment(options, clock_, ids_),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("not empty")));
}

TEST_F(DeploymentTest, DemoInitMakesEveryDemoUserAndPrivateFiles) {
  InitOptions options;
  options.dir = Dir();
  options.demo = true;
  options.server_names = {"schakel.example.nl", "10.1.2.3"};
  ASSERT_THAT(InitDeployment(options, clock_, ids_), IsOk());
  Paths paths(Dir());
  struct stat st;
  ASSERT_EQ(::stat(paths.dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  for (const auto& user : DemoUsers()) {
    for (const char* f : {"cert.pem", "key.pem", "ca.pem"}) {
      std::string path = paths.UserDir(user.name) + "/" + f;
      ASSERT_EQ(::stat(path.c_str(), &st), 0) << path;
      EXPECT_EQ(st.st_mode & 077, 0u) << path;
    }
  }
  EXPECT_THAT(CheckSecretsArePrivate(paths), IsOk());
  auto kek = ReadKek(paths, LoadConfig(paths)->kek(), std::nullopt);
  ASSERT_THAT(kek, IsOk());
  EXPECT_THAT(OpenDatabase(paths, *kek), IsOk());
}

// Browsers import a client identity as PKCS#12: each demo user gets one,
// with its random password beside it, both private.
TEST_F(DeploymentTest, DemoInitWritesAPkcs12PerUserThatOpensWithItsPasswordOnly) {
  InitOptions options;
  options.dir = Dir();
  options.demo = true;
  ASSERT_THAT(InitDeployment(options, clock_, ids_), IsOk());
  Paths paths(Dir());
  std::set<std::string> passwords;
  for (const auto& user : DemoUsers()) {
    const std::string dir = paths.UserDir(user.name);
    SCOPED_TRACE(dir);
    schakel::testing::ExpectIdentityP12(dir, dir + "/p12-password");
    passwords.insert(ReadFileOrDie(dir + "/p12-password"));
  }
  EXPECT_EQ(passwords.size(), DemoUsers().size()) << "a password used twice";
  EXPECT_THAT(CheckSecretsArePrivate(paths), IsOk());
}

TEST_F(DeploymentTest, DemoInitOpensTheHttpsPortOnLoopback) {
  InitOptions options;
  options.dir = Dir();
  options.demo = true;
  ASSERT_THAT(InitDeployment(options, clock_, ids_), IsOk());
  auto cfg = LoadConfig(Paths(Dir()));
  ASSERT_THAT(cfg, IsOk());
  EXPECT_EQ(cfg->web().listen(), "127.0.0.1:7445");
  EXPECT_EQ(cfg->web().origin_size(), 0);
  EXPECT_EQ(cfg->web().assets_dir(), "");
}

TEST_F(DeploymentTest, WrongKekAndGroupReadableSecretsAreRefused) {
  InitOptions options;
  options.dir = Dir();
  options.demo = true;
  ASSERT_THAT(InitDeployment(options, clock_, ids_), IsOk());
  Paths paths(Dir());
  EXPECT_THAT(OpenDatabase(paths, "not the passphrase"),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("does not unwrap")));
  ::chmod(paths.wrapped_key.c_str(), 0640);
  EXPECT_THAT(CheckSecretsArePrivate(paths),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("key.wrapped")));
  ::chmod(paths.wrapped_key.c_str(), 0600);
  ::chmod(paths.demo_passphrase.c_str(), 0604);
  EXPECT_THAT(ReadKek(paths, LoadConfig(paths)->kek(), std::nullopt),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("demo-passphrase")));
}

TEST_F(DeploymentTest, KekFromEnvironmentAndEmptyKek) {
  Paths paths(Dir());
  config::KekSource env;
  env.set_environment(true);
  ::setenv(kKekEnvironmentVariable, "from env\n", 1);
  EXPECT_EQ(*ReadKek(paths, env, std::nullopt), "from env");
  ::setenv(kKekEnvironmentVariable, "", 1);
  EXPECT_THAT(ReadKek(paths, env, std::nullopt),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("empty")));
  ::unsetenv(kKekEnvironmentVariable);
  config::KekSource none;
  EXPECT_THAT(ReadKek(paths, none, std::nullopt),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("no key-encryption key source")));
}

TEST_F(DeploymentTest, LockIsExclusiveAndReleased) {
  ASSERT_THAT(MakeDirectory(Dir()), IsOk());
  Paths paths(Dir());
  {
    auto first = Lock::Acquire(paths);
    ASSERT_THAT(first, IsOk());
    EXPECT_THAT(Lock::Acquire(paths),
                StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("held by another process")));
  }
  EXPECT_THAT(Lock::Acquire(paths), IsOk());
}

}  // namespace
}  // namespace schakel::deployment
