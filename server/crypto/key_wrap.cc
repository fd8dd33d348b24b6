#include "server/crypto/key_wrap.h"

#include <openssl/evp.h>

#include "server/common/status_macros.h"
#include "server/crypto/openssl_util.h"

namespace schakel::crypto {
namespace {

constexpr uint64_t kScryptN = 1u << 15;
constexpr uint32_t kScryptR = 8;
constexpr uint32_t kScryptP = 1;
// OpenSSL's default cap (maxmem = 0) is 32 MiB, which N=2^15, r=8 exceeds:
// 128 * r * N = 32 MiB plus working space. 64 MiB leaves room.
constexpr uint64_t kScryptMaxMem = 64ull * 1024 * 1024;
constexpr size_t kNonceBytes = 12;
constexpr size_t kTagBytes = 16;
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
  ASSIGN_OR_RETURN(std::string nonce, RandomBytes(kNonceBytes));
  ASSIGN_OR_RETURN(std::string kek, DeriveKek(passphrase, salt, kScryptN, kScryptR, kScryptP));

  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  std::string ct(key.size(), '\0');
  std::string tag(kTagBytes, '\0');
  int len = 0;
  bool ok =
      ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr,
                                reinterpret_cast<const unsigned char*>(kek.data()),
                                reinterpret_cast<const unsigned char*>(nonce.data())) == 1 &&
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(kAad),
                        sizeof(kAad) - 1) == 1 &&
      EVP_EncryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(ct.data()), &len,
                        reinterpret_cast<const unsigned char*>(key.data()),
                        static_cast<int>(key.size())) == 1 &&
      EVP_EncryptFinal_ex(ctx.get(), nullptr, &len) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, tag.data()) == 1;
  Cleanse(kek);
  if (!ok) return OpenSslError("AES-256-GCM key wrap");
  out.set_salt(salt);
  out.set_nonce(nonce);
  out.set_ciphertext(ct);
  out.set_tag(tag);
  return out;
}

absl::StatusOr<std::string> UnwrapKey(const config::WrappedKey& wrapped,
                                      const std::string& passphrase) {
  if (wrapped.version() != 1) return absl::InvalidArgumentError("unknown wrapped key version");
  if (wrapped.nonce().size() != kNonceBytes || wrapped.tag().size() != kTagBytes ||
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
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  std::string key(wrapped.ciphertext().size(), '\0');
  std::string tag = wrapped.tag();
  int len = 0;
  bool ok =
      ctx &&
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr,
                         reinterpret_cast<const unsigned char*>(kek.data()),
                         reinterpret_cast<const unsigned char*>(wrapped.nonce().data())) == 1 &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(kAad),
                        sizeof(kAad) - 1) == 1 &&
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(key.data()), &len,
                        reinterpret_cast<const unsigned char*>(wrapped.ciphertext().data()),
                        static_cast<int>(wrapped.ciphertext().size())) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) == 1 &&
      EVP_DecryptFinal_ex(ctx.get(), nullptr, &len) == 1;
  Cleanse(kek);
  if (!ok) {
    Cleanse(key);
    return absl::PermissionDeniedError(
        "cannot unwrap the database key: wrong key-encryption key or altered key file");
  }
  return key;
}

}  // namespace schakel::crypto
