// The handovers' use cases, including the clock's: expiring proposed
// handovers whose deadline passed.
#ifndef SCHAKEL_SERVER_APP_HANDOVER_APP_H_
#define SCHAKEL_SERVER_APP_HANDOVER_APP_H_

#include <optional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/app/notifier.h"
#include "server/app/page_tokens.h"
#include "server/app/unit_of_work.h"
#include "server/audit/audit_log.h"
#include "server/audit/trail.h"
#include "server/auth/principal.h"
#include "server/common/clock.h"
#include "server/domain/handover.h"
#include "server/domain/names.h"
#include "server/domain/note.h"
#include "server/store/handover_store.h"
#include "server/store/signal_store.h"

namespace schakel::app {

// A handover as one caller sees it: with its display flags and the notes
// the caller may read.
struct HandoverView {
  domain::Handover handover;
  bool due_soon = false;
  bool overdue = false;
  std::vector<domain::Note> notes;
  // The names of the ids it shows (shared by a list).
  std::shared_ptr<const domain::Names> names;
};

struct HandoverList {
  std::vector<HandoverView> handovers;
  std::string next_page_token;
};

class HandoverApp {
 public:
  // Every change tells whom it concerns through `notifier`, in its own
  // transaction.
  HandoverApp(store::HandoverStore* store, store::SignalStore* signals, UnitOfWork* uow,
              const Clock* clock, IdGenerator* ids, const PageTokens* tokens, Notifier* notifier)
      : store_(store),
        signals_(signals),
        uow_(uow),
        clock_(clock),
        ids_(ids),
        tokens_(tokens),
        notifier_(notifier) {}

  absl::StatusOr<HandoverView> Propose(const auth::Principal& caller,
                                       const domain::NewHandover& r, audit::Trail& trail);
  absl::StatusOr<HandoverView> Get(const auth::Principal& caller, const std::string& id,
                                   audit::Trail& trail);
  // The caller's teams' inbox or outbox, by deadline; only the handovers
  // about `resident_id` when it is not empty (INVALID_ARGUMENT naming
  // resident_id when it is not an id). The resident narrows the box and
  // never widens it: a resident the caller may not read gives no rows.
  absl::StatusOr<HandoverList> List(const auth::Principal& caller, domain::HandoverBox box,
                                    std::optional<domain::HandoverStatus> status,
                                    const std::string& resident_id, int page_size,
                                    const std::string& page_token, audit::Trail& trail);
  absl::StatusOr<HandoverView> Act(const auth::Principal& caller, const std::string& id,
                                   const std::string& etag, const domain::HandoverActionInput& in,
                                   audit::Trail& trail);
  // The receiving team passes a proposed handover on to another team of
  // its organisation (domain::ForwardHandover); audited with both teams.
  absl::StatusOr<HandoverView> Forward(const auth::Principal& caller, const std::string& id,
                                       const std::string& etag, const std::string& to_team,
                                       audit::Trail& trail);
  absl::StatusOr<domain::Note> AddNote(const auth::Principal& caller, const domain::NewNote& r,
                                       audit::Trail& trail);

  // Records the expiry of every proposed handover past its deadline (the
  // sender is told it expired; the receiving team, and the regisseurs who
  // may read it, that it is overdue); the number expired.
  absl::StatusOr<int> ExpireDue();
  // Tells the receiving team of every proposed handover whose answer is due
  // within one working day, once per handover and deadline; the number of
  // notifications made.
  absl::StatusOr<int> RemindDueSoon();

 private:
  // Inside an update: the handover the scope may read (NOT_FOUND otherwise),
  // still at `etag` (ABORTED otherwise); its resident goes into the trail.
  absl::StatusOr<std::optional<domain::Handover>> FindForUpdate(Transaction& tx,
                                                                const std::string& id,
                                                                const std::string& etag,
                                                                const auth::ListScope& scope,
                                                                audit::Trail& trail);
  // `v` with the names of the ids it shows.
  absl::StatusOr<HandoverView> Named(const auth::Principal& caller, HandoverView v);
  HandoverView View(domain::Handover h) const;

  store::HandoverStore* store_;
  store::SignalStore* signals_;
  UnitOfWork* uow_;
  const Clock* clock_;
  IdGenerator* ids_;
  const PageTokens* tokens_;
  Notifier* notifier_;
};

}  // namespace schakel::app

#endif  // SCHAKEL_SERVER_APP_HANDOVER_APP_H_
