// The purpose of use (doel van de verwerking) a request records in the audit
// log: a code from the deployment's list, never free text, unless the
// deployment allows "anders" (other) with a short text. Codes are ASCII
// because they travel in gRPC metadata (x-schakel-purpose); their Dutch
// labels are reference data for people reading the log. Pure code.
#ifndef SCHAKEL_SERVER_DOMAIN_PURPOSE_H_
#define SCHAKEL_SERVER_DOMAIN_PURPOSE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace schakel::domain {

// The metadata key a client sends its purpose in.
inline constexpr char kPurposeMetadata[] = "x-schakel-purpose";
// The code of "other": sent as "anders:<text>", where the deployment allows it.
inline constexpr char kOtherPurpose[] = "anders";
// The longest text after "anders:".
inline constexpr size_t kMaxOtherPurposeText = 80;

struct PurposeCode {
  std::string code;      // e.g. "zorgcoordinatie": 2 to 32 of [a-z0-9-], starting with a letter
  std::string label_nl;  // e.g. "Zorgcoördinatie rond een bewoner"
};

struct PurposePolicy {
  std::vector<PurposeCode> codes;
  // Recorded when a request sends no purpose; one of `codes`.
  std::string default_code;
  // Whether "anders:<text>" is accepted.
  bool allow_other = false;
};

// The list a deployment has unless its configuration names its own: the
// purposes of the programme's work (docs/design.md, "The audit log").
const PurposePolicy& DefaultPurposePolicy();

// INVALID_ARGUMENT naming `purposes` unless every code has the format above,
// no code repeats, every label is set, "anders" is not among the codes and
// the default is one of them.
absl::Status ValidatePurposePolicy(const PurposePolicy& policy);

// What the audit entry records for a request that sent `sent` (nullopt or
// empty: none): the default code; a known code; "anders: <text>" when
// allowed. INVALID_ARGUMENT naming x-schakel-purpose and the rule (listing
// the allowed codes) otherwise; the message never repeats what was sent.
absl::StatusOr<std::string> ResolvePurpose(const PurposePolicy& policy,
                                           std::optional<absl::string_view> sent);

// The allowed codes, comma-separated (for messages and help texts).
std::string PurposeCodeList(const PurposePolicy& policy);

// What an audit entry records as its purpose when the request's purpose was
// refused.
inline constexpr char kInvalidPurposeMarker[] = "[invalid]";

}  // namespace schakel::domain

#endif  // SCHAKEL_SERVER_DOMAIN_PURPOSE_H_
