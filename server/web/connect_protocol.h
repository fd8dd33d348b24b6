// The Connect protocol, as pure functions (connectrpc.com/docs/protocol):
// which requests the HTTPS port accepts on an API path, how a body is
// decoded, how a status becomes an HTTP answer; and the envelopes of its
// streaming form. No I/O: the HTTPS server (https_server.h) and the fuzzer
// call these.
#ifndef SCHAKEL_SERVER_WEB_CONNECT_PROTOCOL_H_
#define SCHAKEL_SERVER_WEB_CONNECT_PROTOCOL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace schakel::web {

// API paths: "/schakel.v1.Service/Method". Everything else is the console.
inline constexpr absl::string_view kApiPrefix = "/schakel.v1.";
bool IsApiPath(absl::string_view target);

enum class Codec { kJson, kProto };

// What an HTTP request to an API path needs before its body is read.
struct ApiRequestHead {
  std::string method;        // "POST"
  std::string target;        // "/schakel.v1.SignalService/GetSignal" (query included)
  std::string content_type;  // as sent; empty when absent
  std::optional<std::string> origin;
  std::optional<std::string> content_encoding;
  std::optional<std::string> connect_content_encoding;  // a stream's message compression
  std::optional<std::string> timeout_ms;  // Connect-Timeout-Ms
};

// What the HTTPS port answers instead of running an API request.
struct Refusal {
  int http_status = 0;
  absl::Status status;  // its Connect error
  // An extra header (Allow on 405).
  std::string header_name, header_value;
};

// The browser-safety rules of an API path (docs/design.md, "Two
// transports, one API"), in this order: POST only (405), a Connect unary
// content type only (415: a form or an image cannot call anything), an
// Origin, when present, one of `allowed_origins` (403), no compression but
// identity (415), a well-formed Connect-Timeout-Ms (400). On success, the
// codec of the body.
absl::StatusOr<Codec> CheckApiRequest(const ApiRequestHead& head,
                                      const std::vector<std::string>& allowed_origins,
                                      Refusal* refusal);

// A request's form: a unary call (application/json|proto) or a server
// stream (application/connect+json|proto, its messages in envelopes).
struct ApiForm {
  Codec codec = Codec::kJson;
  bool streaming = false;
};

// The same rules, in the same order, accepting the streaming content types
// as well; a stream's Connect-Content-Encoding, like Content-Encoding,
// only identity (415).
absl::StatusOr<ApiForm> CheckConnectRequest(const ApiRequestHead& head,
                                            const std::vector<std::string>& allowed_origins,
                                            Refusal* refusal);

// The client's deadline from Connect-Timeout-Ms (at most 10 digits,
// milliseconds), counted from `now`; InfiniteFuture when absent.
absl::StatusOr<absl::Time> ParseTimeout(const std::optional<std::string>& timeout_ms,
                                        absl::Time now);

// The method path without a query string: "/schakel.v1.X/Y".
std::string MethodPath(absl::string_view target);

// Connect's name of a status code ("not_found") and its HTTP status (404).
const char* ConnectCodeName(absl::StatusCode code);
int HttpStatusOf(absl::StatusCode code);

// A Connect error body: {"code":"not_found","message":"..."} (no message
// member when the message is empty).
std::string ErrorBody(const absl::Status& status);

// The Content-Type of an answer in `codec`.
const char* ContentTypeOf(Codec codec);

// The streaming form. Each message, and the end of the stream, is an
// envelope: one flag byte, the length as 4 bytes big-endian, the payload.
inline constexpr uint8_t kEnvelopeCompressed = 0x01;
inline constexpr uint8_t kEnvelopeEndStream = 0x02;
inline constexpr size_t kEnvelopeHeaderBytes = 5;

// The Content-Type of a stream in `codec` ("application/connect+json").
const char* StreamContentTypeOf(Codec codec);

// One envelope around `payload`.
std::string Envelope(uint8_t flags, absl::string_view payload);

// The one message of a server stream's request: its body is exactly one
// envelope with flag 0. INVALID_ARGUMENT naming the rule otherwise (a
// short or longer body than its length says, the compressed flag, which
// this port does not support, an end-of-stream or unknown flag).
absl::StatusOr<std::string> RequestMessage(absl::string_view body);

// The end-of-stream envelope's JSON: {} for OK, else
// {"error":{"code":"unauthenticated","message":"..."}} with the code names
// of the unary form.
std::string EndStreamBody(const absl::Status& status);

}  // namespace schakel::web

#endif  // SCHAKEL_SERVER_WEB_CONNECT_PROTOCOL_H_
