// The write path under load, through the real server: the no-work Ping
// (authenticated, not audited), concurrent audited creates sharing commits
// with one entry each and an intact chain, and fail-closed auditing when the
// audit log cannot be written while many requests are in flight.
#include <atomic>
#include <map>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/directory.grpc.pb.h"
#include "schakel/v1/signals.grpc.pb.h"
#include "server/audit/audit_store.h"
#include "server/audit/checkpoint.h"
#include "server/audit/verifier.h"
#include "server/deployment/deployment.h"
#include "server/server.h"
#include "server/store/directory_store.h"
#include "tests/support/deployment_support.h"
#include "tests/support/test_support.h"
#include "tests/support/transaction.h"

namespace schakel {
namespace {

using ::schakel::testing::CallContext;
using ::schakel::testing::IsOk;
using ::schakel::testing::LoadIdentity;
using ::schakel::testing::MakeChannel;
using ::schakel::testing::ReadFileOrDie;
using ::schakel::testing::TempDir;

class WritePathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    paths_ = testing::InitDemoDeployment(tmp_);
    kek_ = testing::DemoKek(*paths_);
    auto db = deployment::OpenDatabase(*paths_, kek_);
    ASSERT_THAT(db, IsOk());
    store::SqliteDirectoryStore directory(db->get());
    absl::Time now = absl::Now();
    disabled_ = testing::RegisterProfessional(**db, testing::LoadCa(*paths_), "pdisabledaaaaaaaa",
                                              "woej", {domain::Role::kPartner},
                                              now - absl::Hours(1), now + absl::Hours(24));
    ASSERT_THAT((*db)->Write([&](store::Connection& c) {
      return directory.DisableProfessional(c, "pdisabledaaaaaaaa").status();
    }),
                IsOk());
  }

  void Start() {
    ServerOptions options;
    options.deployment_dir = paths_->dir;
    options.listen = "127.0.0.1:0";
    options.audit_fault_for_testing = [this]() -> absl::Status {
      if (broken_) return absl::UnavailableError("injected: the audit log cannot be written");
      return absl::OkStatus();
    };
    auto server = Server::Start(options);
    ASSERT_THAT(server, IsOk());
    server_ = std::move(server).value();
  }

  audit::Head Head() {
    auto db = deployment::OpenDatabase(*paths_, kek_);
    EXPECT_THAT(db, IsOk());
    auto head = audit::ReadHead(**db);
    EXPECT_THAT(head, IsOk());
    return *head;
  }

  std::unique_ptr<v1::SignalService::Stub> Signals(const std::string& user) {
    return v1::SignalService::NewStub(
        MakeChannel(server_->address(), LoadIdentity(paths_->UserDir(user))));
  }

  grpc::Status Create(v1::SignalService::Stub& stub, const std::string& request_id,
                      v1::Signal* out) {
    v1::CreateSignalRequest req;
    req.set_request_id(request_id);
    req.set_category("FVW-AFVALDUMP");
    req.set_wijk("prinsenhof");
    req.set_place("Hoek Prinsenhoflaan");
    req.set_description("Afval naast de container");
    CallContext ctx;
    return stub.CreateSignal(ctx.get(), req, out);
  }

  TempDir tmp_;
  std::unique_ptr<deployment::Paths> paths_;
  std::string kek_;
  testing::Identity disabled_;
  std::atomic<bool> broken_{false};
  std::unique_ptr<Server> server_;
};

TEST_F(WritePathTest, PingAnswersAnyProfessionalWithoutAnAuditEntryAndRefusesADisabledOne) {
  Start();
  const audit::Head before = Head();
  for (const char* user : {"regisseur", "auditor", "admin", "partner-woej"}) {
    auto stub = v1::DirectoryService::NewStub(
        MakeChannel(server_->address(), LoadIdentity(paths_->UserDir(user))));
    for (int i = 0; i < 3; ++i) {
      CallContext ctx;
      v1::PingResponse out;
      grpc::Status s = stub->Ping(ctx.get(), v1::PingRequest(), &out);
      EXPECT_TRUE(s.ok()) << user << ": " << s.error_message();
    }
  }
  EXPECT_EQ(Head().seq, before.seq) << "a ping reads no case data: no entry";

  auto stub = v1::DirectoryService::NewStub(MakeChannel(server_->address(), disabled_));
  CallContext ctx;
  v1::PingResponse out;
  grpc::Status s = stub->Ping(ctx.get(), v1::PingRequest(), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(s.error_message(), ::testing::HasSubstr("disabled"));
  // The refusal is attributable, so it is recorded like any other.
  EXPECT_EQ(Head().seq, before.seq + 1);
}

TEST_F(WritePathTest, ConcurrentCreatesEachCommitWithExactlyOneEntryAndTheChainHolds) {
  Start();
  constexpr int kThreads = 16, kEach = 8;
  std::vector<std::thread> threads;
  std::vector<std::vector<std::string>> ids(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto stub = Signals(t % 2 ? "regisseur" : "partner-woej");
      for (int i = 0; i < kEach; ++i) {
        v1::Signal out;
        grpc::Status s = Create(*stub, absl::StrCat("req-load-", t, "-", i), &out);
        EXPECT_TRUE(s.ok()) << s.error_message();
        ids[t].push_back(out.id());
      }
    });
  }
  for (auto& t : threads) t.join();
  server_->Shutdown(absl::Seconds(2));

  auto db = deployment::OpenDatabase(*paths_, kek_);
  ASSERT_THAT(db, IsOk());
  std::map<std::string, int> created;
  ASSERT_THAT(audit::ForEachEntry(**db,
                                  [&](const audit::Entry& e) {
                                    if (e.action == "SignalService.CreateSignal" &&
                                        e.outcome == audit::kAllowed) {
                                      ++created[e.resource_id];
                                    }
                                    return absl::OkStatus();
                                  }),
              IsOk());
  EXPECT_EQ(created.size(), static_cast<size_t>(kThreads * kEach));
  for (const auto& per_thread : ids) {
    for (const std::string& id : per_thread) EXPECT_EQ(created[id], 1) << id;
  }
  auto checkpoints = audit::ReadCheckpoints(paths_->audit_checkpoints);
  ASSERT_THAT(checkpoints, IsOk());
  auto report = audit::VerifyChain(**db, *checkpoints, ReadFileOrDie(paths_->audit_public_key),
                                   std::nullopt);
  ASSERT_THAT(report, IsOk());
  EXPECT_TRUE(report->intact) << report->problem;
}

TEST_F(WritePathTest, WhenTheAuditLogCannotBeWrittenConcurrentReadsAndCreatesAllFail) {
  Start();
  auto stub = Signals("regisseur");
  v1::Signal existing;
  ASSERT_TRUE(Create(*stub, "req-existing-1", &existing).ok());
  const audit::Head before = Head();
  broken_ = true;
  std::atomic<int> answered{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      auto own = Signals("regisseur");
      for (int i = 0; i < 5; ++i) {
        CallContext ctx;
        v1::GetSignalRequest get;
        get.set_id(existing.id());
        v1::Signal out;
        grpc::Status read = own->GetSignal(ctx.get(), get, &out);
        if (read.ok()) ++answered;
        EXPECT_EQ(read.error_code(), grpc::StatusCode::UNAVAILABLE) << read.error_message();
        v1::Signal created;
        grpc::Status write = Create(*own, absl::StrCat("req-broken-", t, "-", i), &created);
        if (write.ok()) ++answered;
        EXPECT_FALSE(write.ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(answered.load(), 0) << "nothing may be answered that was not recorded";
  EXPECT_EQ(Head().seq, before.seq);
  broken_ = false;
  v1::Signal again;
  EXPECT_TRUE(Create(*stub, "req-after-repair", &again).ok());
  server_->Shutdown(absl::Seconds(2));
}

// The use case owns the transaction: a change's rows and its audit entry
// commit together. With the audit log failing, every change fails and
// leaves no row behind (no signal, event, note or remembered request id);
// a change refused after its reads (a stale etag) leaves no event and no
// "allowed" entry. After the repair the same request ids create exactly once.
TEST_F(WritePathTest, AChangesRowsAndItsAuditEntryCommitOrFailTogether) {
  Start();
  auto stub = Signals("regisseur");
  v1::Signal existing;
  ASSERT_TRUE(Create(*stub, "req-together-0", &existing).ok());
  auto count = [&](const char* table) {
    auto db = deployment::OpenDatabase(*paths_, kek_);
    EXPECT_THAT(db, IsOk());
    return testing::QueryInt(**db, absl::StrCat("SELECT COUNT(*) FROM ", table));
  };

  const char* const kTables[] = {"signals", "signal_events", "signal_notes", "create_requests"};
  std::map<std::string, int64_t> before;
  for (const char* t : kTables) before[t] = count(t);
  const audit::Head head = Head();

  broken_ = true;
  v1::Signal out;
  EXPECT_EQ(Create(*stub, "req-together-1", &out).error_code(), grpc::StatusCode::UNAVAILABLE);
  {
    CallContext ctx;
    v1::AssignSignalRequest req;
    req.set_id(existing.id());
    req.set_etag(existing.etag());
    req.set_owner_organisation_id("woej");
    EXPECT_EQ(stub->AssignSignal(ctx.get(), req, &out).error_code(),
              grpc::StatusCode::UNAVAILABLE);
  }
  {
    CallContext ctx;
    v1::ChangeSignalStatusRequest req;
    req.set_id(existing.id());
    req.set_etag(existing.etag());
    req.set_status(v1::SIGNAL_STATUS_IN_PROGRESS);
    EXPECT_EQ(stub->ChangeSignalStatus(ctx.get(), req, &out).error_code(),
              grpc::StatusCode::UNAVAILABLE);
  }
  {
    CallContext ctx;
    v1::AddSignalNoteRequest req;
    req.set_request_id("req-together-note");
    req.set_signal_id(existing.id());
    req.set_text("Bewoner gebeld, geen gehoor.");
    v1::Note note;
    EXPECT_EQ(stub->AddSignalNote(ctx.get(), req, &note).error_code(),
              grpc::StatusCode::UNAVAILABLE);
  }
  broken_ = false;
  for (const char* t : kTables) EXPECT_EQ(count(t), before[t]) << t << " changed without its entry";
  EXPECT_EQ(Head().seq, head.seq);

  // Refused after its read: no event, and the entry says so.
  {
    CallContext ctx;
    v1::ChangeSignalStatusRequest req;
    req.set_id(existing.id());
    req.set_etag("v99");
    req.set_status(v1::SIGNAL_STATUS_IN_PROGRESS);
    EXPECT_EQ(stub->ChangeSignalStatus(ctx.get(), req, &out).error_code(),
              grpc::StatusCode::ABORTED);
  }
  EXPECT_EQ(count("signal_events"), before["signal_events"]);
  {
    auto db = deployment::OpenDatabase(*paths_, kek_);
    ASSERT_THAT(db, IsOk());
    audit::Entry last;
    ASSERT_THAT(audit::ForEachEntry(**db,
                                    [&](const audit::Entry& e) {
                                      last = e;
                                      return absl::OkStatus();
                                    }),
                IsOk());
    EXPECT_EQ(last.action, "SignalService.ChangeSignalStatus");
    EXPECT_NE(last.outcome, audit::kAllowed);
    EXPECT_EQ(last.seq, head.seq + 1);
  }

  // Repaired: the same request ids now create, once each.
  ASSERT_TRUE(Create(*stub, "req-together-1", &out).ok());
  v1::Signal replay;
  ASSERT_TRUE(Create(*stub, "req-together-1", &replay).ok());
  EXPECT_EQ(replay.id(), out.id());
  EXPECT_EQ(count("signals"), before["signals"] + 1);
  EXPECT_EQ(count("create_requests"), before["create_requests"] + 1);
  server_->Shutdown(absl::Seconds(2));
}

}  // namespace
}  // namespace schakel
