// Wakes the notification streams (NotificationService.WatchNotifications)
// when a transaction that wrote notifications committed. It carries no
// notification: a woken stream reads its recipient's new rows from the
// database, so nothing is lost when a wake-up is missed — a stream also
// looks on its own every few seconds.
#ifndef SCHAKEL_SERVER_APP_NOTIFICATION_HUB_H_
#define SCHAKEL_SERVER_APP_NOTIFICATION_HUB_H_

#include <cstdint>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace schakel::app {

class NotificationHub {
 public:
  // After a commit that wrote notifications.
  void Published() {
    absl::MutexLock lock(&mu_);
    ++generation_;
  }
  int64_t generation() const {
    absl::MutexLock lock(&mu_);
    return generation_;
  }
  // Waits until something was published after generation `seen`, the hub
  // closed, or `timeout` passed; the generation then.
  int64_t WaitAfter(int64_t seen, absl::Duration timeout) const {
    absl::MutexLock lock(&mu_);
    auto changed = [this, seen]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return generation_ != seen || closed_;
    };
    mu_.AwaitWithTimeout(absl::Condition(&changed), timeout);
    return generation_;
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
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace schakel::app

#endif  // SCHAKEL_SERVER_APP_NOTIFICATION_HUB_H_
