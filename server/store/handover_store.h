// The handover aggregate's store: handovers and their notes. All SQL of
// handovers lives in handover_store.cc.
#ifndef SCHAKEL_SERVER_STORE_HANDOVER_STORE_H_
#define SCHAKEL_SERVER_STORE_HANDOVER_STORE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "server/domain/handover.h"
#include "server/domain/note.h"
#include "server/store/create_requests.h"
#include "server/store/database.h"
#include "server/store/visibility_sql.h"

namespace schakel::store {

struct HandoverDetail {
  domain::Handover handover;
  std::vector<domain::Note> notes;  // all; the caller applies note visibility
};

enum class Box { kInbox, kOutbox };

struct HandoverPage {
  std::vector<domain::Handover> handovers;
  // The key of the last row: (deadline, seq).
  std::string last_deadline;
  int64_t last_seq = 0;
  bool more = false;
};

using HandoverMutation =
    std::function<absl::StatusOr<domain::Handover>(const domain::Handover&)>;

class HandoverStore {
 public:
  virtual ~HandoverStore() = default;
  // In one transaction: replays a known request id, else checks the
  // receiving organisation (NOT_FOUND), the resident and the linked signal
  // (NOT_FOUND unless the viewer may read them; INVALID_ARGUMENT naming
  // signal_id when the signal is about another resident), inserts the
  // handover and records it on the signal's timeline.
  virtual absl::StatusOr<domain::Handover> Propose(const domain::Handover& handover,
                                                   const CreateRequest& request,
                                                   const Viewer& viewer,
                                                   const CommitHook& audit) = 0;
  // NOT_FOUND unless the viewer's organisation is a party.
  virtual absl::StatusOr<HandoverDetail> Get(const std::string& id, const Viewer& viewer) = 0;
  // Ordered by (deadline, seq), after the given key ("" for the start).
  virtual absl::StatusOr<HandoverPage> List(Box box, const Viewer& viewer,
                                            std::optional<domain::HandoverStatus> status,
                                            const std::string& after_deadline, int64_t after_seq,
                                            int limit) = 0;
  // In one transaction: NOT_FOUND unless a party, ABORTED when `etag` is
  // set and stale, then stores what `mutate` returns.
  virtual absl::StatusOr<domain::Handover> Update(const std::string& id, const std::string& etag,
                                                  const Viewer& viewer,
                                                  const HandoverMutation& mutate,
                                                  const CommitHook& audit) = 0;
  // Proposed handovers whose deadline is before `today`, at most `limit`.
  virtual absl::StatusOr<std::vector<domain::Handover>> ListPastDeadline(absl::CivilDay today,
                                                                         int limit) = 0;
  // Stores `next` if the handover is still at next.version - 1.
  virtual absl::Status Save(const domain::Handover& next, const CommitHook& audit) = 0;
  virtual absl::StatusOr<domain::Note> AddNote(const domain::Note& note,
                                               const CreateRequest& request,
                                               const Viewer& viewer,
                                               const CommitHook& audit) = 0;
};

class SqliteHandoverStore final : public HandoverStore {
 public:
  explicit SqliteHandoverStore(Database* db) : db_(db) {}
  absl::StatusOr<domain::Handover> Propose(const domain::Handover& handover,
                                           const CreateRequest& request, const Viewer& viewer,
                                           const CommitHook& audit) override;
  absl::StatusOr<HandoverDetail> Get(const std::string& id, const Viewer& viewer) override;
  absl::StatusOr<HandoverPage> List(Box box, const Viewer& viewer,
                                    std::optional<domain::HandoverStatus> status,
                                    const std::string& after_deadline, int64_t after_seq,
                                    int limit) override;
  absl::StatusOr<domain::Handover> Update(const std::string& id, const std::string& etag,
                                          const Viewer& viewer, const HandoverMutation& mutate,
                                          const CommitHook& audit) override;
  absl::StatusOr<std::vector<domain::Handover>> ListPastDeadline(absl::CivilDay today,
                                                                 int limit) override;
  absl::Status Save(const domain::Handover& next, const CommitHook& audit) override;
  absl::StatusOr<domain::Note> AddNote(const domain::Note& note, const CreateRequest& request,
                                       const Viewer& viewer, const CommitHook& audit) override;

 private:
  Database* db_;
};

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_HANDOVER_STORE_H_
