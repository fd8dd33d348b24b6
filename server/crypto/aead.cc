#include "server/crypto/aead.h"

#include <openssl/evp.h>
#include <openssl/kdf.h>

#include "server/common/status_macros.h"
#include "server/crypto/openssl_util.h"

namespace schakel::crypto {
namespace {

const unsigned char* Bytes(absl::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

absl::StatusOr<Sealed> AeadSeal(absl::string_view key, absl::string_view aad,
                                absl::string_view plain) {
  if (key.size() != kAeadKeyBytes) return absl::InternalError("AES-256-GCM: key must be 32 bytes");
  Sealed out;
  ASSIGN_OR_RETURN(out.nonce, RandomBytes(kAeadNonceBytes));
  out.ciphertext.assign(plain.size(), '\0');
  out.tag.assign(kAeadTagBytes, '\0');
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  bool ok =
      ctx &&
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key), Bytes(out.nonce)) ==
          1 &&
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, Bytes(aad), static_cast<int>(aad.size())) == 1 &&
      EVP_EncryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.ciphertext.data()), &len,
                        Bytes(plain), static_cast<int>(plain.size())) == 1 &&
      EVP_EncryptFinal_ex(ctx.get(), nullptr, &len) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kAeadTagBytes, out.tag.data()) == 1;
  if (!ok) return OpenSslError("AES-256-GCM encryption");
  return out;
}

absl::StatusOr<std::string> DeriveAeadKey(absl::string_view secret, absl::string_view info) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nullptr));
  std::string key(kAeadKeyBytes, '\0');
  size_t len = key.size();
  bool ok = ctx && EVP_PKEY_derive_init(ctx.get()) == 1 &&
            EVP_PKEY_CTX_set_hkdf_md(ctx.get(), EVP_sha256()) == 1 &&
            EVP_PKEY_CTX_set1_hkdf_key(ctx.get(), Bytes(secret),
                                       static_cast<int>(secret.size())) == 1 &&
            EVP_PKEY_CTX_add1_hkdf_info(ctx.get(), Bytes(info), static_cast<int>(info.size())) ==
                1 &&
            EVP_PKEY_derive(ctx.get(), reinterpret_cast<unsigned char*>(key.data()), &len) == 1 &&
            len == key.size();
  if (!ok) return OpenSslError("HKDF-SHA256");
  return key;
}

absl::StatusOr<std::string> AeadOpen(absl::string_view key, absl::string_view aad,
                                     const Sealed& sealed) {
  const absl::Status refused = absl::PermissionDeniedError("does not authenticate");
  if (key.size() != kAeadKeyBytes || sealed.nonce.size() != kAeadNonceBytes ||
      sealed.tag.size() != kAeadTagBytes) {
    return refused;
  }
  std::string plain(sealed.ciphertext.size(), '\0');
  std::string tag = sealed.tag;
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  bool ok =
      ctx &&
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key),
                         Bytes(sealed.nonce)) == 1 &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, Bytes(aad), static_cast<int>(aad.size())) == 1 &&
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()), &len,
                        Bytes(sealed.ciphertext), static_cast<int>(sealed.ciphertext.size())) ==
          1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kAeadTagBytes, tag.data()) == 1 &&
      EVP_DecryptFinal_ex(ctx.get(), nullptr, &len) == 1;
  if (!ok) {
    Cleanse(plain);
    return refused;
  }
  return plain;
}

}  // namespace schakel::crypto
