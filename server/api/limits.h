// Every limit schakeld enforces at its edge, in one place: what one
// connection and one request may cost the server before any handler runs,
// and how long a request may take. Field lengths are the domain's business
// (server/domain/text.h and each aggregate's Validate*), page sizes each
// list's (domain::ResolvePageSize).
//
// Why explicit values: gRPC's defaults are generous (4 MiB messages, no
// request deadline, unbounded idle connections) and Debian's gRPC 1.51
// carries unpatched HTTP/2 denial-of-service CVEs (docs/operations.md,
// "Exposure"). These limits narrow what a client can cost; they do not
// remove those CVEs.
#ifndef SCHAKEL_SERVER_API_LIMITS_H_
#define SCHAKEL_SERVER_API_LIMITS_H_

#include "absl/time/time.h"

namespace grpc {
class ServerBuilder;
}

namespace schakel::api {

struct Limits {
  // A larger request message is refused with RESOURCE_EXHAUSTED before any
  // handler sees it. The largest legitimate request (a signal with a 10,000
  // character description) is ~10 KiB.
  int max_receive_message_bytes = 1 << 20;
  // The largest response (a page of 500 audit entries is ~300 KiB).
  int max_send_message_bytes = 4 << 20;
  // HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS: calls one connection may have
  // open at once; further calls wait on the client side.
  int max_concurrent_streams = 100;
  // The request headers (metadata) of one call; more is refused with
  // RESOURCE_EXHAUSTED. A schakel call sends well under 1 KiB.
  int max_metadata_bytes = 16 * 1024;
  // A connection must finish its TLS handshake within this, or it is closed
  // (a half-open connection holds a file descriptor and memory).
  absl::Duration handshake_timeout = absl::Seconds(10);
  // A connection without a call for this long is closed (GOAWAY); clients
  // reconnect on their next call.
  absl::Duration max_connection_idle = absl::Minutes(15);
  // Every connection is closed after this long, so that a revoked
  // certificate's connection cannot live on forever and load spreads again;
  // calls in flight get `max_connection_age_grace` to finish.
  absl::Duration max_connection_age = absl::Hours(1);
  absl::Duration max_connection_age_grace = absl::Seconds(30);
  // The server pings an idle connection this often and drops it when the
  // peer does not answer within the timeout (dead peers, broken NAT).
  absl::Duration keepalive_time = absl::Minutes(5);
  absl::Duration keepalive_timeout = absl::Seconds(20);
  // A client pinging more often than this without calls is answered with
  // GOAWAY after two strikes (ping floods).
  absl::Duration min_client_ping_interval = absl::Minutes(1);
  // The longest any request may take: a request without a deadline, or with
  // a later one, gets this one (server-side; long operations stop with
  // DEADLINE_EXCEEDED when it passes).
  absl::Duration max_request_deadline = absl::Seconds(30);
  // Threads of gRPC's synchronous server kept waiting for the next call
  // (one runs each call). gRPC's default keeps 2: every other thread that
  // finished a call exits, and the next burst creates them anew (thread
  // creation and stack unmapping were ~4 % of the CPU at 64 calls in flight).
  int max_idle_threads = 64;
};

// The limits of a production deployment.
inline Limits DefaultLimits() { return Limits(); }

// Sets `limits` on `builder` (message sizes and channel arguments).
void ApplyLimits(const Limits& limits, grpc::ServerBuilder& builder);

}  // namespace schakel::api

#endif  // SCHAKEL_SERVER_API_LIMITS_H_
