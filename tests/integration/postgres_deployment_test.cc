// A deployment whose store is PostgreSQL (schakel-admin init --postgresql):
// what init makes in the database and in DIR, and what a second init or a
// database that is not empty gets.
#include <libpq-fe.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/clock.h"
#include "server/deployment/deployment.h"
#include "server/deployment/backup.h"
#include "server/deployment/init.h"
#include "server/deployment/keys.h"
#include "server/store/postgres_schema.h"
#include "server/audit/audit_store.h"
#include "tests/support/deployment_support.h"
#include "tests/support/postgres.h"
#include "tests/support/process.h"
#include "tests/support/test_support.h"

namespace schakel::deployment {
namespace {

using ::schakel::testing::IsOk;
using ::schakel::testing::ReadFileOrDie;
using ::schakel::testing::SharedTestPostgres;
using ::schakel::testing::StatusIs;
using ::schakel::testing::TempDir;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

class PostgresDeploymentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> db = SharedTestPostgres().CreateUniqueDatabase("deploy");
    ASSERT_THAT(db, IsOk());
    dbname_ = *db;
    options_.dir = tmp_.File("deployment");
    options_.demo = true;
    options_.postgresql_conninfo = SharedTestPostgres().owner_conninfo(dbname_);
  }
  absl::Status Init() { return InitDeployment(options_, clock_, ids_); }
  std::string Query(const std::string& sql) {
    absl::StatusOr<std::string> out = SharedTestPostgres().Query(dbname_, sql);
    EXPECT_THAT(out, IsOk()) << sql;
    return out.value_or("<failed>");
  }

  TempDir tmp_;
  std::string dbname_;
  InitOptions options_;
  SystemClock clock_;
  RandomIdGenerator ids_;
};

TEST_F(PostgresDeploymentTest, InitMakesTheSchemaRolesAndKeysAndTheServerOpensIt) {
  ASSERT_THAT(Init(), IsOk());
  Paths paths(options_.dir);
  absl::StatusOr<config::DeploymentConfig> cfg = LoadConfig(paths);
  ASSERT_THAT(cfg, IsOk());
  ASSERT_TRUE(cfg->store().has_postgresql());
  const std::string& conninfo = cfg->store().postgresql().conninfo();
  EXPECT_THAT(conninfo, AllOf(HasSubstr(absl::StrCat("user='", dbname_, "_service'")),
                              HasSubstr(absl::StrCat("passfile='", paths.pgpass, "'")),
                              HasSubstr("sslmode='verify-full'"), Not(HasSubstr("password="))));
  // Neither the config nor DIR/pgpass holds the owner's password.
  const std::string owner_password = SharedTestPostgres().owner_password();
  EXPECT_THAT(ReadFileOrDie(paths.config), Not(HasSubstr(owner_password)));
  EXPECT_THAT(ReadFileOrDie(paths.pgpass), Not(HasSubstr(owner_password)));
  struct stat st;
  ASSERT_EQ(::stat(paths.pgpass.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  // No SQLCipher file.
  EXPECT_NE(::stat(paths.database.c_str(), &st), 0);

  EXPECT_EQ(Query("SELECT version FROM schema_version"),
            std::to_string(store::kPostgresSchemaVersion));
  EXPECT_EQ(Query("SELECT count(*) FROM field_keys"), "2");
  EXPECT_EQ(Query("SELECT string_agg(substr(wrapped, 1, 3), ',' ORDER BY id) FROM field_keys"),
            "k1.,k1.");
  EXPECT_EQ(Query(absl::StrCat("SELECT tableowner FROM pg_tables WHERE tablename = 'residents'")),
            dbname_ + "_maintenance");
  EXPECT_NE(Query("SELECT count(*) FROM organisations"), "0");
  // Another role of the cluster does not get in (it could LISTEN to the
  // notification wake-ups); the deployment's roles do.
  const std::string stranger = absl::StrCat("stranger_", ::getpid());
  Query(absl::StrCat("DROP ROLE IF EXISTS ", stranger));
  Query(absl::StrCat("CREATE ROLE ", stranger, " LOGIN PASSWORD 'stranger-pw'"));
  {
    testing::TestPostgres& pg = SharedTestPostgres();
    std::unique_ptr<PGconn, decltype(&PQfinish)> in(
        PQconnectdb(absl::StrCat("host=", pg.host(), " port=", pg.port(), " dbname=", dbname_,
                                 " user=", stranger, " password=stranger-pw sslmode=verify-full"
                                 " sslrootcert=", pg.ca_file(), " connect_timeout=10")
                        .c_str()),
        &PQfinish);
    EXPECT_NE(PQstatus(in.get()), CONNECTION_OK);
    EXPECT_THAT(std::string(PQerrorMessage(in.get())), HasSubstr("permission denied for database"));
    std::unique_ptr<PGconn, decltype(&PQfinish)> service(PQconnectdb(conninfo.c_str()), &PQfinish);
    EXPECT_EQ(PQstatus(service.get()), CONNECTION_OK) << PQerrorMessage(service.get());
  }
  Query(absl::StrCat("DROP ROLE ", stranger));

  absl::StatusOr<std::unique_ptr<store::Database>> db = OpenDatabase(paths, ::schakel::testing::DemoKek(paths));
  ASSERT_THAT(db, IsOk());
  EXPECT_EQ((*db)->engine(), store::Engine::kPostgresql);
  EXPECT_THAT((*db)->SchemaVersion(), IsOk());
  // A wrong KEK does not open the field keys.
  EXPECT_THAT(OpenDatabase(paths, "not the passphrase"),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("key-encryption key")));
}

TEST_F(PostgresDeploymentTest, ASecondInitIntoTheSameDatabaseIsRefusedAndLeavesNothing) {
  ASSERT_THAT(Init(), IsOk());
  options_.dir = tmp_.File("second");
  EXPECT_THAT(Init(), StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("already holds")));
  struct stat st;
  EXPECT_NE(::stat(options_.dir.c_str(), &st), 0);
  // The first deployment's roles are untouched.
  EXPECT_EQ(Query(absl::StrCat("SELECT count(*) FROM pg_roles WHERE rolname LIKE '", dbname_,
                               "\\_%'")),
            "2");
}

TEST_F(PostgresDeploymentTest, TheFileToolsRefuseAPostgresDeploymentAndWriteNothing) {
  ASSERT_THAT(Init(), IsOk());
  Paths paths(options_.dir);
  const std::string kek = ::schakel::testing::DemoKek(paths);
  EXPECT_THAT(RotateKey(paths, kek),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("PostgreSQL")));
  struct stat st;
  EXPECT_NE(::stat(paths.next_wrapped_key.c_str(), &st), 0);
  const std::string to = tmp_.File("backup.bin");
  EXPECT_THAT(CreateBackup(paths, kek, to, clock_),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("PostgreSQL")));
  EXPECT_NE(::stat(to.c_str(), &st), 0);
  // The deployment still opens.
  EXPECT_THAT(OpenDatabase(paths, kek), IsOk());
}

TEST_F(PostgresDeploymentTest, KeyRotateAddsADataKeyWhileTheDeploymentIsHeldAndIsAudited) {
  ASSERT_THAT(Init(), IsOk());
  Paths paths(options_.dir);
  // A serving schakeld holds the deployment's lock; on PostgreSQL the
  // rotation goes on beside it.
  absl::StatusOr<std::unique_ptr<Lock>> held = Lock::Acquire(paths);
  ASSERT_THAT(held, IsOk());
  ::schakel::testing::Result rotate = ::schakel::testing::RunCommand(
      {::schakel::testing::Bin("schakel-admin"), "key", "rotate", "--deployment", options_.dir});
  ASSERT_EQ(rotate.exit_code, 0) << rotate.err;
  EXPECT_THAT(rotate.out, HasSubstr("added data key 2"));
  EXPECT_EQ(Query("SELECT string_agg(id::text, ',' ORDER BY id) FROM field_keys"), "0,1,2");
  EXPECT_EQ(Query("SELECT count(*) FROM field_keys WHERE retire_time IS NOT NULL"), "0");
  // Until it has waited its activation delay, key 1 still seals.
  absl::StatusOr<std::unique_ptr<store::Database>> db =
      OpenDatabase(paths, ::schakel::testing::DemoKek(paths));
  ASSERT_THAT(db, IsOk());
  std::string last_act;
  ASSERT_THAT(audit::ForEachEntry(**db,
                                  [&](const audit::Entry& e) {
                                    if (e.action == "schakel-admin.key-rotate") last_act = e.reason;
                                    return absl::OkStatus();
                                  }),
              IsOk());
  EXPECT_EQ(last_act, "data key added (field keys; re-sealed while serving)");
  // A wrong KEK adds nothing.
  const std::string kek_file = tmp_.File("wrong-kek");
  ::schakel::testing::WriteFileOrDie(kek_file, "not the passphrase of this deployment\n");
  ::chmod(kek_file.c_str(), 0600);
  ::schakel::testing::Result wrong = ::schakel::testing::RunCommand(
      {::schakel::testing::Bin("schakel-admin"), "key", "rotate", "--deployment", options_.dir,
       "--kek-file", kek_file});
  EXPECT_NE(wrong.exit_code, 0);
  EXPECT_THAT(wrong.err, HasSubstr("key-encryption key"));
  EXPECT_EQ(Query("SELECT count(*) FROM field_keys"), "3");
}

// An upgrade from the first release that had a PostgreSQL store: its
// deployment has the first schema, and this release starts on it only
// after `schakel-admin migrate`, which every instance must be stopped for.
TEST_F(PostgresDeploymentTest, MigrateBringsAnOlderSchemaToThisReleaseOnceAndIsAudited) {
  ASSERT_THAT(Init(), IsOk());
  Paths paths(options_.dir);
  // What the first release's init left: every later step undone.
  Query("DROP TABLE cache_generations");
  Query(absl::StrCat("UPDATE schema_version SET version = ", store::kPostgresFirstVersion));
  const std::string kek = ::schakel::testing::DemoKek(paths);
  EXPECT_THAT(OpenDatabase(paths, kek),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("needs version"),
                             HasSubstr("schakel-admin migrate --deployment " + options_.dir))));
  auto migrate = [&] {
    return ::schakel::testing::RunCommand(
        {::schakel::testing::Bin("schakel-admin"), "migrate", "--deployment", options_.dir});
  };
  {
    // An instance of the first release still serving: refused, unchanged.
    absl::StatusOr<config::DeploymentConfig> cfg = LoadConfig(paths);
    ASSERT_THAT(cfg, IsOk());
    std::unique_ptr<PGconn, decltype(&PQfinish)> serving(
        PQconnectdb(cfg->store().postgresql().conninfo().c_str()), &PQfinish);
    ASSERT_EQ(PQstatus(serving.get()), CONNECTION_OK) << PQerrorMessage(serving.get());
    ::schakel::testing::Result refused = migrate();
    EXPECT_NE(refused.exit_code, 0);
    EXPECT_THAT(refused.err, HasSubstr("stop every schakeld instance first"));
    EXPECT_EQ(Query("SELECT version FROM schema_version"),
              std::to_string(store::kPostgresFirstVersion));
    EXPECT_EQ(Query("SELECT count(*) FROM pg_tables WHERE tablename = 'cache_generations'"), "0");
  }
  ::schakel::testing::Result done = migrate();
  ASSERT_EQ(done.exit_code, 0) << done.err;
  const std::string what = absl::StrCat("PostgreSQL schema migrated from version ",
                                        store::kPostgresFirstVersion, " to ",
                                        store::kPostgresSchemaVersion);
  EXPECT_THAT(done.out, HasSubstr(what));
  EXPECT_EQ(Query("SELECT version FROM schema_version"),
            std::to_string(store::kPostgresSchemaVersion));
  EXPECT_EQ(Query("SELECT string_agg(name || '=' || generation, ',' ORDER BY name)"
                  " FROM cache_generations"),
            "break_glass=0,directory=0");
  // Once: the second run changes and records nothing.
  ::schakel::testing::Result again = migrate();
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("already: nothing to do"));

  absl::StatusOr<std::unique_ptr<store::Database>> db = OpenDatabase(paths, kek);
  ASSERT_THAT(db, IsOk());
  std::vector<std::string> acts;
  ASSERT_THAT(audit::ForEachEntry(**db,
                                  [&](const audit::Entry& e) {
                                    if (e.action == "schakel-admin.migrate") {
                                      acts.push_back(e.reason);
                                    }
                                    return absl::OkStatus();
                                  }),
              IsOk());
  EXPECT_THAT(acts, ::testing::ElementsAre(what));
}

TEST_F(PostgresDeploymentTest, ASchemaOfANewerReleaseIsRefusedAtOpenAndByMigrate) {
  ASSERT_THAT(Init(), IsOk());
  Paths paths(options_.dir);
  Query("UPDATE schema_version SET version = 99");
  EXPECT_THAT(OpenDatabase(paths, ::schakel::testing::DemoKek(paths)),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("version 99"), HasSubstr("newer than this schakel's"))));
  ::schakel::testing::Result refused = ::schakel::testing::RunCommand(
      {::schakel::testing::Bin("schakel-admin"), "migrate", "--deployment", options_.dir});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_THAT(refused.err, HasSubstr("newer than this schakel's"));
  EXPECT_EQ(Query("SELECT version FROM schema_version"), "99");
}

TEST_F(PostgresDeploymentTest, AConninfoWithoutADatabaseNameIsRefusedByName) {
  options_.postgresql_conninfo = "host=127.0.0.1 port=1";
  EXPECT_THAT(Init(), StatusIs(absl::StatusCode::kInvalidArgument,
                               AllOf(HasSubstr("--postgresql"), HasSubstr("dbname"))));
  options_.postgresql_conninfo = "host='unterminated";
  EXPECT_THAT(Init(), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("conninfo")));
}

}  // namespace
}  // namespace schakel::deployment
