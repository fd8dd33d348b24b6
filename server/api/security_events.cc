#include "server/api/security_events.h"

#include <grpc/support/log.h>

#include <atomic>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/common/log.h"

namespace schakel::api {
namespace {

std::atomic<int64_t> failed_handshakes{0};

// A flood of failed handshakes (a scanner, a misconfigured partner) is
// counted in full but logged at most 10 lines at once, then one a minute.
LogRateLimiter& HandshakeLines() {
  static auto* limiter = new LogRateLimiter(10, absl::Minutes(1));
  return *limiter;
}

// The rest of gRPC's errors, separately, so that they cannot hide the
// handshake count and vice versa.
LogRateLimiter& OtherLines() {
  static auto* limiter = new LogRateLimiter(20, absl::Seconds(10));
  return *limiter;
}

// gRPC's messages hold no request content; cut them anyway, a log line is
// not a place for a megabyte.
constexpr size_t kMaxMessage = 400;

void OnGrpcLog(gpr_log_func_args* args) {
  HandleGrpcLogLine(static_cast<int>(args->severity), args->message ? args->message : "");
}

}  // namespace

void HandleGrpcLogLine(int severity, absl::string_view message) {
  message = message.substr(0, kMaxMessage);
  // Logged by gRPC's security handshaker at debug level, once per failed
  // handshake, whatever the cause (bad or missing certificate, another
  // CA, not TLS at all, the handshake timeout).
  if (absl::StartsWith(message, "Security handshake failed")) {
    int64_t total = ++failed_handshakes;
    int64_t suppressed = 0;
    if (HandshakeLines().Allow(absl::Now(), &suppressed)) {
      LogWarning(absl::StrCat("security: TLS handshake failed (", total, " failed handshakes since start",
                              suppressed > 0 ? absl::StrCat(", ", suppressed, " not logged") : "",
                              "): ", message));
    }
    return;
  }
  // The TLS library's own line about the same failure, at error level:
  // the count above already covers it.
  if (absl::StrContains(message, "Handshake failed with fatal error")) return;
  if (severity < GPR_LOG_SEVERITY_ERROR) return;
  int64_t suppressed = 0;
  if (!OtherLines().Allow(absl::Now(), &suppressed)) return;
  LogError(absl::StrCat("grpc: ", message,
                        suppressed > 0 ? absl::StrCat(" (", suppressed, " lines not logged)") : ""));
}

int64_t FailedHandshakes() { return failed_handshakes.load(); }

void CaptureGrpcLog() {
  static std::atomic<bool> installed{false};
  if (installed.exchange(true)) return;
  gpr_set_log_function(&OnGrpcLog);
  // The handshake failure is a debug line; everything below error is
  // dropped by OnGrpcLog except that one.
  gpr_set_log_verbosity(GPR_LOG_SEVERITY_DEBUG);
}

}  // namespace schakel::api
