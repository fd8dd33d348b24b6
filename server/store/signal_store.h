// The signal aggregate's store: signals, their timeline and their notes.
// All SQL of signals lives in signal_store.cc.
#ifndef SCHAKEL_SERVER_STORE_SIGNAL_STORE_H_
#define SCHAKEL_SERVER_STORE_SIGNAL_STORE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/domain/note.h"
#include "server/domain/signal.h"
#include "server/store/create_requests.h"
#include "server/store/database.h"
#include "server/store/scope_binding.h"

namespace schakel::store {

using domain::SignalEvent;
using domain::SignalEventKind;
using domain::SignalQuery;
using domain::SignalEventKindName;

struct SignalDetail {
  domain::Signal signal;
  std::vector<SignalEvent> timeline;
  std::vector<domain::Note> notes;  // all; the caller applies note visibility
};

struct SignalPage {
  std::vector<domain::Signal> signals;
  int64_t last_seq = 0;  // the key of the last row
  bool more = false;
};

// The store runs no rule of its own: which rows a caller sees is the access
// module's predicate (auth::SignalVisibleSql), what a change may do is the
// use case's decision. Reads run in their own read transaction; the steps
// taking a Connection run inside the use case's unit of work
// (app::UnitOfWork), which also appends the audit entry there.
class SignalStore {
 public:
  virtual ~SignalStore() = default;

  // NOT_FOUND unless the scope may read it.
  virtual absl::StatusOr<SignalDetail> Get(const std::string& id,
                                           const auth::ListScope& scope) = 0;
  // Newest first; rows with seq < `before_seq` (0: from the newest).
  virtual absl::StatusOr<SignalPage> List(const SignalQuery& query, const auth::ListScope& scope,
                                          int64_t before_seq, int limit) = 0;

  // --- Inside a unit of work ---
  // The signal when it exists and the scope may read it; nullopt
  // otherwise (a hidden signal and a missing one answer alike).
  virtual absl::StatusOr<std::optional<domain::Signal>> Find(Connection& c, const std::string& id,
                                                             const auth::ListScope& scope) = 0;
  // Inserts a new signal and its created event.
  virtual absl::Status Insert(Connection& c, const domain::Signal& signal) = 0;
  // Writes `next` (owner, status, update time, version) over the row at
  // version `old_version`; ABORTED when the row changed meanwhile.
  virtual absl::Status Replace(Connection& c, const domain::Signal& next,
                               int64_t old_version) = 0;
  virtual absl::Status AppendEvent(Connection& c, const std::string& signal_id,
                                   const SignalEvent& event) = 0;
  // Inserts a note on a signal (its parent_id).
  virtual absl::Status InsertNote(Connection& c, const domain::Note& note) = 0;
  virtual absl::StatusOr<std::optional<domain::Note>> FindNote(Connection& c,
                                                               const std::string& id) = 0;
};

class SqliteSignalStore final : public SignalStore {
 public:
  explicit SqliteSignalStore(Database* db) : db_(db) {}
  absl::StatusOr<SignalDetail> Get(const std::string& id, const auth::ListScope& scope) override;
  absl::StatusOr<SignalPage> List(const SignalQuery& query, const auth::ListScope& scope,
                                  int64_t before_seq, int limit) override;
  absl::StatusOr<std::optional<domain::Signal>> Find(Connection& c, const std::string& id,
                                                     const auth::ListScope& scope) override;
  absl::Status Insert(Connection& c, const domain::Signal& signal) override;
  absl::Status Replace(Connection& c, const domain::Signal& next, int64_t old_version) override;
  absl::Status AppendEvent(Connection& c, const std::string& signal_id,
                           const SignalEvent& event) override;
  absl::Status InsertNote(Connection& c, const domain::Note& note) override;
  absl::StatusOr<std::optional<domain::Note>> FindNote(Connection& c,
                                                       const std::string& id) override;

 private:
  Database* db_;
};

// Inside a transaction, for the privacy store's erasure: appends to a
// signal's timeline.
absl::Status AppendSignalEvent(Connection& c, const std::string& signal_id,
                               const SignalEvent& event);

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_SIGNAL_STORE_H_
