// The fixture of the case tests: a demo deployment served on loopback with
// an injected clock, and the demo professionals' stubs.
#ifndef SCHAKEL_TESTS_INTEGRATION_CASE_FIXTURE_H_
#define SCHAKEL_TESTS_INTEGRATION_CASE_FIXTURE_H_

#include <atomic>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/admin.grpc.pb.h"
#include "schakel/v1/audit.grpc.pb.h"
#include "schakel/v1/handovers.grpc.pb.h"
#include "schakel/v1/residents.grpc.pb.h"
#include "schakel/v1/signals.grpc.pb.h"
#include "schakel/v1/trajectories.grpc.pb.h"
#include "server/audit/checkpoint.h"
#include "server/audit/verifier.h"
#include "server/deployment/deployment.h"
#include "server/store/postgres_setup.h"
#include "server/server.h"
#include "tests/support/deployment_support.h"
#include "tests/support/test_support.h"

namespace schakel::testing {

using Ctx = CallContext;

// Monday 23 November 2026, 10:00 in Amsterdam.
inline absl::Time Monday() { return absl::FromUnixSeconds(1795424400); }

// One professional's stubs.
struct As {
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<v1::ResidentService::Stub> residents;
  std::unique_ptr<v1::SignalService::Stub> signals;
  std::unique_ptr<v1::HandoverService::Stub> handovers;
};

inline std::string Rid(const std::string& tag) {
  static std::atomic<int> n{0};
  return absl::StrCat("req-", tag, "-", n++);
}

class CasesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    paths_ = testing::InitDemoDeployment(tmp_, &clock_);
    auto server = Server::Start(InstanceOptions(paths_->dir));
    ASSERT_THAT(server, IsOk());
    server_ = std::move(server).value();
  }

  // How an instance of the deployment in `dir` (this test's, or a copy of
  // it) starts here.
  ServerOptions InstanceOptions(const std::string& dir) {
    ServerOptions options;
    options.deployment_dir = dir;
    options.listen = "127.0.0.1:0";
    options.clock = &clock_;
    options.expiry_interval = absl::Milliseconds(20);
    options.field_key_check_interval = field_key_check_interval_;
    options.field_key_reseal_batch = field_key_reseal_batch_;
    return options;
  }

  // A second machine's copy of the deployment, made while the first
  // instance may serve, configured as a secondary instance
  // (docs/operations.md, "Several instances"): its directory.
  std::string CopyAsSecondary(const std::string& name) {
    const std::string dir = tmp_.File(name);
    EXPECT_EQ(std::system(absl::StrCat("cp -a '", paths_->dir, "' '", dir, "'").c_str()), 0);
    deployment::Paths copy(dir);
    absl::StatusOr<config::DeploymentConfig> cfg = deployment::LoadConfig(copy);
    EXPECT_THAT(cfg, IsOk());
    if (cfg.ok()) {
      cfg->mutable_instance()->set_secondary(true);
      EXPECT_THAT(deployment::WriteConfig(copy, *cfg), IsOk());
    }
    return dir;
  }

  As Who(const std::string& name) { return WhoAt(*server_, name); }
  // `name`'s stubs on `server` (another instance of the deployment).
  As WhoAt(const Server& server, const std::string& name) {
    As a;
    a.channel = MakeChannel(server.address(), LoadIdentity(paths_->UserDir(name)));
    a.residents = v1::ResidentService::NewStub(a.channel);
    a.signals = v1::SignalService::NewStub(a.channel);
    a.handovers = v1::HandoverService::NewStub(a.channel);
    return a;
  }

  std::string Register(As& who, const std::string& name, const std::string& birth = "1985-03-02",
                       bool anyway = false) {
    v1::RegisterResidentRequest req;
    req.set_request_id(Rid("res"));
    req.set_name(name);
    req.set_birth_date(birth);
    req.set_address("Prinsenhoflaan 1");
    req.set_wijk("prinsenhof");
    req.set_register_anyway(anyway);
    v1::RegisterResidentResponse resp;
    Ctx ctx;
    grpc::Status s = who.residents->RegisterResident(&ctx, req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.id();
  }

  // A trajectory with a history, as a consultant starts one: the goal
  // "Trudy wil werken in de zorg", a measurement (rung 2) with the note
  // "Trudy vertelde over haar schulden" and a volunteering step "Trudy helpt
  // in het buurthuis". Fails the test where a call fails.
  v1::Trajectory StartTrajectoryWithHistory(As& consultant, const std::string& resident) {
    auto trajectories = v1::TrajectoryService::NewStub(consultant.channel);
    v1::Trajectory t;
    {
      v1::StartTrajectoryRequest req;
      req.set_request_id(Rid("traj"));
      req.set_resident_id(resident);
      req.set_start_date("2026-05-01");
      req.set_goal("Trudy wil werken in de zorg");
      Ctx ctx;
      grpc::Status s = trajectories->StartTrajectory(&ctx, req, &t);
      EXPECT_TRUE(s.ok()) << s.error_message();
    }
    {
      v1::RecordMeasurementRequest req;
      req.set_request_id(Rid("measure"));
      req.set_trajectory_id(t.id());
      req.set_rung(2);
      req.set_date("2026-05-10");
      req.set_note("Trudy vertelde over haar schulden");
      v1::Trajectory out;
      Ctx ctx;
      grpc::Status s = trajectories->RecordMeasurement(&ctx, req, &out);
      EXPECT_TRUE(s.ok()) << s.error_message();
    }
    {
      v1::AddStepRequest req;
      req.set_request_id(Rid("step"));
      req.set_trajectory_id(t.id());
      req.set_type(v1::STEP_TYPE_VOLUNTEERING);
      req.set_description("Trudy helpt in het buurthuis");
      v1::Step out;
      Ctx ctx;
      grpc::Status s = trajectories->AddStep(&ctx, req, &out);
      EXPECT_TRUE(s.ok()) << s.error_message();
    }
    return t;
  }

  v1::Handover Propose(As& who, const std::string& resident, const std::string& to,
                       int response_days = 0) {
    v1::ProposeHandoverRequest req;
    req.set_request_id(Rid("ho"));
    req.set_resident_id(resident);
    req.set_to_organisation_id(to);
    req.set_reason("Ouder zoekt hulp bij formulieren en taal");
    req.mutable_basis()->mutable_consent()->set_covers("doorverwijzing naar taalhuis en schuldhulp");
    req.set_response_days(response_days);
    v1::Handover out;
    Ctx ctx;
    grpc::Status s = who.handovers->ProposeHandover(&ctx, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  using ActFn = grpc::Status (v1::HandoverService::Stub::*)(grpc::ClientContext*,
                                                            const v1::HandoverActionRequest&,
                                                            v1::Handover*);
  // One action as a client makes it: with the etag of a read just before
  // (every update carries one; a caller who cannot read the handover sends
  // the first version's), unless `fill` sets another.
  grpc::Status Act(As& who, ActFn fn, const std::string& id, v1::Handover* out,
                   void (*fill)(v1::HandoverActionRequest&) = nullptr) {
    v1::HandoverActionRequest req;
    req.set_id(id);
    grpc::Status read;
    const std::string etag = GetHandover(who, id, &read).etag();
    req.set_etag(read.ok() ? etag : "v1");
    if (fill) fill(req);
    Ctx ctx;
    return ((*who.handovers).*fn)(ctx.get(), req, out);
  }

  v1::Handover GetHandover(As& who, const std::string& id, grpc::Status* status = nullptr) {
    v1::GetHandoverRequest req;
    req.set_id(id);
    v1::Handover out;
    Ctx ctx;
    grpc::Status s = who.handovers->GetHandover(&ctx, req, &out);
    if (status) *status = s;
    return out;
  }

  v1::Signal CreateSignal(As& who, const std::string& category, const std::string& resident = "",
                          const std::string& owner = "", const std::string& request_id = "") {
    v1::CreateSignalRequest req;
    req.set_request_id(request_id.empty() ? Rid("sig") : request_id);
    req.set_category(category);
    req.set_wijk("prinsenhof");
    req.set_place("Schoolplein De Trampoline");
    req.set_description("Beschrijving van het signaal");
    req.set_resident_id(resident);
    req.set_owner_organisation_id(owner);
    v1::Signal out;
    Ctx ctx;
    grpc::Status s = who.signals->CreateSignal(&ctx, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  // On PostgreSQL: the name of the deployment's database.
  std::string DatabaseName() {
    auto cfg = deployment::LoadConfig(*paths_);
    EXPECT_THAT(cfg, IsOk());
    auto db = store::ConninfoValue(cfg->store().postgresql().conninfo(), "dbname");
    EXPECT_THAT(db, IsOk());
    return db.value_or("");
  }

  // Verifies the deployment's whole audit chain against its checkpoints.
  void ExpectAuditChainIntact() { testing::ExpectAuditChainIntact(*paths_); }

  // The same create-signal sent `n` times at once, each on a connection of
  // its own, as the brugfunctionaris on the instance `on(i)` names; each
  // answer's status and signal id.
  struct Retried {
    std::vector<grpc::Status> statuses;
    std::vector<std::string> ids;
  };
  Retried CreateConcurrently(const std::string& request_id, int n,
                             const std::function<const Server&(int)>& on) {
    Retried r{std::vector<grpc::Status>(n), std::vector<std::string>(n)};
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i) {
      threads.emplace_back([&, i] {
        As me = WhoAt(on(i), "brugfunctionaris");
        v1::CreateSignalRequest req;
        req.set_request_id(request_id);
        req.set_category("JO-ARMOEDE");
        req.set_wijk("prinsenhof");
        req.set_place("School");
        req.set_description("Kind komt zonder ontbijt");
        v1::Signal out;
        Ctx ctx;
        r.statuses[i] = me.signals->CreateSignal(&ctx, req, &out);
        r.ids[i] = out.id();
      });
    }
    for (auto& t : threads) t.join();
    return r;
  }

  FakeClock clock_{Monday()};
  // On PostgreSQL: the server's reload of its field keys (a subclass's
  // constructor may change them).
  absl::Duration field_key_check_interval_ = absl::Seconds(30);
  int field_key_reseal_batch_ = 200;
  TempDir tmp_;
  std::unique_ptr<deployment::Paths> paths_;
  std::unique_ptr<Server> server_;
};

}  // namespace schakel::testing

#endif  // SCHAKEL_TESTS_INTEGRATION_CASE_FIXTURE_H_
