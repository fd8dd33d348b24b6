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
#include "server/store/visibility_sql.h"

namespace schakel::store {

enum class SignalEventKind { kCreated, kAssigned, kStatusChanged, kNoteAdded, kHandoverLinked };
const char* SignalEventKindName(SignalEventKind k);

struct SignalEvent {
  SignalEventKind kind = SignalEventKind::kCreated;
  absl::Time time;
  std::string actor_id;
  std::string actor_organisation_id;
  std::optional<domain::SignalStatus> from_status;
  std::optional<domain::SignalStatus> to_status;
  std::string owner_organisation_id;
  std::string note_id;
  std::string handover_id;
  // Of the linked handover (kHandoverLinked), for the policy.
  std::string handover_from_organisation_id;
  std::string handover_to_organisation_id;
  std::string handover_resident_id;
};

struct SignalDetail {
  domain::Signal signal;
  std::vector<SignalEvent> timeline;
  std::vector<domain::Note> notes;  // all; the caller applies note visibility
};

struct SignalQuery {
  std::optional<domain::SignalStatus> status;
  std::string category;
  std::string opgave;
  std::string wijk;
  std::string owner_organisation_id;
  std::string resident_id;
};

struct SignalPage {
  std::vector<domain::Signal> signals;
  int64_t last_seq = 0;  // the key of the last row
  bool more = false;
};

// What an update does to a signal: the new state and the event to record.
struct SignalChange {
  domain::Signal signal;
  SignalEvent event;
};
using SignalMutation = std::function<absl::StatusOr<SignalChange>(const domain::Signal&)>;

class SignalStore {
 public:
  virtual ~SignalStore() = default;
  // In one transaction: replays a known request id, else checks wijk
  // (INVALID_ARGUMENT), owner (NOT_FOUND) and resident (NOT_FOUND unless
  // the viewer may read them), inserts the signal and its created event.
  virtual absl::StatusOr<domain::Signal> Create(const domain::Signal& signal,
                                                const CreateRequest& request,
                                                const Viewer& viewer,
                                                const CommitHook& audit) = 0;
  // NOT_FOUND unless the viewer may read it.
  virtual absl::StatusOr<SignalDetail> Get(const std::string& id, const Viewer& viewer) = 0;
  // Newest first; rows with seq < `before_seq` (0: from the newest).
  virtual absl::StatusOr<SignalPage> List(const SignalQuery& query, const Viewer& viewer,
                                          int64_t before_seq, int limit) = 0;
  // In one transaction: NOT_FOUND unless visible, ABORTED unless `etag`
  // names the current version, then applies `mutate` and records its event.
  // A new owner must exist (NOT_FOUND).
  virtual absl::StatusOr<domain::Signal> Update(const std::string& id, const std::string& etag,
                                                const Viewer& viewer,
                                                const SignalMutation& mutate,
                                                const CommitHook& audit) = 0;
  // In one transaction: replays a known request id, else NOT_FOUND unless
  // the signal is visible; inserts the note and its event.
  virtual absl::StatusOr<domain::Note> AddNote(const domain::Note& note,
                                               const CreateRequest& request,
                                               const Viewer& viewer,
                                               const CommitHook& audit) = 0;
};

class SqliteSignalStore final : public SignalStore {
 public:
  explicit SqliteSignalStore(Database* db) : db_(db) {}
  absl::StatusOr<domain::Signal> Create(const domain::Signal& signal, const CreateRequest& request,
                                        const Viewer& viewer, const CommitHook& audit) override;
  absl::StatusOr<SignalDetail> Get(const std::string& id, const Viewer& viewer) override;
  absl::StatusOr<SignalPage> List(const SignalQuery& query, const Viewer& viewer,
                                  int64_t before_seq, int limit) override;
  absl::StatusOr<domain::Signal> Update(const std::string& id, const std::string& etag,
                                        const Viewer& viewer, const SignalMutation& mutate,
                                        const CommitHook& audit) override;
  absl::StatusOr<domain::Note> AddNote(const domain::Note& note, const CreateRequest& request,
                                       const Viewer& viewer, const CommitHook& audit) override;

 private:
  Database* db_;
};

// Inside a transaction, for other aggregates' stores: the visible signal
// (NOT_FOUND naming `field` otherwise), and appending to its timeline.
absl::StatusOr<domain::Signal> ReadVisibleSignal(Connection& c, const std::string& field,
                                                 const std::string& id, const Viewer& viewer);
absl::Status AppendSignalEvent(Connection& c, const std::string& signal_id,
                               const SignalEvent& event);

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_SIGNAL_STORE_H_
