// When to try an e-mail again, as pure functions of the attempt count (the
// caller keeps the count and the clock).
#ifndef SCHAKEL_SERVER_NOTIFY_RETRY_H_
#define SCHAKEL_SERVER_NOTIFY_RETRY_H_

#include <cstdint>

#include "absl/time/time.h"

namespace schakel::notify {

// The wait after `attempt` failed attempts (1 = after the first): 30 s,
// doubling with every attempt, never more than 1 h. attempt <= 1 gives 30 s.
absl::Duration RetryDelay(int attempt);

// SmtpRelay.max_attempts as configured: 0 means 8 (about 1 h 4 min from
// the first attempt to the last).
inline constexpr int kDefaultMaxAttempts = 8;
int MaxAttempts(uint32_t configured);

}  // namespace schakel::notify

#endif  // SCHAKEL_SERVER_NOTIFY_RETRY_H_
