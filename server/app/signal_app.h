// The signals' use cases.
#ifndef SCHAKEL_SERVER_APP_SIGNAL_APP_H_
#define SCHAKEL_SERVER_APP_SIGNAL_APP_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/auth/principal.h"
#include "server/common/clock.h"
#include "server/domain/note.h"
#include "server/domain/signal.h"
#include "server/store/reference_store.h"
#include "server/store/signal_store.h"

namespace schakel::app {

// A signal as one caller may see it: content withheld under the health
// limit, notes and note events filtered by their visibility.
struct SignalView {
  domain::Signal signal;
  bool content_withheld = false;
  std::vector<store::SignalEvent> timeline;
  std::vector<domain::Note> notes;
};

struct SignalList {
  std::vector<SignalView> signals;
  std::string next_page_token;
};

class SignalApp {
 public:
  SignalApp(store::SignalStore* store, store::ReferenceStore* reference, const Clock* clock,
            IdGenerator* ids)
      : store_(store), reference_(reference), clock_(clock), ids_(ids) {}

  absl::StatusOr<SignalView> Create(const auth::Principal& caller, const domain::NewSignal& r);
  absl::StatusOr<SignalView> Get(const auth::Principal& caller, const std::string& id);
  absl::StatusOr<SignalList> List(const auth::Principal& caller, const store::SignalQuery& query,
                                  int page_size, const std::string& page_token);
  absl::StatusOr<SignalView> Assign(const auth::Principal& caller, const std::string& id,
                                    const std::string& etag, const std::string& owner);
  absl::StatusOr<SignalView> ChangeStatus(const auth::Principal& caller, const std::string& id,
                                          const std::string& etag, domain::SignalStatus to);
  absl::StatusOr<domain::Note> AddNote(const auth::Principal& caller, const domain::NewNote& r);

 private:
  SignalView View(const auth::Principal& caller, domain::Signal signal) const;

  store::SignalStore* store_;
  store::ReferenceStore* reference_;
  const Clock* clock_;
  IdGenerator* ids_;
};

}  // namespace schakel::app

#endif  // SCHAKEL_SERVER_APP_SIGNAL_APP_H_
