// The limits at schakeld's edge (server/api/limits.h), each hit and answered
// with its status; cancellation and the server's deadline cap stopping a
// long operation; failed TLS handshakes counted; refusals logged escaped.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include <grpcpp/generic/generic_stub.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/audit.grpc.pb.h"
#include "schakel/v1/directory.grpc.pb.h"
#include "schakel/v1/reports.grpc.pb.h"
#include "schakel/v1/signals.grpc.pb.h"
#include "server/api/limits.h"
#include "server/api/security_events.h"
#include "server/deployment/seed_data.h"
#include "server/server.h"
#include "tests/support/deployment_support.h"
#include "tests/support/test_support.h"
#include "tests/support/test_engine.h"

namespace schakel {
namespace {

using ::schakel::testing::IsOk;
using ::schakel::testing::LoadIdentity;
using ::schakel::testing::MakeChannel;
using ::schakel::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::Not;

std::chrono::system_clock::time_point In(std::chrono::milliseconds ms) {
  return std::chrono::system_clock::now() + ms;
}

class EdgeTest : public ::testing::Test {
 protected:
  void SetUp() override { paths_ = testing::InitDemoDeployment(tmp_); }

  void Start(api::Limits limits = api::DefaultLimits()) {
    ServerOptions options;
    options.deployment_dir = paths_->dir;
    options.listen = "127.0.0.1:0";
    options.limits = limits;
    options.stop_check_hook_for_testing = [this] {
      ++stop_checks_;
      std::function<void()> hook;
      {
        std::lock_guard<std::mutex> lock(hook_mu_);
        hook = hook_;
      }
      if (hook) hook();
    };
    auto server = Server::Start(options);
    ASSERT_THAT(server, IsOk());
    server_ = std::move(server).value();
  }

  void SetHook(std::function<void()> hook) {
    std::lock_guard<std::mutex> lock(hook_mu_);
    hook_ = std::move(hook);
  }

  std::shared_ptr<grpc::Channel> Channel(const std::string& user) {
    return MakeChannel(server_->address(), LoadIdentity(paths_->UserDir(user)));
  }

  grpc::Status WhoAmI(const std::shared_ptr<grpc::Channel>& channel) {
    grpc::ClientContext ctx;
    ctx.set_deadline(In(std::chrono::seconds(10)));
    v1::WhoAmIResponse out;
    return v1::DirectoryService::NewStub(channel)->WhoAmI(&ctx, v1::WhoAmIRequest(), &out);
  }

  // Fills the audit log with `n` more entries (one per WhoAmI).
  void AddAuditEntries(int n) {
    auto channel = Channel("partner-woej");
    for (int i = 0; i < n; ++i) ASSERT_TRUE(WhoAmI(channel).ok());
  }

  // The peers (address:port) of the partner's WhoAmI calls, in order.
  std::vector<std::string> WhoAmIPeers() {
    auto stub = v1::AuditService::NewStub(Channel("auditor"));
    grpc::ClientContext ctx;
    ctx.set_deadline(In(std::chrono::seconds(10)));
    v1::QueryAuditRequest req;
    req.set_action("DirectoryService.WhoAmI");
    req.set_page_size(500);
    v1::QueryAuditResponse resp;
    EXPECT_TRUE(stub->QueryAudit(&ctx, req, &resp).ok());
    std::vector<std::string> peers;
    for (const auto& e : resp.entries()) {
      if (e.professional_id() != auditor_id_) peers.push_back(e.peer());
    }
    return peers;
  }

  // Whether two WhoAmI calls `pause` apart share a connection.
  bool SameConnectionAfter(absl::Duration pause) {
    auto channel = Channel("partner-woej");
    EXPECT_TRUE(WhoAmI(channel).ok());
    absl::SleepFor(pause);
    EXPECT_TRUE(WhoAmI(channel).ok());
    std::vector<std::string> peers = WhoAmIPeers();
    EXPECT_EQ(peers.size(), 2u);
    return peers.size() == 2 && peers[0] == peers[1];
  }

  grpc::Status VerifyAudit(grpc::ClientContext& ctx) {
    auto stub = v1::AuditService::NewStub(Channel("auditor"));
    v1::VerifyAuditResponse out;
    return stub->VerifyAudit(&ctx, v1::VerifyAuditRequest(), &out);
  }

  TempDir tmp_;
  std::unique_ptr<deployment::Paths> paths_;
  std::unique_ptr<Server> server_;
  std::atomic<int> stop_checks_{0};
  std::mutex hook_mu_;
  std::function<void()> hook_;
  std::string auditor_id_ = "none";
};

TEST(LimitsTest, ProductionLimitsAreExplicit) {
  api::Limits l = api::DefaultLimits();
  EXPECT_EQ(l.max_receive_message_bytes, 1 << 20);
  EXPECT_GE(l.max_concurrent_streams, 100);
  EXPECT_GT(l.max_metadata_bytes, 0);
  EXPECT_LE(l.max_metadata_bytes, 64 * 1024);
  EXPECT_GT(l.handshake_timeout, absl::ZeroDuration());
  EXPECT_LE(l.handshake_timeout, absl::Seconds(30));
  EXPECT_LT(l.max_connection_idle, absl::InfiniteDuration());
  EXPECT_LT(l.max_connection_age, absl::InfiniteDuration());
  EXPECT_GT(l.max_request_deadline, absl::ZeroDuration());
  EXPECT_LE(l.max_request_deadline, absl::Minutes(1));
}

TEST_F(EdgeTest, AMessageOverOneMiBIsResourceExhaustedAndALongFieldIsInvalid) {
  Start();
  auto stub = v1::SignalService::NewStub(Channel("partner-woej"));
  v1::CreateSignalRequest req;
  req.set_request_id("edge-big-1");
  req.set_category("FZ-SCHULDEN");
  req.set_wijk("prinsenhof");
  req.set_place("Schoolplein");
  req.set_description(std::string((1 << 20) + 1, 'x'));
  v1::Signal out;
  grpc::ClientContext big;
  big.set_deadline(In(std::chrono::seconds(10)));
  grpc::Status s = stub->CreateSignal(&big, req, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << s.error_message();

  // Under the message limit, over the field's: the domain names the rule.
  req.set_description(std::string(10001, 'x'));
  grpc::ClientContext longer;
  longer.set_deadline(In(std::chrono::seconds(10)));
  s = stub->CreateSignal(&longer, req, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("description: at most 10000 characters"));
}

TEST_F(EdgeTest, MetadataOverTheLimitIsRefused) {
  api::Limits limits;
  limits.max_metadata_bytes = 4096;
  Start(limits);
  auto channel = Channel("partner-woej");
  grpc::ClientContext ctx;
  ctx.set_deadline(In(std::chrono::seconds(10)));
  ctx.AddMetadata("x-padding", std::string(8192, 'p'));
  v1::WhoAmIResponse out;
  grpc::Status s = v1::DirectoryService::NewStub(channel)->WhoAmI(&ctx, v1::WhoAmIRequest(), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << s.error_message();
  // gRPC 1.51 may drop the offending connection with it; the server goes
  // on serving calls of ordinary size.
  EXPECT_TRUE(WhoAmI(Channel("partner-woej")).ok());
}

TEST_F(EdgeTest, ConcurrentStreamsPerConnectionAreCapped) {
  api::Limits limits;
  limits.max_concurrent_streams = 2;
  Start(limits);
  std::mutex mu;
  std::condition_variable cv;
  int inside = 0, most_inside = 0;
  bool released = false;
  SetHook([&] {
    std::unique_lock<std::mutex> lock(mu);
    ++inside;
    most_inside = std::max(most_inside, inside);
    cv.notify_all();
    cv.wait(lock, [&] { return released; });
    --inside;
  });
  // Three slow calls over one connection (the hook holds each at its start).
  auto stub = v1::DirectoryService::NewStub(Channel("partner-woej"));
  std::vector<std::thread> calls;
  std::atomic<int> ok{0};
  for (int i = 0; i < 3; ++i) {
    calls.emplace_back([&] {
      grpc::ClientContext ctx;
      ctx.set_deadline(In(std::chrono::seconds(20)));
      v1::WhoAmIResponse out;
      if (stub->WhoAmI(&ctx, v1::WhoAmIRequest(), &out).ok()) ++ok;
    });
  }
  {
    std::unique_lock<std::mutex> lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return inside == 2; }));
  }
  // The third waits on the client side for a stream.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  {
    std::lock_guard<std::mutex> lock(mu);
    EXPECT_EQ(inside, 2);
    released = true;
    cv.notify_all();
  }
  for (auto& t : calls) t.join();
  EXPECT_EQ(ok.load(), 3);
  EXPECT_EQ(most_inside, 2);
}

TEST_F(EdgeTest, AnIdleConnectionIsClosedAndAnActiveOneIsNot) {
  api::Limits limits;
  limits.max_connection_idle = absl::Milliseconds(300);
  Start(limits);
  EXPECT_FALSE(SameConnectionAfter(absl::Milliseconds(1200)));
}

TEST_F(EdgeTest, WithTheDefaultLimitsAConnectionLivesOn) {
  Start();
  EXPECT_TRUE(SameConnectionAfter(absl::Milliseconds(1200)));
}

TEST_F(EdgeTest, AConnectionIsClosedAtItsMaximumAge) {
  api::Limits limits;
  limits.max_connection_age = absl::Milliseconds(300);
  limits.max_connection_age_grace = absl::Milliseconds(100);
  Start(limits);
  EXPECT_FALSE(SameConnectionAfter(absl::Milliseconds(1200)));
}

// A raw TCP connection to the server's port.
int Connect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return -1;
  }
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  return fd;
}

TEST_F(EdgeTest, ASilentConnectionIsClosedAtTheHandshakeTimeoutAndCounted) {
  api::Limits limits;
  limits.handshake_timeout = absl::Milliseconds(300);
  Start(limits);
  int64_t before = api::FailedHandshakes();
  int fd = Connect(server_->port());
  ASSERT_GE(fd, 0);
  absl::Time start = absl::Now();
  char buf[64];
  ssize_t n = ::recv(fd, buf, sizeof(buf), 0);  // blocks until the server closes
  absl::Duration waited = absl::Now() - start;
  ::close(fd);
  EXPECT_LE(n, 0);
  EXPECT_LT(waited, absl::Seconds(4));
  // Counted: only the server side of this process speaks TLS here.
  for (int i = 0; i < 50 && api::FailedHandshakes() == before; ++i) absl::SleepFor(absl::Milliseconds(20));
  EXPECT_EQ(api::FailedHandshakes(), before + 1);
}

TEST_F(EdgeTest, NotSpeakingTlsIsAFailedHandshake) {
  Start();
  int64_t before = api::FailedHandshakes();
  int fd = Connect(server_->port());
  ASSERT_GE(fd, 0);
  const char hello[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_GT(::send(fd, hello, sizeof(hello) - 1, 0), 0);
  char buf[256];
  while (::recv(fd, buf, sizeof(buf), 0) > 0) {
  }
  ::close(fd);
  for (int i = 0; i < 50 && api::FailedHandshakes() == before; ++i) absl::SleepFor(absl::Milliseconds(20));
  EXPECT_EQ(api::FailedHandshakes(), before + 1);
}

TEST_F(EdgeTest, ACancelledVerifyStopsItsWork) {
  Start();
  AddAuditEntries(60);
  SetHook([] { absl::SleepFor(absl::Milliseconds(10)); });
  int before = stop_checks_.load();
  grpc::ClientContext ctx;
  ctx.set_deadline(In(std::chrono::seconds(20)));
  std::thread canceller([&] {
    absl::SleepFor(absl::Milliseconds(150));
    ctx.TryCancel();
  });
  grpc::Status s = VerifyAudit(ctx);
  canceller.join();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::CANCELLED);
  // The server sees the cancellation at its next check and stops there.
  absl::SleepFor(absl::Milliseconds(300));
  int after_cancel = stop_checks_.load();
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(stop_checks_.load(), after_cancel);
  // About 15 of the 60+ entries were walked (one check at the start, then
  // one per entry at 10 ms each).
  EXPECT_GT(after_cancel - before, 2);
  EXPECT_LT(after_cancel - before, 40);
}

TEST_F(EdgeTest, ALongReadIsInterruptedInsideItsQueryAtTheDeadlineCap) {
  SCHAKEL_SQLCIPHER_ONLY("slow checks slow SQLite's own steps; PostgreSQL's watcher is tested in "
                         "postgres_database_test");
  // A year of 5,000 signals: the signal report reads them all in its query.
  SystemClock clock;
  deployment::SeedOptions seed;
  seed.residents = 500;
  seed.signals = 5000;
  ASSERT_THAT(deployment::SeedDeployment(*paths_, testing::DemoKek(*paths_), seed, clock), IsOk());
  api::Limits limits;
  limits.max_request_deadline = absl::Milliseconds(150);
  Start(limits);
  auto reports = v1::ReportService::NewStub(Channel("analyst"));
  v1::ReportRequest req;
  absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  // The seed spreads its rows over the last year: the year holding at
  // least half of them.
  req.set_period(absl::StrCat(today.month() >= 7 ? today.year() : today.year() - 1));
  req.set_by(v1::REPORT_GROUPING_MONTH);

  // Each stop check takes 5 ms: the query itself runs past the cap, and the
  // checks SQLite makes between its steps stop it there.
  SetHook([] { absl::SleepFor(absl::Milliseconds(5)); });
  int before = stop_checks_.load();
  grpc::ClientContext ctx;
  ctx.set_deadline(In(std::chrono::seconds(20)));
  v1::Report out;
  absl::Time start = absl::Now();
  grpc::Status s = reports->SignalReport(&ctx, req, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << s.error_message();
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  // More checks than the one at the start: they came from inside the read.
  EXPECT_GT(stop_checks_.load() - before, 5);

  // Without the slow checks the same report finishes well within the cap.
  SetHook(nullptr);
  grpc::ClientContext again;
  again.set_deadline(In(std::chrono::seconds(20)));
  grpc::Status ok = reports->SignalReport(&again, req, &out);
  EXPECT_TRUE(ok.ok()) << ok.error_message();
}

TEST_F(EdgeTest, TheServerCapsALongerDeadline) {
  api::Limits limits;
  limits.max_request_deadline = absl::Milliseconds(200);
  Start(limits);
  AddAuditEntries(60);
  SetHook([] { absl::SleepFor(absl::Milliseconds(10)); });
  int before = stop_checks_.load();
  grpc::ClientContext ctx;
  ctx.set_deadline(In(std::chrono::seconds(20)));  // far beyond the cap
  absl::Time start = absl::Now();
  grpc::Status s = VerifyAudit(ctx);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << s.error_message();
  EXPECT_THAT(s.error_message(), HasSubstr("at most 200ms"));
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  EXPECT_LT(stop_checks_.load() - before, 40);

  // Without a hook slowing it down, the same request finishes in time.
  SetHook(nullptr);
  grpc::ClientContext again;
  again.set_deadline(In(std::chrono::seconds(20)));
  EXPECT_TRUE(VerifyAudit(again).ok());
}

TEST_F(EdgeTest, ARefusedRequestIsLoggedWithItsValuesEscaped) {
  Start();
  auto stub = v1::SignalService::NewStub(Channel("partner-woej"));
  v1::CreateSignalRequest req;
  req.set_request_id("evil\n2030-01-01T00:00:00.000Z ERROR forged");
  req.set_category("FZ-SCHULDEN");
  req.set_wijk("prinsenhof");
  req.set_place("Schoolplein");
  req.set_description("Jan Jansen, Prinsenhoflaan 1");
  v1::Signal out;
  grpc::ClientContext ctx;
  ctx.set_deadline(In(std::chrono::seconds(10)));
  ::testing::internal::CaptureStderr();
  grpc::Status s = stub->CreateSignal(&ctx, req, &out);
  std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(log, HasSubstr("refused SignalService.CreateSignal"));
  // A request id that is not one is refused before it is recorded anywhere:
  // the line names the field and its rule, never the value.
  EXPECT_THAT(log, HasSubstr("request_id: must be 8 to 64 characters"));
  EXPECT_THAT(log, Not(HasSubstr("forged")));
  EXPECT_THAT(log, Not(HasSubstr("Jan Jansen")));
}

// An orderly stop: a request that is running finishes within the grace
// (the hook holds it for 600 ms once shutdown has begun), an idle
// connection does not hold the stop up, and the stop takes about as long
// as that request, not the whole grace.
TEST_F(EdgeTest, ShutdownLetsARunningRequestFinishAndClosesIdleConnectionsAtOnce) {
  Start();
  auto idle = Channel("partner-woej");
  ASSERT_TRUE(WhoAmI(idle).ok());
  std::atomic<bool> stopping{false};
  std::atomic<bool> held{false};
  SetHook([&] {
    if (stopping.load() && !held.exchange(true)) absl::SleepFor(absl::Milliseconds(600));
  });
  auto busy = Channel("regisseur");
  ASSERT_TRUE(WhoAmI(busy).ok());
  grpc::Status running;
  std::thread call([&] {
    // Starts once shutdown has been asked for... from a connection opened
    // before, so gRPC already holds the call when it arrives.
    while (!stopping.load()) absl::SleepFor(absl::Milliseconds(1));
    running = WhoAmI(busy);
  });
  stopping.store(true);
  while (!held.load()) absl::SleepFor(absl::Milliseconds(1));  // the call is in the handler
  absl::Time start = absl::Now();
  server_->Shutdown(absl::Seconds(5));
  absl::Duration took = absl::Now() - start;
  call.join();
  EXPECT_TRUE(held.load());
  EXPECT_TRUE(running.ok()) << running.error_message();
  EXPECT_GE(took, absl::Milliseconds(300));
  EXPECT_LT(took, absl::Seconds(3)) << took;
}

// A request still running when the grace is over is cancelled; the stop
// does not wait for it.
TEST_F(EdgeTest, ShutdownCancelsWhatRunsPastTheGrace) {
  Start();
  auto busy = Channel("regisseur");
  ASSERT_TRUE(WhoAmI(busy).ok());
  std::atomic<bool> entered{false};
  std::atomic<bool> release{false};
  SetHook([&] {
    if (!entered.exchange(true)) {
      while (!release.load()) absl::SleepFor(absl::Milliseconds(5));
    }
  });
  grpc::Status running;
  std::thread call([&] { running = WhoAmI(busy); });
  while (!entered.load()) absl::SleepFor(absl::Milliseconds(1));
  absl::Time start = absl::Now();
  std::thread stopper([&] { server_->Shutdown(absl::Milliseconds(300)); });
  // The call's client sees the cancellation before the handler returns.
  call.join();
  absl::Duration took = absl::Now() - start;
  release.store(true);
  stopper.join();
  EXPECT_FALSE(running.ok());
  EXPECT_LT(took, absl::Seconds(2)) << took;
}

// Reflection calls ServerReflectionInfo with a list_services request
// (field 7, empty), written by hand: the reflection protos are not in
// Debian's packages. The services the server names, or its status.
grpc::Status ListServicesByReflection(const std::shared_ptr<grpc::Channel>& channel,
                                      std::string* answer) {
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue cq;
  grpc::ClientContext ctx;
  ctx.set_deadline(In(std::chrono::seconds(10)));
  auto call =
      stub.PrepareCall(&ctx, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &cq);
  void* tag = nullptr;
  bool ok = false;
  auto step = [&](int n) { return cq.Next(&tag, &ok) && tag == reinterpret_cast<void*>(n) && ok; };
  call->StartCall(reinterpret_cast<void*>(1));
  step(1);
  const char request[] = {0x3a, 0x00};
  grpc::Slice slice(request, sizeof(request));
  grpc::ByteBuffer out(&slice, 1);
  call->Write(out, reinterpret_cast<void*>(2));
  step(2);
  call->WritesDone(reinterpret_cast<void*>(3));
  step(3);
  grpc::ByteBuffer in;
  call->Read(&in, reinterpret_cast<void*>(4));
  if (step(4)) {
    std::vector<grpc::Slice> slices;
    if (in.Dump(&slices).ok()) {
      for (const grpc::Slice& s : slices) {
        answer->append(reinterpret_cast<const char*>(s.begin()), s.size());
      }
    }
  }
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(5));
  cq.Next(&tag, &ok);
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  return status;
}

TEST_F(EdgeTest, ReflectionIsOffUnlessAskedFor) {
  Start();
  std::string answer;
  grpc::Status s = ListServicesByReflection(Channel("regisseur"), &answer);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNIMPLEMENTED) << s.error_message();
  EXPECT_EQ(answer.find("schakel.v1"), std::string::npos);
}

TEST_F(EdgeTest, ReflectionListsTheServicesWhenAskedFor) {
  ServerOptions options;
  options.deployment_dir = paths_->dir;
  options.listen = "127.0.0.1:0";
  options.reflection = true;
  auto server = Server::Start(options);
  ASSERT_THAT(server, IsOk());
  server_ = std::move(server).value();
  std::string answer;
  grpc::Status s = ListServicesByReflection(Channel("regisseur"), &answer);
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_NE(answer.find("schakel.v1.SignalService"), std::string::npos);
}

TEST_F(EdgeTest, AnAddressThatWouldBindElsewhereIsRefused) {
  for (const char* listen : {"127.0.0.1:99999", ":65536", "127.0.0.1"}) {
    ServerOptions options;
    options.deployment_dir = paths_->dir;
    options.listen = listen;
    EXPECT_THAT(Server::Start(options),
                testing::StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--listen")))
        << listen;
  }
}

}  // namespace
}  // namespace schakel
