#include "server/domain/page_token.h"

#include "absl/strings/str_cat.h"

namespace schakel::domain {

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
