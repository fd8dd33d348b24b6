// `schakel-admin seed` (server/deployment/seed_data.h): a seeded deployment
// starts, passes audit verify and serves the rows to professionals; the
// tool refuses while the server holds the deployment; a seed gives the same
// rows.
#include <map>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/handovers.grpc.pb.h"
#include "schakel/v1/signals.grpc.pb.h"
#include "server/audit/audit_store.h"
#include "server/audit/checkpoint.h"
#include "server/audit/verifier.h"
#include "server/deployment/deployment.h"
#include "server/deployment/seed_data.h"
#include "server/server.h"
#include "tests/support/deployment_support.h"
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
using ::testing::HasSubstr;

deployment::SeedOptions Small() {
  deployment::SeedOptions o;
  o.residents = 40;
  o.signals = 250;
  o.handovers = 30;
  o.trajectories = 10;
  o.batch_rows = 100;  // several batches, several audit entries
  o.seed = 7;
  return o;
}

std::vector<std::string> SignalIds(const deployment::Paths& paths, const std::string& kek) {
  auto db = deployment::OpenDatabase(paths, kek);
  EXPECT_THAT(db, IsOk());
  std::vector<std::string> ids;
  EXPECT_THAT((*db)->Read([&](store::Connection& c) -> absl::Status {
    auto st = c.Prepare("SELECT id FROM signals ORDER BY seq", "test");
    if (!st.ok()) return st.status();
    while (true) {
      auto row = st->Step();
      if (!row.ok()) return row.status();
      if (!*row) return absl::OkStatus();
      ids.push_back(st->ColumnText(0));
    }
  }),
              IsOk());
  return ids;
}

TEST(SeedTest, ASeededDeploymentVerifiesStartsAndServesTheRows) {
  TempDir tmp;
  auto paths = testing::InitDemoDeployment(tmp);
  const std::string kek = testing::DemoKek(*paths);
  SystemClock clock;
  auto seeded = deployment::SeedDeployment(*paths, kek, Small(), clock);
  ASSERT_THAT(seeded, IsOk());
  EXPECT_EQ(seeded->signals, 250);
  // One entry per batch: 1 + 3 + 1 + 1.
  EXPECT_EQ(seeded->audit_entries, 6);
  EXPECT_EQ(SignalIds(*paths, kek).size(), 250u);

  // The chain is intact and its new head signed.
  {
    auto db = deployment::OpenDatabase(*paths, kek);
    ASSERT_THAT(db, IsOk());
    auto checkpoints = audit::ReadCheckpoints(paths->audit_checkpoints);
    ASSERT_THAT(checkpoints, IsOk());
    ASSERT_FALSE(checkpoints->empty());
    EXPECT_EQ(checkpoints->back().seq, seeded->head_seq);
    auto report = audit::VerifyChain(**db, *checkpoints, ReadFileOrDie(paths->audit_public_key),
                                     std::nullopt);
    ASSERT_THAT(report, IsOk());
    EXPECT_TRUE(report->intact) << report->problem;
    EXPECT_EQ(report->head.seq, seeded->head_seq);
  }

  ServerOptions options;
  options.deployment_dir = paths->dir;
  options.listen = "127.0.0.1:0";
  auto server = Server::Start(options);
  ASSERT_THAT(server, IsOk());

  // While the server holds the deployment, seeding refuses and adds nothing.
  EXPECT_THAT(deployment::SeedDeployment(*paths, kek, Small(), clock),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("held by another process")));

  // The regisseur lists a full page (area-wide); pages continue.
  auto signals = v1::SignalService::NewStub(
      MakeChannel((*server)->address(), LoadIdentity(paths->UserDir("regisseur"))));
  v1::ListSignalsRequest list;
  list.set_page_size(50);
  v1::ListSignalsResponse page;
  {
    CallContext ctx;
    grpc::Status s = signals->ListSignals(ctx.get(), list, &page);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  EXPECT_EQ(page.signals_size(), 50);
  EXPECT_FALSE(page.next_page_token().empty());
  // Each one reads back in full.
  {
    v1::GetSignalRequest get;
    get.set_id(page.signals(0).id());
    v1::Signal s;
    CallContext ctx;
    grpc::Status status = signals->GetSignal(ctx.get(), get, &s);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(s.id(), page.signals(0).id());
  }
  // A partner sees only what its organisation is involved in: fewer.
  auto partner = v1::SignalService::NewStub(
      MakeChannel((*server)->address(), LoadIdentity(paths->UserDir("partner-woej"))));
  v1::ListSignalsRequest all;
  all.set_page_size(100);
  v1::ListSignalsResponse partner_page;
  {
    CallContext ctx;
    ASSERT_TRUE(partner->ListSignals(ctx.get(), all, &partner_page).ok());
  }
  EXPECT_LT(partner_page.signals_size(), 100);
  (*server)->Shutdown(absl::Seconds(2));
}

TEST(SeedTest, TheSameSeedGivesTheSameRowsAndAnotherSeedOthers) {
  TempDir a_dir, b_dir, c_dir;
  auto a = testing::InitDemoDeployment(a_dir);
  auto b = testing::InitDemoDeployment(b_dir);
  auto c = testing::InitDemoDeployment(c_dir);
  FakeClock clock(absl::FromUnixSeconds(1767225600));
  deployment::SeedOptions o = Small();
  ASSERT_THAT(deployment::SeedDeployment(*a, testing::DemoKek(*a), o, clock), IsOk());
  ASSERT_THAT(deployment::SeedDeployment(*b, testing::DemoKek(*b), o, clock), IsOk());
  o.seed = 8;
  ASSERT_THAT(deployment::SeedDeployment(*c, testing::DemoKek(*c), o, clock), IsOk());
  std::vector<std::string> ids = SignalIds(*a, testing::DemoKek(*a));
  EXPECT_EQ(ids, SignalIds(*b, testing::DemoKek(*b)));
  EXPECT_NE(ids, SignalIds(*c, testing::DemoKek(*c)));
}

TEST(SeedTest, WithAnEntryPerRowEveryRowHasTheEntryItsCreateWouldHave) {
  TempDir tmp;
  auto paths = testing::InitDemoDeployment(tmp);
  const std::string kek = testing::DemoKek(*paths);
  SystemClock clock;
  deployment::SeedOptions o = Small();
  o.audit_entry_per_row = true;
  auto seeded = deployment::SeedDeployment(*paths, kek, o, clock);
  ASSERT_THAT(seeded, IsOk());
  // 330 rows plus one entry per batch (1 + 3 + 1 + 1).
  EXPECT_EQ(seeded->audit_entries, 40 + 250 + 30 + 10 + 6);
  auto db = deployment::OpenDatabase(*paths, kek);
  ASSERT_THAT(db, IsOk());
  std::map<std::string, int> actions;
  int with_resident = 0;
  ASSERT_THAT(audit::ForEachEntry(**db,
                                  [&](const audit::Entry& e) {
                                    if (e.purpose != "test data") return absl::OkStatus();
                                    ++actions[e.action];
                                    if (e.action != "schakel-admin.seed") {
                                      EXPECT_FALSE(e.professional_id.empty());
                                      EXPECT_FALSE(e.roles.empty());
                                      EXPECT_EQ(e.certificate.size(), 64u) << e.seq;
                                      EXPECT_EQ(e.request_id, "seed-" + e.resource_id);
                                      EXPECT_EQ(e.outcome, audit::kAllowed);
                                      if (!e.residents.empty()) ++with_resident;
                                    }
                                    return absl::OkStatus();
                                  }),
              IsOk());
  EXPECT_EQ(actions["ResidentService.RegisterResident"], 40);
  EXPECT_EQ(actions["SignalService.CreateSignal"], 250);
  EXPECT_EQ(actions["HandoverService.ProposeHandover"], 30);
  EXPECT_EQ(actions["TrajectoryService.StartTrajectory"], 10);
  EXPECT_EQ(actions["schakel-admin.seed"], 6);
  // Residents, handovers and trajectories are all about one; most signals.
  EXPECT_GT(with_resident, 40 + 30 + 10 + 100);
  // The same rows as without the entries: the flag only adds to the log.
  TempDir plain_dir;
  auto plain = testing::InitDemoDeployment(plain_dir);
  FakeClock fixed(absl::FromUnixSeconds(1767225600));
  deployment::SeedOptions without = Small();
  ASSERT_THAT(deployment::SeedDeployment(*plain, testing::DemoKek(*plain), without, fixed), IsOk());
  TempDir with_dir;
  auto with = testing::InitDemoDeployment(with_dir);
  ASSERT_THAT(deployment::SeedDeployment(*with, testing::DemoKek(*with), o, fixed), IsOk());
  EXPECT_EQ(SignalIds(*plain, testing::DemoKek(*plain)), SignalIds(*with, testing::DemoKek(*with)));
  // And the chain verifies with its new head signed.
  auto checkpoints = audit::ReadCheckpoints(paths->audit_checkpoints);
  ASSERT_THAT(checkpoints, IsOk());
  auto report = audit::VerifyChain(**db, *checkpoints, ReadFileOrDie(paths->audit_public_key),
                                   std::nullopt);
  ASSERT_THAT(report, IsOk());
  EXPECT_TRUE(report->intact) << report->problem;
  EXPECT_EQ(report->head.seq, seeded->head_seq);
}

TEST(SeedTest, BadCountsAreRefused) {
  TempDir tmp;
  auto paths = testing::InitDemoDeployment(tmp);
  SystemClock clock;
  deployment::SeedOptions o;
  o.signals = -1;
  EXPECT_THAT(deployment::SeedDeployment(*paths, testing::DemoKek(*paths), o, clock),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("0 or more")));
  o.signals = 0;
  o.handovers = 5;
  EXPECT_THAT(deployment::SeedDeployment(*paths, testing::DemoKek(*paths), o, clock),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--residents")));
}

}  // namespace
}  // namespace schakel
