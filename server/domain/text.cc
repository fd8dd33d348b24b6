#include "server/domain/text.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace schakel::domain {

absl::Status ValidateText(absl::string_view field, absl::string_view value, size_t max_length,
                          bool multiline) {
  if (value.empty()) return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  return ValidateOptionalText(field, value, max_length, multiline);
}

absl::Status ValidateOptionalText(absl::string_view field, absl::string_view value,
                                  size_t max_length, bool multiline) {
  if (value.size() > max_length) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": at most ", max_length, " characters"));
  }
  for (char ch : value) {
    auto c = static_cast<unsigned char>(ch);
    bool allowed_whitespace = multiline && (c == '\n' || c == '\r' || c == '\t');
    if ((c < 0x20 || c == 0x7f) && !allowed_whitespace) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": must not contain control characters"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateId(absl::string_view field, absl::string_view id) {
  if (id.empty()) return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  if (id.size() > 64 || !std::all_of(id.begin(), id.end(), [](char c) {
        return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
      })) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must be 1 to 64 characters of A-Z, a-z, 0-9, '-' or '_'"));
  }
  return absl::OkStatus();
}

std::string CanonicalFields(std::initializer_list<absl::string_view> fields) {
  std::string out;
  for (absl::string_view f : fields) absl::StrAppend(&out, f.size(), ":", f, ";");
  return out;
}

}  // namespace schakel::domain
