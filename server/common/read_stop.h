// The stop check of the request running on this thread, for as long as the
// object lives. A store consults it while it reads: SQLite's progress
// handler asks it every few thousand steps (so also in the middle of one
// long statement), and the read then fails with the check's status
// (CANCELLED, DEADLINE_EXCEEDED). Writes are never interrupted: they are
// short and commit in batches with other requests' writes. Not nestable
// across threads; one per request thread. It lives here, not in the store,
// so that the adapters install it without naming a store type.
#ifndef SCHAKEL_SERVER_COMMON_READ_STOP_H_
#define SCHAKEL_SERVER_COMMON_READ_STOP_H_

#include <functional>

#include "absl/status/status.h"

namespace schakel {

class ScopedReadStop {
 public:
  explicit ScopedReadStop(std::function<absl::Status()> check);
  ~ScopedReadStop();
  ScopedReadStop(const ScopedReadStop&) = delete;
  ScopedReadStop& operator=(const ScopedReadStop&) = delete;

  // What a store's interrupt consults: the check, and the first non-OK
  // answer it gave.
  struct State {
    std::function<absl::Status()> check;
    absl::Status stopped;
  };
  // The innermost stop of this thread; nullptr when none is installed.
  static State* Current();

 private:
  State state_;
  State* previous_;
};

}  // namespace schakel

#endif  // SCHAKEL_SERVER_COMMON_READ_STOP_H_
