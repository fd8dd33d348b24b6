#include "server/store/group_commit.h"

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace schakel::store {

int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  int n = 0;
  return v != nullptr && absl::SimpleAtoi(v, &n) && n > 0 ? n : fallback;
}

int MaxBatchFromEnvironment() {
  static const int max_batch = EnvInt("SCHAKEL_DB_MAX_BATCH", Database::kMaxBatch);
  return max_batch;
}

// One Write call waiting for (or leading) its batch.
struct GroupCommit::Writer {
  const TransactionFn* fn;
  absl::Status status;
  // Connection::AfterTransaction of the run that counts.
  std::vector<std::function<void()>> after;
  bool done = false;
  absl::CondVar cv;
};

GroupCommit::GroupCommit(int max_batch, WithSession with_session)
    : max_batch_(std::clamp(max_batch, 1, Database::kMaxBatch)),
      with_session_(std::move(with_session)) {}

absl::Status GroupCommit::Write(const TransactionFn& fn) {
  Writer w;
  w.fn = &fn;
  absl::Status status = Queue(w);
  // Outside every lock: a callback may use the database again.
  for (const std::function<void()>& after : w.after) after();
  return status;
}

absl::Status GroupCommit::Queue(Writer& w) {
  absl::MutexLock lock(&mu_);
  writers_.push_back(&w);
  while (!w.done && &w != writers_.front()) w.cv.Wait(&mu_);
  if (w.done) return w.status;
  std::vector<Writer*> batch;
  for (Writer* each : writers_) {
    if (static_cast<int>(batch.size()) == max_batch_) break;
    batch.push_back(each);
  }
  mu_.Unlock();
  with_session_([&](WriterSession& session) { RunBatch(session, batch); });
  mu_.Lock();
  for (Writer* each : batch) {
    writers_.pop_front();
    each->done = true;
    if (each != &w) each->cv.Signal();
  }
  if (!writers_.empty()) writers_.front()->cv.Signal();
  return w.status;
}

std::pair<int64_t, int64_t> GroupCommit::stats() {
  absl::MutexLock lock(&mu_);
  return {commits_, writes_};
}

namespace {

// Runs one Write callback, turning an exception into its failure; a sealed
// value that did not open fails it too.
absl::Status RunCallback(const TransactionFn& fn, Connection& conn) {
  absl::Status s;
  try {
    s = fn(conn);
  } catch (const std::exception& e) {
    s = absl::InternalError(absl::StrCat("exception in a write: ", e.what()));
  } catch (...) {
    s = absl::InternalError("exception in a write");
  }
  absl::Status seal = conn.TakeSealFailure();
  return s.ok() ? seal : s;
}

}  // namespace

// A batch runs optimistically first: the calls one after the other in one
// transaction, without savepoints. (SQLCipher encrypts every page a
// savepoint journals: a savepoint per call cost more than the call itself.)
// A call that fails without having changed a row needs no undo — the engine
// has already taken back its failing statement. A call that fails after
// changing rows can only be undone with the whole transaction: it is rolled
// back, that call keeps its failure, and the others run again from the same
// state ("careful" mode), each in its own savepoint, so that a second
// failure takes back only its own changes. On PostgreSQL a failing
// statement aborts the whole transaction: a call that leaves it aborted is
// undone the same way, whether or not it changed rows. A statement sent
// without waiting (RunPipelined) may be answered with its failure only
// during a later call or at the commit: the call that sent it fails with
// it, and the transaction is undone as if it had failed then.
void GroupCommit::RunBatch(WriterSession& session, const std::vector<Writer*>& batch) {
  Connection& conn = session.connection();
  // Calls whose outcome is final: they failed after changing rows.
  std::vector<bool> settled(batch.size(), false);
  // Gives calls [from, to) that are not settled the transaction's fate.
  auto share = [&](size_t from, size_t to, const absl::Status& status) {
    for (size_t i = from; i < to; ++i) {
      if (!settled[i]) batch[i]->status = status;
    }
  };
  bool careful = false;
  size_t next = 0;
  int64_t commits = 0;
  while (next < batch.size()) {
    // One transaction for as many of the calls as it can hold.
    const size_t first = next;
    absl::Status begun = session.Begin();
    if (!begun.ok()) {
      share(first, batch.size(), begun);
      break;
    }
    // A failure the engine answers by rolling back the whole transaction
    // (disk full, I/O error) also takes back what the calls before it did:
    // they fail with it, and the rest start a new transaction.
    conn.ResetMemo(true);
    absl::Status lost;
    bool restart = false;
    int ran = 0;
    // An earlier call's statement sent without waiting failed: that call
    // keeps the failure, and the transaction goes as for a failing call
    // (the calls before it run again carefully).
    auto failed_late = [&](const WriterSession::LateFailure& late) {
      batch[late.call]->status = late.status;
      settled[late.call] = true;
      restart = true;
      if (late.call > first) careful = true;
    };
    const std::pair<int64_t, int64_t> schema_at_begin =
        careful ? std::pair<int64_t, int64_t>() : session.SchemaStamp();
    for (; next < batch.size() && lost.ok(); ++next) {
      if (settled[next]) continue;
      Writer* w = batch[next];
      absl::Status s;
      if (careful) s = conn.Exec("SAVEPOINT request", "savepoint");
      const int64_t changes_before = session.TotalChanges();
      w->after.clear();  // what an earlier, undone run registered
      conn.set_after(&w->after);
      session.StartCall(next);
      if (s.ok()) s = RunCallback(*w->fn, conn);
      conn.set_after(nullptr);
      // A savepoint holds one call: its statements are answered before it
      // is released (or rolled back).
      if (careful) {
        absl::Status answered = session.Settle();
        if (s.ok()) s = answered;
      }
      if (std::optional<WriterSession::LateFailure> late = session.TakeLateFailure()) {
        if (late->call != next) {
          failed_late(*late);
          break;
        }
        if (s.ok()) s = late->status;
      }
      if (s.ok() && session.TransactionAborted()) {
        s = absl::InternalError("a write left its transaction aborted");
      }
      w->status = s;
      if (session.TransactionEnded()) {
        lost = s.ok() ? absl::InternalError("the write transaction ended early") : s;
      } else if (careful) {
        if (s.ok()) {
          w->status = conn.Exec("RELEASE request", "release savepoint");
        } else {
          // Only this call's changes go; the batch goes on.
          conn.Exec("ROLLBACK TO request", "roll back savepoint").IgnoreError();
          conn.Exec("RELEASE request", "release savepoint").IgnoreError();
          conn.ResetMemo(true);
        }
      } else if (!s.ok() && (ran == 0 || session.TransactionAborted() ||
                             session.TotalChanges() != changes_before ||
                             session.SchemaStamp() != schema_at_begin)) {
        // Failed, and it may have changed something, with no savepoint to
        // go back to: the transaction goes, this call keeps its failure,
        // and the calls before it (if any) run again, carefully. The first
        // call of a transaction always goes this way (rolling back costs
        // nothing then); for the others, rows changed, the schema or its
        // version changed since BEGIN (neither shows in TotalChanges), or
        // an aborted transaction mean undo.
        settled[next] = true;
        restart = true;
        if (ran > 0) careful = true;
        break;
      }
      ++ran;
    }
    if (!restart && lost.ok()) {
      // What was sent without waiting is answered before the commit.
      absl::Status answered = session.Settle();
      if (std::optional<WriterSession::LateFailure> late = session.TakeLateFailure()) {
        failed_late(*late);
      } else if (!answered.ok()) {
        // The connection failed: nothing of the transaction is known.
        session.Rollback();
        lost = answered;
      }
    }
    if (restart) {
      session.Rollback();
      next = first;
      continue;
    }
    if (!lost.ok()) {
      share(first, next, lost);
      continue;
    }
    absl::Status committed = conn.Exec("COMMIT", "commit");
    ++commits;
    if (!committed.ok()) {
      session.Rollback();
      share(first, next, committed);
    }
  }
  absl::MutexLock stats(&mu_);
  commits_ += commits;
  writes_ += static_cast<int64_t>(batch.size());
}

}  // namespace schakel::store
