// The address schakeld listens on, checked before anything binds: gRPC
// takes "127.0.0.1:99999" as some random port and a missing port as 443
// without a word, so a typo would serve somewhere nobody looks.
#ifndef SCHAKEL_SERVER_DOMAIN_LISTEN_ADDRESS_H_
#define SCHAKEL_SERVER_DOMAIN_LISTEN_ADDRESS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace schakel::domain {

struct ListenAddress {
  std::string host;  // a name, an IPv4 address, or [an IPv6 address]
  int port = 0;      // 0: a free port, chosen at bind time (tests)
};

// HOST:PORT with PORT a decimal number from 0 to 65535 and HOST a DNS name,
// an IPv4 address or a bracketed IPv6 address. INVALID_ARGUMENT naming
// `field`, the value and the rule otherwise.
absl::StatusOr<ListenAddress> ParseListenAddress(absl::string_view field,
                                                 absl::string_view text);

}  // namespace schakel::domain

#endif  // SCHAKEL_SERVER_DOMAIN_LISTEN_ADDRESS_H_
