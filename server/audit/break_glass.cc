#include "server/audit/break_glass.h"

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/crypto/aead.h"
#include "server/crypto/openssl_util.h"

namespace schakel::audit {
namespace {

void Put(std::string& out, absl::string_view field) {
  absl::StrAppend(&out, field.size(), ":", field, "\n");
}

// The session's fields but its reason, as the canonical encoding writes
// them; the associated data of the sealed reason.
std::string SessionFields(const BreakGlassSession& s) {
  std::string out;
  Put(out, s.id);
  Put(out, s.professional_id);
  Put(out, s.organisation_id);
  Put(out, s.resident_id);
  Put(out, absl::StrCat(absl::ToUnixMicros(s.start_time)));
  Put(out, absl::StrCat(absl::ToUnixMicros(s.end_time)));
  return out;
}

}  // namespace

std::string SessionCommitment(const BreakGlassSession& s) {
  std::string encoding = absl::StrCat("schakel-breakglass-v1\n", SessionFields(s));
  Put(encoding, s.sealed_reason);
  return crypto::HexEncode(crypto::Sha256(encoding));
}

absl::StatusOr<BreakGlassReasons> BreakGlassReasons::ForSigner(const CheckpointSigner& signer) {
  ASSIGN_OR_RETURN(std::string key, signer.DeriveKey(kReasonKeyInfo));
  return BreakGlassReasons(std::move(key));
}

absl::Status BreakGlassReasons::Seal(BreakGlassSession& s) const {
  const std::string aad = absl::StrCat("schakel-breakglass-reason-v1\n", SessionFields(s));
  ASSIGN_OR_RETURN(crypto::Sealed sealed, crypto::AeadSeal(key_, aad, s.reason));
  s.sealed_reason = absl::StrCat(sealed.nonce, sealed.ciphertext, sealed.tag);
  return absl::OkStatus();
}

absl::StatusOr<std::string> BreakGlassReasons::Reason(const BreakGlassSession& s) const {
  if (s.sealed_reason.empty()) return s.reason;
  const size_t overhead = crypto::kAeadNonceBytes + crypto::kAeadTagBytes;
  if (s.sealed_reason.size() < overhead) {
    return absl::PermissionDeniedError("does not authenticate");
  }
  crypto::Sealed sealed;
  sealed.nonce = s.sealed_reason.substr(0, crypto::kAeadNonceBytes);
  sealed.ciphertext =
      s.sealed_reason.substr(crypto::kAeadNonceBytes, s.sealed_reason.size() - overhead);
  sealed.tag = s.sealed_reason.substr(s.sealed_reason.size() - crypto::kAeadTagBytes);
  const std::string aad = absl::StrCat("schakel-breakglass-reason-v1\n", SessionFields(s));
  return crypto::AeadOpen(key_, aad, sealed);
}

}  // namespace schakel::audit
