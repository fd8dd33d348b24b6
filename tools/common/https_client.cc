#include "tools/common/https_client.h"

#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace schakel::tools {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

struct HttpsClient::Impl {
  net::io_context ioc;
  ssl::context tls{ssl::context::tls_client};
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> stream;
  beast::flat_buffer buffer;
};

absl::StatusOr<std::unique_ptr<HttpsClient>> HttpsClient::Connect(int port,
                                                                 const TlsIdentity& identity,
                                                                 HttpsOptions options) {
  auto impl = std::make_unique<Impl>();
  beast::error_code ec;
  if (options.max_tls_version != 0) {
    SSL_CTX_set_security_level(impl->tls.native_handle(), 0);  // lets TLS 1.1 be offered
    SSL_CTX_set_max_proto_version(impl->tls.native_handle(), options.max_tls_version);
    SSL_CTX_set_min_proto_version(impl->tls.native_handle(), TLS1_VERSION);
  }
  if (options.min_tls_version != 0) {
    SSL_CTX_set_min_proto_version(impl->tls.native_handle(), options.min_tls_version);
  }
  impl->tls.add_certificate_authority(net::buffer(identity.ca_pem), ec);
  if (ec) return absl::InvalidArgumentError("the CA certificate does not load");
  impl->tls.set_verify_mode(ssl::verify_peer);
  if (!identity.cert_pem.empty()) {
    impl->tls.use_certificate_chain(net::buffer(identity.cert_pem), ec);
    if (!ec) impl->tls.use_private_key(net::buffer(identity.key_pem), ssl::context::pem, ec);
    if (ec) return absl::InvalidArgumentError("the client certificate or key does not load");
  }
  impl->stream = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(impl->ioc, impl->tls);
  SSL_set_tlsext_host_name(impl->stream->native_handle(), "localhost");
  beast::get_lowest_layer(*impl->stream).expires_after(std::chrono::seconds(10));
  beast::get_lowest_layer(*impl->stream)
      .connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)), ec);
  if (ec) return absl::UnavailableError(absl::StrCat("connect: ", ec.message()));
  beast::get_lowest_layer(*impl->stream).socket().set_option(tcp::no_delay(true), ec);
  impl->stream->handshake(ssl::stream_base::client, ec);
  if (ec) return absl::UnavailableError(absl::StrCat("handshake: ", ec.message()));
  // TLS 1.3 reports a refused client certificate only with the first read:
  // the caller sees it at its first request.
  return std::unique_ptr<HttpsClient>(new HttpsClient(std::move(impl)));
}

HttpsClient::HttpsClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpsClient::~HttpsClient() = default;

namespace {

absl::StatusOr<HttpResponse> ReadResponse(HttpsClient::Impl& impl) {
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  beast::error_code ec;
  beast::get_lowest_layer(*impl.stream).expires_after(std::chrono::seconds(30));
  http::read(*impl.stream, impl.buffer, parser, ec);
  if (ec) return absl::UnavailableError(absl::StrCat("read: ", ec.message()));
  const auto& res = parser.get();
  HttpResponse out;
  out.status = static_cast<int>(res.result_int());
  for (const auto& f : res) {
    out.headers[absl::AsciiStrToLower(std::string(f.name_string()))] = std::string(f.value());
  }
  out.body = res.body();
  return out;
}

}  // namespace

absl::StatusOr<HttpResponse> HttpsClient::Send(const std::string& method, const std::string& target,
                                               const std::map<std::string, std::string>& headers,
                                               const std::string& body) {
  http::request<http::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(11);
  req.set(http::field::host, "localhost");
  for (const auto& [name, value] : headers) req.set(name, value);
  req.body() = body;
  req.prepare_payload();
  beast::error_code ec;
  beast::get_lowest_layer(*impl_->stream).expires_after(std::chrono::seconds(30));
  http::write(*impl_->stream, req, ec);
  if (ec) return absl::UnavailableError(absl::StrCat("write: ", ec.message()));
  return ReadResponse(*impl_);
}

absl::Status HttpsClient::WriteOnly(const std::string& bytes) {
  beast::error_code ec;
  net::write(*impl_->stream, net::buffer(bytes), ec);
  if (ec) return absl::UnavailableError(absl::StrCat("write: ", ec.message()));
  return absl::OkStatus();
}

absl::StatusOr<HttpResponse> HttpsClient::Raw(const std::string& bytes) {
  if (absl::Status s = WriteOnly(bytes); !s.ok()) return s;
  return ReadResponse(*impl_);
}

void HttpsClient::Close() {
  beast::error_code ignored;
  beast::get_lowest_layer(*impl_->stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
  beast::get_lowest_layer(*impl_->stream).close();
}

}  // namespace schakel::tools
