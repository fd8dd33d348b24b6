// The SQLCipher engine: one encrypted file, opened with a raw 256-bit key,
// 4 KiB pages, WAL with full synchronous commits, secure_delete and foreign
// keys. Writes go through one writer connection with group commit; reads
// run on a small pool of reader connections (WAL snapshots). Besides the
// Database interface it offers what only a file has: a read-only open for a
// second process, rekeying, an encrypted copy, and checkpointing the WAL.
#ifndef SCHAKEL_SERVER_STORE_SQLITE_DATABASE_H_
#define SCHAKEL_SERVER_STORE_SQLITE_DATABASE_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "server/store/database.h"
#include "server/store/group_commit.h"

struct sqlite3;

namespace schakel::store {

class StatementCache;

// Maps a SQLite result code to a status. The SQLite message goes to the
// server log only; the status names `what` and the kind of failure.
absl::Status SqliteStatus(int rc, absl::string_view what);

// One SQLite connection as a store Connection sees it, with the statements
// `cache` keeps for it (none without one). Used by SqliteDatabase, and by
// tests on a handle of their own.
class SqliteConnection final : public ConnectionBackend {
 public:
  explicit SqliteConnection(sqlite3* db, StatementCache* cache = nullptr)
      : db_(db), cache_(cache) {}
  Engine engine() const override { return Engine::kSqlcipher; }
  absl::StatusOr<StatementBackend*> Prepare(absl::string_view sql,
                                            absl::string_view what) override;
  absl::Status Exec(absl::string_view sql, absl::string_view what) override;
  int Changes() const override;
  sqlite3* db() const { return db_; }

 private:
  sqlite3* db_;
  StatementCache* cache_;
};

class SqliteDatabase : public Database {
 public:
  // Opens (and with `create`, creates) the encrypted database at `path` with
  // the raw 32-byte `key`. Refuses with FAILED_PRECONDITION when the file is
  // a plaintext SQLite file or SQLCipher is not the SQLite in this process,
  // and with PERMISSION_DENIED when the key does not open the file.
  // `readers` is the size of the pool of reader connections (opened on
  // first use).
  static absl::StatusOr<std::unique_ptr<SqliteDatabase>> Open(const std::string& path,
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
  static absl::StatusOr<std::unique_ptr<SqliteDatabase>> OpenReadOnly(const std::string& path,
                                                                      const std::string& key);
  ~SqliteDatabase() override;

  Engine engine() const override { return Engine::kSqlcipher; }
  // Read: a deferred transaction on a query_only reader connection.
  absl::Status Read(const TransactionFn& fn) override;
  absl::Status Write(const TransactionFn& fn) override;
  // PRAGMA user_version.
  absl::StatusOr<int> SchemaVersion() override;
  absl::Status Ping() override;
  // CheckpointWal.
  absl::Status ForgetOldVersions() override { return CheckpointWal(); }
  WriteStats write_stats() override;

  // Re-encrypts every page under `new_key` (32 bytes) in one transaction:
  // the file opens with the old key or with the new one, never neither.
  absl::Status Rekey(const std::string& new_key);

  // Copies the whole database as it is at one moment into a new SQLCipher
  // file at `path` (4 KiB pages) under the raw 32-byte `key`, in one read
  // transaction; `in_snapshot` runs inside that transaction, to read what
  // belongs with the copy (the audit head). Writers are not blocked (WAL).
  absl::Status Export(const std::string& path, const std::string& key,
                      const TransactionFn& in_snapshot);

  // Copies every committed page from the WAL into the file and truncates
  // the WAL to zero bytes (PRAGMA wal_checkpoint(TRUNCATE)), so that old
  // page versions do not outlive an erasure. UNAVAILABLE when a reader kept
  // it from completing.
  absl::Status CheckpointWal();

  // After a commit leaves at least this many pages in the WAL, the
  // background checkpointer copies them into the database file (SQLite's
  // own automatic checkpoint would run inside the committing call, and
  // every request of that batch would wait for it).
  static constexpr int kCheckpointPages = 1000;

 private:
  class Session;
  struct Readers;
  enum class Mode { kCreate, kReadWrite, kReadOnly };
  static absl::StatusOr<std::unique_ptr<SqliteDatabase>> OpenFile(const std::string& path,
                                                                  const std::string& key,
                                                                  Mode mode, int readers);
  SqliteDatabase(sqlite3* db, std::string path, std::string key, int readers, bool read_only);

  const bool read_only_;
  // Guards the writer connection (writes, rekey, export).
  absl::Mutex mu_;
  sqlite3* db_;
  std::unique_ptr<Session> session_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<Readers> readers_;
  GroupCommit group_commit_;

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
  int64_t checkpoints_ ABSL_GUARDED_BY(checkpoint_mu_) = 0;
  std::thread checkpointer_;
};

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_SQLITE_DATABASE_H_
