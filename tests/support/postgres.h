// A PostgreSQL 15 cluster of the test's own: initdb into a temporary
// directory, TLS with a test CA, listening on 127.0.0.1 only, with fsync on
// (the store's durability is tested against it). Test binaries share one
// cluster (SharedTestPostgres) and give each test a database of its own.
#ifndef SCHAKEL_TESTS_SUPPORT_POSTGRES_H_
#define SCHAKEL_TESTS_SUPPORT_POSTGRES_H_

#include <sys/types.h>

#include <memory>
#include <optional>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/support/process.h"

namespace schakel::testing {

struct TestPostgresOptions {
  // Where initdb, postgres and pg_dump are (Debian's postgresql-15).
  std::string bin_dir = "/usr/lib/postgresql/15/bin";
  // The user the cluster runs as when this process is root (initdb and
  // postgres refuse root). Not root: the cluster runs as this process's user.
  std::string run_as = "postgres";
  // How long Start and Restart wait for the server to accept connections.
  absl::Duration start_timeout = absl::Seconds(30);
  // More server settings, "name=value" each, passed as -c after ours.
  std::vector<std::string> settings;
};

// One cluster in a directory of its own under $TMPDIR:
//   data/        the data directory (initdb)
//   sock/        the Unix socket (local connections need the password too)
//   ca.pem       the test CA that issued the server's certificate
//   server.crt, server.key, pgpass, postgres-N.log
// Only TLS connections from 127.0.0.1 with SCRAM-SHA-256 and Unix-socket
// connections with SCRAM-SHA-256 get in (pg_hba.conf). The bootstrap
// superuser is kOwner, with a random password.
//
// Not thread-safe: call it from one thread, and Start it from the main
// thread (the postmaster dies with the thread that started it, so that a
// test killed with -9 leaves no server behind).
class TestPostgres {
 public:
  using Options = TestPostgresOptions;
  static constexpr char kOwner[] = "schakel_owner";

  // initdb, then starts the server on a free port and waits until it accepts
  // connections. FAILED_PRECONDITION when the binaries are missing or, as
  // root, the user options.run_as does not exist; INTERNAL when initdb fails;
  // UNAVAILABLE when the server does not start in time (its log attached).
  static absl::StatusOr<std::unique_ptr<TestPostgres>> Start(const Options& options = {});
  // A hot standby of `primary` (pg_basebackup -R: it streams the primary's
  // WAL), with the primary's options, password and certificate, started on
  // a port of its own. The primary names it synchronous with
  // synchronous_standby_names (its application_name is "walreceiver").
  static absl::StatusOr<std::unique_ptr<TestPostgres>> StartStandby(const TestPostgres& primary);
  // A standby becomes a primary (pg_promote), waiting until it is.
  absl::Status Promote();

  // Stops the server (Stop, or Kill9 if that fails) and removes the
  // cluster's directory.
  ~TestPostgres();
  TestPostgres(const TestPostgres&) = delete;
  TestPostgres& operator=(const TestPostgres&) = delete;

  int port() const { return port_; }
  std::string host() const { return "127.0.0.1"; }
  // The PEM file of the CA that issued the server's certificate (for
  // 127.0.0.1 and localhost): sslmode=verify-full sslrootcert=ca_file().
  const std::string& ca_file() const { return ca_file_; }
  const std::string& data_dir() const { return data_dir_; }
  // The cluster's directory, parent of data_dir(); gone after destruction.
  const std::string& root_dir() const { return root_; }
  const std::string& owner_password() const { return password_; }
  // The running postmaster's pid; 0 when stopped.
  pid_t postmaster_pid() const { return pid_; }
  // The current server log.
  std::string Log() const;

  // A libpq conninfo string for kOwner on `dbname` over TCP to 127.0.0.1
  // with sslmode=verify-full against ca_file() (connect_timeout=10).
  std::string owner_conninfo(const std::string& dbname) const;

  // CREATE DATABASE `name`. INVALID_ARGUMENT unless `name` is 1 to 63 of
  // [a-z0-9_]; ALREADY_EXISTS when it exists.
  absl::Status CreateDatabase(const std::string& name);
  // A new database named "<prefix>_<pid>_<counter>", unique within this
  // cluster (prefix as for CreateDatabase, at most 40 characters).
  absl::StatusOr<std::string> CreateUniqueDatabase(const std::string& prefix = "t");

  // Fast shutdown (SIGINT), waiting at most 30 s, then SIGKILL and
  // DEADLINE_EXCEEDED. OK when already stopped.
  absl::Status Stop();
  // SIGKILL to the postmaster (a crash), then waits (at most 10 s) until
  // its backends, which notice their parent's death, are gone too. Makes
  // this process a child subreaper (PR_SET_CHILD_SUBREAPER) so that it can
  // reap those backends itself. FAILED_PRECONDITION when not running.
  absl::Status Kill9();
  // Starts the server again on the same data directory and port (stopping
  // it first if it runs), and waits until it accepts connections; after a
  // Kill9 the server recovers from its WAL first.
  absl::Status Restart();

  // pg_dump of `dbname` as plain SQL text (run as the cluster's user).
  absl::StatusOr<std::string> Dump(const std::string& dbname);
  // Runs one statement as kOwner on `dbname`; the first column of its first
  // row as text, "" when it returns no row (or NULL). UNAVAILABLE when the
  // connection fails, INVALID_ARGUMENT (with the SQLSTATE) when the server
  // refuses the statement.
  absl::StatusOr<std::string> Query(const std::string& dbname, const std::string& sql);
  // The pid of the session that holds the session-level advisory lock
  // `key` on `dbname` ("" when none does).
  absl::StatusOr<std::string> AdvisoryLockHolder(const std::string& dbname, int64_t key);

  // The pids of the processes whose working directory is `data_dir`: a
  // cluster's postmaster and backends (each chdirs to its data directory).
  static std::vector<pid_t> ProcessesInDataDir(const std::string& data_dir);

 private:
  TestPostgres() = default;
  // The cluster's directory and user, nothing started.
  static absl::StatusOr<std::unique_ptr<TestPostgres>> Prepare(const Options& options);
  absl::Status StartOnAFreePort();
  absl::Status InitDb();
  absl::Status WritePki();
  // Starts postgres on port_ and waits for it; `port_taken` is set when it
  // exited because the port was in use.
  absl::Status StartServer(bool* port_taken);
  absl::Status WaitForBackendsToExit(absl::Duration timeout, std::vector<pid_t> orphans = {});
  absl::Status WriteOwned(const std::string& path, const std::string& content, int mode);
  // How initdb, postgres and pg_dump start: as the cluster's user, in
  // root_, with HOME there.
  ChildOptions ServerChild() const;
  // A verify-full conninfo for kOwner on `dbname`; `credential` is the
  // "password=..." or "passfile=..." part.
  std::string OwnerConninfo(const std::string& dbname, const std::string& credential) const;

  Options options_;
  // The process that started the cluster; a forked copy of this object
  // leaves the cluster alone.
  pid_t owner_pid_ = 0;
  // The user the cluster runs as when this process is root; none: as this
  // process's user.
  std::optional<ChildOptions::User> user_;
  std::string root_;
  std::string data_dir_;
  std::string socket_dir_;
  std::string ca_file_;
  std::string cert_file_;
  std::string key_file_;
  std::string passfile_;
  std::string log_file_;
  std::string password_;
  int port_ = 0;
  pid_t pid_ = 0;
  int out_fd_ = -1;
  int starts_ = 0;
  int databases_ = 0;
};

// The binary's one cluster, started on first use (from the main thread) and
// stopped at exit; each test creates its own database on it. Aborts the
// binary, saying why on stderr, when the cluster cannot start.
TestPostgres& SharedTestPostgres();

}  // namespace schakel::testing

#endif  // SCHAKEL_TESTS_SUPPORT_POSTGRES_H_
