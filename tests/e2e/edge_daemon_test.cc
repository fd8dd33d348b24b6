// End to end at the edge: schakeld as a process, its stderr as an operator
// reads it. Failed TLS handshakes are counted there; a value with a newline
// in a logged field appears escaped, never as a line of its own.
#include <chrono>
#include <string>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/directory.grpc.pb.h"
#include "schakel/v1/signals.grpc.pb.h"
#include "tests/support/cli_support.h"
#include "tests/support/process.h"
#include "tests/support/test_support.h"

namespace schakel {
namespace {

using ::schakel::testing::Bin;
using ::schakel::testing::DemoCliTest;
using ::schakel::testing::LoadIdentity;
using ::schakel::testing::MakeChannel;
using ::schakel::testing::Result;
using ::schakel::testing::RunCommand;
using ::testing::HasSubstr;
using ::testing::Not;

class EdgeDaemonTest : public DemoCliTest {
 protected:
  grpc::Status WhoAmI(const testing::Identity& identity) {
    auto stub = v1::DirectoryService::NewStub(MakeChannel(daemon_->address(), identity));
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::WhoAmIResponse out;
    return stub->WhoAmI(&ctx, v1::WhoAmIRequest(), &out);
  }

  // schakeld's stderr once `text` shows up in it (or after 5 s).
  std::string StderrWith(const std::string& text) {
    std::string err;
    for (int i = 0; i < 100; ++i) {
      err = daemon_->Stderr();
      if (err.find(text) != std::string::npos) break;
      absl::SleepFor(absl::Milliseconds(50));
    }
    return err;
  }
};

TEST_F(EdgeDaemonTest, FailedHandshakesAreCountedInTheServerLog) {
  // Another deployment's professional: a certificate of another CA.
  std::string other = tmp_.File("other");
  Result init = RunCommand({Bin("schakel-admin"), "init", other, "--demo"});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  testing::Identity foreign = LoadIdentity(other + "/users/partner-woej");
  testing::Identity ours = LoadIdentity(Identity("partner-woej"));
  // Trusting our server, but presenting the other CA's certificate.
  foreign.ca_pem = ours.ca_pem;
  testing::Identity none{"", "", ours.ca_pem};

  EXPECT_EQ(WhoAmI(none).error_code(), grpc::StatusCode::UNAVAILABLE);
  std::string err = StderrWith("(1 failed handshakes since start");
  EXPECT_THAT(err, HasSubstr("WARNING security: TLS handshake failed (1 failed handshakes since start"));
  EXPECT_EQ(WhoAmI(foreign).error_code(), grpc::StatusCode::UNAVAILABLE);
  err = StderrWith("(2 failed handshakes since start");
  EXPECT_THAT(err, HasSubstr("WARNING security: TLS handshake failed (2 failed handshakes since start"));
  // A valid certificate is no failure.
  EXPECT_TRUE(WhoAmI(ours).ok());
  EXPECT_THAT(daemon_->Stderr(), Not(HasSubstr("(3 failed handshakes")));
  // Every line in our format: a UTC time stamp first.
  for (absl::string_view line : absl::StrSplit(daemon_->Stderr(), '\n', absl::SkipEmpty())) {
    if (line.find("security:") == absl::string_view::npos) continue;
    EXPECT_EQ(line.substr(23, 2), "Z ") << line;
  }
}

TEST_F(EdgeDaemonTest, ANewlineInALoggedFieldIsEscaped) {
  auto stub = v1::SignalService::NewStub(
      MakeChannel(daemon_->address(), LoadIdentity(Identity("partner-woej"))));
  v1::CreateSignalRequest req;
  req.set_request_id("evil\n2030-01-01T00:00:00.000Z ERROR forged by a client");
  req.set_category("FZ-SCHULDEN");
  req.set_wijk("prinsenhof");
  req.set_place("Schoolplein");
  req.set_description("Jan Jansen woont op Prinsenhoflaan 1");
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::Signal out;
  EXPECT_EQ(stub->CreateSignal(&ctx, req, &out).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::string err = StderrWith("refused SignalService.CreateSignal");
  // A request id that is not one is refused before it is recorded anywhere:
  // the line names the field and its rule, never the value.
  EXPECT_THAT(err, HasSubstr("request_id: must be 8 to 64 characters"));
  EXPECT_THAT(err, Not(HasSubstr("forged by a client")));
  for (absl::string_view line : absl::StrSplit(err, '\n', absl::SkipEmpty())) {
    EXPECT_FALSE(absl::StartsWith(line, "2030-01-01")) << "a forged line: " << line;
  }
  EXPECT_THAT(err, Not(HasSubstr("Jan Jansen")));
  EXPECT_THAT(err, Not(HasSubstr("Prinsenhoflaan")));
}

}  // namespace
}  // namespace schakel
