// Security events in the server's own log (server/common/log.h): failed TLS
// handshakes and requests refused at the edge. They are counted, logged
// rate-limited and never carry residents' data. Attributable authentication
// failures (a certificate of our CA that schakel refuses) are also recorded
// in the audit log, by api::Handler.
//
// gRPC reports a failed handshake only to its own log, so the whole of
// gRPC's log is routed through ours: it gets our format (UTC, escaped), and
// each "Security handshake failed" line is counted as one failed handshake.
#ifndef SCHAKEL_SERVER_API_SECURITY_EVENTS_H_
#define SCHAKEL_SERVER_API_SECURITY_EVENTS_H_

#include <cstdint>

#include "absl/strings/string_view.h"

namespace schakel::api {

// Routes gRPC's log (gpr_set_log_function) through ours. Process-wide, as
// gRPC's log is; idempotent. Call before the server starts.
void CaptureGrpcLog();

// Failed TLS handshakes this process saw since it started (as a server or
// as a client: a test that shares a process with its server sees both).
int64_t FailedHandshakes();

// What CaptureGrpcLog does with one line of gRPC's log; exposed for tests.
// `severity` is gpr's: 0 debug, 1 info, 2 error.
void HandleGrpcLogLine(int severity, absl::string_view message);

}  // namespace schakel::api

#endif  // SCHAKEL_SERVER_API_SECURITY_EVENTS_H_
