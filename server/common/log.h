// The server's own log: one line per event on stderr, UTC timestamps, and
// every value escaped so that a control character or newline in a request
// cannot forge a log line. Callers never log names, addresses, descriptions
// or note text.
#ifndef SCHAKEL_SERVER_COMMON_LOG_H_
#define SCHAKEL_SERVER_COMMON_LOG_H_

#include <cstdint>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace schakel {

enum class LogLevel { kInfo, kWarning, kError };

// Escapes control characters, backslashes and non-ASCII bytes as \xNN.
std::string EscapeForLog(absl::string_view value);

// Writes "<UTC time> <LEVEL> <escaped message>\n" to stderr. Thread-safe.
void Log(LogLevel level, absl::string_view message);

inline void LogInfo(absl::string_view m) { Log(LogLevel::kInfo, m); }
inline void LogWarning(absl::string_view m) { Log(LogLevel::kWarning, m); }
inline void LogError(absl::string_view m) { Log(LogLevel::kError, m); }

// Keeps a flood of similar events (failed handshakes, refused requests) from
// filling the log: at most `burst` lines at once, refilled at one line per
// `interval`. Thread-safe.
class LogRateLimiter {
 public:
  LogRateLimiter(int burst, absl::Duration interval) : burst_(burst), interval_(interval) {}

  // Whether a line may be written at `now`; when it may, `*suppressed`
  // receives the number of lines refused since the last one allowed.
  bool Allow(absl::Time now, int64_t* suppressed);

 private:
  const int burst_;
  const absl::Duration interval_;
  absl::Mutex mu_;
  double tokens_ ABSL_GUARDED_BY(mu_) = -1;  // < 0: not started, full
  absl::Time last_ ABSL_GUARDED_BY(mu_);
  int64_t suppressed_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace schakel

#endif  // SCHAKEL_SERVER_COMMON_LOG_H_
