#include "server/common/log.h"

#include <algorithm>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace schakel {

std::string EscapeForLog(absl::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (unsigned char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c < 0x20 || c >= 0x7f) {
      out += absl::StrFormat("\\x%02x", c);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

void Log(LogLevel level, absl::string_view message) {
  const char* name = level == LogLevel::kInfo      ? "INFO"
                     : level == LogLevel::kWarning ? "WARNING"
                                                   : "ERROR";
  std::string line = absl::StrCat(
      absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone()), " ", name,
      " ", EscapeForLog(message), "\n");
  // One fwrite per line: stdio locks the stream, so lines never interleave.
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

bool LogRateLimiter::Allow(absl::Time now, int64_t* suppressed) {
  absl::MutexLock lock(&mu_);
  if (tokens_ < 0) {
    tokens_ = burst_;
  } else if (now > last_) {
    tokens_ = std::min<double>(burst_, tokens_ + absl::FDivDuration(now - last_, interval_));
  }
  last_ = std::max(last_, now);
  if (tokens_ < 1) {
    ++suppressed_;
    return false;
  }
  tokens_ -= 1;
  *suppressed = suppressed_;
  suppressed_ = 0;
  return true;
}

}  // namespace schakel
