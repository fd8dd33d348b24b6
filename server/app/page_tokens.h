// Page tokens that reveal nothing and work only where they were made: the
// key of a page's last row, sealed (AES-256-GCM, crypto/aead.h) under a key
// made when the server starts, bound to the list, the caller and the
// filter of the request that made it. Keys of rows (sequence numbers,
// dates, ids) are never readable from a token, and a token of another
// caller, list or filter, an altered one, or one from before a restart is
// refused with INVALID_ARGUMENT naming page_token — the list then starts
// again from its first page.
//
// Thread-safe (immutable after construction).
#ifndef SCHAKEL_SERVER_APP_PAGE_TOKENS_H_
#define SCHAKEL_SERVER_APP_PAGE_TOKENS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace schakel::app {

// Where a token may be used: the list, who asked, and the request's filter
// written out canonically (every filter field, in a fixed order).
struct PageScope {
  absl::string_view list;
  absl::string_view caller;
  std::string filter;
};

class PageTokens {
 public:
  // With a fresh random key. INTERNAL when the random source fails.
  static absl::StatusOr<PageTokens> Create();
  // With the given 32-byte key (tests).
  explicit PageTokens(std::string key) : key_(std::move(key)) {}

  // The token for continuing after `last_key`.
  absl::StatusOr<std::string> Seal(const PageScope& scope, absl::string_view last_key) const;
  // The last key of the page the token continues; "" for an empty token.
  absl::StatusOr<std::string> Open(const PageScope& scope, absl::string_view token) const;

 private:
  std::string key_;
};

// The canonical form of a filter: its fields' values, each prefixed by its
// length, so that no two different filters write out the same.
std::string FilterText(std::initializer_list<absl::string_view> fields);

}  // namespace schakel::app

#endif  // SCHAKEL_SERVER_APP_PAGE_TOKENS_H_
