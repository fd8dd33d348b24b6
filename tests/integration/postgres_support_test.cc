// The tests' own PostgreSQL (tests/support/postgres.h): what the store
// engine's tests rely on — TLS with verify-full, nothing but TLS and the
// password gets in, loopback only, never root, durable commits across a
// crash, and nothing left behind.
#include "tests/support/postgres.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/crypto/x509.h"
#include "tests/support/test_support.h"

namespace schakel::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

using PgConnPtr = std::unique_ptr<PGconn, decltype(&PQfinish)>;

PgConnPtr Connect(const std::string& conninfo) {
  return PgConnPtr(PQconnectdb(conninfo.c_str()), &PQfinish);
}

std::string ReadProcFile(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The uids (real, effective, saved, filesystem) of a process.
std::vector<uid_t> Uids(pid_t pid) {
  std::vector<uid_t> out;
  for (absl::string_view line :
       absl::StrSplit(ReadProcFile(absl::StrCat("/proc/", pid, "/status")), '\n')) {
    if (!absl::ConsumePrefix(&line, "Uid:")) continue;
    for (absl::string_view f : absl::StrSplit(line, '\t', absl::SkipWhitespace())) {
      uint32_t uid = 0;
      if (absl::SimpleAtoi(f, &uid)) out.push_back(uid);
    }
  }
  return out;
}

// "ADDR:PORT" (kernel hex) of every listening TCP socket on `port`.
std::vector<std::string> ListenersOn(int port) {
  std::vector<std::string> out;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    bool header = true;
    for (absl::string_view line : absl::StrSplit(ReadProcFile(table), '\n')) {
      if (header) {
        header = false;
        continue;
      }
      std::vector<absl::string_view> f = absl::StrSplit(line, ' ', absl::SkipWhitespace());
      if (f.size() < 4 || f[3] != "0A") continue;  // 0A: LISTEN
      const std::string local(f[1]);
      int p = 0;
      if (absl::SimpleHexAtoi(local.substr(local.rfind(':') + 1), &p) && p == port) {
        out.push_back(local);
      }
    }
  }
  return out;
}

TEST(TestPostgresTest, ServesTlsWithVerifyFullAndFsyncOn) {
  TestPostgres& pg = SharedTestPostgres();
  auto db = pg.CreateUniqueDatabase("tls");
  ASSERT_THAT(db, IsOk());
  PgConnPtr conn = Connect(pg.owner_conninfo(*db));
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK) << PQerrorMessage(conn.get());
  EXPECT_EQ(PQsslInUse(conn.get()), 1);
  auto ssl = pg.Query(*db, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
  ASSERT_THAT(ssl, IsOk());
  EXPECT_EQ(*ssl, "t");
  EXPECT_THAT(pg.owner_conninfo(*db), HasSubstr("sslmode=verify-full"));
  // Durability is tested against this server: it must not cheat.
  EXPECT_EQ(*pg.Query(*db, "SHOW fsync"), "on");
  EXPECT_EQ(*pg.Query(*db, "SHOW synchronous_commit"), "on");
  EXPECT_EQ(*pg.Query(*db, "SHOW max_connections"), "300");
  EXPECT_EQ(*pg.Query(*db, "SELECT current_user"), TestPostgres::kOwner);
  EXPECT_EQ(*pg.Query(*db, "SHOW server_encoding"), "UTF8");
  EXPECT_EQ(*pg.Query(*db, "SELECT 1 WHERE false"), "");
  EXPECT_THAT(pg.Query(*db, "SELECT * FROM no_such_table"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("42P01")));
}

TEST(TestPostgresTest, VerifyFullRefusesAServerOfAnotherCa) {
  TestPostgres& pg = SharedTestPostgres();
  TempDir dir;
  auto other = crypto::CertificateAuthority::Create("another CA", absl::Now() - absl::Hours(1),
                                                    absl::Hours(2));
  ASSERT_THAT(other, IsOk());
  WriteFileOrDie(dir.File("other-ca.pem"), other->CertificatePem());
  PgConnPtr conn =
      Connect(absl::StrCat(pg.owner_conninfo("postgres"), " sslrootcert=", dir.File("other-ca.pem")));
  EXPECT_EQ(PQstatus(conn.get()), CONNECTION_BAD);
  EXPECT_THAT(PQerrorMessage(conn.get()), HasSubstr("certificate verify failed"));
}

TEST(TestPostgresTest, WrongPasswordIsRefused) {
  TestPostgres& pg = SharedTestPostgres();
  PgConnPtr conn = Connect(absl::StrCat(pg.owner_conninfo("postgres"), " password=wrong"));
  EXPECT_EQ(PQstatus(conn.get()), CONNECTION_BAD);
  EXPECT_THAT(PQerrorMessage(conn.get()), HasSubstr("password authentication failed"));
}

TEST(TestPostgresTest, PlaintextTcpIsRefusedEvenWithThePassword) {
  TestPostgres& pg = SharedTestPostgres();
  PgConnPtr conn = Connect(absl::StrCat(pg.owner_conninfo("postgres"), " sslmode=disable"));
  EXPECT_EQ(PQstatus(conn.get()), CONNECTION_BAD);
  EXPECT_THAT(PQerrorMessage(conn.get()), HasSubstr("no pg_hba.conf entry"));
  EXPECT_THAT(PQerrorMessage(conn.get()), HasSubstr("no encryption"));
}

TEST(TestPostgresTest, ListensOnLoopbackOnly) {
  TestPostgres& pg = SharedTestPostgres();
  EXPECT_EQ(pg.host(), "127.0.0.1");
  // 0100007F is 127.0.0.1 as /proc/net/tcp writes it: no 0.0.0.0, no ::.
  EXPECT_EQ(ListenersOn(pg.port()),
            std::vector<std::string>{absl::StrFormat("0100007F:%04X", pg.port())});
}

TEST(TestPostgresTest, ClusterRunsAsAnUnprivilegedUser) {
  TestPostgres& pg = SharedTestPostgres();
  uid_t expected = ::getuid();
  if (::geteuid() == 0) {
    const passwd* pw = ::getpwnam("postgres");
    ASSERT_NE(pw, nullptr);
    expected = pw->pw_uid;
    ASSERT_NE(expected, 0u);
  }
  ASSERT_GT(pg.postmaster_pid(), 0);
  EXPECT_EQ(Uids(pg.postmaster_pid()), std::vector<uid_t>(4, expected));
  // The backends too (checkpointer, walwriter, ...): every process of it.
  const std::vector<pid_t> processes = TestPostgres::ProcessesInDataDir(pg.data_dir());
  EXPECT_GT(processes.size(), 1u);
  for (pid_t p : processes) EXPECT_EQ(Uids(p), std::vector<uid_t>(4, expected)) << p;
}

TEST(TestPostgresTest, CreateDatabaseTakesOnlySafeNames) {
  TestPostgres& pg = SharedTestPostgres();
  for (const std::string& bad :
       {std::string(), std::string("Upper"), std::string("a-b"), std::string("a b"),
        std::string("x\";DROP DATABASE postgres;--"), std::string(64, 'a')}) {
    EXPECT_THAT(pg.CreateDatabase(bad), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("[a-z0-9_]")))
        << bad;
  }
  const std::string name = absl::StrCat("safe_", ::getpid(), "_9x");
  ASSERT_THAT(pg.CreateDatabase(name), IsOk());
  EXPECT_THAT(pg.CreateDatabase(name), StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr(name)));
  EXPECT_EQ(*pg.Query(name, "SELECT current_database()"), name);
  // Unique names do not collide.
  auto a = pg.CreateUniqueDatabase();
  auto b = pg.CreateUniqueDatabase();
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  EXPECT_NE(*a, *b);
  EXPECT_THAT(pg.CreateUniqueDatabase("Bad"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("Bad")));
}

TEST(TestPostgresTest, DumpHoldsWhatWasWritten) {
  TestPostgres& pg = SharedTestPostgres();
  auto db = pg.CreateUniqueDatabase("dump");
  ASSERT_THAT(db, IsOk());
  ASSERT_THAT(pg.Query(*db, "CREATE TABLE dumped_notes (id int PRIMARY KEY, body text)"), IsOk());
  ASSERT_THAT(pg.Query(*db, "INSERT INTO dumped_notes VALUES (1, 'plain words in a row')"),
              IsOk());
  auto dump = pg.Dump(*db);
  ASSERT_THAT(dump, IsOk());
  EXPECT_THAT(*dump, HasSubstr("CREATE TABLE public.dumped_notes"));
  EXPECT_THAT(*dump, HasSubstr("plain words in a row"));
  EXPECT_THAT(pg.Dump("no_such_database"),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("no_such_database")));
}

TEST(TestPostgresTest, CommittedRowSurvivesKill9AndRestart) {
  auto pg = TestPostgres::Start();
  ASSERT_THAT(pg, IsOk());
  auto db = (*pg)->CreateUniqueDatabase("crash");
  ASSERT_THAT(db, IsOk());
  ASSERT_THAT((*pg)->Query(*db, "CREATE TABLE kept (v text)"), IsOk());
  ASSERT_THAT((*pg)->Query(*db, "INSERT INTO kept VALUES ('committed')"), IsOk());
  // An open transaction at the crash: its row must not come back.
  PgConnPtr open = Connect((*pg)->owner_conninfo(*db));
  ASSERT_EQ(PQstatus(open.get()), CONNECTION_OK) << PQerrorMessage(open.get());
  PQclear(PQexec(open.get(), "BEGIN"));
  PQclear(PQexec(open.get(), "INSERT INTO kept VALUES ('uncommitted')"));

  const pid_t old_pid = (*pg)->postmaster_pid();
  const int port = (*pg)->port();
  ASSERT_THAT((*pg)->Kill9(), IsOk());
  EXPECT_EQ((*pg)->postmaster_pid(), 0);
  EXPECT_THAT(TestPostgres::ProcessesInDataDir((*pg)->data_dir()), IsEmpty());
  EXPECT_THAT((*pg)->Query(*db, "SELECT 1"), StatusIs(absl::StatusCode::kUnavailable, HasSubstr("")));

  ASSERT_THAT((*pg)->Restart(), IsOk());
  EXPECT_NE((*pg)->postmaster_pid(), old_pid);
  EXPECT_EQ((*pg)->port(), port);
  EXPECT_THAT((*pg)->Log(), HasSubstr("not properly shut down"));
  EXPECT_EQ(*(*pg)->Query(*db, "SELECT string_agg(v, ',') FROM kept"), "committed");

  // And a clean stop and start keeps it too.
  ASSERT_THAT((*pg)->Stop(), IsOk());
  EXPECT_THAT((*pg)->Stop(), IsOk());
  ASSERT_THAT((*pg)->Restart(), IsOk());
  EXPECT_EQ(*(*pg)->Query(*db, "SELECT string_agg(v, ',') FROM kept"), "committed");
}

TEST(TestPostgresTest, DestructorStopsTheServerAndRemovesItsDirectory) {
  auto pg = TestPostgres::Start();
  ASSERT_THAT(pg, IsOk());
  const std::string root = (*pg)->root_dir();
  const std::string data_dir = (*pg)->data_dir();
  ASSERT_TRUE(std::filesystem::exists(data_dir + "/PG_VERSION"));
  ASSERT_EQ(std::filesystem::path(data_dir).parent_path(), root);
  ASSERT_FALSE(TestPostgres::ProcessesInDataDir(data_dir).empty());
  pg->reset();
  EXPECT_FALSE(std::filesystem::exists(root));
  EXPECT_THAT(TestPostgres::ProcessesInDataDir(data_dir), IsEmpty());
}

// A test binary killed with -9 runs no destructor: the postmaster must die
// with it (PR_SET_PDEATHSIG), and its backends with the postmaster.
TEST(TestPostgresTest, ClusterDiesWithAProcessKilledByNine) {
  // The cluster's processes are orphaned twice over (the child, then the
  // postmaster dies): as a subreaper this process gets them, can see how
  // the postmaster died, and reaps them all.
  ASSERT_EQ(::prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
  int fds[2];
  // Close-on-exec: the postmaster must not hold the write end open.
  ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(fds[0]);
    auto pg = TestPostgres::Start();
    const std::string report =
        pg.ok() ? absl::StrCat((*pg)->data_dir(), "\n", (*pg)->postmaster_pid(), "\n")
                : absl::StrCat("error ", pg.status().ToString(), "\n");
    (void)!::write(fds[1], report.data(), report.size());
    ::close(fds[1]);
    if (!pg.ok()) ::_exit(1);
    for (;;) ::pause();
  }
  ::close(fds[1]);
  std::string report;
  char buf[512];
  ssize_t n;
  while ((n = ::read(fds[0], buf, sizeof(buf))) > 0) report.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  std::vector<std::string> lines = absl::StrSplit(report, '\n', absl::SkipEmpty());
  const std::string data_dir = lines.size() == 2 ? lines[0] : "";
  const std::vector<pid_t> cluster = TestPostgres::ProcessesInDataDir(data_dir);
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_EQ(lines.size(), 2u) << report;
  // On every way out, failures included: the survivors are this test's
  // cluster, killed and reaped; the child's directory (no destructor ran
  // there) removed.
  const absl::Cleanup leave_nothing = [data_dir] {
    for (pid_t p : TestPostgres::ProcessesInDataDir(data_dir)) {
      ::kill(p, SIGKILL);
      ::waitpid(p, nullptr, 0);
    }
    const std::filesystem::path root = std::filesystem::path(data_dir).parent_path();
    if (root.filename().string().rfind("schakel-pg-", 0) == 0) {
      std::error_code ec;
      std::filesystem::remove_all(root, ec);
    }
  };
  int postmaster = 0;
  ASSERT_TRUE(absl::SimpleAtoi(lines[1], &postmaster)) << report;
  ASSERT_THAT(cluster, ::testing::Contains(postmaster));
  ASSERT_GT(cluster.size(), 1u);  // and its backends

  // Each of them comes to this process and is reaped here: the postmaster
  // first, for its backends become children of this process only when it
  // is gone (before, waitpid answers ECHILD).
  const absl::Time until = absl::Now() + absl::Seconds(10);
  int st = 0;
  pid_t r = 0;
  while ((r = ::waitpid(postmaster, &st, WNOHANG)) == 0 && absl::Now() < until) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  ASSERT_EQ(r, postmaster) << "the postmaster outlived the process that started it";
  EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) << "postmaster status " << st;
  std::vector<pid_t> left;
  for (pid_t p : cluster) {
    if (p != postmaster) left.push_back(p);
  }
  while (!left.empty() && absl::Now() < until) {
    for (auto it = left.begin(); it != left.end();) {
      r = ::waitpid(*it, &st, WNOHANG);
      it = r == *it || r < 0 ? left.erase(it) : it + 1;
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_THAT(left, IsEmpty());
  EXPECT_THAT(TestPostgres::ProcessesInDataDir(data_dir), IsEmpty());
}

}  // namespace
}  // namespace schakel::testing
