// A small HTTPS/1.1 client for schakeld's HTTPS port (Boost.Beast over
// OpenSSL), for the tests and the load generator: one kept-alive
// connection (TCP_NODELAY), a client certificate or none, any headers, and
// raw bytes for requests no well-behaved client sends. Not thread-safe: one
// client per thread.
#ifndef SCHAKEL_TOOLS_COMMON_HTTPS_CLIENT_H_
#define SCHAKEL_TOOLS_COMMON_HTTPS_CLIENT_H_

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace schakel::tools {

// The PEM texts of a client identity; empty cert_pem and key_pem: none.
struct TlsIdentity {
  std::string cert_pem;
  std::string key_pem;
  std::string ca_pem;
};

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

struct HttpsOptions {
  // 0: any version; else the highest TLS version offered (TLS1_1_VERSION…).
  int max_tls_version = 0;
  int min_tls_version = 0;
};

class HttpsClient {
 public:
  // Connects to 127.0.0.1:port and completes the TLS handshake, presenting
  // `identity`'s certificate (none when its cert_pem is empty) and trusting
  // its CA. UNAVAILABLE naming the TLS error when the handshake fails.
  static absl::StatusOr<std::unique_ptr<HttpsClient>> Connect(int port, const TlsIdentity& identity,
                                                             HttpsOptions options = {});
  ~HttpsClient();

  // One request on the kept-alive connection.
  absl::StatusOr<HttpResponse> Send(const std::string& method, const std::string& target,
                                    const std::map<std::string, std::string>& headers,
                                    const std::string& body);
  absl::StatusOr<HttpResponse> PostJson(const std::string& target, const std::string& json,
                                        const std::map<std::string, std::string>& headers = {}) {
    auto h = headers;
    h.emplace("Content-Type", "application/json");
    return Send("POST", target, h, json);
  }
  // Writes `bytes` as they are and reads one response.
  absl::StatusOr<HttpResponse> Raw(const std::string& bytes);
  // Writes `bytes` and reads nothing (a client that then goes away).
  absl::Status WriteOnly(const std::string& bytes);
  void Close();

  struct Impl;

 private:
  explicit HttpsClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace schakel::tools

#endif  // SCHAKEL_TOOLS_COMMON_HTTPS_CLIENT_H_
