#include "server/crypto/x509.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>

#include <ctime>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "server/common/status_macros.h"

namespace schakel::crypto {
namespace {

std::string BioToString(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(len));
}

BioPtr MemBio(const std::string& s) {
  return BioPtr(BIO_new_mem_buf(s.data(), static_cast<int>(s.size())));
}

absl::StatusOr<absl::Time> Asn1TimeToTime(const ASN1_TIME* t) {
  struct tm tm {};
  if (ASN1_TIME_to_tm(t, &tm) != 1) return absl::InvalidArgumentError("bad certificate time");
  return absl::FromTimeT(timegm(&tm));
}

absl::Status AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (ext == nullptr) return OpenSslError("certificate extension");
  int rc = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  if (rc != 1) return OpenSslError("X509_add_ext");
  return absl::OkStatus();
}

bool IsAcceptedClientKey(EVP_PKEY* key) {
  if (EVP_PKEY_get_id(key) == EVP_PKEY_ED25519) return true;
  if (EVP_PKEY_get_id(key) != EVP_PKEY_EC) return false;
  char group[64] = {0};
  size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(key, "group", group, sizeof(group), &len) != 1) return false;
  return std::string(group) == "prime256v1";
}

}  // namespace

absl::StatusOr<PkeyPtr> GenerateEcKey() {
  PkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return OpenSslError("EC key generation");
  return key;
}

std::string PrivateKeyToPem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  return BioToString(bio.get());
}

absl::StatusOr<PkeyPtr> ParsePrivateKeyPem(const std::string& pem) {
  BioPtr bio = MemBio(pem);
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) {
    ERR_clear_error();
    return absl::InvalidArgumentError("not a PEM private key");
  }
  return key;
}

std::string CertificateToPem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert);
  return BioToString(bio.get());
}

absl::StatusOr<X509Ptr> ParseCertificatePem(const std::string& pem) {
  BioPtr bio = MemBio(pem);
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) {
    ERR_clear_error();
    return absl::InvalidArgumentError("not a PEM certificate");
  }
  return cert;
}

absl::StatusOr<X509Ptr> IssueCertificate(const CertificateSpec& spec, EVP_PKEY* subject_key,
                                         EVP_PKEY* issuer_key, X509* issuer_cert) {
  X509Ptr cert(X509_new());
  if (!cert) return OpenSslError("X509_new");
  X509_set_version(cert.get(), 2);

  // 127 random bits: positive and unique without coordination.
  ASSIGN_OR_RETURN(std::string serial_bytes, RandomBytes(16));
  serial_bytes[0] = static_cast<char>(serial_bytes[0] & 0x7f);
  BIGNUM* bn = BN_bin2bn(reinterpret_cast<const unsigned char*>(serial_bytes.data()),
                         static_cast<int>(serial_bytes.size()), nullptr);
  if (bn == nullptr || BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get())) == nullptr) {
    BN_free(bn);
    return OpenSslError("certificate serial");
  }
  BN_free(bn);

  if (ASN1_TIME_set(X509_getm_notBefore(cert.get()), absl::ToTimeT(spec.not_before)) == nullptr ||
      ASN1_TIME_set(X509_getm_notAfter(cert.get()), absl::ToTimeT(spec.not_after)) == nullptr) {
    return OpenSslError("certificate validity");
  }
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(spec.common_name.c_str()), -1,
                             -1, 0);
  X509_set_issuer_name(cert.get(),
                       issuer_cert ? X509_get_subject_name(issuer_cert) : name);
  if (X509_set_pubkey(cert.get(), subject_key) != 1) return OpenSslError("X509_set_pubkey");

  X509* issuer = issuer_cert ? issuer_cert : cert.get();
  RETURN_IF_ERROR(AddExtension(cert.get(), issuer, NID_basic_constraints,
                               spec.is_ca ? "critical,CA:TRUE,pathlen:0" : "critical,CA:FALSE"));
  RETURN_IF_ERROR(AddExtension(cert.get(), issuer, NID_key_usage,
                               spec.is_ca ? "critical,keyCertSign,cRLSign"
                                          : "critical,digitalSignature,keyAgreement"));
  RETURN_IF_ERROR(AddExtension(cert.get(), issuer, NID_subject_key_identifier, "hash"));
  if (issuer_cert != nullptr) {
    RETURN_IF_ERROR(
        AddExtension(cert.get(), issuer, NID_authority_key_identifier, "keyid:always"));
  }
  std::string eku;
  if (spec.server_auth) eku = "serverAuth";
  if (spec.client_auth) eku += eku.empty() ? "clientAuth" : ",clientAuth";
  if (!eku.empty()) RETURN_IF_ERROR(AddExtension(cert.get(), issuer, NID_ext_key_usage, eku));
  std::string san;
  auto add_san = [&san](const std::string& kind, const std::string& v) {
    if (!san.empty()) san += ",";
    san += kind + ":" + v;
  };
  for (const auto& d : spec.dns_names) add_san("DNS", d);
  for (const auto& ip : spec.ip_addresses) add_san("IP", ip);
  for (const auto& u : spec.uris) add_san("URI", u);
  if (!san.empty()) {
    RETURN_IF_ERROR(AddExtension(cert.get(), issuer, NID_subject_alt_name, san));
  }
  // ECDSA signs with SHA-256; Ed25519 takes no digest.
  const EVP_MD* md = EVP_PKEY_get_id(issuer_key) == EVP_PKEY_ED25519 ? nullptr : EVP_sha256();
  if (X509_sign(cert.get(), issuer_key, md) <= 0) return OpenSslError("X509_sign");
  return cert;
}

absl::StatusOr<std::string> MakeCsrPem(EVP_PKEY* key) {
  X509ReqPtr req(X509_REQ_new());
  if (!req) return OpenSslError("X509_REQ_new");
  X509_REQ_set_version(req.get(), 0);
  X509_NAME* name = X509_REQ_get_subject_name(req.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>("schakel professional"), -1,
                             -1, 0);
  if (X509_REQ_set_pubkey(req.get(), key) != 1) return OpenSslError("X509_REQ_set_pubkey");
  const EVP_MD* md = EVP_PKEY_get_id(key) == EVP_PKEY_ED25519 ? nullptr : EVP_sha256();
  if (X509_REQ_sign(req.get(), key, md) <= 0) return OpenSslError("X509_REQ_sign");
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509_REQ(bio.get(), req.get());
  return BioToString(bio.get());
}

absl::StatusOr<std::string> MakePkcs12(EVP_PKEY* key, const std::string& cert_pem,
                                       const std::string& ca_pem, const std::string& name,
                                       const std::string& password) {
  // PKCS12_create takes a C string: a NUL would silently shorten it.
  if (password.empty() || password.find('\0') != std::string::npos) {
    return absl::InvalidArgumentError("PKCS#12 password: empty or holds a NUL byte");
  }
  ASSIGN_OR_RETURN(X509Ptr cert, ParseCertificatePem(cert_pem));
  ASSIGN_OR_RETURN(X509Ptr ca, ParseCertificatePem(ca_pem));
  STACK_OF(X509)* chain = sk_X509_new_null();
  if (chain == nullptr || sk_X509_push(chain, ca.get()) == 0) {
    sk_X509_free(chain);
    return OpenSslError("the PKCS#12 chain");
  }
  // AES-256-CBC names PBES2 with PBKDF2-HMAC-SHA256, which NSS (Chromium,
  // Firefox), OpenSSL 1.1+ and current Windows and macOS import; the legacy
  // RC2/3DES with SHA-1 is what older defaults gave. Every choice is spelt
  // out rather than left to the library's defaults, which have changed
  // between versions: mac_iter -1 makes PKCS12_create add no MAC, and the
  // HMAC-SHA256 one is set below.
  PKCS12* p12 = PKCS12_create(password.c_str(), name.c_str(), key, cert.get(), chain,
                              NID_aes_256_cbc, NID_aes_256_cbc, kPkcs12Iterations,
                              /*mac_iter=*/-1, /*keytype=*/0);
  sk_X509_free(chain);  // the certificates stay owned by their X509Ptr
  if (p12 == nullptr) return OpenSslError("PKCS12_create");
  if (PKCS12_set_mac(p12, password.c_str(), -1, nullptr, 0, kPkcs12Iterations, EVP_sha256()) !=
      1) {
    PKCS12_free(p12);
    return OpenSslError("PKCS12_set_mac");
  }
  unsigned char* der = nullptr;
  int len = i2d_PKCS12(p12, &der);
  PKCS12_free(p12);
  if (len <= 0) return OpenSslError("i2d_PKCS12");
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return out;
}

absl::StatusOr<std::string> NewPkcs12Password() {
  ASSIGN_OR_RETURN(std::string random, RandomBytes(24));
  std::string password = absl::WebSafeBase64Escape(random);
  Cleanse(random);
  return password;
}

absl::StatusOr<PkeyPtr> PublicKeyFromCsrPem(const std::string& csr_pem) {
  BioPtr bio = MemBio(csr_pem);
  X509ReqPtr req(PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr));
  if (!req) {
    ERR_clear_error();
    return absl::InvalidArgumentError("csr_pem: not a PEM certificate signing request");
  }
  PkeyPtr key(X509_REQ_get_pubkey(req.get()));
  if (!key) {
    ERR_clear_error();
    return absl::InvalidArgumentError("csr_pem: the request holds no public key");
  }
  if (X509_REQ_verify(req.get(), key.get()) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError("csr_pem: the request's signature does not verify");
  }
  if (!IsAcceptedClientKey(key.get())) {
    return absl::InvalidArgumentError("csr_pem: the key must be ECDSA P-256 or Ed25519");
  }
  return key;
}

absl::StatusOr<CertificateInfo> InspectCertificate(X509* cert) {
  CertificateInfo info;
  const ASN1_INTEGER* serial = X509_get0_serialNumber(cert);
  BIGNUM* bn = ASN1_INTEGER_to_BN(serial, nullptr);
  if (bn == nullptr) return OpenSslError("certificate serial");
  char* hex = BN_bn2hex(bn);
  BN_free(bn);
  if (hex == nullptr) return OpenSslError("certificate serial");
  info.serial_hex = absl::AsciiStrToUpper(hex);
  OPENSSL_free(hex);

  unsigned char* der = nullptr;
  int der_len = i2d_X509(cert, &der);
  if (der_len <= 0) return OpenSslError("certificate encoding");
  info.fingerprint_sha256 =
      HexEncode(Sha256(std::string(reinterpret_cast<char*>(der), static_cast<size_t>(der_len))));
  OPENSSL_free(der);

  auto* names = static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (names != nullptr) {
    for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
      const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names, i);
      if (gn->type == GEN_URI) {
        const ASN1_IA5STRING* uri = gn->d.uniformResourceIdentifier;
        info.uris.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(uri)),
                               static_cast<size_t>(ASN1_STRING_length(uri)));
      }
    }
    GENERAL_NAMES_free(names);
  }
  ASSIGN_OR_RETURN(info.not_before, Asn1TimeToTime(X509_get0_notBefore(cert)));
  ASSIGN_OR_RETURN(info.not_after, Asn1TimeToTime(X509_get0_notAfter(cert)));
  return info;
}

absl::StatusOr<CertificateAuthority> CertificateAuthority::Create(const std::string& name,
                                                                  absl::Time now,
                                                                  absl::Duration validity) {
  ASSIGN_OR_RETURN(PkeyPtr key, GenerateEcKey());
  CertificateSpec spec;
  spec.common_name = name;
  spec.not_before = now - absl::Hours(1);
  spec.not_after = now + validity;
  spec.is_ca = true;
  ASSIGN_OR_RETURN(X509Ptr cert, IssueCertificate(spec, key.get(), key.get(), nullptr));
  return CertificateAuthority(std::move(cert), std::move(key));
}

absl::StatusOr<CertificateAuthority> CertificateAuthority::Load(const std::string& cert_pem,
                                                                const std::string& key_pem) {
  ASSIGN_OR_RETURN(X509Ptr cert, ParseCertificatePem(cert_pem));
  ASSIGN_OR_RETURN(PkeyPtr key, ParsePrivateKeyPem(key_pem));
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError("the CA key does not match the CA certificate");
  }
  return CertificateAuthority(std::move(cert), std::move(key));
}

}  // namespace schakel::crypto
