#include "server/app/enrollment_code.h"

#include "server/common/status_macros.h"
#include "server/crypto/openssl_util.h"
#include "server/domain/grant.h"

namespace schakel::app {

absl::StatusOr<EnrollmentCode> NewEnrollmentCode() {
  ASSIGN_OR_RETURN(std::string random, crypto::RandomBytes(domain::kEnrollmentCodeBytes));
  EnrollmentCode out;
  out.code = domain::FormatEnrollmentCode(random);
  ASSIGN_OR_RETURN(out.hash, EnrollmentCodeHash(out.code));
  return out;
}

absl::StatusOr<std::string> EnrollmentCodeHash(absl::string_view typed) {
  ASSIGN_OR_RETURN(std::string canonical, domain::NormalizeEnrollmentCode(typed));
  // 160 random bits: a plain SHA-256 cannot be reversed by guessing.
  return crypto::HexEncode(crypto::Sha256(canonical));
}

}  // namespace schakel::app
