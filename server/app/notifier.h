// Writes the notifications of an event inside the event's own transaction
// (the outbox: design.md, "Nothing waits unseen"): the audience is the
// access module's (auth::NotificationAudience) over the enabled
// professionals of the organisations concerned; each recipient's choice
// adds an e-mail row, at once or in the next morning's digest. After the
// commit the hub wakes the streams.
#ifndef SCHAKEL_SERVER_APP_NOTIFIER_H_
#define SCHAKEL_SERVER_APP_NOTIFIER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/app/notification_hub.h"
#include "server/app/unit_of_work.h"
#include "server/auth/notification_audience.h"
#include "server/common/clock.h"
#include "server/domain/handover.h"
#include "server/domain/signal.h"
#include "server/store/notification_store.h"

namespace schakel::app {

struct NotifierOptions {
  // Whether e-mail is configured (an SMTP relay): without it a choice of
  // e-mail is kept but nothing is queued for sending.
  bool mail = false;
  // The hour (Europe/Amsterdam) a day's digest is sent, the next morning.
  int digest_hour = 7;
};

class Notifier {
 public:
  Notifier(store::NotificationStore* store, IdGenerator* ids, NotificationHub* hub,
           NotifierOptions options)
      : store_(store), ids_(ids), hub_(hub), options_(options) {}

  // Inside `tx`: a notification about `resource_id` for each recipient of
  // `event`; a reminder (`once`) is made once per recipient, resource and
  // `due_date`. The ids of the recipients told now.
  absl::StatusOr<std::vector<std::string>> Notify(Transaction& tx,
                                                  const auth::NotificationEvent& event,
                                                  const std::string& resource_id,
                                                  const std::string& due_date, absl::Time now,
                                                  bool once = false);

  // The event of a handover `h` (as it is after the change) by `actor_id`
  // (empty: the clock).
  absl::StatusOr<std::vector<std::string>> Handover(Transaction& tx, domain::NotificationKind kind,
                                                    const domain::Handover& h,
                                                    const std::string& actor_id, absl::Time now,
                                                    bool once = false);
  // A signal now owned by a team that did not own it.
  absl::StatusOr<std::vector<std::string>> SignalAssigned(Transaction& tx,
                                                          const domain::Signal& s,
                                                          const std::string& actor_id,
                                                          absl::Time now);

  // When the digest of a notification made at `now` is sent, and its day.
  absl::Time DigestTime(absl::Time now) const;

 private:
  store::NotificationStore* store_;
  IdGenerator* ids_;
  NotificationHub* hub_;
  const NotifierOptions options_;
};

}  // namespace schakel::app

#endif  // SCHAKEL_SERVER_APP_NOTIFIER_H_
