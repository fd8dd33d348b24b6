#include "server/crypto/key_wrap.h"

#include <openssl/evp.h>

#include "server/common/status_macros.h"
#include "server/crypto/aead.h"
#include "server/crypto/openssl_util.h"

namespace schakel::crypto {
namespace {

constexpr uint64_t kScryptN = 1u << 15;
constexpr uint32_t kScryptR = 8;
constexpr uint32_t kScryptP = 1;
// OpenSSL's default cap (maxmem = 0) is 32 MiB, which N=2^15, r=8 exceeds:
// 128 * r * N = 32 MiB plus working space. 64 MiB leaves room.
constexpr uint64_t kScryptMaxMem = 64ull * 1024 * 1024;
constexpr char kAad[] = "schakel database key v1";

absl::StatusOr<std::string> DeriveKek(const std::string& passphrase, const std::string& salt,
                                      uint64_t n, uint32_t r, uint32_t p) {
  std::string kek(32, '\0');
  if (EVP_PBE_scrypt(passphrase.data(), passphrase.size(),
                     reinterpret_cast<const unsigned char*>(salt.data()), salt.size(), n, r, p,
                     kScryptMaxMem, reinterpret_cast<unsigned char*>(kek.data()),
                     kek.size()) != 1) {
    return OpenSslError("scrypt key derivation");
  }
  return kek;
}

}  // namespace

absl::StatusOr<std::string> NewDatabaseKey() { return RandomBytes(kDatabaseKeyBytes); }

absl::StatusOr<config::WrappedKey> WrapKey(const std::string& key,
                                           const std::string& passphrase) {
  if (key.size() != kDatabaseKeyBytes) return absl::InvalidArgumentError("key must be 32 bytes");
  if (passphrase.empty()) return absl::InvalidArgumentError("passphrase is empty");
  config::WrappedKey out;
  out.set_version(1);
  out.set_scrypt_n(kScryptN);
  out.set_scrypt_r(kScryptR);
  out.set_scrypt_p(kScryptP);
  ASSIGN_OR_RETURN(std::string salt, RandomBytes(16));
  ASSIGN_OR_RETURN(std::string kek, DeriveKek(passphrase, salt, kScryptN, kScryptR, kScryptP));

  absl::StatusOr<Sealed> sealed = AeadSeal(kek, kAad, key);
  Cleanse(kek);
  RETURN_IF_ERROR(sealed.status());
  out.set_salt(salt);
  out.set_nonce(sealed->nonce);
  out.set_ciphertext(sealed->ciphertext);
  out.set_tag(sealed->tag);
  return out;
}

absl::StatusOr<std::string> UnwrapKey(const config::WrappedKey& wrapped,
                                      const std::string& passphrase) {
  if (wrapped.version() != 1) return absl::InvalidArgumentError("unknown wrapped key version");
  if (wrapped.nonce().size() != kAeadNonceBytes || wrapped.tag().size() != kAeadTagBytes ||
      wrapped.ciphertext().size() != kDatabaseKeyBytes || wrapped.salt().empty()) {
    return absl::InvalidArgumentError("wrapped key is malformed");
  }
  // Bound the parameters so that a tampered file cannot make us allocate
  // gigabytes.
  if (wrapped.scrypt_n() < 2 || wrapped.scrypt_n() > (1u << 20) || wrapped.scrypt_r() == 0 ||
      wrapped.scrypt_r() > 16 || wrapped.scrypt_p() == 0 || wrapped.scrypt_p() > 4) {
    return absl::InvalidArgumentError("wrapped key has scrypt parameters out of range");
  }
  ASSIGN_OR_RETURN(std::string kek, DeriveKek(passphrase, wrapped.salt(), wrapped.scrypt_n(),
                                              wrapped.scrypt_r(), wrapped.scrypt_p()));
  absl::StatusOr<std::string> key =
      AeadOpen(kek, kAad, Sealed{wrapped.nonce(), wrapped.ciphertext(), wrapped.tag()});
  Cleanse(kek);
  if (!key.ok()) {
    return absl::PermissionDeniedError(
        "cannot unwrap the database key: wrong key-encryption key or altered key file");
  }
  return key;
}

}  // namespace schakel::crypto
