// Key rotation and re-wrapping on a real deployment, including a kill at
// each durable step of a rotation.
#include "server/deployment/keys.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/files.h"
#include "server/deployment/init.h"
#include "server/store/directory_store.h"
#include "tests/support/test_support.h"

namespace schakel::deployment {
namespace {

using ::schakel::testing::IsOk;
using ::schakel::testing::ReadFileOrDie;
using ::schakel::testing::StatusIs;
using ::schakel::testing::TempDir;
using ::schakel::testing::WriteFileOrDie;
using ::testing::HasSubstr;

class KeysTest : public ::testing::Test {
 protected:
  void SetUp() override {
    kek_file_ = tmp_.File("kek");
    WriteFileOrDie(kek_file_, "the first key-encryption key\n");
    ::chmod(kek_file_.c_str(), 0600);
    InitOptions init;
    init.dir = tmp_.File("deployment");
    init.kek_file = kek_file_;
    SystemClock clock;
    RandomIdGenerator ids;
    ASSERT_THAT(InitDeployment(init, clock, ids), IsOk());
    paths_ = std::make_unique<Paths>(init.dir);
  }

  // The deployment opens with `kek` and still holds its 34 organisations.
  void ExpectIntact(const std::string& kek) {
    auto db = OpenDatabase(*paths_, kek);
    ASSERT_THAT(db, IsOk());
    store::SqliteDirectoryStore directory(db->get());
    auto page = directory.ListOrganisations("", 100);
    ASSERT_THAT(page, IsOk());
    EXPECT_EQ(page->organisations.size(), 34u);
  }

  const std::string kek_ = "the first key-encryption key";
  std::string kek_file_;
  TempDir tmp_;
  std::unique_ptr<Paths> paths_;
};

TEST_F(KeysTest, RotationReplacesTheDatabaseKey) {
  std::string before = ReadFileOrDie(paths_->wrapped_key);
  ASSERT_THAT(RotateKey(*paths_, kek_), IsOk());
  EXPECT_NE(ReadFileOrDie(paths_->wrapped_key), before);
  EXPECT_FALSE(PathExists(paths_->next_wrapped_key));
  ExpectIntact(kek_);
  // The old key no longer opens the file.
  WriteFileOrDie(paths_->wrapped_key, before);
  EXPECT_THAT(OpenDatabase(*paths_, kek_),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("does not open")));
}

TEST_F(KeysTest, AKillAtEachStepOfARotationLeavesADatabaseThatOpens) {
  for (RotationStep stop_after :
       {RotationStep::kNextKeyWritten, RotationStep::kRekeyed, RotationStep::kRenamed}) {
    pid_t pid = ::fork();
    if (pid == 0) {
      // The child dies at the step, as if killed: no destructors, no cleanup.
      RotateKey(*paths_, kek_, [stop_after](RotationStep s) {
        if (s == stop_after) ::_exit(0);
      }).IgnoreError();
      ::_exit(1);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    ASSERT_EQ(WEXITSTATUS(status), 0) << "the rotation did not reach its step";
    ExpectIntact(kek_);
    // Opening settled it: one key file, the one that opens the database.
    EXPECT_FALSE(PathExists(paths_->next_wrapped_key)) << static_cast<int>(stop_after);
    ExpectIntact(kek_);
  }
  ASSERT_THAT(RotateKey(*paths_, kek_), IsOk());
  ExpectIntact(kek_);
}

TEST_F(KeysTest, RotationRefusesWhileTheDeploymentIsHeld) {
  auto lock = Lock::Acquire(*paths_);
  ASSERT_THAT(lock, IsOk());
  EXPECT_THAT(RotateKey(*paths_, kek_),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("held by another process")));
  std::string note;
  EXPECT_THAT(RewrapKey(*paths_, kek_, "a second key-encryption key", "", &note),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("held by another process")));
}

TEST_F(KeysTest, RewrapChangesTheKeyEncryptionKeyAndTheConfig) {
  std::string new_file = tmp_.File("kek2");
  WriteFileOrDie(new_file, "the second key-encryption key\n");
  ::chmod(new_file.c_str(), 0600);
  std::string note;
  ASSERT_THAT(RewrapKey(*paths_, kek_, "the second key-encryption key", new_file, &note), IsOk());
  EXPECT_THAT(note, HasSubstr(new_file));
  EXPECT_EQ(LoadConfig(*paths_)->kek().file(), new_file);
  ExpectIntact("the second key-encryption key");
  EXPECT_THAT(OpenDatabase(*paths_, kek_),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("does not unwrap")));
  EXPECT_THAT(RewrapKey(*paths_, "wrong key-encryption key", "x", "", &note),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("at least 16")));
}

}  // namespace
}  // namespace schakel::deployment
