// AES-256-GCM with associated data: the one authenticated encryption of
// schakel (the wrapped database key, backups, page tokens, break-glass
// reasons).
#ifndef SCHAKEL_SERVER_CRYPTO_AEAD_H_
#define SCHAKEL_SERVER_CRYPTO_AEAD_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace schakel::crypto {

inline constexpr size_t kAeadKeyBytes = 32;
inline constexpr size_t kAeadNonceBytes = 12;
inline constexpr size_t kAeadTagBytes = 16;

struct Sealed {
  std::string nonce;       // kAeadNonceBytes, random per seal
  std::string ciphertext;  // as long as the plaintext
  std::string tag;         // kAeadTagBytes
};

// Encrypts `plain` under the 32-byte `key` with a fresh random nonce,
// authenticating `aad` with it. INTERNAL when OpenSSL fails.
absl::StatusOr<Sealed> AeadSeal(absl::string_view key, absl::string_view aad,
                                absl::string_view plain);

// HKDF-SHA256 (RFC 5869) of `secret` with no salt and `info`: a
// kAeadKeyBytes key for AeadSeal, always the same for the same inputs (a key
// derived from a secret the deployment keeps, never stored itself).
// INTERNAL when OpenSSL fails.
absl::StatusOr<std::string> DeriveAeadKey(absl::string_view secret, absl::string_view info);

// The plaintext, or PERMISSION_DENIED ("does not authenticate") when the key,
// the associated data, the nonce, the ciphertext or the tag differ from the
// seal's, or are malformed. Never says which.
absl::StatusOr<std::string> AeadOpen(absl::string_view key, absl::string_view aad,
                                     const Sealed& sealed);

}  // namespace schakel::crypto

#endif  // SCHAKEL_SERVER_CRYPTO_AEAD_H_
