#include "server/web/https_server.h"

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <poll.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <deque>
#include <optional>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "server/common/log.h"
#include "server/common/status_macros.h"
#include "server/crypto/x509.h"
#include "server/domain/listen_address.h"
#include "server/web/connect_protocol.h"
#include "server/web/request_head.h"
#include "server/web/static_files.h"

namespace schakel::web {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

// gRPC's default TLS 1.2 cipher suites (GRPC_SSL_CIPHER_SUITES), so that
// both ports negotiate alike; TLS 1.3 keeps OpenSSL's default suites.
constexpr char kTls12Ciphers[] =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384";

// What every answer carries: the console's page may load only its own
// files, may not be framed, sends no referrer, and nothing is sniffed.
constexpr char kContentSecurityPolicy[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'";

std::chrono::steady_clock::duration Chrono(absl::Duration d) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(absl::ToChronoNanoseconds(d));
}

std::string PeerOf(const tcp::endpoint& endpoint) {
  const net::ip::address a = endpoint.address();
  if (a.is_v4()) return absl::StrCat("ipv4:", a.to_string(), ":", endpoint.port());
  return absl::StrCat("ipv6:[", a.to_string(), "]:", endpoint.port());
}

// The verified client certificate of the connection, PEM.
std::string CertificatePem(SSL* ssl) {
  crypto::X509Ptr cert(SSL_get1_peer_certificate(ssl));
  return cert == nullptr ? "" : crypto::CertificateToPem(cert.get());
}

// One request's call, as the handler sees it.
class HttpsCall final : public api::Call {
 public:
  HttpsCall(std::string cert_pem, std::string peer, http::request_header<> headers,
            absl::Time deadline, int fd, const std::atomic<bool>* stopping)
      : cert_pem_(std::move(cert_pem)),
        peer_(std::move(peer)),
        headers_(std::move(headers)),
        deadline_(deadline),
        fd_(fd),
        stopping_(stopping) {}
  std::string PeerCertificatePem() const override { return cert_pem_; }
  std::string Peer() const override { return peer_; }
  std::optional<std::string> Header(absl::string_view name) const override {
    auto it = headers_.find(beast::string_view(name.data(), name.size()));
    if (it == headers_.end()) return std::nullopt;
    return std::string(it->value());
  }
  absl::Time Deadline() const override { return deadline_; }
  // The client closed its side (a browser tab closed, curl interrupted):
  // the kernel says so without reading anything of the stream.
  bool IsCancelled() const override {
    if (stopping_->load()) return true;
    pollfd p{fd_, POLLRDHUP, 0};
    if (poll(&p, 1, 0) < 0) return false;
    return (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
  }

 private:
  std::string cert_pem_;
  std::string peer_;
  http::request_header<> headers_;
  absl::Time deadline_;
  int fd_;
  const std::atomic<bool>* stopping_;
};

// The end of one write a worker waits for: a stream's worker sends a
// message only once the one before it is out (no queue grows behind a
// slow client), and gives up when the server stops.
class WriteDone {
 public:
  void Set(bool ok) {
    absl::MutexLock lock(&mu_);
    done_ = true;
    ok_ = ok;
  }
  bool Wait(const std::atomic<bool>& stopping) {
    absl::MutexLock lock(&mu_);
    while (!mu_.AwaitWithTimeout(absl::Condition(&done_), absl::Milliseconds(100))) {
      if (stopping.load()) return false;
    }
    return ok_;
  }

 private:
  absl::Mutex mu_;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  bool ok_ ABSL_GUARDED_BY(mu_) = false;
};

// A stream's call: the request's HttpsCall, and a way to send a message.
class HttpsStreamCall final : public StreamCall {
 public:
  using Sender = std::function<bool(std::string envelope)>;
  HttpsStreamCall(HttpsCall call, Sender send) : call_(std::move(call)), send_(std::move(send)) {}
  std::string PeerCertificatePem() const override { return call_.PeerCertificatePem(); }
  std::string Peer() const override { return call_.Peer(); }
  std::optional<std::string> Header(absl::string_view name) const override {
    return call_.Header(name);
  }
  absl::Time Deadline() const override { return call_.Deadline(); }
  bool IsCancelled() const override { return call_.IsCancelled(); }
  // Past the deadline, or with the client gone, nothing more is sent: the
  // stream ends (its end-of-stream envelope follows, if the client is
  // still there to read it).
  bool Send(const std::string& message) const override {
    if (IsCancelled() || absl::Now() >= Deadline()) return false;
    return send_(Envelope(0, message));
  }

 private:
  HttpsCall call_;
  Sender send_;
};

// One chunk of a chunked answer (RFC 9112 7.1): a stream's envelope goes
// out as one chunk, so that each message is flushed as it is written.
std::string Chunk(absl::string_view data) {
  return absl::StrCat(absl::Hex(data.size()), "\r\n", data, "\r\n");
}
constexpr char kLastChunk[] = "0\r\n\r\n";

}  // namespace

struct HttpsServer::Impl {
  // Declared before the I/O context: sessions that die with it still count
  // themselves out.
  HttpsOptions options;
  ApiHandler api;
  std::vector<std::string> origins;
  std::atomic<int> connections{0};
  std::atomic<int> pending{0};
  std::atomic<int> streams{0};
  // Streams whose end has not been written yet (Shutdown lets it go out).
  std::atomic<int> stream_tails{0};
  std::atomic<bool> stopping{false};
  int max_streams = 0;
  bool shut_down = false;
  int port = 0;
  LogRateLimiter refusal_lines{10, absl::Seconds(1)};
  ssl::context tls{ssl::context::tls_server};
  net::io_context ioc;
  // The I/O threads run until Shutdown, also once the acceptor is closed
  // and no connection waits on anything (a worker's answer or a stream's
  // end may still be posted to them then).
  std::optional<net::executor_work_guard<net::io_context::executor_type>> keep_running;
  std::optional<tcp::acceptor> acceptor;
  std::optional<net::thread_pool> workers;
  std::vector<std::thread> io_threads;

  void Accept();
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, HttpsServer::Impl* server)
      : server_(server), stream_(std::move(socket), server->tls) {
    server_->connections.fetch_add(1);
  }
  ~Session() { server_->connections.fetch_sub(1); }

  void Run() {
    beast::error_code ec;
    tcp::endpoint remote = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
    peer_ = ec ? "unknown" : PeerOf(remote);
    fd_ = beast::get_lowest_layer(stream_).socket().native_handle();
    // Small answers go out at once (no Nagle wait for the client's ACK).
    beast::get_lowest_layer(stream_).socket().set_option(tcp::no_delay(true), ec);
    beast::get_lowest_layer(stream_).expires_after(Chrono(server_->options.handshake_timeout));
    stream_.async_handshake(ssl::stream_base::server,
                            [self = shared_from_this()](beast::error_code ec) {
                              self->OnHandshake(ec);
                            });
  }

 private:
  void OnHandshake(beast::error_code ec) {
    // No certificate, another CA's, an expired one: refused by TLS itself
    // (the handshake fails; the client sees a TLS alert).
    if (ec) return;
    cert_pem_ = CertificatePem(stream_.native_handle());
    ReadHeader();
  }

  void ReadHeader() {
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(server_->options.max_header_bytes));
    parser_->body_limit(server_->options.max_body_bytes);
    beast::get_lowest_layer(stream_).expires_after(Chrono(server_->options.idle_timeout));
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              self->OnHeader(ec);
                            });
  }

  void OnHeader(beast::error_code ec) {
    if (ec == http::error::header_limit) {
      return RespondError(431, absl::ResourceExhaustedError(absl::StrCat(
                                   "headers: more than ", server_->options.max_header_bytes,
                                   " bytes")), false);
    }
    // Beast checks a Content-Length against the body limit with the headers
    // (before any of the body is read); a chunked body reaches it in OnBody.
    if (ec == http::error::body_limit) return BodyTooLarge();
    if (ec) return Close(ec != http::error::end_of_stream && ec != beast::error::timeout);
    const auto& req = parser_->get();
    beast::get_lowest_layer(stream_).expires_after(Chrono(server_->options.io_timeout));
    // curl and others wait a second for "100 Continue" before a body over
    // 1 KiB: the size is acceptable, so say so at once.
    if (beast::iequals(req[http::field::expect], "100-continue")) {
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
      http::async_write(stream_, *cont,
                        [self = shared_from_this(), cont](beast::error_code ec, size_t) {
                          if (ec) return self->Close(false);
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       self->OnBody(ec);
                     });
  }

  void OnBody(beast::error_code ec) {
    if (ec == http::error::body_limit) return BodyTooLarge();
    if (ec) return Close(false);
    Dispatch();
  }

  void Dispatch() {
    http::request<http::string_body> req = parser_->release();
    keep_alive_ = req.keep_alive();
    const std::string target(req.target());
    const std::string method(req.method_string());
    if (!IsApiPath(target)) {
      StaticReply file = ServeStatic(server_->options.assets_dir, method, target,
                                     std::string(req[http::field::accept_encoding]));
      auto res = NewResponse(file.http_status);
      res->set(http::field::vary, "Accept-Encoding");
      if (!file.content_encoding.empty()) {
        res->set(http::field::content_encoding, file.content_encoding);
      }
      res->set(http::field::content_type, file.content_type);
      res->set(http::field::cache_control, file.cache_control);
      if (!file.allow.empty()) res->set(http::field::allow, file.allow);
      if (method == "HEAD") {
        res->content_length(file.body.size());
      } else {
        res->body() = std::move(file.body);
        res->prepare_payload();
      }
      return Write(std::move(res));
    }
    ApiRequestHead head = HeadOf(req);
    Refusal refusal;
    absl::StatusOr<ApiForm> form = CheckConnectRequest(head, server_->origins, &refusal);
    if (!form.ok()) {
      auto res = ErrorResponse(refusal.http_status, refusal.status);
      if (!refusal.header_name.empty()) res->set(refusal.header_name, refusal.header_value);
      return Write(std::move(res));
    }
    // A stream holds its worker while it is open: at most max_streams at
    // once, so that unary calls always find workers.
    if (form->streaming && server_->streams.fetch_add(1) >= server_->max_streams) {
      server_->streams.fetch_sub(1);
      auto res = NewResponse(200);
      res->set(http::field::content_type, StreamContentTypeOf(form->codec));
      res->set(http::field::cache_control, "no-store");
      res->body() = Envelope(kEnvelopeEndStream,
                             EndStreamBody(absl::ResourceExhaustedError(absl::StrCat(
                                 "streams: ", server_->max_streams,
                                 " are open on this server; retry in a moment"))));
      res->prepare_payload();
      return Write(std::move(res));
    }
    const int limit = server_->options.workers + server_->options.max_queued;
    if (server_->pending.fetch_add(1) >= limit) {
      server_->pending.fetch_sub(1);
      if (form->streaming) server_->streams.fetch_sub(1);
      return Write(ErrorResponse(
          503, absl::UnavailableError("the server is busy; retry in a moment")));
    }
    absl::Time deadline = *ParseTimeout(head.timeout_ms, absl::Now());
    std::string body = std::move(req.body());
    if (form->streaming) {
      return RunStream(HttpsCall(cert_pem_, peer_, std::move(req.base()), deadline, fd_,
                                 &server_->stopping),
                       form->codec, MethodPath(target), std::move(body));
    }
    const Codec codec = form->codec;
    auto call = std::make_shared<HttpsCall>(cert_pem_, peer_, std::move(req.base()), deadline, fd_,
                                            &server_->stopping);
    net::post(*server_->workers, [self = shared_from_this(), call, codec,
                                  path = MethodPath(target), body = std::move(body)] {
      ApiReply reply = self->server_->api(path, codec, body, *call);
      self->server_->pending.fetch_sub(1);
      net::post(self->stream_.get_executor(), [self, reply = std::move(reply)]() mutable {
        auto res = self->NewResponse(reply.http_status);
        res->set(http::field::content_type, reply.content_type);
        res->set(http::field::cache_control, "no-store");
        res->body() = std::move(reply.body);
        res->prepare_payload();
        self->Write(std::move(res));
      });
    });
  }

  // A stream on a worker: its messages go out through the session's write
  // queue as they are written, then its end; the worker and the stream's
  // slot are held until the adapter returns.
  void RunStream(HttpsCall call, Codec codec, std::string path, std::string body) {
    stream_codec_ = codec;
    server_->stream_tails.fetch_add(1);
    std::weak_ptr<Session> weak = shared_from_this();
    const std::atomic<bool>* stopping = &server_->stopping;
    auto stream_call = std::make_shared<HttpsStreamCall>(
        std::move(call), [weak, stopping](std::string envelope) {
          std::shared_ptr<Session> self = weak.lock();
          if (self == nullptr) return false;
          auto done = std::make_shared<WriteDone>();
          net::post(self->stream_.get_executor(),
                    [self, done, bytes = Chunk(envelope)]() mutable {
                      self->StreamWrite(std::move(bytes), [done](bool ok) { done->Set(ok); });
                    });
          return done->Wait(*stopping);
        });
    net::post(*server_->workers, [self = shared_from_this(), stream_call, codec,
                                  path = std::move(path), body = std::move(body)] {
      ApiReply reply = self->server_->api(path, codec, body, *stream_call);
      self->server_->streams.fetch_sub(1);
      self->server_->pending.fetch_sub(1);
      net::post(self->stream_.get_executor(), [self, reply = std::move(reply)]() mutable {
        self->EndStream(std::move(reply));
      });
    });
  }

  // On the session's strand: one piece of the stream, after its head.
  void StreamWrite(std::string bytes, std::function<void(bool)> done) {
    if (!stream_head_sent_) {
      stream_head_sent_ = true;
      if (server_->stopping.load()) keep_alive_ = false;
      http::response<http::empty_body> head;
      SetCommonHeaders(head, 200);
      head.set(http::field::content_type, StreamContentTypeOf(stream_codec_));
      head.set(http::field::cache_control, "no-store");
      head.chunked(true);
      std::ostringstream text;
      text << head.base();
      Enqueue(text.str(), nullptr);
    }
    Enqueue(std::move(bytes), std::move(done));
  }

  // The adapter returned: the end-of-stream envelope and the last chunk;
  // or, when nothing was sent, a whole HTTP answer that is not a stream
  // (an unknown path, a unary method's).
  void EndStream(ApiReply reply) {
    if (!reply.end_of_stream && !stream_head_sent_) {
      server_->stream_tails.fetch_sub(1);
      auto res = NewResponse(reply.http_status);
      res->set(http::field::content_type, reply.content_type);
      res->set(http::field::cache_control, "no-store");
      res->body() = std::move(reply.body);
      res->prepare_payload();
      return Write(std::move(res));
    }
    if (!reply.end_of_stream) reply.body = EndStreamBody(absl::InternalError("internal error"));
    StreamWrite(Chunk(Envelope(kEnvelopeEndStream, reply.body)), nullptr);
    Enqueue(kLastChunk, [self = shared_from_this()](bool ok) {
      self->server_->stream_tails.fetch_sub(1);
      self->stream_head_sent_ = false;
      if (!ok) return self->Close(false);
      if (!self->keep_alive_ || self->server_->stopping.load()) return self->Close(true);
      self->ReadHeader();
    });
  }

  // The write queue of a stream: one write at a time, in order; once one
  // fails, every later piece fails at once.
  void Enqueue(std::string bytes, std::function<void(bool)> done) {
    out_.push_back(Piece{std::move(bytes), std::move(done)});
    if (!writing_) WriteNext();
  }

  void WriteNext() {
    while (!out_.empty() && stream_broken_) {
      Piece p = std::move(out_.front());
      out_.pop_front();
      if (p.done) p.done(false);
    }
    if (out_.empty()) {
      writing_ = false;
      return;
    }
    writing_ = true;
    beast::get_lowest_layer(stream_).expires_after(Chrono(server_->options.io_timeout));
    net::async_write(stream_, net::buffer(out_.front().bytes),
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       Piece p = std::move(self->out_.front());
                       self->out_.pop_front();
                       if (ec) self->stream_broken_ = true;
                       if (p.done) p.done(!ec);
                       self->WriteNext();
                     });
  }

  template <typename Body>
  void SetCommonHeaders(http::response<Body>& res, int status) {
    res.version(11);
    res.result(static_cast<unsigned>(status));
    res.set(http::field::server, "schakeld");
    res.set("X-Content-Type-Options", "nosniff");
    res.set("Referrer-Policy", "no-referrer");
    res.set("Content-Security-Policy", kContentSecurityPolicy);
    res.set("X-Frame-Options", "DENY");
    res.keep_alive(keep_alive_);
  }

  std::shared_ptr<http::response<http::string_body>> NewResponse(int status) {
    auto res = std::make_shared<http::response<http::string_body>>();
    SetCommonHeaders(*res, status);
    return res;
  }

  std::shared_ptr<http::response<http::string_body>> ErrorResponse(int status,
                                                                   const absl::Status& error) {
    auto res = NewResponse(status);
    res->set(http::field::content_type, "application/json");
    res->set(http::field::cache_control, "no-store");
    res->body() = ErrorBody(error);
    res->prepare_payload();
    return res;
  }

  void BodyTooLarge() {
    RespondError(413, absl::ResourceExhaustedError(absl::StrCat(
                          "body: more than ", server_->options.max_body_bytes, " bytes")),
                 false);
  }

  // For a request that cannot be read on (too large): answer, then close.
  void RespondError(int status, const absl::Status& error, bool keep_alive) {
    keep_alive_ = keep_alive;
    Write(ErrorResponse(status, error));
  }

  void Write(std::shared_ptr<http::response<http::string_body>> res) {
    if (server_->stopping.load()) keep_alive_ = false;
    res->keep_alive(keep_alive_);
    response_ = std::move(res);
    beast::get_lowest_layer(stream_).expires_after(Chrono(server_->options.io_timeout));
    http::async_write(stream_, *response_,
                      [self = shared_from_this()](beast::error_code ec, size_t) {
                        self->response_.reset();
                        if (ec || !self->keep_alive_) return self->Close(!ec);
                        self->ReadHeader();
                      });
  }

  // A TLS close_notify when the connection is still sound, else just drop.
  void Close(bool notify) {
    if (!notify) {
      beast::error_code ignored;
      beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ignored);
      beast::get_lowest_layer(stream_).close();
      return;
    }
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(2));
    stream_.async_shutdown([self = shared_from_this()](beast::error_code) {
      beast::get_lowest_layer(self->stream_).close();
    });
  }

  HttpsServer::Impl* server_;
  beast::ssl_stream<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<http::response<http::string_body>> response_;
  // A stream's answer, written piece by piece.
  struct Piece {
    std::string bytes;
    std::function<void(bool)> done;
  };
  std::deque<Piece> out_;
  bool writing_ = false;
  bool stream_broken_ = false;
  bool stream_head_sent_ = false;
  Codec stream_codec_ = Codec::kJson;
  std::string peer_;
  std::string cert_pem_;
  int fd_ = -1;
  bool keep_alive_ = true;
};

}  // namespace

void HttpsServer::Impl::Accept() {
  acceptor->async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec == net::error::operation_aborted || stopping.load()) return;
    } else if (connections.load() >= options.max_connections) {
      // Over the cap: no TLS handshake is spent on it.
      int64_t suppressed = 0;
      if (refusal_lines.Allow(absl::Now(), &suppressed)) {
        LogWarning(absl::StrCat("HTTPS port: connection refused, ", options.max_connections,
                                " connections open"));
      }
      beast::error_code ignored;
      socket.close(ignored);
    } else {
      std::make_shared<Session>(std::move(socket), this)->Run();
    }
    if (!stopping.load() && acceptor->is_open()) Accept();
  });
}

std::vector<std::string> AllowedOrigins(const std::vector<std::string>& names, int port,
                                        const std::vector<std::string>& extra) {
  std::vector<std::string> out;
  for (const std::string& name : names) {
    out.push_back(absl::StrCat("https://", name, ":", port));
    if (port == 443) out.push_back(absl::StrCat("https://", name));
  }
  out.insert(out.end(), extra.begin(), extra.end());
  return out;
}

absl::StatusOr<std::unique_ptr<HttpsServer>> HttpsServer::Start(const HttpsOptions& options,
                                                                 ApiHandler api) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->api = std::move(api);
  SSL_CTX* ctx = impl->tls.native_handle();
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                               SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1) {
    return absl::InternalError("cannot set the HTTPS port's cipher suites");
  }
  beast::error_code ec;
  impl->tls.use_certificate_chain(net::buffer(options.server_cert_pem), ec);
  if (!ec) impl->tls.use_private_key(net::buffer(options.server_key_pem), ssl::context::pem, ec);
  if (!ec) impl->tls.add_certificate_authority(net::buffer(options.ca_pem), ec);
  if (ec) return absl::InvalidArgumentError("the HTTPS port's certificate, key or CA is unusable");
  impl->tls.set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  // Tell browsers which CA's certificate to offer.
  absl::StatusOr<crypto::X509Ptr> ca = crypto::ParseCertificatePem(options.ca_pem);
  if (!ca.ok()) return absl::InvalidArgumentError("the HTTPS port's CA certificate is unusable");
  STACK_OF(X509_NAME)* names = sk_X509_NAME_new_null();
  sk_X509_NAME_push(names, X509_NAME_dup(X509_get_subject_name(ca->get())));
  SSL_CTX_set_client_CA_list(ctx, names);
  ASSIGN_OR_RETURN(domain::ListenAddress listen,
                   domain::ParseListenAddress("web.listen", options.listen));
  std::string host = listen.host;
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  net::ip::address address = net::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
  if (ec) return absl::InvalidArgumentError("web.listen: the host must be an IP address or localhost");
  tcp::endpoint endpoint(address, static_cast<unsigned short>(listen.port));
  impl->acceptor.emplace(impl->ioc);
  impl->acceptor->open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor->set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor->bind(endpoint, ec);
  if (!ec) impl->acceptor->listen(net::socket_base::max_listen_connections, ec);
  if (ec) return absl::UnavailableError(absl::StrCat("cannot listen on ", options.listen, " (HTTPS)"));
  impl->port = impl->acceptor->local_endpoint().port();
  impl->origins = AllowedOrigins(options.server_names, impl->port, options.extra_origins);
  impl->workers.emplace(static_cast<size_t>(std::max(1, options.workers)));
  impl->max_streams = options.max_streams > 0 ? options.max_streams : std::max(1, options.workers / 2);
  impl->keep_running.emplace(impl->ioc.get_executor());
  impl->Accept();
  Impl* raw = impl.get();
  for (int i = 0; i < std::max(1, options.io_threads); ++i) {
    impl->io_threads.emplace_back([raw] {
      // A handler never throws (Beast reports errors as codes); should
      // anything escape, the thread logs it and runs on.
      for (;;) {
        try {
          raw->ioc.run();
          return;
        } catch (const std::exception& e) {
          LogError(absl::StrCat("HTTPS port: ", e.what()));
        }
      }
    });
  }
  return std::unique_ptr<HttpsServer>(new HttpsServer(std::move(impl)));
}

HttpsServer::HttpsServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpsServer::~HttpsServer() { Shutdown(); }

int HttpsServer::port() const { return impl_->port; }

void HttpsServer::StopAccepting() {
  net::post(impl_->ioc, [raw = impl_.get()] {
    beast::error_code ignored;
    if (raw->acceptor) raw->acceptor->close(ignored);
  });
}

void HttpsServer::Shutdown() {
  if (impl_ == nullptr || impl_->shut_down) return;
  impl_->shut_down = true;
  StopAccepting();
  impl_->stopping.store(true);
  impl_->workers->join();
  // The streams' ends are on their way out (each worker posted its own):
  // a moment for them, so that a client sees its stream end, not cut.
  for (int i = 0; i < 100 && impl_->stream_tails.load() > 0; ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  impl_->keep_running.reset();
  impl_->ioc.stop();
  for (std::thread& t : impl_->io_threads) t.join();
}

}  // namespace schakel::web
