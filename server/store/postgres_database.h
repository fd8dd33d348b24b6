// The PostgreSQL 15 engine, through libpq: the store's Database on a
// server the operator runs (and replicates, and backs up), where every
// personal field is sealed by schakeld before it leaves the process
// (Statement::BindSealed; crypto/field_cipher.h), so that the database
// holds only ciphertext of names, addresses and case text.
//
// Connections: one writer, driven by group commit (group_commit.h) at READ
// COMMITTED — the only writer of this process, so its transactions never
// conflict with each other, and each holds an advisory lock from BEGIN to
// commit that orders them with other processes' writers (the audit chain's
// head is read inside) — and a pool of readers, each read one
// REPEATABLE READ READ ONLY transaction (one snapshot, as a WAL reader on
// SQLCipher). A connection found broken is reset before its next use; the
// call that found it fails UNAVAILABLE, never half-done (its transaction
// is gone with the connection). The store's SQL is translated once per
// text (postgres_sql.h) and prepared once per connection, text and
// parameter types.
//
// Errors: SQLSTATE class 23 (a constraint) is ALREADY_EXISTS; 40001,
// 40P01, class 08 (connection), 57P01-57P03 (shutdown), 25006 (a read-only
// server: a standby) and a broken connection are UNAVAILABLE; 53100 (disk
// full) and 53200 (out of memory) RESOURCE_EXHAUSTED; 57014 (cancelled)
// CANCELLED; anything else INTERNAL. The server's message goes to the log
// only: it can quote a value.
#ifndef SCHAKEL_SERVER_STORE_POSTGRES_DATABASE_H_
#define SCHAKEL_SERVER_STORE_POSTGRES_DATABASE_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/crypto/field_cipher.h"
#include "server/store/database.h"
#include "server/store/group_commit.h"

namespace schakel::store {

class PgConnection;

// The status for a failed libpq call: `sqlstate` ("" when the connection
// broke) mapped as the header says, naming `what`.
absl::Status PostgresStatus(absl::string_view sqlstate, absl::string_view what);

class PostgresDatabase : public Database {
 public:
  struct Options {
    // A libpq connection string (keyword/value or URI; several hosts with
    // target_session_attrs=read-write).
    std::string conninfo;
    int readers = 4;
    // The keys personal fields are sealed with. May be set later
    // (SetKeyring: the keys are read from the database itself); until
    // then every sealed bind and read fails, never stores plaintext.
    std::shared_ptr<const crypto::FieldKeyring> keyring;
  };
  // Connects the writer (readers connect on first use). UNAVAILABLE when
  // the server cannot be reached.
  static absl::StatusOr<std::unique_ptr<PostgresDatabase>> Open(Options options);
  ~PostgresDatabase() override;

  Engine engine() const override { return Engine::kPostgresql; }
  absl::Status Read(const TransactionFn& fn) override;
  absl::Status Write(const TransactionFn& fn) override;
  // The row of schema_version.
  absl::StatusOr<int> SchemaVersion() override;
  absl::Status Ping() override;
  // Nothing to do from here: an old row version PostgreSQL keeps until
  // VACUUM holds only sealed values of the erased fields, and VACUUM is the
  // maintenance role's (docs/operations.md).
  absl::Status ForgetOldVersions() override { return absl::OkStatus(); }
  WriteStats write_stats() override;

  // The keyring transactions that begin from now on use (a rotation adds a
  // key and makes it active; values sealed under older keys still open).
  void SetKeyring(std::shared_ptr<const crypto::FieldKeyring> keyring);
  std::shared_ptr<const crypto::FieldKeyring> keyring();

  // Whether this process holds the session-level advisory lock `key` now,
  // on a connection of its own kept until this object is gone: true when
  // it took it, or held it already and that connection still answers (a
  // round trip); false when another session holds it (asked again on the
  // same connection at the next call). A lock goes with its session: when
  // the connection broke (a failover, a restart of the server), the lock
  // is asked for on a new one. The primary instance holds one (server.cc):
  // a second one is refused at start, and the first signs nothing while
  // another holds it; the instance that sends the e-mail holds another.
  absl::StatusOr<bool> HoldSessionLock(int64_t key);

  // Until `stop` says so (asked every 200 ms, and after a connect, which
  // gives up after 10 s): LISTENs on
  // `channel` on a connection of its own and calls `heard` with the payload
  // of each notification. A lost connection is made again (every second
  // while it fails); what was notified meanwhile is not heard. For
  // wake-ups only (instance_wakeups.h).
  void Listen(const std::string& channel, const std::function<void(const std::string&)>& heard,
              const std::function<bool()>& stop);

 private:
  class Session;
  explicit PostgresDatabase(Options options);
  absl::StatusOr<std::unique_ptr<PgConnection>> Connect();
  absl::StatusOr<std::unique_ptr<PgConnection>> AcquireReader();
  void ReleaseReader(std::unique_ptr<PgConnection> c);

  // The reads that run under a ScopedReadStop: a watcher asks their
  // checks every kStopCheckInterval and cancels the query (PQcancel) of
  // the first that says stop — PostgreSQL's counterpart of SQLite's
  // progress handler.
  class ReadWatch;
  static constexpr absl::Duration kStopCheckInterval = absl::Milliseconds(5);

  const Options options_;
  std::unique_ptr<ReadWatch> watch_;
  absl::Mutex keyring_mu_;
  std::shared_ptr<const crypto::FieldKeyring> keyring_ ABSL_GUARDED_BY(keyring_mu_);

  // Guards the writer connection.
  absl::Mutex mu_;
  std::unique_ptr<Session> session_ ABSL_GUARDED_BY(mu_);
  GroupCommit group_commit_;

  absl::Mutex readers_mu_;
  std::vector<std::unique_ptr<PgConnection>> idle_ ABSL_GUARDED_BY(readers_mu_);
  // HoldSessionLock's sessions, by key: one that holds the lock, or one
  // that asks for it again at the next call.
  struct SessionLock {
    absl::Mutex mu;
    std::unique_ptr<PgConnection> conn ABSL_GUARDED_BY(mu);
    bool held ABSL_GUARDED_BY(mu) = false;
  };
  absl::Mutex locks_mu_;
  std::map<int64_t, std::unique_ptr<SessionLock>> locks_ ABSL_GUARDED_BY(locks_mu_);
  int open_readers_ ABSL_GUARDED_BY(readers_mu_) = 0;
};

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_POSTGRES_DATABASE_H_
