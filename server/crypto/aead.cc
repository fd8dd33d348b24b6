#include "server/crypto/aead.h"

#include <openssl/evp.h>

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
