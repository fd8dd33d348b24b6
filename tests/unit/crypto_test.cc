#include <openssl/pkcs12.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/crypto/aead.h"
#include "server/crypto/key_wrap.h"
#include "server/crypto/openssl_util.h"
#include "server/crypto/x509.h"
#include "tests/support/pkcs12_support.h"
#include "tests/support/test_support.h"

namespace schakel::crypto {
namespace {

using ::schakel::testing::IsOk;
using ::schakel::testing::Pkcs12Holds;
using ::schakel::testing::Pkcs12Refuses;
using ::schakel::testing::StatusIs;
using ::testing::HasSubstr;

TEST(Sha256HasherTest, ReusedItGivesTheStandardDigests) {
  Sha256Hasher hasher;
  unsigned char digest[Sha256Hasher::kSize];
  char hex[2 * Sha256Hasher::kSize];
  // FIPS 180-2 test vectors, twice each: the reused context starts afresh.
  for (int round = 0; round < 2; ++round) {
    ASSERT_TRUE(hasher.Digest("abc", digest));
    HexEncodeTo(digest, sizeof(digest), hex);
    EXPECT_EQ(std::string(hex, sizeof(hex)),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    ASSERT_TRUE(hasher.Digest("", digest));
    HexEncodeTo(digest, sizeof(digest), hex);
    EXPECT_EQ(std::string(hex, sizeof(hex)),
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }
  const std::string long_input(1000, 'q');
  ASSERT_TRUE(hasher.Digest(long_input, digest));
  EXPECT_EQ(std::string(reinterpret_cast<char*>(digest), sizeof(digest)), Sha256(long_input));
}

// RFC 5869, test case 3 (SHA-256, no salt, no info), its first 32 bytes:
// the break-glass reason key of every deployment depends on these bytes.
TEST(DeriveAeadKeyTest, IsHkdfSha256AsTheRfcComputesIt) {
  auto key = DeriveAeadKey(std::string(22, '\x0b'), "");
  ASSERT_THAT(key, IsOk());
  EXPECT_EQ(HexEncode(*key), "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d");
  auto other = DeriveAeadKey(std::string(22, '\x0b'), "schakel break-glass reason v1");
  ASSERT_THAT(other, IsOk());
  EXPECT_EQ(other->size(), kAeadKeyBytes);
  EXPECT_NE(*other, *key);
  EXPECT_EQ(*DeriveAeadKey(std::string(22, '\x0b'), "schakel break-glass reason v1"), *other);
}

TEST(KeyWrapTest, UnwrapsWithTheRightPassphraseOnly) {
  auto key = NewDatabaseKey();
  ASSERT_THAT(key, IsOk());
  ASSERT_EQ(key->size(), 32u);
  auto wrapped = WrapKey(*key, "correct horse battery staple");
  ASSERT_THAT(wrapped, IsOk());
  EXPECT_EQ(wrapped->scrypt_n(), 1u << 15);
  EXPECT_EQ(wrapped->ciphertext().find(*key), std::string::npos);
  auto unwrapped = UnwrapKey(*wrapped, "correct horse battery staple");
  ASSERT_THAT(unwrapped, IsOk());
  EXPECT_EQ(*unwrapped, *key);
  EXPECT_THAT(UnwrapKey(*wrapped, "wrong"),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("cannot unwrap")));
}

TEST(KeyWrapTest, AlteredCiphertextOrTagIsDetected) {
  auto wrapped = WrapKey(*NewDatabaseKey(), "pass");
  ASSERT_THAT(wrapped, IsOk());
  config::WrappedKey flipped = *wrapped;
  std::string ct = flipped.ciphertext();
  ct[0] ^= 1;
  flipped.set_ciphertext(ct);
  EXPECT_THAT(UnwrapKey(flipped, "pass"), StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("altered")));
  config::WrappedKey short_tag = *wrapped;
  short_tag.set_tag("x");
  EXPECT_THAT(UnwrapKey(short_tag, "pass"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("malformed")));
  config::WrappedKey huge = *wrapped;
  huge.set_scrypt_n(1ull << 40);
  EXPECT_THAT(UnwrapKey(huge, "pass"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("scrypt")));
}

TEST(X509Test, IssuedClientCertificateCarriesTheUriAndVerifiesAgainstTheCa) {
  absl::Time now = absl::Now();
  auto ca = CertificateAuthority::Create("test CA", now, absl::Hours(24));
  ASSERT_THAT(ca, IsOk());
  auto key = GenerateEcKey();
  ASSERT_THAT(key, IsOk());
  auto csr = MakeCsrPem(key->get());
  ASSERT_THAT(csr, IsOk());
  auto pub = PublicKeyFromCsrPem(*csr);
  ASSERT_THAT(pub, IsOk());
  CertificateSpec spec;
  spec.common_name = "x";
  spec.uris = {"schakel:professional/p1"};
  spec.not_before = now;
  spec.not_after = now + absl::Hours(1);
  spec.client_auth = true;
  auto cert = ca->Issue(spec, pub->get());
  ASSERT_THAT(cert, IsOk());
  auto info = InspectCertificate(cert->get());
  ASSERT_THAT(info, IsOk());
  EXPECT_EQ(info->uris, std::vector<std::string>{"schakel:professional/p1"});
  EXPECT_EQ(info->fingerprint_sha256.size(), 64u);
  EXPECT_FALSE(info->serial_hex.empty());
  EXPECT_EQ(X509_verify(cert->get(), X509_get0_pubkey(ca->cert())), 1);
  // The PEM round trip keeps the fingerprint.
  auto reparsed = ParseCertificatePem(CertificateToPem(cert->get()));
  ASSERT_THAT(reparsed, IsOk());
  EXPECT_EQ(InspectCertificate(reparsed->get())->fingerprint_sha256, info->fingerprint_sha256);
  // Reloading the CA from PEM gives the same CA; a foreign key is refused.
  EXPECT_THAT(CertificateAuthority::Load(ca->CertificatePem(), ca->KeyPem()), IsOk());
  EXPECT_THAT(CertificateAuthority::Load(ca->CertificatePem(), PrivateKeyToPem(key->get())),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("does not match")));
}

TEST(X509Test, BadCsrsAreRejectedWithTheRule) {
  EXPECT_THAT(PublicKeyFromCsrPem("not a csr"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("csr_pem")));
  // An RSA key is not accepted.
  PkeyPtr rsa(EVP_RSA_gen(2048));
  ASSERT_TRUE(rsa);
  auto csr = MakeCsrPem(rsa.get());
  ASSERT_THAT(csr, IsOk());
  EXPECT_THAT(PublicKeyFromCsrPem(*csr),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("ECDSA P-256 or Ed25519")));
  // A CSR whose signature does not match its key.
  auto key = GenerateEcKey();
  auto good = MakeCsrPem(key->get());
  ASSERT_THAT(good, IsOk());
  std::string tampered = *good;
  size_t mid = tampered.find('\n', tampered.size() / 2);
  tampered[mid - 3] = tampered[mid - 3] == 'A' ? 'B' : 'A';
  EXPECT_THAT(PublicKeyFromCsrPem(tampered), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("csr_pem")));
}

// What a browser imports: the key, its certificate and the CA, behind the
// password only, with a SHA-256 MAC of kPkcs12Iterations iterations.
TEST(Pkcs12Test, OpensWithItsPasswordOnlyAndHoldsKeyCertificateAndCa) {
  absl::Time now = absl::Now();
  auto ca = CertificateAuthority::Create("test CA", now, absl::Hours(24));
  ASSERT_THAT(ca, IsOk());
  auto key = GenerateEcKey();
  ASSERT_THAT(key, IsOk());
  CertificateSpec spec;
  spec.common_name = "x";
  spec.not_before = now;
  spec.not_after = now + absl::Hours(1);
  spec.client_auth = true;
  auto cert = ca->Issue(spec, key->get());
  ASSERT_THAT(cert, IsOk());
  const std::string cert_pem = CertificateToPem(cert->get());
  auto password = NewPkcs12Password();
  ASSERT_THAT(password, IsOk());
  EXPECT_EQ(password->size(), 32u);
  EXPECT_NE(*password, *NewPkcs12Password());
  auto p12 = MakePkcs12(key->get(), cert_pem, ca->CertificatePem(), "schakel p1", *password);
  ASSERT_THAT(p12, IsOk());
  EXPECT_TRUE(Pkcs12Holds(*p12, *password, cert_pem, ca->CertificatePem()));
  EXPECT_TRUE(Pkcs12Refuses(*p12, "wrong password"));
  EXPECT_TRUE(Pkcs12Refuses(*p12, password->substr(1)));

  const unsigned char* der = reinterpret_cast<const unsigned char*>(p12->data());
  PKCS12* parsed = d2i_PKCS12(nullptr, &der, static_cast<long>(p12->size()));
  ASSERT_NE(parsed, nullptr);
  const ASN1_OCTET_STRING* mac = nullptr;
  const X509_ALGOR* mac_algorithm = nullptr;
  const ASN1_OCTET_STRING* salt = nullptr;
  const ASN1_INTEGER* iterations = nullptr;
  PKCS12_get0_mac(&mac, &mac_algorithm, &salt, &iterations, parsed);
  ASSERT_NE(mac_algorithm, nullptr);
  const ASN1_OBJECT* digest = nullptr;
  X509_ALGOR_get0(&digest, nullptr, nullptr, mac_algorithm);
  EXPECT_EQ(OBJ_obj2nid(digest), NID_sha256);
  ASSERT_NE(iterations, nullptr);
  EXPECT_EQ(ASN1_INTEGER_get(iterations), kPkcs12Iterations);
  EXPECT_GE(kPkcs12Iterations, 2048);
  PKCS12_free(parsed);
}

TEST(Pkcs12Test, AnEmptyPasswordOrAKeyOfAnotherCertificateIsRefused) {
  absl::Time now = absl::Now();
  auto ca = CertificateAuthority::Create("test CA", now, absl::Hours(24));
  ASSERT_THAT(ca, IsOk());
  auto key = GenerateEcKey();
  ASSERT_THAT(key, IsOk());
  EXPECT_THAT(MakePkcs12(key->get(), ca->CertificatePem(), ca->CertificatePem(), "x", ""),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("password")));
  EXPECT_THAT(MakePkcs12(key->get(), "not a certificate", ca->CertificatePem(), "x", "password"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("certificate")));
  // `key` is not the CA's key.
  EXPECT_THAT(MakePkcs12(key->get(), ca->CertificatePem(), ca->CertificatePem(), "x", "password"),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("PKCS12_create")));
}

}  // namespace
}  // namespace schakel::crypto
