// A failover that loses nothing: schakeld on a PostgreSQL primary with a
// synchronous standby (pg_basebackup -R), the primary killed with -9 (a
// failover) or stopped (a switchover) while professionals write, the
// standby promoted. Every acknowledged write is on
// the new primary, schakeld answers UNAVAILABLE while there is none (and
// health says NOT_SERVING), reconnects by itself through its multi-host
// conninfo (target_session_attrs=read-write), and the audit chain verifies.
#include <atomic>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "schakel/v1/signals.grpc.pb.h"
#include "server/audit/checkpoint.h"
#include "server/audit/verifier.h"
#include "server/common/clock.h"
#include "server/deployment/deployment.h"
#include "server/deployment/init.h"
#include "server/server.h"
#include "tests/support/deployment_support.h"
#include "tests/support/postgres.h"
#include "tests/support/test_engine.h"
#include "tests/support/test_support.h"

namespace schakel::testing {
namespace {

using HealthStatus = grpc::health::v1::HealthCheckResponse;

// Waits (at most `limit`) until `done`.
bool WaitFor(const std::function<bool()>& done, absl::Duration limit) {
  const absl::Time until = absl::Now() + limit;
  while (absl::Now() < until) {
    if (done()) return true;
    absl::SleepFor(absl::Milliseconds(50));
  }
  return done();
}

// How the primary goes: killed (a failover), or stopped as an operator
// stops it before promoting the standby (a switchover, for an upgrade).
enum class Loss { kKill9, kFastShutdown };

void LoseThePrimaryDuringWrites(Loss loss) {
  absl::StatusOr<std::unique_ptr<TestPostgres>> primary = TestPostgres::Start();
  ASSERT_THAT(primary, IsOk());
  absl::StatusOr<std::string> dbname = (*primary)->CreateUniqueDatabase("failover");
  ASSERT_THAT(dbname, IsOk());
  TempDir tmp;
  deployment::InitOptions init;
  init.dir = tmp.File("deployment");
  init.demo = true;
  init.postgresql_conninfo = (*primary)->owner_conninfo(*dbname);
  SystemClock clock;
  RandomIdGenerator ids;
  ASSERT_THAT(deployment::InitDeployment(init, clock, ids), IsOk());

  // The standby, and the primary waiting for it at every commit.
  absl::StatusOr<std::unique_ptr<TestPostgres>> standby = TestPostgres::StartStandby(**primary);
  ASSERT_THAT(standby, IsOk());
  ASSERT_THAT((*primary)->Query("postgres", "ALTER SYSTEM SET synchronous_standby_names = '*'"),
              IsOk());
  ASSERT_THAT((*primary)->Query("postgres", "SELECT pg_reload_conf()"), IsOk());
  ASSERT_TRUE(WaitFor(
      [&] {
        return (*primary)->Query("postgres",
                                 "SELECT count(*) FROM pg_stat_replication"
                                 " WHERE sync_state = 'sync'")
                   .value_or("") == "1";
      },
      absl::Seconds(20)))
      << (*primary)->Log();

  // The deployment names both hosts; libpq takes the one that accepts
  // writes.
  deployment::Paths paths(init.dir);
  absl::StatusOr<config::DeploymentConfig> cfg = deployment::LoadConfig(paths);
  ASSERT_THAT(cfg, IsOk());
  // (A keyword given again overrides the earlier one.)
  auto both = [&](const std::string& conninfo) {
    return absl::StrCat(conninfo, " host=127.0.0.1,127.0.0.1 port=", (*primary)->port(), ",",
                        (*standby)->port(), " target_session_attrs=read-write");
  };
  config::PostgresqlStore* pgconf = cfg->mutable_store()->mutable_postgresql();
  pgconf->set_conninfo(both(pgconf->conninfo()));
  if (!pgconf->maintenance_conninfo().empty()) {
    pgconf->set_maintenance_conninfo(both(pgconf->maintenance_conninfo()));
  }
  ASSERT_THAT(deployment::WriteConfig(paths, *cfg), IsOk());

  ServerOptions options;
  options.deployment_dir = init.dir;
  options.listen = "127.0.0.1:0";
  options.health_interval = absl::Milliseconds(50);
  absl::StatusOr<std::unique_ptr<Server>> server = Server::Start(options);
  ASSERT_THAT(server, IsOk());
  auto health_of = [&, channel = MakeChannel((*server)->address(),
                                             LoadIdentity(paths.UserDir("auditor")))] {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
    grpc::health::v1::HealthCheckRequest req;
    HealthStatus resp;
    grpc::Status s = grpc::health::v1::Health::NewStub(channel)->Check(&ctx, req, &resp);
    return s.ok() ? resp.status() : HealthStatus::UNKNOWN;
  };
  ASSERT_EQ(health_of(), HealthStatus::SERVING);

  // Professionals writing all along; what was acknowledged, by id.
  std::mutex mu;
  std::map<std::string, std::string> acked;
  std::map<int, int> refused;  // by status code
  std::atomic<bool> stop{false};
  std::atomic<int> acked_count{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      auto signals = v1::SignalService::NewStub(
          MakeChannel((*server)->address(), LoadIdentity(paths.UserDir("regisseur"))));
      for (int i = 0; !stop; ++i) {
        v1::CreateSignalRequest req;
        req.set_request_id(absl::StrCat("req-failover-", w, "-", i));
        req.set_category("FVW-OVERLAST");
        req.set_wijk("prinsenhof");
        req.set_place(absl::StrCat("Portiek ", w, "-", i));
        req.set_description(absl::StrCat("Geluidsoverlast, melding ", w, "-", i));
        v1::Signal out;
        CallContext ctx;
        grpc::Status s = signals->CreateSignal(&ctx, req, &out);
        std::lock_guard<std::mutex> lock(mu);
        if (s.ok()) {
          acked[out.id()] = req.description();
          ++acked_count;
        } else {
          ++refused[s.error_code()];
          absl::SleepFor(absl::Milliseconds(20));
        }
      }
    });
  }
  ASSERT_TRUE(WaitFor([&] { return acked_count >= 40; }, absl::Seconds(30)));

  ASSERT_THAT(loss == Loss::kKill9 ? (*primary)->Kill9() : (*primary)->Stop(), IsOk());
  const int acked_at_kill = acked_count;
  // No primary: health says so, and nothing more is acknowledged.
  EXPECT_TRUE(WaitFor([&] { return health_of() == HealthStatus::NOT_SERVING; },
                      absl::Seconds(15)));
  absl::SleepFor(absl::Milliseconds(300));
  const int acked_without_primary = acked_count - acked_at_kill;
  EXPECT_LE(acked_without_primary, 4);  // at most the commits in flight at the kill

  ASSERT_THAT((*standby)->Promote(), IsOk());
  const int acked_at_promotion = acked_count;
  // schakeld finds the new primary by itself.
  EXPECT_TRUE(WaitFor([&] { return health_of() == HealthStatus::SERVING; }, absl::Seconds(30)));
  EXPECT_TRUE(WaitFor([&] { return acked_count >= acked_at_promotion + 20; }, absl::Seconds(30)));
  stop = true;
  for (std::thread& t : writers) t.join();

  // During the switch only UNAVAILABLE, never another answer.
  for (const auto& [code, n] : refused) {
    EXPECT_EQ(code, grpc::StatusCode::UNAVAILABLE) << n << " refused with " << code;
  }
  // Every acknowledged write is on the new primary, with what was written.
  std::vector<std::string> quoted;
  for (const auto& [id, description] : acked) quoted.push_back(absl::StrCat("'", id, "'"));
  absl::StatusOr<std::string> present = (*standby)->Query(
      *dbname, absl::StrCat("SELECT count(*) FROM signals WHERE id IN (",
                            absl::StrJoin(quoted, ","), ")"));
  ASSERT_THAT(present, IsOk());
  EXPECT_EQ(*present, absl::StrCat(acked.size()));

  // The primary's lock went with the killed server's sessions: the
  // instance took it again on the new primary, so a second primary
  // instance is still refused.
  std::string holder;
  EXPECT_TRUE(WaitFor(
      [&] {
        holder = (*standby)->AdvisoryLockHolder(*dbname, kPrimaryInstanceLock).value_or("");
        return !holder.empty();
      },
      absl::Seconds(10)));
  ASSERT_EQ(std::system(absl::StrCat("cp -a '", init.dir, "' '", tmp.File("second"), "'").c_str()),
            0);
  ServerOptions second = options;
  second.deployment_dir = tmp.File("second");
  EXPECT_THAT(Server::Start(second), StatusIs(absl::StatusCode::kFailedPrecondition,
                                              ::testing::HasSubstr("another primary instance")));
  EXPECT_EQ((*standby)->AdvisoryLockHolder(*dbname, kPrimaryInstanceLock).value_or(""), holder);

  (*server)->Shutdown(absl::Seconds(2));
  server->reset();
  // The chain, through the deployment's own conninfo (now the promoted
  // standby), against its checkpoints.
  ExpectAuditChainIntact(paths);
}

TEST(FailoverTest, KillingThePrimaryDuringWritesLosesNoAcknowledgedWrite) {
  SCHAKEL_POSTGRES_ONLY("a failover is PostgreSQL's");
  LoseThePrimaryDuringWrites(Loss::kKill9);
}

// docs/operations.md, "Upgrades": the primary stopped, the standby
// promoted, while professionals write.
TEST(FailoverTest, ASwitchoverDuringWritesLosesNoAcknowledgedWrite) {
  SCHAKEL_POSTGRES_ONLY("a switchover is PostgreSQL's");
  LoseThePrimaryDuringWrites(Loss::kFastShutdown);
}

}  // namespace
}  // namespace schakel::testing
