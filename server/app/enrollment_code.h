// One-time enrollment codes: made at random, shown once, kept as a hash.
#ifndef SCHAKEL_SERVER_APP_ENROLLMENT_CODE_H_
#define SCHAKEL_SERVER_APP_ENROLLMENT_CODE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace schakel::app {

struct EnrollmentCode {
  std::string code;  // as shown to the administrator: "K7QM-2ZXA-..."
  std::string hash;  // what the store keeps
};

// A new code of domain::kEnrollmentCodeBytes random bytes.
absl::StatusOr<EnrollmentCode> NewEnrollmentCode();

// The stored hash of a typed code; INVALID_ARGUMENT "code: ..." when it
// cannot be a code.
absl::StatusOr<std::string> EnrollmentCodeHash(absl::string_view typed);

}  // namespace schakel::app

#endif  // SCHAKEL_SERVER_APP_ENROLLMENT_CODE_H_
