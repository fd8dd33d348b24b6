#include "server/notify/retry.h"

#include <algorithm>
#include <limits>

namespace schakel::notify {

namespace {
constexpr absl::Duration kFirstDelay = absl::Seconds(30);
constexpr absl::Duration kMaxDelay = absl::Hours(1);
}  // namespace

absl::Duration RetryDelay(int attempt) {
  absl::Duration delay = kFirstDelay;
  // 30 s << 7 is past the cap already: stop doubling there, whatever the
  // count, so that no shift overflows.
  for (int i = 1; i < attempt && delay < kMaxDelay; ++i) delay *= 2;
  return std::min(delay, kMaxDelay);
}

int MaxAttempts(uint32_t configured) {
  if (configured == 0) return kDefaultMaxAttempts;
  return static_cast<int>(
      std::min<uint32_t>(configured, static_cast<uint32_t>(std::numeric_limits<int>::max())));
}

}  // namespace schakel::notify
