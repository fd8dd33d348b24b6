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
#include "server/store/scope_binding.h"

namespace schakel::store {

using Box = domain::HandoverBox;

struct HandoverDetail {
  domain::Handover handover;
  std::vector<domain::Note> notes;  // all; the caller applies note visibility
};

struct HandoverPage {
  std::vector<domain::Handover> handovers;
  // The key of the last row: (deadline, seq).
  std::string last_deadline;
  int64_t last_seq = 0;
  bool more = false;
};

// The store runs no rule of its own: which rows a caller sees is the access
// module's predicate (auth::HandoverVisibleSql, auth::HandoverBoxSql), what
// an action does is the domain's state machine, decided by the use case.
// The steps taking a Connection run inside the use case's unit of work.
class HandoverStore {
 public:
  virtual ~HandoverStore() = default;
  // NOT_FOUND unless the scope may read it.
  virtual absl::StatusOr<HandoverDetail> Get(const std::string& id,
                                             const auth::ListScope& scope) = 0;
  // Ordered by (deadline, seq), after the given key ("" for the start);
  // only those about `resident_id` when it is not empty (a narrowing of the
  // box, never a widening).
  virtual absl::StatusOr<HandoverPage> List(Box box, const auth::ListScope& scope,
                                            std::optional<domain::HandoverStatus> status,
                                            const std::string& resident_id,
                                            const std::string& after_deadline, int64_t after_seq,
                                            int limit) = 0;
  // Proposed handovers whose deadline is before `today`, at most `limit`.
  virtual absl::StatusOr<std::vector<domain::Handover>> ListPastDeadline(absl::CivilDay today,
                                                                         int limit) = 0;
  // Proposed handovers due from `today` to `last_day` whose receiving team
  // was not reminded of this deadline yet, at most `limit`.
  virtual absl::StatusOr<std::vector<domain::Handover>> ListProposedDueBy(absl::CivilDay today,
                                                                          absl::CivilDay last_day,
                                                                          int limit) = 0;

  // --- Inside a unit of work ---
  // The handover when it exists and the scope may read it; nullopt
  // otherwise.
  virtual absl::StatusOr<std::optional<domain::Handover>> Find(Connection& c,
                                                               const std::string& id,
                                                               const auth::ListScope& scope) = 0;
  virtual absl::Status Insert(Connection& c, const domain::Handover& handover) = 0;
  // Stores `next` if the handover is still at next.version - 1 (ABORTED
  // otherwise).
  virtual absl::Status Replace(Connection& c, const domain::Handover& next) = 0;
  // Inserts a note on a handover (its parent_id).
  virtual absl::Status InsertNote(Connection& c, const domain::Note& note) = 0;
  virtual absl::StatusOr<std::optional<domain::Note>> FindNote(Connection& c,
                                                               const std::string& id) = 0;
};

class SqliteHandoverStore final : public HandoverStore {
 public:
  explicit SqliteHandoverStore(Database* db) : db_(db) {}
  absl::StatusOr<HandoverDetail> Get(const std::string& id, const auth::ListScope& scope) override;
  absl::StatusOr<HandoverPage> List(Box box, const auth::ListScope& scope,
                                    std::optional<domain::HandoverStatus> status,
                                    const std::string& resident_id,
                                    const std::string& after_deadline, int64_t after_seq,
                                    int limit) override;
  absl::StatusOr<std::vector<domain::Handover>> ListPastDeadline(absl::CivilDay today,
                                                                 int limit) override;
  absl::StatusOr<std::vector<domain::Handover>> ListProposedDueBy(absl::CivilDay today,
                                                                  absl::CivilDay last_day,
                                                                  int limit) override;
  absl::StatusOr<std::optional<domain::Handover>> Find(Connection& c, const std::string& id,
                                                       const auth::ListScope& scope) override;
  absl::Status Insert(Connection& c, const domain::Handover& handover) override;
  absl::Status Replace(Connection& c, const domain::Handover& next) override;
  absl::Status InsertNote(Connection& c, const domain::Note& note) override;
  absl::StatusOr<std::optional<domain::Note>> FindNote(Connection& c,
                                                       const std::string& id) override;

 private:
  // Proposed handovers by deadline through `sql` (:today, :last, :limit).
  absl::StatusOr<std::vector<domain::Handover>> ListByDeadline(const std::string& sql,
                                                               const char* what,
                                                               absl::CivilDay today,
                                                               absl::CivilDay last_day, int limit);

  Database* db_;
};

// The handover's row as every writer of handovers makes it (the store, the
// seed): its free text sealed where the engine seals (under
// "handovers.<column>/" + id), optional fields NULL when empty.
absl::Status InsertHandoverRow(Connection& c, const domain::Handover& handover);

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_HANDOVER_STORE_H_
