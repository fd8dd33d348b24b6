// The notifications' use cases: a professional's own list, marking read,
// the stream, the delivery choices; the admin's dead letters. A
// professional only ever reads their own notifications — the recipient was
// decided when the event happened (auth::NotificationAudience) — and a
// notification shows no more than a kind, an id and dates; what it points
// to is read through that resource's own use case, which the policy
// decides and the audit log records.
#ifndef SCHAKEL_SERVER_APP_NOTIFICATION_APP_H_
#define SCHAKEL_SERVER_APP_NOTIFICATION_APP_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "server/app/notification_hub.h"
#include "server/app/page_tokens.h"
#include "server/app/unit_of_work.h"
#include "server/audit/trail.h"
#include "server/auth/principal.h"
#include "server/common/clock.h"
#include "server/domain/notification.h"
#include "server/store/notification_store.h"

namespace schakel::app {

struct NotificationList {
  std::vector<domain::Notification> notifications;
  std::string next_page_token;
  int unread_count = 0;
};

struct DeadLetterList {
  std::vector<domain::DeadLetter> dead_letters;
  std::string next_page_token;
};

class NotificationApp {
 public:
  NotificationApp(store::NotificationStore* store, UnitOfWork* uow, const Clock* clock,
                  const PageTokens* tokens, NotificationHub* hub)
      : store_(store), uow_(uow), clock_(clock), tokens_(tokens), hub_(hub) {}

  // The caller's notifications, newest first.
  absl::StatusOr<NotificationList> List(const auth::Principal& caller, bool unread_only,
                                        int page_size, const std::string& page_token,
                                        audit::Trail& trail);
  // Marks the caller's `ids` (each a notification id, INVALID_ARGUMENT
  // naming ids otherwise; another's or unknown ones are left alone) and,
  // when up_to_seq > 0, all up to it; the number marked, and the unread
  // count after.
  struct Marked {
    int marked = 0;
    int unread_count = 0;
  };
  absl::StatusOr<Marked> MarkRead(const auth::Principal& caller,
                                  const std::vector<std::string>& ids, int64_t up_to_seq,
                                  audit::Trail& trail);
  // The caller's unread notifications after `after_seq`, then each new one
  // as it is committed, through `write` (false: the client is gone), until
  // `done()` or the server stops. UNAUTHENTICATED once the caller is
  // disabled or the certificate of the stream revoked. Call after the request's entry was written: the stream shows
  // only the caller's own notifications, each a kind, an id and dates.
  absl::Status Watch(const auth::Principal& caller, int64_t after_seq,
                     const std::function<bool(const domain::Notification&)>& write,
                     const std::function<bool()>& done);
  // The caller's choice per kind (every kind; the default in_app).
  absl::StatusOr<domain::NotificationSettings> Settings(const auth::Principal& caller,
                                                        audit::Trail& trail);
  absl::StatusOr<domain::NotificationSettings> SetSettings(
      const auth::Principal& caller, const domain::NotificationSettings& changes,
      audit::Trail& trail);
  // The admin's list of e-mails that could not be delivered.
  absl::StatusOr<DeadLetterList> DeadLetters(const auth::Principal& caller, int page_size,
                                             const std::string& page_token,
                                             audit::Trail& trail);

  // How often a stream looks on its own, besides being woken.
  static constexpr absl::Duration kWatchPoll = absl::Seconds(2);
  // Open streams at most (each holds a server thread), and per professional
  // (a console tab keeps one): beyond them RESOURCE_EXHAUSTED, and a client
  // polls ListNotifications instead.
  static constexpr int kMaxWatches = 256;
  static constexpr int kMaxWatchesPerProfessional = 8;

 private:
  // Every kind's choice (in_app where none was made).
  absl::StatusOr<domain::NotificationSettings> ReadSettings(const std::string& professional_id);

  store::NotificationStore* store_;
  UnitOfWork* uow_;
  const Clock* clock_;
  const PageTokens* tokens_;
  NotificationHub* hub_;
  absl::Mutex watches_mu_;
  int watches_ ABSL_GUARDED_BY(watches_mu_) = 0;
  absl::flat_hash_map<std::string, int> watches_of_ ABSL_GUARDED_BY(watches_mu_);
};

}  // namespace schakel::app

#endif  // SCHAKEL_SERVER_APP_NOTIFICATION_APP_H_
