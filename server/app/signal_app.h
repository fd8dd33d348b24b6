// The signals' use cases.
#ifndef SCHAKEL_SERVER_APP_SIGNAL_APP_H_
#define SCHAKEL_SERVER_APP_SIGNAL_APP_H_

#include <functional>
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
#include "server/domain/note.h"
#include "server/domain/names.h"
#include "server/domain/signal.h"
#include "server/store/reference_store.h"
#include "server/store/signal_store.h"

namespace schakel::app {

// A signal as one caller may see it: content withheld under the health
// limit, notes and note events filtered by their visibility.
struct SignalView {
  domain::Signal signal;
  bool content_withheld = false;
  std::vector<domain::SignalEvent> timeline;
  std::vector<domain::Note> notes;
  // The names of the ids left after the field view (shared by a list).
  std::shared_ptr<const domain::Names> names;
};

struct SignalList {
  std::vector<SignalView> signals;
  std::string next_page_token;
};

class SignalApp {
 public:
  // A signal given a new owner tells the owner team through `notifier`.
  SignalApp(store::SignalStore* store, store::ReferenceStore* reference, UnitOfWork* uow,
            const Clock* clock, IdGenerator* ids, const PageTokens* tokens, Notifier* notifier)
      : store_(store),
        reference_(reference),
        uow_(uow),
        clock_(clock),
        ids_(ids),
        tokens_(tokens),
        notifier_(notifier) {}

  absl::StatusOr<SignalView> Create(const auth::Principal& caller, const domain::NewSignal& r,
                                    audit::Trail& trail);
  absl::StatusOr<SignalView> Get(const auth::Principal& caller, const std::string& id,
                                 audit::Trail& trail);
  absl::StatusOr<SignalList> List(const auth::Principal& caller, const domain::SignalQuery& query,
                                  int page_size, const std::string& page_token,
                                  audit::Trail& trail);
  // Routes the signal to `owner`'s team `owner_team` (empty: its intake
  // team).
  absl::StatusOr<SignalView> Assign(const auth::Principal& caller, const std::string& id,
                                    const std::string& etag, const std::string& owner,
                                    const std::string& owner_team, audit::Trail& trail);
  absl::StatusOr<SignalView> ChangeStatus(const auth::Principal& caller, const std::string& id,
                                          const std::string& etag, domain::SignalStatus to,
                                          audit::Trail& trail);
  absl::StatusOr<domain::Note> AddNote(const auth::Principal& caller, const domain::NewNote& r,
                                       audit::Trail& trail);

 private:
  // `v` with the names of the ids its field view left.
  absl::StatusOr<SignalView> Named(const auth::Principal& caller, SignalView v);
  // INVALID_ARGUMENT naming the filter that names no category, opgave,
  // wijk, organisation or team.
  absl::Status CheckFilters(const domain::SignalQuery& query);
  SignalView View(const auth::Principal& caller, domain::Signal signal) const;

  // What a change does to a signal: its new state and the event to record.
  struct SignalChange {
    domain::Signal signal;
    domain::SignalEvent event;
  };
  using Mutation = std::function<absl::StatusOr<SignalChange>(const domain::Signal&)>;
  // In one unit of work: the signal the caller may read (NOT_FOUND
  // otherwise), at `etag` (ABORTED otherwise), changed by `mutate`, with its
  // event and the audit entry.
  absl::StatusOr<domain::Signal> Change(const auth::Principal& caller, const std::string& id,
                                        const std::string& etag, audit::Trail& trail,
                                        const Mutation& mutate);

  store::SignalStore* store_;
  store::ReferenceStore* reference_;
  UnitOfWork* uow_;
  const Clock* clock_;
  IdGenerator* ids_;
  const PageTokens* tokens_;
  Notifier* notifier_;
};

}  // namespace schakel::app

#endif  // SCHAKEL_SERVER_APP_SIGNAL_APP_H_
