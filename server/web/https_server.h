// schakeld's HTTPS port (Boost.Beast over Boost.Asio and OpenSSL): the
// Connect API for browsers and HTTP/JSON integrations, and the web
// console's files.
//
// TLS as on the gRPC port: TLS 1.2 at least, gRPC's cipher choice for 1.2,
// a client certificate of the deployment's CA required and verified at the
// handshake. The certificate is then handed, with every request, to the
// same Authenticator the gRPC port uses (registered, not revoked, not
// disabled: checked per request, so a kept-alive connection loses access at
// its next request). Nothing the client sends is read as an identity.
//
// Threads: a few I/O threads run every connection's reads and writes
// asynchronously, so a slow or idle client holds a connection slot (at most
// `max_connections`) but never a worker; a request goes to the worker pool
// only once it has been read whole, and waits there in a bounded queue
// (full: 503 `unavailable`). A server stream (Connect's streaming form)
// holds one worker while it is open, so at most `max_streams` are open at
// once (beyond: `resource_exhausted` in the end-of-stream envelope); it
// ends at its deadline, when its client is gone or the server stops.
#ifndef SCHAKEL_SERVER_WEB_HTTPS_SERVER_H_
#define SCHAKEL_SERVER_WEB_HTTPS_SERVER_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/api/call.h"
#include "server/web/connect_dispatcher.h"

namespace schakel::web {

struct HttpsOptions {
  // "HOST:PORT"; port 0 picks a free one.
  std::string listen;
  std::string server_cert_pem;
  std::string server_key_pem;
  std::string ca_pem;
  // The names in the server certificate: https://NAME:PORT of each is an
  // allowed Origin; and further origins from the configuration.
  std::vector<std::string> server_names;
  std::vector<std::string> extra_origins;
  // The web console's files; empty: none.
  std::string assets_dir;

  // Limits, as the gRPC port's (server/api/limits.h).
  size_t max_body_bytes = 1 << 20;
  size_t max_header_bytes = 16 * 1024;
  int max_connections = 512;
  int workers = 32;
  int max_queued = 512;
  // Open server streams at once; 0: half the workers.
  int max_streams = 0;
  int io_threads = 2;
  absl::Duration handshake_timeout = absl::Seconds(10);
  // A kept-alive connection without a request for this long is closed; a
  // request's headers must arrive within it too.
  absl::Duration idle_timeout = absl::Seconds(60);
  // A request's body, once its headers are in, and a response's write.
  absl::Duration io_timeout = absl::Seconds(30);
};

// Runs one API request (the ConnectDispatcher in schakeld).
using ApiHandler = std::function<ApiReply(const std::string& path, Codec codec,
                                          const std::string& body, const api::Call& call)>;

class HttpsServer {
 public:
  // UNAVAILABLE when it cannot listen; INVALID_ARGUMENT for a bad
  // certificate, key or address.
  static absl::StatusOr<std::unique_ptr<HttpsServer>> Start(const HttpsOptions& options,
                                                             ApiHandler api);
  ~HttpsServer();

  int port() const;

  // Stops accepting connections (running requests go on).
  void StopAccepting();
  // Stops accepting, marks every running request cancelled, waits for the
  // workers and closes every connection. Idempotent. An open stream's
  // worker returns when its adapter does: end what feeds the streams first
  // (schakeld closes the NotificationHub before this).
  void Shutdown();

  struct Impl;

 private:
  explicit HttpsServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The origins of a console served at `port` under `names`
// ("https://NAME:PORT", and "https://NAME" on 443), then `extra`.
std::vector<std::string> AllowedOrigins(const std::vector<std::string>& names, int port,
                                        const std::vector<std::string>& extra);

}  // namespace schakel::web

#endif  // SCHAKEL_SERVER_WEB_HTTPS_SERVER_H_
