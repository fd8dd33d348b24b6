// A really full file system: the deployment on a small tmpfs that a filler
// file fills to the last byte. Needs the right to mount (root with
// CAP_SYS_ADMIN, as the test command runs); skipped, saying so, without it.
#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "tests/fault/fault_fixture.h"

namespace schakel {
namespace {

using ::schakel::testing::IsOk;
using ::schakel::testing::Serving;

// Fills the file system holding `path` until ENOSPC; false if it cannot.
bool FillUp(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return false;
  std::string chunk(64 << 10, 'f');
  size_t size = chunk.size();
  while (size > 0) {
    ssize_t n = ::write(fd, chunk.data(), size);
    if (n < 0 && errno == ENOSPC) {
      size /= 2;  // the last bytes, in ever smaller pieces
    } else if (n <= 0) {
      ::close(fd);
      return false;
    }
  }
  ::close(fd);
  return true;
}

class FullFilesystemTest : public testing::FaultFixture {
 protected:
  void SetUp() override {
    if (::mount("tmpfs", tmp_.path().c_str(), "tmpfs", 0, "size=16m,mode=0700") != 0) {
      GTEST_SKIP() << "cannot mount a tmpfs here (" << std::strerror(errno)
                   << "); the injected disk faults (DiskFaultTest) still run";
    }
    mounted_ = true;
    StartServer();
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown(absl::Seconds(2));
    server_.reset();
    if (mounted_) ::umount2(tmp_.path().c_str(), MNT_DETACH);
  }

  bool mounted_ = false;
};

TEST_F(FullFilesystemTest, ChangesAndReadsStopWithResourceExhaustedAndResumeWhenSpaceReturns) {
  v1::Signal before;
  ASSERT_TRUE(Create(0, &before, 1500).ok());
  std::string filler = tmp_.File("filler");
  ASSERT_TRUE(FillUp(filler));

  // The WAL may still have room for a few frames: write until the disk says
  // no. Every answer is OK or RESOURCE_EXHAUSTED, nothing else.
  std::vector<std::string> acknowledged = {before.id()};
  grpc::Status refused;
  for (int n = 1; n < 2000; ++n) {
    v1::Signal out;
    grpc::Status s = Create(n, &out, 1500);
    if (!s.ok()) {
      refused = s;
      break;
    }
    acknowledged.push_back(out.id());
  }
  ASSERT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << refused.error_message();
  EXPECT_THAT(refused.error_message(), ::testing::HasSubstr("disk full"));
  // An audited read cannot record itself either: it fails closed.
  EXPECT_EQ(Get(before.id()).error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(HealthBecomes(Serving::NOT_SERVING));

  ASSERT_EQ(::unlink(filler.c_str()), 0);
  EXPECT_TRUE(HealthBecomes(Serving::SERVING));
  for (const std::string& id : acknowledged) EXPECT_TRUE(Get(id).ok()) << id;
  v1::Signal after;
  EXPECT_TRUE(Create(5000, &after).ok());

  ExpectAuditIntact();
}

}  // namespace
}  // namespace schakel
