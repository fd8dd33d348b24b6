#include "server/app/page_tokens.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/crypto/aead.h"
#include "server/crypto/openssl_util.h"

namespace schakel::app {
namespace {

// Longer is not a token of ours: refused before any work.
constexpr size_t kMaxTokenChars = 1024;

std::string AssociatedData(const PageScope& scope) {
  return absl::StrCat("schakel page v2", FilterText({scope.list, scope.caller}), scope.filter);
}

absl::Status NotOurs() {
  return absl::InvalidArgumentError(
      "page_token: not a token of this list, caller and filter (or from before the server "
      "restarted): start again without page_token");
}

}  // namespace

std::string FilterText(std::initializer_list<absl::string_view> fields) {
  std::string out;
  for (absl::string_view f : fields) absl::StrAppend(&out, f.size(), ":", f, ";");
  return out;
}

absl::StatusOr<PageTokens> PageTokens::Create() {
  ASSIGN_OR_RETURN(std::string key, crypto::RandomBytes(crypto::kAeadKeyBytes));
  return PageTokens(std::move(key));
}

absl::StatusOr<std::string> PageTokens::Seal(const PageScope& scope,
                                             absl::string_view last_key) const {
  ASSIGN_OR_RETURN(crypto::Sealed sealed, crypto::AeadSeal(key_, AssociatedData(scope), last_key));
  return absl::WebSafeBase64Escape(absl::StrCat(sealed.nonce, sealed.tag, sealed.ciphertext));
}

absl::StatusOr<std::string> PageTokens::Open(const PageScope& scope,
                                             absl::string_view token) const {
  if (token.empty()) return std::string();
  std::string raw;
  if (token.size() > kMaxTokenChars || !absl::WebSafeBase64Unescape(token, &raw) ||
      raw.size() <= crypto::kAeadNonceBytes + crypto::kAeadTagBytes) {
    return NotOurs();
  }
  crypto::Sealed sealed{raw.substr(0, crypto::kAeadNonceBytes),
                        raw.substr(crypto::kAeadNonceBytes + crypto::kAeadTagBytes),
                        raw.substr(crypto::kAeadNonceBytes, crypto::kAeadTagBytes)};
  absl::StatusOr<std::string> key = crypto::AeadOpen(key_, AssociatedData(scope), sealed);
  if (!key.ok() || key->empty()) return NotOurs();
  return key;
}

}  // namespace schakel::app
