#include "server/domain/listen_address.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace schakel::domain {
namespace {

bool IsHostChar(char c) { return absl::ascii_isalnum(c) || c == '.' || c == '-' || c == '_'; }
bool IsIpv6Char(char c) { return absl::ascii_isxdigit(c) || c == ':' || c == '.'; }

}  // namespace

absl::StatusOr<ListenAddress> ParseListenAddress(absl::string_view field,
                                                 absl::string_view text) {
  auto refuse = [&](absl::string_view rule) {
    // The value is shown only when it is short and printable ASCII.
    bool printable = text.size() <= 100;
    for (char c : text) printable = printable && absl::ascii_isprint(c);
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": ", printable ? absl::StrCat("\"", text, "\" ") : "", rule,
        " (HOST:PORT, e.g. 127.0.0.1:7443 or [::1]:7443)"));
  };
  const size_t colon = text.rfind(':');
  if (colon == absl::string_view::npos) return refuse("has no port");
  absl::string_view host = text.substr(0, colon);
  absl::string_view port_text = text.substr(colon + 1);
  if (port_text.empty()) return refuse("has no port");
  int port = -1;
  bool digits = port_text.size() <= 5;
  for (char c : port_text) digits = digits && absl::ascii_isdigit(c);
  if (!digits || !absl::SimpleAtoi(port_text, &port) || port > 65535) {
    return refuse("must end in a port from 0 to 65535");
  }
  if (host.empty()) return refuse("has no host");
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return refuse("has an unclosed [IPv6] host");
    for (char c : host.substr(1, host.size() - 2)) {
      if (!IsIpv6Char(c)) return refuse("has an invalid IPv6 host");
    }
  } else {
    for (char c : host) {
      if (!IsHostChar(c)) return refuse("has an invalid host (an IPv6 address needs [brackets])");
    }
  }
  return ListenAddress{std::string(host), port};
}

}  // namespace schakel::domain
