// Opaque page tokens for keyset pagination: the key of the last row of a
// page, tagged with the list it belongs to, in URL-safe base64. A token is
// not a secret and not trusted: it only says where to continue, and the
// query still applies every filter and the policy.
#ifndef SCHAKEL_SERVER_DOMAIN_PAGE_TOKEN_H_
#define SCHAKEL_SERVER_DOMAIN_PAGE_TOKEN_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace schakel::domain {

std::string EncodePageToken(absl::string_view list, absl::string_view last_key);

// The last key; "" for an empty token. INVALID_ARGUMENT naming page_token
// when the token was not made for `list`.
absl::StatusOr<std::string> DecodePageToken(absl::string_view list, absl::string_view token);

// The page size to use: `requested` when 1..max, `default_size` for 0;
// INVALID_ARGUMENT naming page_size otherwise.
absl::StatusOr<int> ResolvePageSize(int requested, int default_size, int max_size);

}  // namespace schakel::domain

#endif  // SCHAKEL_SERVER_DOMAIN_PAGE_TOKEN_H_
