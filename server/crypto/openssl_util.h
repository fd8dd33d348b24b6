// RAII ownership of OpenSSL objects and the one place OpenSSL errors become
// statuses.
#ifndef SCHAKEL_SERVER_CRYPTO_OPENSSL_UTIL_H_
#define SCHAKEL_SERVER_CRYPTO_OPENSSL_UTIL_H_

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace schakel::crypto {

struct EvpPkeyFree { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct EvpPkeyCtxFree { void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); } };
struct EvpCipherCtxFree { void operator()(EVP_CIPHER_CTX* p) const { EVP_CIPHER_CTX_free(p); } };
struct X509Free { void operator()(X509* p) const { X509_free(p); } };
struct X509ReqFree { void operator()(X509_REQ* p) const { X509_REQ_free(p); } };
struct BioFree { void operator()(BIO* p) const { BIO_free_all(p); } };

using PkeyPtr = std::unique_ptr<EVP_PKEY, EvpPkeyFree>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, EvpPkeyCtxFree>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, EvpCipherCtxFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using X509ReqPtr = std::unique_ptr<X509_REQ, X509ReqFree>;
using BioPtr = std::unique_ptr<BIO, BioFree>;

// INTERNAL naming `what`, with OpenSSL's queued error reason appended (these
// never hold key material). Clears the error queue.
absl::Status OpenSslError(const std::string& what);

// `n` bytes from OpenSSL's CSPRNG.
absl::StatusOr<std::string> RandomBytes(size_t n);

// SHA-256 of `data`, raw bytes.
std::string Sha256(const std::string& data);

std::string HexEncode(const std::string& bytes);

// SHA-256 for hashing many small inputs in a row (verifying the audit
// chain): the algorithm is fetched once and one digest context is reused.
// OpenSSL 3's one-shot SHA256() looks the algorithm up under a lock and
// allocates a context on every call, which costs more than hashing a few
// hundred bytes. Not thread-safe: one per thread.
class Sha256Hasher {
 public:
  static constexpr size_t kSize = 32;
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;

  // The digest of `data` into `out` (kSize bytes); false when OpenSSL fails
  // (no SHA-256 provider, out of memory).
  bool Digest(absl::string_view data, unsigned char* out);

 private:
  EVP_MD* md_;
  EVP_MD_CTX* ctx_;
};

// Writes the lower-case hex of `n` bytes at `bytes` to `out` (2n chars).
void HexEncodeTo(const unsigned char* bytes, size_t n, char* out);
// INVALID_ARGUMENT unless `hex` is an even number of hex digits.
absl::StatusOr<std::string> HexDecode(const std::string& hex);

// Overwrites a secret before its memory is released.
void Cleanse(std::string& secret);

}  // namespace schakel::crypto

#endif  // SCHAKEL_SERVER_CRYPTO_OPENSSL_UTIL_H_
