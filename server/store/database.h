// The SQLCipher database: one encrypted file, opened with a raw 256-bit key,
// 4 KiB pages, WAL with full synchronous commits, secure_delete and foreign
// keys. Only the store links SQLCipher.
//
// Thread-safety: a Database is safe to share. Writes go through one writer
// connection with group commit: the transactions of concurrent Write calls
// run one after the other inside one database transaction that commits
// (one fsync) before any of them returns; a failing one takes back only its
// own changes. Reads
// run concurrently on a small pool of reader connections (WAL snapshots of
// what is committed). Statements and Connections are used only inside the
// callbacks of Read and Write, during the call.
#ifndef SCHAKEL_SERVER_STORE_DATABASE_H_
#define SCHAKEL_SERVER_STORE_DATABASE_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/common/read_stop.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

struct sqlite3;
struct sqlite3_stmt;

namespace schakel::store {

class StatementCache;

// Maps a SQLite result code to a status. The SQLite message goes to the
// server log only; the status names `what` and the kind of failure.
absl::Status SqliteStatus(int rc, absl::string_view what);

// One prepared statement, finalised on destruction (also on error paths), or
// given back to its connection's statement cache for the next use of the
// same SQL.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  Statement& Bind(int index, absl::string_view text);
  Statement& Bind(int index, int64_t value);
  Statement& BindNull(int index);
  // Binds `text`, or NULL when it is empty.
  Statement& BindOrNull(int index, absl::string_view text) {
    return text.empty() ? BindNull(index) : Bind(index, text);
  }
  // Binds a named parameter (":name"); naming one the SQL does not use is a
  // bug and fails the statement.
  Statement& BindName(const char* name, absl::string_view text);
  Statement& BindName(const char* name, int64_t value);
  // Whether the SQL uses the named parameter.
  bool HasParameter(const char* name) const;
  // Binds `text`, or NULL when it is empty.
  Statement& BindNameOrNull(const char* name, absl::string_view text);
  // Binds absl::Time as microseconds since the Unix epoch.
  Statement& BindTime(int index, absl::Time t) { return Bind(index, absl::ToUnixMicros(t)); }

  // Advances; true when a row is available, false when done.
  absl::StatusOr<bool> Step();
  // Steps to completion; for statements without result rows.
  absl::Status Run();
  // Makes the statement ready to run again with new bindings, so a bulk
  // load prepares each statement once.
  void Reset();

  std::string ColumnText(int index) const;
  // The column's text without a copy: valid until the next Step, Reset or
  // the statement's end.
  absl::string_view ColumnView(int index) const;
  int64_t ColumnInt(int index) const;
  bool ColumnIsNull(int index) const;
  absl::Time ColumnTime(int index) const { return absl::FromUnixMicros(ColumnInt(index)); }

 private:
  friend class Connection;
  Statement(sqlite3_stmt* stmt, std::string what, StatementCache* cache)
      : stmt_(stmt), what_(std::move(what)), cache_(cache) {}
  sqlite3_stmt* stmt_;
  std::string what_;
  // Where the statement goes back to; nullptr: finalized instead.
  StatementCache* cache_;
  absl::Status bind_status_;
};

// A connection handed to transaction callbacks.
class Connection {
 public:
  explicit Connection(sqlite3* db) : db_(db), cache_(nullptr) {}
  // A connection whose statements are kept in `cache` (the cache of `db`).
  explicit Connection(StatementCache* cache);
  // Prepares one statement (or takes the connection's kept one for the same
  // SQL); `what` names it in errors.
  absl::StatusOr<Statement> Prepare(absl::string_view sql, absl::string_view what);
  // Runs one or more statements without parameters (migrations, pragmas,
  // transaction control).
  absl::Status Exec(absl::string_view sql, absl::string_view what);
  // Rows changed by the last statement.
  int Changes() const;
  // Inside Database::Write only: runs `fn` when that Write call returns,
  // after its transaction committed or was rolled back — for what must
  // follow the transaction's end, never precede it (a cache's
  // invalidation), whatever it returned. When the callback runs again,
  // what its earlier run registered is dropped and registered anew.
  // Elsewhere (a read) `fn` is dropped: there is nothing to follow.
  void AfterTransaction(std::function<void()> fn);

 private:
  friend class Database;
  sqlite3* db_;
  StatementCache* cache_;
  std::vector<std::function<void()>>* after_ = nullptr;
};

class Database {
 public:
  // Opens (and with `create`, creates) the encrypted database at `path` with
  // the raw 32-byte `key`. Refuses with FAILED_PRECONDITION when the file is
  // a plaintext SQLite file or SQLCipher is not the SQLite in this process,
  // and with PERMISSION_DENIED when the key does not open the file.
  // `readers` is the size of the pool of reader connections (opened on
  // first use).
  static absl::StatusOr<std::unique_ptr<Database>> Open(const std::string& path,
                                                        const std::string& key, bool create,
                                                        int readers = kDefaultReaders);
  static constexpr int kDefaultReaders = 4;
  // Opens an existing database for reading only, as a second process does
  // while schakeld serves it (the online backup): its descriptor of the
  // database file is read-only, so it can never take the lock that
  // checkpointing or deleting the WAL needs, not even when it closes last.
  // (SQLite 3.15 still opens the -wal and -shm read-write, and creates them
  // when no server runs: a backup of a stopped deployment leaves an empty
  // pair behind, which the next start uses.) Read and Export work; Write,
  // Rekey and CheckpointWal answer FAILED_PRECONDITION. No migrations run.
  static absl::StatusOr<std::unique_ptr<Database>> OpenReadOnly(const std::string& path,
                                                                const std::string& key);
  // At most this many Write calls share one commit.
  static constexpr int kMaxBatch = 128;
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs `fn` in a read transaction on a reader connection: it sees what
  // was committed when it began, and may not write (query_only).
  absl::Status Read(const std::function<absl::Status(Connection&)>& fn);
  // Runs `fn` in a write transaction; commits when it returns OK, rolls
  // back (only its own changes) otherwise. Concurrent calls are grouped
  // into one commit (in the order they came); a call returns only when
  // that commit is durable, and fails when it fails. `fn` may run on
  // another caller's thread, and must not call back into this Database.
  //
  // `fn` may run more than once: when another call of its batch fails
  // after changing rows, the batch's transaction is rolled back and the
  // other calls run again (see RunBatch). Each run must start afresh —
  // assign what it hands out, never append to what an earlier run left.
  // A failing `fn` that changed no rows (sqlite3_total_changes) is taken to
  // need no undo: schema changes (DDL) that fail belong in a Write of
  // their own (migrations run alone, before serving).
  absl::Status Write(const std::function<absl::Status(Connection&)>& fn);

  // Re-encrypts every page under `new_key` (32 bytes) in one transaction:
  // the file opens with the old key or with the new one, never neither.
  absl::Status Rekey(const std::string& new_key);

  // Copies the whole database as it is at one moment into a new SQLCipher
  // file at `path` (4 KiB pages) under the raw 32-byte `key`, in one read
  // transaction; `in_snapshot` runs inside that transaction, to read what
  // belongs with the copy (the audit head). Writers are not blocked (WAL).
  absl::Status Export(const std::string& path, const std::string& key,
                      const std::function<absl::Status(Connection&)>& in_snapshot);

  // Copies every committed page from the WAL into the file and truncates
  // the WAL to zero bytes (PRAGMA wal_checkpoint(TRUNCATE)), so that old
  // page versions do not outlive an erasure. UNAVAILABLE when a reader kept
  // it from completing.
  absl::Status CheckpointWal();

  // The schema version (PRAGMA user_version).
  absl::StatusOr<int> SchemaVersion();
  // OK while the database answers a read.
  absl::Status Ping();

  // How many commits and how many Write calls they carried, since Open
  // (for tests and figures).
  struct WriteStats {
    int64_t commits = 0;
    int64_t writes = 0;
    // WAL checkpoints run by the background checkpointer.
    int64_t checkpoints = 0;
  };
  // After a commit leaves at least this many pages in the WAL, the
  // background checkpointer copies them into the database file (SQLite's
  // own automatic checkpoint would run inside the committing call, and
  // every request of that batch would wait for it).
  static constexpr int kCheckpointPages = 1000;
  WriteStats write_stats();

 private:
  struct Writer;
  struct Readers;
  enum class Mode { kCreate, kReadWrite, kReadOnly };
  static absl::StatusOr<std::unique_ptr<Database>> OpenFile(const std::string& path,
                                                            const std::string& key, Mode mode,
                                                            int readers);
  Database(sqlite3* db, std::string path, std::string key, int readers, bool read_only);
  // Runs `batch` in as few transactions as possible and sets each status:
  // without savepoints while no call fails after changing rows, each call
  // in its own savepoint after one has.
  void RunBatch(const std::vector<Writer*>& batch);
  // Queues `w`, runs it (leading a batch or carried by one) and returns its
  // status once its transaction ended.
  absl::Status Queue(Writer& w);

  const bool read_only_;
  // Guards the writer connection (writes, rekey, export).
  absl::Mutex mu_;
  sqlite3* db_;
  std::unique_ptr<StatementCache> statements_ ABSL_GUARDED_BY(mu_);
  // Write calls waiting; the front one leads the next batch.
  absl::Mutex queue_mu_;
  std::deque<Writer*> writers_ ABSL_GUARDED_BY(queue_mu_);
  WriteStats stats_ ABSL_GUARDED_BY(queue_mu_);
  std::unique_ptr<Readers> readers_;

  // The background checkpointer (PASSIVE checkpoints on a reader
  // connection, so commits never wait for one).
  static int OnWalCommit(void* self, sqlite3* db, const char* name, int pages);
  void CheckpointLoop();
  absl::Mutex checkpoint_mu_;
  // Held while a checkpoint runs (background or CheckpointWal); taken after
  // mu_ when both are held.
  absl::Mutex checkpoint_run_mu_;
  bool checkpoint_wanted_ ABSL_GUARDED_BY(checkpoint_mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(checkpoint_mu_) = false;
  std::thread checkpointer_;
};

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_DATABASE_H_
