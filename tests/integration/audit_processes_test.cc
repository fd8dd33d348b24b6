// On PostgreSQL several processes append to one audit chain: a serving
// schakeld and an operator's schakel-admin recording an act. Their write
// transactions are ordered by the writers' lock (postgres_database.h), so
// none of them fails on a taken seq and the chain verifies.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/signals.grpc.pb.h"
#include "server/audit/audit_store.h"
#include "server/audit/checkpoint.h"
#include "server/audit/verifier.h"
#include "server/deployment/deployment.h"
#include "server/deployment/operator_audit.h"
#include "tests/integration/case_fixture.h"
#include "tests/support/test_engine.h"
#include "tests/support/test_support.h"

namespace schakel::testing {
namespace {

using AuditProcessesTest = CasesTest;

TEST_F(AuditProcessesTest, OperatorActsAppendedBesideTheServersWritesKeepOneChain) {
  SCHAKEL_POSTGRES_ONLY("a SQLCipher file has one process: the lock keeps the others out");
  std::atomic<bool> stop{false};
  std::atomic<int> written{0}, failed{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 2; ++w) {
    writers.emplace_back([&] {
      As regisseur = Who("regisseur");
      while (!stop) {
        v1::CreateSignalRequest req;
        req.set_request_id(Rid("chain"));
        req.set_category("FVW-OVERLAST");
        req.set_wijk("prinsenhof");
        req.set_place("Trappenhuis Vlietrand");
        req.set_description("Overlast in het trappenhuis");
        v1::Signal out;
        Ctx ctx;
        grpc::Status s = regisseur.signals->CreateSignal(&ctx, req, &out);
        if (s.ok()) {
          ++written;
        } else if (failed++ == 0) {
          ADD_FAILURE() << s.error_message();
        }
      }
    });
  }
  // Each act opens the store as a process of its own does: its own writer
  // connection.
  const std::string kek = DemoKek(*paths_);
  std::vector<std::thread> operators;
  std::atomic<int> acts_failed{0};
  for (int i = 0; i < 4; ++i) {
    operators.emplace_back([&, i] {
      for (int j = 0; j < 3; ++j) {
        absl::Status s = deployment::RecordOperatorAct(
            *paths_, kek, "test-act", absl::StrCat("act ", i, ".", j), clock_);
        if (!s.ok()) {
          ++acts_failed;
          ADD_FAILURE() << s;
        }
      }
    });
  }
  for (std::thread& t : operators) t.join();
  stop = true;
  for (std::thread& t : writers) t.join();
  EXPECT_EQ(acts_failed.load(), 0);
  EXPECT_EQ(failed.load(), 0);
  EXPECT_GT(written.load(), 0);

  auto db = deployment::OpenDatabase(*paths_, kek);
  ASSERT_THAT(db, IsOk());
  int acts = 0;
  ASSERT_THAT(audit::ForEachEntry(**db,
                                  [&](const audit::Entry& e) {
                                    if (e.action == "schakel-admin.test-act") ++acts;
                                    return absl::OkStatus();
                                  }),
              IsOk());
  EXPECT_EQ(acts, 12);
  ExpectAuditChainIntact();
}

}  // namespace
}  // namespace schakel::testing
