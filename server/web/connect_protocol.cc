#include "server/web/connect_protocol.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "server/common/status_macros.h"

namespace schakel::web {
namespace {

// The media type without parameters, lower case ("application/json").
std::string MediaType(absl::string_view content_type) {
  absl::string_view type = content_type.substr(0, content_type.find(';'));
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(type));
}

// Only charset=utf-8 may qualify a JSON body (Connect: JSON is UTF-8).
bool ParametersAllowed(absl::string_view content_type) {
  size_t semi = content_type.find(';');
  if (semi == absl::string_view::npos) return true;
  std::string params = absl::AsciiStrToLower(content_type.substr(semi + 1));
  params.erase(std::remove(params.begin(), params.end(), ' '), params.end());
  return params == "charset=utf-8";
}

}  // namespace

bool IsApiPath(absl::string_view target) { return absl::StartsWith(target, kApiPrefix); }

std::string MethodPath(absl::string_view target) {
  return std::string(target.substr(0, target.find('?')));
}

namespace {

// The browser-safety rules of both forms; `streams` says whether the
// streaming content types are accepted (the unary check alone refuses them).
absl::StatusOr<ApiForm> CheckRequest(const ApiRequestHead& head,
                                     const std::vector<std::string>& allowed_origins,
                                     bool streams, Refusal* refusal) {
  auto refuse = [refusal](int http, absl::Status status) {
    refusal->http_status = http;
    refusal->status = status;
    return status;
  };
  if (head.method != "POST") {
    refusal->header_name = "Allow";
    refusal->header_value = "POST";
    return refuse(405, absl::InvalidArgumentError(
                           "method: an API call is a POST (Connect protocol, unary)"));
  }
  const std::string type = MediaType(head.content_type);
  const bool bare = type.size() == head.content_type.size();
  std::optional<ApiForm> form;
  if (type == "application/json" && ParametersAllowed(head.content_type)) {
    form = ApiForm{Codec::kJson, false};
  }
  if (type == "application/proto" && bare) form = ApiForm{Codec::kProto, false};
  if (streams && type == "application/connect+json" && ParametersAllowed(head.content_type)) {
    form = ApiForm{Codec::kJson, true};
  }
  if (streams && type == "application/connect+proto" && bare) form = ApiForm{Codec::kProto, true};
  if (!form) {
    return refuse(415, absl::InvalidArgumentError(
                           streams ? "Content-Type: must be application/json or application/proto "
                                     "(a stream: application/connect+json or "
                                     "application/connect+proto)"
                                   : "Content-Type: must be application/json or application/proto"));
  }
  if (head.origin && std::find(allowed_origins.begin(), allowed_origins.end(), *head.origin) ==
                         allowed_origins.end()) {
    return refuse(403, absl::PermissionDeniedError(
                           "Origin: not one of this console's origins (no cross-origin calls)"));
  }
  if (head.content_encoding && absl::AsciiStrToLower(*head.content_encoding) != "identity") {
    return refuse(415, absl::UnimplementedError(
                           "Content-Encoding: only identity (uncompressed) bodies are accepted"));
  }
  if (form->streaming && head.connect_content_encoding &&
      absl::AsciiStrToLower(*head.connect_content_encoding) != "identity") {
    return refuse(415, absl::UnimplementedError(
                           "Connect-Content-Encoding: only identity (uncompressed) messages are "
                           "accepted"));
  }
  if (head.timeout_ms) {
    absl::StatusOr<absl::Time> deadline = ParseTimeout(head.timeout_ms, absl::UnixEpoch());
    if (!deadline.ok()) return refuse(400, deadline.status());
  }
  return *form;
}

}  // namespace

absl::StatusOr<Codec> CheckApiRequest(const ApiRequestHead& head,
                                      const std::vector<std::string>& allowed_origins,
                                      Refusal* refusal) {
  ASSIGN_OR_RETURN(ApiForm form, CheckRequest(head, allowed_origins, false, refusal));
  return form.codec;
}

absl::StatusOr<ApiForm> CheckConnectRequest(const ApiRequestHead& head,
                                            const std::vector<std::string>& allowed_origins,
                                            Refusal* refusal) {
  return CheckRequest(head, allowed_origins, true, refusal);
}

absl::StatusOr<absl::Time> ParseTimeout(const std::optional<std::string>& timeout_ms,
                                        absl::Time now) {
  if (!timeout_ms) return absl::InfiniteFuture();
  const std::string& v = *timeout_ms;
  int64_t ms = 0;
  if (v.empty() || v.size() > 10 || !std::all_of(v.begin(), v.end(), absl::ascii_isdigit) ||
      !absl::SimpleAtoi(v, &ms)) {
    return absl::InvalidArgumentError(
        "Connect-Timeout-Ms: must be 1 to 10 digits (milliseconds)");
  }
  return now + absl::Milliseconds(ms);
}

const char* ConnectCodeName(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk: return "ok";
    case absl::StatusCode::kCancelled: return "canceled";
    case absl::StatusCode::kUnknown: return "unknown";
    case absl::StatusCode::kInvalidArgument: return "invalid_argument";
    case absl::StatusCode::kDeadlineExceeded: return "deadline_exceeded";
    case absl::StatusCode::kNotFound: return "not_found";
    case absl::StatusCode::kAlreadyExists: return "already_exists";
    case absl::StatusCode::kPermissionDenied: return "permission_denied";
    case absl::StatusCode::kResourceExhausted: return "resource_exhausted";
    case absl::StatusCode::kFailedPrecondition: return "failed_precondition";
    case absl::StatusCode::kAborted: return "aborted";
    case absl::StatusCode::kOutOfRange: return "out_of_range";
    case absl::StatusCode::kUnimplemented: return "unimplemented";
    case absl::StatusCode::kInternal: return "internal";
    case absl::StatusCode::kUnavailable: return "unavailable";
    case absl::StatusCode::kDataLoss: return "data_loss";
    case absl::StatusCode::kUnauthenticated: return "unauthenticated";
    default: return "unknown";
  }
}

int HttpStatusOf(absl::StatusCode code) {
  // connectrpc.com/docs/protocol, "Error Codes".
  switch (code) {
    case absl::StatusCode::kOk: return 200;
    case absl::StatusCode::kCancelled: return 499;
    case absl::StatusCode::kInvalidArgument: return 400;
    case absl::StatusCode::kDeadlineExceeded: return 504;
    case absl::StatusCode::kNotFound: return 404;
    case absl::StatusCode::kAlreadyExists: return 409;
    case absl::StatusCode::kPermissionDenied: return 403;
    case absl::StatusCode::kResourceExhausted: return 429;
    case absl::StatusCode::kFailedPrecondition: return 400;
    case absl::StatusCode::kAborted: return 409;
    case absl::StatusCode::kOutOfRange: return 400;
    case absl::StatusCode::kUnimplemented: return 501;
    case absl::StatusCode::kUnavailable: return 503;
    case absl::StatusCode::kUnauthenticated: return 401;
    default: return 500;  // unknown, internal, data_loss
  }
}

std::string ErrorBody(const absl::Status& status) {
  // protobuf's JSON printer escapes the message (no hand-made escaping);
  // the members are put in Connect's order around it.
  std::string body = absl::StrCat("{\"code\":\"", ConnectCodeName(status.code()), "\"");
  if (!status.message().empty()) {
    google::protobuf::Value message;
    message.set_string_value(std::string(status.message()));
    std::string quoted;
    // Not UTF-8 (never one of ours): no message rather than a broken body.
    if (google::protobuf::util::MessageToJsonString(message, &quoted).ok() && quoted != "\"\"") {
      absl::StrAppend(&body, ",\"message\":", quoted);
    }
  }
  body += "}";
  return body;
}

const char* ContentTypeOf(Codec codec) {
  return codec == Codec::kJson ? "application/json" : "application/proto";
}

const char* StreamContentTypeOf(Codec codec) {
  return codec == Codec::kJson ? "application/connect+json" : "application/connect+proto";
}

std::string Envelope(uint8_t flags, absl::string_view payload) {
  const uint32_t n = static_cast<uint32_t>(payload.size());
  std::string out;
  out.reserve(kEnvelopeHeaderBytes + payload.size());
  out.push_back(static_cast<char>(flags));
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((n >> shift) & 0xff));
  out.append(payload.data(), payload.size());
  return out;
}

absl::StatusOr<std::string> RequestMessage(absl::string_view body) {
  if (body.size() < kEnvelopeHeaderBytes) {
    return absl::InvalidArgumentError(
        "body: a stream's request is one envelope (1 flag byte, 4 length bytes, the message)");
  }
  const uint8_t flags = static_cast<uint8_t>(body[0]);
  if (flags & kEnvelopeCompressed) {
    return absl::InvalidArgumentError(
        "body: the envelope's compressed flag is set; only uncompressed messages are accepted");
  }
  if (flags != 0) {
    return absl::InvalidArgumentError("body: the request's envelope must have flag 0");
  }
  uint32_t n = 0;
  for (size_t i = 1; i < kEnvelopeHeaderBytes; ++i) n = (n << 8) | static_cast<uint8_t>(body[i]);
  if (body.size() - kEnvelopeHeaderBytes != n) {
    return absl::InvalidArgumentError(absl::StrCat(
        "body: the envelope says ", n, " bytes and carries ", body.size() - kEnvelopeHeaderBytes,
        " (exactly one message is sent)"));
  }
  return std::string(body.substr(kEnvelopeHeaderBytes));
}

std::string EndStreamBody(const absl::Status& status) {
  if (status.ok()) return "{}";
  return absl::StrCat("{\"error\":", ErrorBody(status), "}");
}

}  // namespace schakel::web
