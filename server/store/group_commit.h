// Group commit, shared by both engines, in the shape of leveldb's writer
// queue: every Write call queues; the one at the front leads, taking the
// calls behind it into its batch, runs them on the writer connection and
// commits once; the calls it carried return with their own status, and the
// next front leads the next batch. A call returns only after the commit
// that holds its changes.
//
// Thread-safe. The engine supplies the writer connection as a
// WriterSession, handed out by `with_session` (which holds the engine's
// writer lock while the batch runs).
#ifndef SCHAKEL_SERVER_STORE_GROUP_COMMIT_H_
#define SCHAKEL_SERVER_STORE_GROUP_COMMIT_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "server/store/database.h"

namespace schakel::store {

// The writer connection as group commit drives it.
class WriterSession {
 public:
  virtual ~WriterSession() = default;
  virtual Connection& connection() = 0;
  // Opens the write transaction.
  virtual absl::Status Begin() = 0;
  // Ends the transaction without keeping anything; never fails.
  virtual void Rollback() = 0;
  // Rows changed since the connection opened (inserts, updates, deletes).
  virtual int64_t TotalChanges() = 0;
  // What changes without counting in TotalChanges (DDL, the schema
  // version); a value no real stamp has when it cannot be read, so that a
  // failure is then undone.
  virtual std::pair<int64_t, int64_t> SchemaStamp() = 0;
  // Whether the transaction ended by itself (the engine rolled it back:
  // disk full, an I/O error).
  virtual bool TransactionEnded() = 0;
  // Whether the transaction is still open but can only be rolled back
  // (PostgreSQL, after any failing statement).
  virtual bool TransactionAborted() { return false; }

  // Statements sent without waiting for their answer
  // (Statement::RunPipelined; PostgreSQL) are the batch's call `index`'s
  // from now on.
  virtual void StartCall(size_t index) {}
  // Waits for the answers of the statements sent without waiting: OK, or
  // the first failure among them (then also a LateFailure, unless the
  // connection itself failed).
  virtual absl::Status Settle() { return absl::OkStatus(); }
  // A statement sent without waiting that was answered with a failure:
  // the call that sent it and the failure. Taken once.
  struct LateFailure {
    size_t call;
    absl::Status status;
  };
  virtual std::optional<LateFailure> TakeLateFailure() { return std::nullopt; }
};

class GroupCommit {
 public:
  using WithSession = std::function<void(const std::function<void(WriterSession&)>&)>;
  // At most `max_batch` calls (clamped to 1..Database::kMaxBatch) share
  // one commit.
  GroupCommit(int max_batch, WithSession with_session);

  // Database::Write's contract.
  absl::Status Write(const TransactionFn& fn);

  // Commits and Write calls, since construction.
  std::pair<int64_t, int64_t> stats();

 private:
  struct Writer;
  absl::Status Queue(Writer& w);
  void RunBatch(WriterSession& session, const std::vector<Writer*>& batch);

  const int max_batch_;
  const WithSession with_session_;
  absl::Mutex mu_;
  // Write calls waiting; the front one leads the next batch.
  std::deque<Writer*> writers_ ABSL_GUARDED_BY(mu_);
  int64_t commits_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t writes_ ABSL_GUARDED_BY(mu_) = 0;
};

// A positive integer from the environment, or `fallback`.
int EnvInt(const char* name, int fallback);
// Measurement switch for docs/performance.md only: SCHAKEL_DB_MAX_BATCH=1
// gives one commit per Write (no group commit). Unset (always, in
// production) it is Database::kMaxBatch.
int MaxBatchFromEnvironment();

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_GROUP_COMMIT_H_
