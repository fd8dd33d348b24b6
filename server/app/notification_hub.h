// Wakes the notification streams (NotificationService.WatchNotifications)
// and the e-mail sender when a transaction that wrote notifications
// committed: each stream only for its own recipient's, the sender for any.
// It carries no notification: a woken reader reads the new rows from the
// database, so nothing is lost when a wake-up is missed — a stream also
// looks on its own every few seconds.
#ifndef SCHAKEL_SERVER_APP_NOTIFICATION_HUB_H_
#define SCHAKEL_SERVER_APP_NOTIFICATION_HUB_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace schakel::app {

class NotificationHub {
 public:
  // After a commit that wrote notifications for `recipients`.
  void Published(const std::vector<std::string>& recipients) {
    absl::MutexLock lock(&mu_);
    ++generation_;
    for (const std::string& r : recipients) ++of_[r];
  }
  // Any recipient's: what the e-mail sender waits on.
  int64_t generation() const {
    absl::MutexLock lock(&mu_);
    return generation_;
  }
  int64_t generation(const std::string& recipient) const {
    absl::MutexLock lock(&mu_);
    auto it = of_.find(recipient);
    return it == of_.end() ? 0 : it->second;
  }
  // Waits until something was published after generation `seen` (of
  // `recipient`, or of anyone when it is empty), the hub closed, or
  // `timeout` passed.
  void WaitAfter(int64_t seen, absl::Duration timeout, const std::string& recipient = "") const {
    absl::MutexLock lock(&mu_);
    auto changed = [this, seen, &recipient]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      if (closed_) return true;
      if (recipient.empty()) return generation_ != seen;
      auto it = of_.find(recipient);
      return (it == of_.end() ? 0 : it->second) != seen;
    };
    mu_.AwaitWithTimeout(absl::Condition(&changed), timeout);
  }
  // At shutdown: every wait returns, and streams end.
  void Close() {
    absl::MutexLock lock(&mu_);
    closed_ = true;
  }
  bool closed() const {
    absl::MutexLock lock(&mu_);
    return closed_;
  }

 private:
  mutable absl::Mutex mu_;
  int64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
  // Per recipient: one counter per professional ever told, a few hundred.
  absl::flat_hash_map<std::string, int64_t> of_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace schakel::app

#endif  // SCHAKEL_SERVER_APP_NOTIFICATION_HUB_H_
