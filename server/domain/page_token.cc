#include "server/domain/page_token.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace schakel::domain {

std::string EncodePageToken(absl::string_view list, absl::string_view last_key) {
  return absl::WebSafeBase64Escape(absl::StrCat("v1|", list, "|", last_key));
}

absl::StatusOr<std::string> DecodePageToken(absl::string_view list, absl::string_view token) {
  if (token.empty()) return std::string();
  std::string raw;
  std::string prefix = absl::StrCat("v1|", list, "|");
  if (token.size() > 1024 || !absl::WebSafeBase64Unescape(token, &raw) ||
      !absl::StartsWith(raw, prefix) || raw.size() == prefix.size()) {
    return absl::InvalidArgumentError("page_token: not a token from this list");
  }
  return raw.substr(prefix.size());
}

absl::StatusOr<int> ResolvePageSize(int requested, int default_size, int max_size) {
  if (requested == 0) return default_size;
  if (requested < 0 || requested > max_size) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size: must be between 1 and ", max_size, " (0 means ", default_size,
                     ")"));
  }
  return requested;
}

}  // namespace schakel::domain
