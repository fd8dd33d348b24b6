// Several schakeld instances on one PostgreSQL database, as a municipality's
// hosting runs them behind a load balancer: a second instance serves a copy
// of the deployment directory (its configuration, keys and certificates)
// against the same database. What one instance commits is what the other
// answers from its next request on (store/shared_generations.h), a create
// retried on both makes one signal, and the audit chain both append to
// verifies against the primary instance's checkpoints.
#include <libpq-fe.h>

#include <algorithm>
#include <functional>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/admin.grpc.pb.h"
#include "schakel/v1/directory.grpc.pb.h"
#include "schakel/v1/notifications.grpc.pb.h"
#include "server/server.h"
#include "tests/integration/case_fixture.h"
#include "tests/support/postgres.h"
#include "tests/support/test_engine.h"

namespace schakel::testing {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using PgConnPtr = std::unique_ptr<PGconn, decltype(&PQfinish)>;
using PgResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

class InstancesTest : public CasesTest {
 protected:
  void SetUp() override {
    CasesTest::SetUp();
    if (!OnPostgres()) return;
    // The primary instance signs the checkpoints; this one is secondary.
    second_dir_ = CopyAsSecondary("second");
    auto server = Server::Start(InstanceOptions(second_dir_));
    ASSERT_THAT(server, IsOk());
    second_ = std::move(server).value();
  }
  void TearDown() override {
    if (second_) second_->Shutdown(absl::Seconds(1));
  }

  // `name`'s stubs on the second instance.
  As OnSecond(const std::string& name) { return WhoAt(*second_, name); }
  static grpc::Status WhoAmI(const std::shared_ptr<grpc::Channel>& channel,
                             v1::WhoAmIResponse* out) {
    Ctx ctx;
    return v1::DirectoryService::NewStub(channel)->WhoAmI(&ctx, v1::WhoAmIRequest(), out);
  }

  std::string Query(const std::string& sql) {
    absl::StatusOr<std::string> out = SharedTestPostgres().Query(DatabaseName(), sql);
    EXPECT_THAT(out, IsOk()) << sql;
    return out.value_or("<failed>");
  }

  std::string second_dir_;
  std::unique_ptr<Server> second_;
};

TEST_F(InstancesTest, ARevokeOnOneInstanceIsEffectiveOnTheOtherAtTheNextRequest) {
  SCHAKEL_POSTGRES_ONLY("one process holds a SQLCipher deployment");
  As on_second = OnSecond("consultant-2");
  v1::WhoAmIResponse me;
  // Answered, so the second instance holds the identity in memory.
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(WhoAmI(on_second.channel, &me).ok());
  auto admin = v1::AdminService::NewStub(Who("admin").channel);  // on the first
  {
    Ctx ctx;
    v1::RevokeCertificateRequest req;
    req.set_serial(me.certificate().serial());
    v1::Certificate revoked;
    grpc::Status s = admin->RevokeCertificate(&ctx, req, &revoked);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  grpc::Status s = WhoAmI(on_second.channel, &me);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED) << s.error_message();
  EXPECT_THAT(s.error_message(), HasSubstr("revoked"));
  // And the other way round: disabled on the second, refused on the first.
  As consultant_on_first = Who("consultant");
  ASSERT_TRUE(WhoAmI(consultant_on_first.channel, &me).ok());
  {
    auto admin_on_second = v1::AdminService::NewStub(OnSecond("admin").channel);
    Ctx ctx;
    v1::DisableProfessionalRequest req;
    req.set_professional_id(me.professional().id());
    v1::Professional disabled;
    grpc::Status d = admin_on_second->DisableProfessional(&ctx, req, &disabled);
    ASSERT_TRUE(d.ok()) << d.error_message();
  }
  EXPECT_EQ(WhoAmI(consultant_on_first.channel, &me).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(InstancesTest, BreakGlassOpenedOnOneInstanceOpensTheResidentOnTheOther) {
  SCHAKEL_POSTGRES_ONLY("one process holds a SQLCipher deployment");
  As bridge = Who("brugfunctionaris");
  const std::string resident = Register(bridge, "Noor el Idrissi", "1990-04-12");
  const v1::Signal signal = CreateSignal(bridge, "JO-ARMOEDE", resident, "kwadraad");
  As ggz_second = OnSecond("ggz");
  auto get = [&](v1::Signal* out) {
    Ctx ctx;
    v1::GetSignalRequest req;
    req.set_id(signal.id());
    return ggz_second.signals->GetSignal(&ctx, req, out);
  };
  v1::Signal out;
  // Not involved: not found on the second, which now holds ggz's sessions
  // (none) in memory.
  ASSERT_EQ(get(&out).error_code(), grpc::StatusCode::NOT_FOUND);
  v1::WhoAmIResponse me;
  ASSERT_TRUE(WhoAmI(ggz_second.channel, &me).ok());
  EXPECT_EQ(me.emergency_access_size(), 0);
  As ggz_first = Who("ggz");
  {
    Ctx ctx;
    v1::OpenBreakGlassRequest open;
    open.set_resident_id(resident);
    open.set_reason("Acute crisis, bewoner dreigt met zelfbeschadiging, hulpverlening nodig");
    v1::OpenBreakGlassResponse session;
    grpc::Status s = ggz_first.residents->OpenBreakGlass(&ctx, open, &session);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  // The session, as the second instance's principal holds it.
  ASSERT_TRUE(WhoAmI(ggz_second.channel, &me).ok());
  ASSERT_EQ(me.emergency_access_size(), 1);
  EXPECT_EQ(me.emergency_access(0).resident_id(), resident);
  grpc::Status s = get(&out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.id(), signal.id());
}

TEST_F(InstancesTest, TwentyRetriesSpreadOverBothInstancesMakeOneSignal) {
  SCHAKEL_POSTGRES_ONLY("one process holds a SQLCipher deployment");
  const std::string request_id = "req-instances-0001";
  const Retried retried = CreateConcurrently(
      request_id, 20, [&](int i) -> const Server& { return i % 2 == 0 ? *server_ : *second_; });
  const std::vector<grpc::Status>& statuses = retried.statuses;
  const std::vector<std::string>& ids = retried.ids;
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(statuses[i].ok()) << i << ": " << statuses[i].error_message();
    EXPECT_EQ(ids[i], ids[0]) << i;
  }
  EXPECT_EQ(Query(absl::StrCat("SELECT count(*) FROM create_requests WHERE request_id = '",
                               request_id, "'")),
            "1");
  EXPECT_EQ(Query(absl::StrCat("SELECT count(*) FROM signals WHERE id = '", ids[0], "'")), "1");
}

TEST_F(InstancesTest, TheChainVerifiesAfterConcurrentWritesThroughBoth) {
  SCHAKEL_POSTGRES_ONLY("one process holds a SQLCipher deployment");
  constexpr int kPerWriter = 15;
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int w = 0; w < 4; ++w) {
    threads.emplace_back([&, w] {
      As me = w % 2 == 0 ? Who("regisseur") : OnSecond("regisseur");
      for (int i = 0; i < kPerWriter; ++i) {
        v1::CreateSignalRequest req;
        req.set_request_id(Rid(absl::StrCat("both", w)));
        req.set_category("FVW-OVERLAST");
        req.set_wijk("prinsenhof");
        req.set_place(absl::StrCat("Portiek ", w, "-", i));
        req.set_description("Geluidsoverlast");
        v1::Signal out;
        Ctx ctx;
        if (!me.signals->CreateSignal(&ctx, req, &out).ok()) ++failures[w];
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int w = 0; w < 4; ++w) EXPECT_EQ(failures[w], 0) << w;
  const std::string copied = ReadFileOrDie(second_dir_ + "/audit-checkpoints");
  EXPECT_EQ(Query("SELECT count(*) FROM signals WHERE place IS NOT NULL AND description IS NOT NULL"
                  " AND id IN (SELECT resource_id FROM create_requests WHERE request_id LIKE"
                  " 'req-both%')"),
            absl::StrCat(4 * kPerWriter));
  // One chain, no seq twice, every link intact.
  EXPECT_EQ(Query("SELECT count(*) - count(DISTINCT seq) FROM audit_log"), "0");
  second_->Shutdown(absl::Seconds(1));
  second_.reset();
  // The secondary signed nothing, not even at its shutdown: one file holds
  // every published line.
  EXPECT_EQ(ReadFileOrDie(second_dir_ + "/audit-checkpoints"), copied);
  server_->Shutdown(absl::Seconds(1));
  const std::string signed_lines = ReadFileOrDie(paths_->audit_checkpoints);
  EXPECT_EQ(Query("SELECT count(*) FROM audit_published"),
            absl::StrCat(std::count(signed_lines.begin(), signed_lines.end(), '\n')));
  ExpectAuditChainIntact();
}

// A stream held open on one instance hears at once of a proposal that
// the other instance committed, as it would on its own (not only at its
// next look, every NotificationApp::kWatchPoll).
TEST_F(InstancesTest, AStreamOnOneInstanceHearsOfAProposalCommittedOnTheOther) {
  SCHAKEL_POSTGRES_ONLY("one process holds a SQLCipher deployment");
  auto stub = v1::NotificationService::NewStub(OnSecond("partner-woej").channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  std::unique_ptr<grpc::ClientReader<v1::Notification>> reader =
      stub->WatchNotifications(&ctx, v1::WatchNotificationsRequest());
  absl::SleepFor(absl::Milliseconds(300));  // the stream is open
  As bridge = Who("brugfunctionaris");  // on the first
  // Three in a row, each heard well within the stream's own look: a poll
  // alone would pass all three by chance once in some sixty runs.
  for (int i = 0; i < 3; ++i) {
    const std::string resident = Register(bridge, absl::StrCat("Inwoner ", Rid("wake")));
    v1::Handover h = Propose(bridge, resident, "woej");
    const absl::Time committed = absl::Now();
    v1::Notification n;
    ASSERT_TRUE(reader->Read(&n));
    EXPECT_EQ(n.kind(), v1::HANDOVER_PROPOSED);
    EXPECT_EQ(n.resource_id(), h.id());
    EXPECT_LT(absl::Now() - committed, absl::Milliseconds(500)) << i;
  }
  ctx.TryCancel();
  reader->Finish();
}

// The primary's lock goes with its session. While another session holds
// it (a second instance configured primary, started while the first one's
// session was gone), the first signs nothing; once it holds the lock
// again it signs what was appended meanwhile.
TEST_F(InstancesTest, APrimaryWithoutItsLockSignsNothingUntilItHoldsItAgain) {
  SCHAKEL_POSTGRES_ONLY("one process holds a SQLCipher deployment");
  // A checkpoint after every entry, and a probe every 100 ms.
  server_->Shutdown(absl::Seconds(1));
  server_.reset();
  absl::StatusOr<config::DeploymentConfig> cfg = deployment::LoadConfig(*paths_);
  ASSERT_THAT(cfg, IsOk());
  cfg->mutable_audit()->set_checkpoint_every_entries(1);
  ASSERT_THAT(deployment::WriteConfig(*paths_, *cfg), IsOk());
  ServerOptions options = InstanceOptions(paths_->dir);
  options.health_interval = absl::Milliseconds(100);
  auto started = Server::Start(options);
  ASSERT_THAT(started, IsOk());
  server_ = std::move(started).value();
  TestPostgres& pg = SharedTestPostgres();
  const std::string first_session =
      pg.AdvisoryLockHolder(DatabaseName(), kPrimaryInstanceLock).value_or("");
  ASSERT_FALSE(first_session.empty());
  As regisseur = Who("regisseur");
  auto create = [&](const std::string& place) {
    v1::CreateSignalRequest req;
    req.set_request_id(Rid("lockless"));
    req.set_category("FVW-OVERLAST");
    req.set_wijk("prinsenhof");
    req.set_place(place);
    req.set_description("Geluidsoverlast");
    v1::Signal out;
    Ctx ctx;
    return regisseur.signals->CreateSignal(&ctx, req, &out).ok();
  };
  auto lines = [&] {
    const std::string file = ReadFileOrDie(paths_->audit_checkpoints);
    return std::count(file.begin(), file.end(), '\n');
  };
  ASSERT_TRUE(create("Portiek 1"));
  auto wait_for = [](const std::function<bool()>& done) {
    for (int i = 0; i < 100 && !done(); ++i) absl::SleepFor(absl::Milliseconds(50));
    return done();
  };
  ASSERT_TRUE(wait_for([&] {
    return Query("SELECT max(seq) FROM audit_published") == Query("SELECT max(seq) FROM audit_log");
  }));

  // Its session ends, and another one takes the lock before it can.
  PgConnPtr other(PQconnectdb(pg.owner_conninfo(DatabaseName()).c_str()), &PQfinish);
  ASSERT_EQ(PQstatus(other.get()), CONNECTION_OK) << PQerrorMessage(other.get());
  PgResultPtr taken(PQexec(other.get(), absl::StrCat("SELECT pg_terminate_backend(",
                                                     first_session, "), pg_advisory_lock(",
                                                     kPrimaryInstanceLock, ")")
                                            .c_str()),
                    &PQclear);
  ASSERT_EQ(PQresultStatus(taken.get()), PGRES_TUPLES_OK) << PQerrorMessage(other.get());
  absl::SleepFor(absl::Milliseconds(400));  // its probes find the lock taken
  const std::string published = Query("SELECT count(*) FROM audit_published");
  const auto file_lines = lines();
  // It serves, and appends, but signs nothing.
  ASSERT_TRUE(create("Portiek 2"));
  ASSERT_TRUE(create("Portiek 3"));
  absl::SleepFor(absl::Milliseconds(2500));  // two ticks of the checkpoint loop
  EXPECT_EQ(lines(), file_lines);
  EXPECT_EQ(Query("SELECT count(*) FROM audit_published"), published);

  // The other lets go: the next probe takes the lock, and what was
  // appended meanwhile is signed.
  PgResultPtr released(
      PQexec(other.get(), absl::StrCat("SELECT pg_advisory_unlock(", kPrimaryInstanceLock, ")").c_str()),
      &PQclear);
  ASSERT_EQ(PQresultStatus(released.get()), PGRES_TUPLES_OK);
  EXPECT_TRUE(wait_for([&] {
    const std::string holder =
        pg.AdvisoryLockHolder(DatabaseName(), kPrimaryInstanceLock).value_or("");
    return !holder.empty() && holder != first_session;
  }));
  EXPECT_TRUE(wait_for([&] { return lines() > file_lines; }));
  server_->Shutdown(absl::Seconds(1));
  ExpectAuditChainIntact();
}

// Fail closed: an instance that cannot read the generations answers no
// request from its caches, and one that finds no table does not start.
TEST_F(InstancesTest, WithoutTheGenerationsNoRequestIsAnsweredFromMemory) {
  SCHAKEL_POSTGRES_ONLY("one process holds a SQLCipher deployment");
  As on_second = OnSecond("consultant-2");
  v1::WhoAmIResponse me;
  ASSERT_TRUE(WhoAmI(on_second.channel, &me).ok());
  const std::string service = absl::StrCat(DatabaseName(), "_service");
  TamperWithStore(*paths_, DemoKek(*paths_),
                  absl::StrCat("REVOKE SELECT ON cache_generations FROM ", service));
  grpc::Status s = WhoAmI(on_second.channel, &me);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  EXPECT_THAT(s.error_message(), HasSubstr("retry"));
  EXPECT_THAT(s.error_message(), Not(HasSubstr("cache_generations")));
  TamperWithStore(*paths_, DemoKek(*paths_),
                  absl::StrCat("GRANT SELECT ON cache_generations TO ", service));
  EXPECT_TRUE(WhoAmI(on_second.channel, &me).ok());

  second_->Shutdown(absl::Seconds(1));
  second_.reset();
  TamperWithStore(*paths_, DemoKek(*paths_), "DROP TABLE cache_generations");
  const ServerOptions options = InstanceOptions(second_dir_);
  EXPECT_THAT(Server::Start(options).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("cache_generations")));
}

TEST_F(InstancesTest, ASecondPrimaryInstanceIsRefusedWhileTheFirstServes) {
  SCHAKEL_POSTGRES_ONLY("one process holds a SQLCipher deployment");
  const std::string third = tmp_.File("third");
  ASSERT_EQ(std::system(absl::StrCat("cp -a '", paths_->dir, "' '", third, "'").c_str()), 0);
  const ServerOptions options = InstanceOptions(third);
  EXPECT_THAT(Server::Start(options).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("another primary instance"),
                             HasSubstr("instance { secondary: true }"))));
  // Once the primary is gone, the copy may take its place.
  server_->Shutdown(absl::Seconds(1));
  server_.reset();
  absl::StatusOr<std::unique_ptr<Server>> next = Server::Start(options);
  ASSERT_THAT(next, IsOk());
  (*next)->Shutdown(absl::Seconds(1));
}

TEST_F(InstancesTest, ASecondaryInstanceIsRefusedOnSqlcipher) {
  SCHAKEL_SQLCIPHER_ONLY("on PostgreSQL a secondary instance serves (the tests above)");
  server_->Shutdown(absl::Seconds(1));
  server_.reset();
  absl::StatusOr<config::DeploymentConfig> cfg = deployment::LoadConfig(*paths_);
  ASSERT_THAT(cfg, IsOk());
  cfg->mutable_instance()->set_secondary(true);
  ASSERT_THAT(deployment::WriteConfig(*paths_, *cfg), IsOk());
  const ServerOptions options = InstanceOptions(paths_->dir);
  EXPECT_THAT(Server::Start(options).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("instance.secondary"), HasSubstr("postgresql"))));
}

}  // namespace
}  // namespace schakel::testing
