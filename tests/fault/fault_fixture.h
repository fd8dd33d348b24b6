// What the disk-fault tests share: a demo deployment served on loopback with
// a fast health probe, the regisseur creating and reading signals, and the
// health service.
#ifndef SCHAKEL_TESTS_FAULT_FAULT_FIXTURE_H_
#define SCHAKEL_TESTS_FAULT_FAULT_FIXTURE_H_

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "schakel/v1/audit.grpc.pb.h"
#include "schakel/v1/signals.grpc.pb.h"
#include "server/server.h"
#include "tests/support/deployment_support.h"
#include "tests/support/test_support.h"

namespace schakel::testing {

using Serving = grpc::health::v1::HealthCheckResponse;

class FaultFixture : public ::testing::Test {
 protected:
  // Makes the demo deployment in tmp_ and serves it.
  void StartServer() {
    paths_ = InitDemoDeployment(tmp_);
    ServerOptions options;
    options.deployment_dir = paths_->dir;
    options.listen = "127.0.0.1:0";
    options.health_interval = absl::Milliseconds(50);
    auto server = Server::Start(options);
    ASSERT_THAT(server, IsOk());
    server_ = std::move(server).value();
    auto channel = MakeChannel(server_->address(), LoadIdentity(paths_->UserDir("regisseur")));
    signals_ = v1::SignalService::NewStub(channel);
    health_ = grpc::health::v1::Health::NewStub(channel);
  }

  // A normal signal with request id "fault-signal-<n>".
  grpc::Status Create(int n, v1::Signal* out, size_t description_size = 40) {
    v1::CreateSignalRequest req;
    req.set_request_id(absl::StrCat("fault-signal-", n));
    req.set_category("FVW-OVERLAST");
    req.set_wijk("prinsenhof");
    req.set_place("Portiek Prinsenhoflaan");
    req.set_description(std::string(description_size, 'o'));
    CallContext ctx;
    return signals_->CreateSignal(ctx.get(), req, out);
  }

  grpc::Status Get(const std::string& id) {
    v1::GetSignalRequest req;
    req.set_id(id);
    v1::Signal out;
    CallContext ctx;
    return signals_->GetSignal(ctx.get(), req, &out);
  }

  int ListCount() {
    v1::ListSignalsRequest req;
    req.set_page_size(100);
    v1::ListSignalsResponse resp;
    CallContext ctx;
    grpc::Status s = signals_->ListSignals(ctx.get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.signals_size();
  }

  // Waits (at most 5 s) for the health service to report `want`.
  bool HealthBecomes(Serving::ServingStatus want) {
    for (int i = 0; i < 100; ++i) {
      grpc::ClientContext ctx;
      grpc::health::v1::HealthCheckRequest req;
      req.set_service("schakel.v1.SignalService");
      Serving resp;
      if (health_->Check(&ctx, req, &resp).ok() && resp.status() == want) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  // The auditor's online verification of the whole chain.
  void ExpectAuditIntact() {
    auto audit = v1::AuditService::NewStub(
        MakeChannel(server_->address(), LoadIdentity(paths_->UserDir("auditor"))));
    v1::VerifyAuditResponse verified;
    CallContext ctx;
    ASSERT_TRUE(audit->VerifyAudit(ctx.get(), v1::VerifyAuditRequest(), &verified).ok());
    EXPECT_TRUE(verified.intact()) << verified.problem();
  }

  TempDir tmp_;
  std::unique_ptr<deployment::Paths> paths_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<v1::SignalService::Stub> signals_;
  std::unique_ptr<grpc::health::v1::Health::Stub> health_;
};

}  // namespace schakel::testing

#endif  // SCHAKEL_TESTS_FAULT_FAULT_FIXTURE_H_
