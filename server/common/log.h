// The server's own log: one line per event on stderr, UTC timestamps, and
// every value escaped so that a control character or newline in a request
// cannot forge a log line. Callers never log names, addresses, descriptions
// or note text.
#ifndef SCHAKEL_SERVER_COMMON_LOG_H_
#define SCHAKEL_SERVER_COMMON_LOG_H_

#include <string>

#include "absl/strings/string_view.h"

namespace schakel {

enum class LogLevel { kInfo, kWarning, kError };

// Escapes control characters, backslashes and non-ASCII bytes as \xNN.
std::string EscapeForLog(absl::string_view value);

// Writes "<UTC time> <LEVEL> <escaped message>\n" to stderr. Thread-safe.
void Log(LogLevel level, absl::string_view message);

inline void LogInfo(absl::string_view m) { Log(LogLevel::kInfo, m); }
inline void LogWarning(absl::string_view m) { Log(LogLevel::kWarning, m); }
inline void LogError(absl::string_view m) { Log(LogLevel::kError, m); }

}  // namespace schakel

#endif  // SCHAKEL_SERVER_COMMON_LOG_H_
