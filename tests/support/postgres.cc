#include "tests/support/postgres.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <tuple>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/common/files.h"
#include "server/common/status_macros.h"
#include "server/crypto/openssl_util.h"
#include "server/crypto/x509.h"

namespace schakel::testing {
namespace {

// How long a fast shutdown may take: it ends with a checkpoint, which
// fsyncs everything written since the last one.
constexpr absl::Duration kStopTimeout = absl::Seconds(30);
constexpr absl::Duration kBackendExitTimeout = absl::Seconds(10);
// Tries at a port another process took between our probe and postgres's bind.
constexpr int kPortTries = 5;

using PgConnPtr = std::unique_ptr<PGconn, decltype(&PQfinish)>;
using PgResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

// A conninfo value in single quotes (libpq's quoting: backslash escapes
// backslash and quote), so paths with spaces stay one value.
std::string ConnValue(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\\' || c == '\'') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

bool ValidName(const std::string& name, size_t max_size) {
  if (name.empty() || name.size() > max_size) return false;
  for (char c : name) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '_') return false;
  }
  return true;
}

// A port on 127.0.0.1 that was free a moment ago: bound with port 0, read,
// closed. Another process may take it before postgres binds it; the caller
// retries then.
absl::StatusOr<int> FreeLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return absl::InternalError("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  ::close(fd);
  if (!ok) return absl::InternalError("cannot bind 127.0.0.1:0");
  return static_cast<int>(ntohs(addr.sin_port));
}

std::string Tail(const std::string& text, size_t n = 3000) {
  return text.size() <= n ? text : text.substr(text.size() - n);
}

// The exit code of a reaped child as a shell shows it (128 + signal).
int ExitCode(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Runs `sql` on `conninfo`; the first column of the first row. `sqlstate`
// gets the server's SQLSTATE when it refuses the statement.
absl::StatusOr<std::string> RunStatement(const std::string& conninfo, const std::string& sql,
                                         std::string* sqlstate) {
  PgConnPtr conn(PQconnectdb(conninfo.c_str()), &PQfinish);
  if (conn == nullptr) return absl::ResourceExhaustedError("libpq: out of memory");
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    return absl::UnavailableError(
        absl::StrCat("cannot connect to the test PostgreSQL: ", PQerrorMessage(conn.get())));
  }
  PgResultPtr res(PQexec(conn.get(), sql.c_str()), &PQclear);
  const ExecStatusType st = PQresultStatus(res.get());
  if (st == PGRES_COMMAND_OK) return std::string();
  if (st != PGRES_TUPLES_OK) {
    const char* state = PQresultErrorField(res.get(), PG_DIAG_SQLSTATE);
    if (sqlstate != nullptr && state != nullptr) *sqlstate = state;
    return absl::InvalidArgumentError(absl::StrCat("SQLSTATE ", state == nullptr ? "?" : state,
                                                   ": ", PQresultErrorMessage(res.get())));
  }
  if (PQntuples(res.get()) == 0 || PQnfields(res.get()) == 0 || PQgetisnull(res.get(), 0, 0)) {
    return std::string();
  }
  return std::string(PQgetvalue(res.get(), 0, 0),
                     static_cast<size_t>(PQgetlength(res.get(), 0, 0)));
}

}  // namespace

absl::StatusOr<std::unique_ptr<TestPostgres>> TestPostgres::Prepare(const Options& options) {
  for (const char* bin : {"initdb", "postgres", "pg_dump", "pg_basebackup"}) {
    const std::string path = absl::StrCat(options.bin_dir, "/", bin);
    if (::access(path.c_str(), X_OK) != 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          path, " is missing: install postgresql-15 (deploy/install-deps.sh --tests)"));
    }
  }
  std::unique_ptr<TestPostgres> pg(new TestPostgres());
  pg->options_ = options;
  pg->owner_pid_ = ::getpid();
  if (::geteuid() == 0) {
    // Looked up here, before any fork: the child only makes system calls.
    const passwd* pw = ::getpwnam(options.run_as.c_str());
    if (pw == nullptr) {
      return absl::FailedPreconditionError(absl::StrCat(
          "running as root, and there is no user '", options.run_as,
          "' to run PostgreSQL as (initdb and postgres refuse root; the postgresql-15 "
          "package creates the user)"));
    }
    ChildOptions::User user{pw->pw_uid, pw->pw_gid, {}};
    int count = 32;
    user.groups.resize(count);
    if (::getgrouplist(pw->pw_name, pw->pw_gid, user.groups.data(), &count) < 0) {
      user.groups.resize(count);
      ::getgrouplist(pw->pw_name, pw->pw_gid, user.groups.data(), &count);
    }
    user.groups.resize(count);
    pg->user_ = std::move(user);
  }

  std::string tmpl =
      (std::filesystem::temp_directory_path() / "schakel-pg-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp ", tmpl, " failed"));
  }
  // Canonical, because ProcessesInDataDir compares it with /proc/*/cwd.
  std::error_code ec;
  pg->root_ = std::filesystem::canonical(tmpl, ec).string();
  if (ec) {
    pg->root_ = tmpl;  // still removed by the destructor
    return absl::InternalError(absl::StrCat("realpath ", tmpl, ": ", ec.message()));
  }
  pg->data_dir_ = pg->root_ + "/data";
  pg->socket_dir_ = pg->root_ + "/sock";
  pg->ca_file_ = pg->root_ + "/ca.pem";
  pg->cert_file_ = pg->root_ + "/server.crt";
  pg->key_file_ = pg->root_ + "/server.key";
  pg->passfile_ = pg->root_ + "/pgpass";
  if (::mkdir(pg->socket_dir_.c_str(), 0700) != 0) {
    return absl::InternalError(absl::StrCat("mkdir ", pg->socket_dir_, " failed"));
  }
  if (pg->user_ && (::chown(pg->root_.c_str(), pg->user_->uid, pg->user_->gid) != 0 ||
                    ::chown(pg->socket_dir_.c_str(), pg->user_->uid, pg->user_->gid) != 0)) {
    return absl::InternalError(absl::StrCat("chown ", pg->root_, " failed"));
  }
  return pg;
}

absl::Status TestPostgres::StartOnAFreePort() {
  absl::Status started;
  for (int i = 0; i < kPortTries; ++i) {
    ASSIGN_OR_RETURN(port_, FreeLoopbackPort());
    bool port_taken = false;
    started = StartServer(&port_taken);
    if (started.ok() || !port_taken) break;
  }
  return started;
}

absl::StatusOr<std::unique_ptr<TestPostgres>> TestPostgres::Start(const Options& options) {
  ASSIGN_OR_RETURN(std::unique_ptr<TestPostgres> pg, Prepare(options));
  ASSIGN_OR_RETURN(const std::string random, crypto::RandomBytes(16));
  pg->password_ = crypto::HexEncode(random);
  RETURN_IF_ERROR(pg->WritePki());
  // pg_dump reads the password from here, not from its command line.
  RETURN_IF_ERROR(pg->WriteOwned(pg->passfile_,
                                 absl::StrCat("*:*:*:", kOwner, ":", pg->password_, "\n"), 0600));
  RETURN_IF_ERROR(pg->InitDb());
  // TLS from loopback or the socket in our own directory, with the password,
  // and nothing else: a plaintext TCP connection finds no line and is refused.
  RETURN_IF_ERROR(pg->WriteOwned(pg->data_dir_ + "/pg_hba.conf",
                                 "# TYPE   DATABASE USER ADDRESS       METHOD\n"
                                 "local     all      all                scram-sha-256\n"
                                 "hostssl   all      all  127.0.0.1/32  scram-sha-256\n"
                                 "hostssl   replication all 127.0.0.1/32 scram-sha-256\n",
                                 0600));
  RETURN_IF_ERROR(pg->StartOnAFreePort());
  return pg;
}

absl::StatusOr<std::unique_ptr<TestPostgres>> TestPostgres::StartStandby(
    const TestPostgres& primary) {
  ASSIGN_OR_RETURN(std::unique_ptr<TestPostgres> pg, Prepare(primary.options_));
  pg->password_ = primary.password_;
  // The primary's certificate (for 127.0.0.1, of the same CA): a client
  // verifies either host against ca_file() alike.
  for (auto [from, to, mode] : {std::tuple{primary.ca_file_, pg->ca_file_, 0644},
                                std::tuple{primary.cert_file_, pg->cert_file_, 0644},
                                std::tuple{primary.key_file_, pg->key_file_, 0600}}) {
    ASSIGN_OR_RETURN(std::string content, ReadFile(from));
    RETURN_IF_ERROR(pg->WriteOwned(to, content, mode));
  }
  RETURN_IF_ERROR(pg->WriteOwned(pg->passfile_,
                                 absl::StrCat("*:*:*:", kOwner, ":", pg->password_, "\n"), 0600));
  // -R: standby.signal and primary_conninfo, so it follows the primary.
  pg->port_ = primary.port_;  // OwnerConninfo names the primary
  const Result r = RunCommand(
      {primary.options_.bin_dir + "/pg_basebackup", "--no-password", "-D", pg->data_dir_, "-R",
       "-X", "stream", "--no-sync", "--checkpoint=fast", "-d",
       pg->OwnerConninfo("postgres", absl::StrCat("passfile=", ConnValue(pg->passfile_)))},
      pg->ServerChild());
  if (r.exit_code != 0) {
    return absl::InternalError(
        absl::StrCat("pg_basebackup exited with ", r.exit_code, ": ", Tail(r.out + r.err)));
  }
  RETURN_IF_ERROR(pg->StartOnAFreePort());
  return pg;
}

absl::Status TestPostgres::Promote() {
  return Query("postgres", "SELECT pg_promote(true, 60)").status();
}

TestPostgres::~TestPostgres() {
  // A forked child (a death test, a crash test's helper) holds a copy of
  // this object: the cluster is not its to stop or remove.
  if (::getpid() != owner_pid_ || root_.empty()) return;
  if (!Stop().ok()) Kill9().IgnoreError();
  if (out_fd_ >= 0) ::close(out_fd_);
  // Only what this object made: its own mkdtemp directory.
  std::error_code ec;
  std::filesystem::remove_all(root_, ec);
}

std::string TestPostgres::Log() const {
  return log_file_.empty() ? "" : ReadFile(log_file_).value_or("");
}

std::string TestPostgres::owner_conninfo(const std::string& dbname) const {
  return OwnerConninfo(dbname, absl::StrCat("password=", ConnValue(password_)));
}

std::string TestPostgres::OwnerConninfo(const std::string& dbname,
                                        const std::string& credential) const {
  return absl::StrCat("host=", host(), " port=", port_, " user=", kOwner, " ", credential,
                      " dbname=", ConnValue(dbname), " sslmode=verify-full sslrootcert=",
                      ConnValue(ca_file_), " connect_timeout=10");
}

ChildOptions TestPostgres::ServerChild() const {
  ChildOptions child;
  child.user = user_;
  child.cwd = root_;
  child.env = {{"HOME", root_}};
  return child;
}

absl::Status TestPostgres::WriteOwned(const std::string& path, const std::string& content,
                                      int mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0) return absl::InternalError(absl::StrCat("cannot create ", path));
  size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  // fchmod: the mode of open is masked by the umask; postgres refuses a key
  // readable by others, and wants its own files to be its own.
  const bool ok = done == content.size() && ::fchmod(fd, mode) == 0 &&
                  (!user_ || ::fchown(fd, user_->uid, user_->gid) == 0);
  ::close(fd);
  if (!ok) return absl::InternalError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

// Not MakePki (smtp_sink.h): that one reports through gtest assertions and
// writes into a TempDir, while a shared cluster starts outside any test and
// its key must belong to the server's user with mode 0600.
absl::Status TestPostgres::WritePki() {
  const absl::Time now = absl::Now();
  ASSIGN_OR_RETURN(auto ca, crypto::CertificateAuthority::Create(
                                "schakel test PostgreSQL CA", now - absl::Hours(1),
                                absl::Hours(49)));
  ASSIGN_OR_RETURN(auto key, crypto::GenerateEcKey());
  crypto::CertificateSpec spec;
  spec.common_name = "localhost";
  spec.dns_names = {"localhost"};
  spec.ip_addresses = {"127.0.0.1"};
  spec.not_before = now - absl::Hours(1);
  spec.not_after = now + absl::Hours(48);
  spec.server_auth = true;
  ASSIGN_OR_RETURN(auto cert, ca.Issue(spec, key.get()));
  RETURN_IF_ERROR(WriteOwned(ca_file_, ca.CertificatePem(), 0644));
  RETURN_IF_ERROR(WriteOwned(cert_file_, crypto::CertificateToPem(cert.get()), 0644));
  return WriteOwned(key_file_, crypto::PrivateKeyToPem(key.get()), 0600);
}

absl::Status TestPostgres::InitDb() {
  const std::string pwfile = root_ + "/pwfile";
  RETURN_IF_ERROR(WriteOwned(pwfile, password_ + "\n", 0600));
  const ChildOptions child = ServerChild();
  // --no-sync: initdb's own files need not reach the disk before the tests
  // start (a test never crashes the machine); the server runs with fsync on.
  const Result r = RunCommand({options_.bin_dir + "/initdb", "-D", data_dir_, "-A",
                               "scram-sha-256", "-U", kOwner, "--pwfile=" + pwfile, "-E",
                               "UTF8", "--locale=C.UTF-8", "--no-sync"},
                              child);
  ::unlink(pwfile.c_str());
  if (r.exit_code != 0) {
    return absl::InternalError(
        absl::StrCat("initdb exited with ", r.exit_code, ": ", Tail(r.out + r.err)));
  }
  return absl::OkStatus();
}

absl::Status TestPostgres::StartServer(bool* port_taken) {
  *port_taken = false;
  std::vector<std::string> args = {
      options_.bin_dir + "/postgres",
      "-D", data_dir_,
      "-c", "listen_addresses=127.0.0.1",
      "-c", absl::StrCat("port=", port_),
      "-c", "unix_socket_directories=" + socket_dir_,
      "-c", "fsync=on",
      "-c", "synchronous_commit=on",
      "-c", "max_connections=300",
      "-c", "shared_buffers=128MB",
      "-c", "ssl=on",
      "-c", "ssl_cert_file=" + cert_file_,
      "-c", "ssl_key_file=" + key_file_,
      "-c", "logging_collector=off",
  };
  for (const std::string& s : options_.settings) args.insert(args.end(), {"-c", s});
  log_file_ = absl::StrCat(root_, "/postgres-", ++starts_, ".log");
  ChildOptions child = ServerChild();
  child.die_with_parent = true;
  // stdout stays an open pipe nobody reads: postgres logs to stderr (the
  // file) and writes nothing to stdout while it serves.
  out_fd_ = Spawn(args, log_file_, &pid_, child);
  if (out_fd_ < 0) {
    pid_ = 0;
    return absl::InternalError("pipe failed");
  }
  const std::string ping = owner_conninfo("postgres");
  const absl::Time until = absl::Now() + options_.start_timeout;
  while (true) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = 0;
      ::close(out_fd_);
      out_fd_ = -1;
      const std::string log = Log();
      *port_taken = absl::StrContains(log, "could not bind") ||
                    absl::StrContains(log, "Address already in use");
      return absl::UnavailableError(absl::StrCat("postgres exited with ", ExitCode(status),
                                                 " before accepting connections: ", Tail(log)));
    }
    // Alive and answering: our postmaster, not another server on the port.
    if (PQping(ping.c_str()) == PQPING_OK) return absl::OkStatus();
    if (absl::Now() >= until) break;
    absl::SleepFor(absl::Milliseconds(50));
  }
  Kill9().IgnoreError();
  return absl::UnavailableError(absl::StrCat("postgres did not accept connections within ",
                                             absl::FormatDuration(options_.start_timeout), ": ",
                                             Tail(Log())));
}

absl::Status TestPostgres::Stop() {
  if (pid_ <= 0 || ::getpid() != owner_pid_) return absl::OkStatus();
  ::kill(pid_, SIGINT);  // fast shutdown: roll back open transactions, checkpoint
  const absl::Time until = absl::Now() + kStopTimeout;
  int status = 0;
  bool exited = false;
  while (!(exited = ::waitpid(pid_, &status, WNOHANG) == pid_) && absl::Now() < until) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  if (!exited) {
    Kill9().IgnoreError();
    return absl::DeadlineExceededError(absl::StrCat(
        "postgres did not stop within ", absl::FormatDuration(kStopTimeout), "; killed"));
  }
  pid_ = 0;
  ::close(out_fd_);
  out_fd_ = -1;
  if (ExitCode(status) != 0) {
    return absl::InternalError(
        absl::StrCat("postgres exited with ", ExitCode(status), ": ", Tail(Log())));
  }
  return absl::OkStatus();
}

absl::Status TestPostgres::Kill9() {
  if (pid_ <= 0) return absl::FailedPreconditionError("the test PostgreSQL is not running");
  // The backends outlive the postmaster and are reparented: to this process,
  // a subreaper from now on, which reaps them below, rather than to an init
  // that may reap late (a second here) or, in a container, never.
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  std::vector<pid_t> backends;
  for (pid_t p : ProcessesInDataDir(data_dir_)) {
    if (p != pid_) backends.push_back(p);
  }
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = 0;
  ::close(out_fd_);
  out_fd_ = -1;
  return WaitForBackendsToExit(kBackendExitTimeout, std::move(backends));
}

// Backends notice their postmaster's death and exit; a new postmaster
// refuses the data directory while one of them still holds the old shared
// memory. What outlives `timeout` is killed: nothing of the old server may
// run on once Kill9 or Restart returns. `orphans` are reaped as they exit
// (ECHILD: someone else's child, the init's).
absl::Status TestPostgres::WaitForBackendsToExit(absl::Duration timeout,
                                                 std::vector<pid_t> orphans) {
  absl::Time until = absl::Now() + timeout;
  bool killed = false;
  while (true) {
    for (auto it = orphans.begin(); it != orphans.end();) {
      int status = 0;
      const pid_t r = ::waitpid(*it, &status, WNOHANG);
      it = r == *it || (r < 0 && errno == ECHILD) ? orphans.erase(it) : it + 1;
    }
    const std::vector<pid_t> running = ProcessesInDataDir(data_dir_);
    if (running.empty() && orphans.empty()) break;
    if (absl::Now() >= until) {
      if (killed) break;  // what is left is not ours to reap
      for (pid_t p : running) ::kill(p, SIGKILL);
      killed = true;
      until = absl::Now() + absl::Seconds(2);  // for the kills to land
      continue;
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  if (killed) {
    return absl::DeadlineExceededError(absl::StrCat(
        "backends outlived their postmaster by ", absl::FormatDuration(timeout), "; killed"));
  }
  return absl::OkStatus();
}

absl::Status TestPostgres::Restart() {
  if (pid_ > 0) RETURN_IF_ERROR(Stop());
  RETURN_IF_ERROR(WaitForBackendsToExit(kBackendExitTimeout));
  absl::Status started;
  for (int i = 0; i < kPortTries; ++i) {
    bool port_taken = false;
    started = StartServer(&port_taken);
    if (started.ok() || !port_taken) break;
    // Clients know this port: wait for whoever took it rather than move.
    absl::SleepFor(absl::Milliseconds(200));
  }
  return started;
}

absl::Status TestPostgres::CreateDatabase(const std::string& name) {
  if (!ValidName(name, 63)) {
    return absl::InvalidArgumentError(
        absl::StrCat("database name '", name, "' is not 1 to 63 of [a-z0-9_]"));
  }
  std::string sqlstate;
  auto done = RunStatement(owner_conninfo("postgres"),
                           absl::StrCat("CREATE DATABASE \"", name, "\""), &sqlstate);
  if (sqlstate == "42P04") {
    return absl::AlreadyExistsError(absl::StrCat("database ", name, " exists"));
  }
  return done.status();
}

absl::StatusOr<std::string> TestPostgres::CreateUniqueDatabase(const std::string& prefix) {
  if (!ValidName(prefix, 40)) {
    return absl::InvalidArgumentError(
        absl::StrCat("database prefix '", prefix, "' is not 1 to 40 of [a-z0-9_]"));
  }
  while (true) {
    const std::string name = absl::StrCat(prefix, "_", ::getpid(), "_", ++databases_);
    absl::Status made = CreateDatabase(name);
    if (made.ok()) return name;
    if (!absl::IsAlreadyExists(made)) return made;
  }
}

absl::StatusOr<std::string> TestPostgres::Query(const std::string& dbname,
                                                const std::string& sql) {
  return RunStatement(owner_conninfo(dbname), sql, nullptr);
}

absl::StatusOr<std::string> TestPostgres::AdvisoryLockHolder(const std::string& dbname,
                                                             int64_t key) {
  // A bigint key is two 32-bit halves in pg_locks, objsubid 1.
  return Query(dbname, absl::StrCat("SELECT string_agg(pid::text, ',') FROM pg_locks"
                                    " WHERE locktype = 'advisory' AND granted AND objsubid = 1"
                                    " AND database = (SELECT oid FROM pg_database"
                                    " WHERE datname = current_database())"
                                    " AND classid::text::bigint = ", key >> 32,
                                    " AND objid::text::bigint = ", key & 0xffffffffLL));
}

absl::StatusOr<std::string> TestPostgres::Dump(const std::string& dbname) {
  // The password comes from the pass file, so it is not on a command line
  // that every user of the machine can read in /proc.
  const std::string conninfo =
      OwnerConninfo(dbname, absl::StrCat("passfile=", ConnValue(passfile_)));
  const ChildOptions child = ServerChild();
  const Result r =
      RunCommand({options_.bin_dir + "/pg_dump", "--no-password", "-d", conninfo}, child);
  if (r.exit_code != 0) {
    return absl::InternalError(
        absl::StrCat("pg_dump exited with ", r.exit_code, ": ", Tail(r.err)));
  }
  return r.out;
}

std::vector<pid_t> TestPostgres::ProcessesInDataDir(const std::string& data_dir) {
  std::vector<pid_t> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    int pid = 0;
    if (!absl::SimpleAtoi(entry.path().filename().string(), &pid)) continue;
    std::error_code link_ec;
    // Fails for a process that is gone or a zombie: neither runs on.
    const auto cwd = std::filesystem::read_symlink(entry.path() / "cwd", link_ec);
    if (!link_ec && cwd == data_dir) out.push_back(static_cast<pid_t>(pid));
  }
  return out;
}

TestPostgres& SharedTestPostgres() {
  // Destroyed after main returns: stops the server, removes its directory.
  static const std::unique_ptr<TestPostgres> shared = [] {
    auto started = TestPostgres::Start();
    if (!started.ok()) {
      ::fprintf(stderr, "SharedTestPostgres: %s\n", started.status().ToString().c_str());
      std::abort();
    }
    return std::move(started).value();
  }();
  return *shared;
}

}  // namespace schakel::testing
