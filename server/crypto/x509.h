// Keys, certificates and certificate signing requests for the deployment's
// own certificate authority: ECDSA P-256 keys, X.509 v3 certificates with
// the extensions TLS needs, 128-bit random serial numbers.
#ifndef SCHAKEL_SERVER_CRYPTO_X509_H_
#define SCHAKEL_SERVER_CRYPTO_X509_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/crypto/openssl_util.h"

namespace schakel::crypto {

// A new ECDSA P-256 key pair.
absl::StatusOr<PkeyPtr> GenerateEcKey();

std::string PrivateKeyToPem(EVP_PKEY* key);
// INVALID_ARGUMENT when `pem` holds no private key.
absl::StatusOr<PkeyPtr> ParsePrivateKeyPem(const std::string& pem);

std::string CertificateToPem(X509* cert);
// INVALID_ARGUMENT when `pem` holds no certificate.
absl::StatusOr<X509Ptr> ParseCertificatePem(const std::string& pem);

// What a certificate is issued for.
struct CertificateSpec {
  std::string common_name;
  std::vector<std::string> dns_names;
  std::vector<std::string> ip_addresses;
  std::vector<std::string> uris;
  absl::Time not_before;
  absl::Time not_after;
  bool is_ca = false;
  bool server_auth = false;
  bool client_auth = false;
};

// Issues a certificate for `subject_key` (only its public half is used),
// signed by `issuer_key`; `issuer_cert` null makes it self-signed.
absl::StatusOr<X509Ptr> IssueCertificate(const CertificateSpec& spec, EVP_PKEY* subject_key,
                                         EVP_PKEY* issuer_key, X509* issuer_cert);

// A certificate signing request for `key`, signed by it.
absl::StatusOr<std::string> MakeCsrPem(EVP_PKEY* key);

// A PKCS#12 file (DER; what browsers import a client identity from) holding
// `key`, its certificate and the CA certificate, under the friendly name
// `name`. Key and certificates are encrypted with PBES2 (PBKDF2 with
// HMAC-SHA256, AES-256-CBC) and the file has an HMAC-SHA256 MAC, each with
// kPkcs12Iterations iterations, all under `password`. INVALID_ARGUMENT when a
// PEM holds no certificate or `password` is empty or holds a NUL byte.
inline constexpr int kPkcs12Iterations = 2048;
absl::StatusOr<std::string> MakePkcs12(EVP_PKEY* key, const std::string& cert_pem,
                                       const std::string& ca_pem, const std::string& name,
                                       const std::string& password);

// A random password for a PKCS#12 file: 32 characters of base64url (192
// bits), to be written beside it in a file private to its owner.
absl::StatusOr<std::string> NewPkcs12Password();

// The public key of a CSR whose self-signature verifies; INVALID_ARGUMENT
// naming the rule when it is malformed, badly signed, or holds a key other
// than ECDSA P-256 or Ed25519.
absl::StatusOr<PkeyPtr> PublicKeyFromCsrPem(const std::string& csr_pem);

// The facts of a certificate schakel identifies callers by.
struct CertificateInfo {
  std::string serial_hex;          // upper-case
  std::string fingerprint_sha256;  // lower-case hex of SHA-256 over the DER
  std::vector<std::string> uris;   // URI subject alternative names
  absl::Time not_before;
  absl::Time not_after;
};
absl::StatusOr<CertificateInfo> InspectCertificate(X509* cert);

// The CA's certificate and key, as kept in the deployment.
class CertificateAuthority {
 public:
  // Creates a new CA (ECDSA P-256, valid `validity` from `now`).
  static absl::StatusOr<CertificateAuthority> Create(const std::string& name, absl::Time now,
                                                     absl::Duration validity);
  static absl::StatusOr<CertificateAuthority> Load(const std::string& cert_pem,
                                                   const std::string& key_pem);

  absl::StatusOr<X509Ptr> Issue(const CertificateSpec& spec, EVP_PKEY* subject_key) const {
    return IssueCertificate(spec, subject_key, key_.get(), cert_.get());
  }
  X509* cert() const { return cert_.get(); }
  EVP_PKEY* key() const { return key_.get(); }
  std::string CertificatePem() const { return CertificateToPem(cert_.get()); }
  std::string KeyPem() const { return PrivateKeyToPem(key_.get()); }

 private:
  CertificateAuthority(X509Ptr cert, PkeyPtr key) : cert_(std::move(cert)), key_(std::move(key)) {}
  X509Ptr cert_;
  PkeyPtr key_;
};

}  // namespace schakel::crypto

#endif  // SCHAKEL_SERVER_CRYPTO_X509_H_
