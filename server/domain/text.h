// Rules for free text and identifiers in requests, shared by every
// aggregate so that each field is checked the same way.
#ifndef SCHAKEL_SERVER_DOMAIN_TEXT_H_
#define SCHAKEL_SERVER_DOMAIN_TEXT_H_

#include <initializer_list>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace schakel::domain {

inline constexpr size_t kMaxNameLength = 200;
inline constexpr size_t kMaxDescriptionLength = 10000;

// INVALID_ARGUMENT naming `field` unless `value` is 1..max_length bytes and,
// unless `multiline`, holds no control characters. (Valid UTF-8 is
// guaranteed by protobuf's parser.)
absl::Status ValidateText(absl::string_view field, absl::string_view value, size_t max_length,
                          bool multiline = false);

// As ValidateText, but empty is allowed.
absl::Status ValidateOptionalText(absl::string_view field, absl::string_view value,
                                  size_t max_length, bool multiline = false);

// INVALID_ARGUMENT naming `field` unless `id` is 1..64 characters of
// [A-Za-z0-9_-] (the shape of every schakel id and seed code).
absl::Status ValidateId(absl::string_view field, absl::string_view id);

// Length-prefixed concatenation: no two different field lists share an
// encoding. Used to fingerprint a create request for idempotency.
std::string CanonicalFields(std::initializer_list<absl::string_view> fields);

}  // namespace schakel::domain

#endif  // SCHAKEL_SERVER_DOMAIN_TEXT_H_
