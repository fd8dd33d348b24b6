// Page sizes of keyset pagination. (The tokens are sealed by
// app/page_tokens.h: a token is not trusted either way — it only says
// where to continue, and the query still applies every filter and the
// policy.)
#ifndef SCHAKEL_SERVER_DOMAIN_PAGE_TOKEN_H_
#define SCHAKEL_SERVER_DOMAIN_PAGE_TOKEN_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace schakel::domain {

// The page size to use: `requested` when 1..max, `default_size` for 0;
// INVALID_ARGUMENT naming page_size otherwise.
absl::StatusOr<int> ResolvePageSize(int requested, int default_size, int max_size);

}  // namespace schakel::domain

#endif  // SCHAKEL_SERVER_DOMAIN_PAGE_TOKEN_H_
