// A really full file system: the deployment on a small tmpfs that a filler
// file fills to the last byte. Needs the right to mount (root with
// CAP_SYS_ADMIN, as the test command runs); skipped, saying so, without it.
#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "schakel/v1/audit.grpc.pb.h"
#include "schakel/v1/signals.grpc.pb.h"
#include "server/server.h"
#include "tests/support/deployment_support.h"
#include "tests/support/test_support.h"

namespace schakel {
namespace {

using ::schakel::testing::IsOk;
using Serving = grpc::health::v1::HealthCheckResponse;

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

class FullFilesystemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::mount("tmpfs", tmp_.path().c_str(), "tmpfs", 0, "size=16m,mode=0700") != 0) {
      GTEST_SKIP() << "cannot mount a tmpfs here (" << std::strerror(errno)
                   << "); the injected disk faults (DiskFaultTest) still run";
    }
    mounted_ = true;
    paths_ = testing::InitDemoDeployment(tmp_);
    ServerOptions options;
    options.deployment_dir = paths_->dir;
    options.listen = "127.0.0.1:0";
    options.health_interval = absl::Milliseconds(50);
    auto server = Server::Start(options);
    ASSERT_THAT(server, IsOk());
    server_ = std::move(server).value();
    auto channel = testing::MakeChannel(server_->address(),
                                        testing::LoadIdentity(paths_->UserDir("regisseur")));
    signals_ = v1::SignalService::NewStub(channel);
    health_ = grpc::health::v1::Health::NewStub(channel);
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown(absl::Seconds(2));
    server_.reset();
    if (mounted_) ::umount2(tmp_.path().c_str(), MNT_DETACH);
  }

  grpc::Status Create(int n, v1::Signal* out) {
    v1::CreateSignalRequest req;
    req.set_request_id(absl::StrCat("full-disk-", n));
    req.set_category("FVW-OVERLAST");
    req.set_wijk("prinsenhof");
    req.set_place("Portiek");
    req.set_description(std::string(1500, 'o'));
    testing::CallContext ctx;
    return signals_->CreateSignal(ctx.get(), req, out);
  }

  grpc::Status Get(const std::string& id) {
    v1::GetSignalRequest req;
    req.set_id(id);
    v1::Signal out;
    testing::CallContext ctx;
    return signals_->GetSignal(ctx.get(), req, &out);
  }

  bool HealthBecomes(Serving::ServingStatus want) {
    for (int i = 0; i < 100; ++i) {
      grpc::ClientContext ctx;
      grpc::health::v1::HealthCheckRequest req;
      Serving resp;
      if (health_->Check(&ctx, req, &resp).ok() && resp.status() == want) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  testing::TempDir tmp_;
  bool mounted_ = false;
  std::unique_ptr<deployment::Paths> paths_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<v1::SignalService::Stub> signals_;
  std::unique_ptr<grpc::health::v1::Health::Stub> health_;
};

TEST_F(FullFilesystemTest, ChangesAndReadsStopWithResourceExhaustedAndResumeWhenSpaceReturns) {
  v1::Signal before;
  ASSERT_TRUE(Create(0, &before).ok());
  std::string filler = tmp_.File("filler");
  ASSERT_TRUE(FillUp(filler));

  // The WAL may still have room for a few frames: write until the disk says
  // no. Every answer is OK or RESOURCE_EXHAUSTED, nothing else.
  std::vector<std::string> acknowledged = {before.id()};
  grpc::Status refused;
  for (int n = 1; n < 2000; ++n) {
    v1::Signal out;
    grpc::Status s = Create(n, &out);
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

  auto audit = v1::AuditService::NewStub(testing::MakeChannel(
      server_->address(), testing::LoadIdentity(paths_->UserDir("auditor"))));
  v1::VerifyAuditResponse verified;
  testing::CallContext ctx;
  ASSERT_TRUE(audit->VerifyAudit(ctx.get(), v1::VerifyAuditRequest(), &verified).ok());
  EXPECT_TRUE(verified.intact()) << verified.problem();
}

}  // namespace
}  // namespace schakel
