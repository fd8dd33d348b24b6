// The database key, wrapped under a key-encryption key (KEK).
//
// The KEK is a passphrase; scrypt (N=2^15, r=8, p=1) derives a 256-bit key
// from it and a random salt, and AES-256-GCM encrypts the 32-byte database
// key under it with a random nonce. The GCM tag authenticates the result, so
// a wrong passphrase is told apart from a damaged file only by the caller's
// context: both are "cannot unwrap".
#ifndef SCHAKEL_SERVER_CRYPTO_KEY_WRAP_H_
#define SCHAKEL_SERVER_CRYPTO_KEY_WRAP_H_

#include <string>

#include "absl/status/statusor.h"
#include "schakel/config/deployment.pb.h"

namespace schakel::crypto {

inline constexpr size_t kDatabaseKeyBytes = 32;

// A fresh random database key.
absl::StatusOr<std::string> NewDatabaseKey();

// Wraps `key` (32 bytes) under `passphrase`.
absl::StatusOr<config::WrappedKey> WrapKey(const std::string& key,
                                           const std::string& passphrase);

// Unwraps; PERMISSION_DENIED when the passphrase is wrong or the wrapped key
// was altered, INVALID_ARGUMENT when the message is malformed.
absl::StatusOr<std::string> UnwrapKey(const config::WrappedKey& wrapped,
                                      const std::string& passphrase);

}  // namespace schakel::crypto

#endif  // SCHAKEL_SERVER_CRYPTO_KEY_WRAP_H_
