#include "tests/support/pkcs12_support.h"

#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include <sys/stat.h>

#include <vector>

#include "absl/strings/ascii.h"
#include "server/crypto/x509.h"
#include "tests/support/test_support.h"

namespace schakel::testing {
namespace {

struct Opened {
  crypto::PkeyPtr key;
  crypto::X509Ptr cert;
  STACK_OF(X509)* ca = nullptr;
  ~Opened() { sk_X509_pop_free(ca, X509_free); }
};

bool Open(const std::string& der, const std::string& password, Opened* opened) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  PKCS12* p12 = d2i_PKCS12(nullptr, &p, static_cast<long>(der.size()));
  if (p12 == nullptr) {
    ERR_clear_error();
    return false;
  }
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  int ok = PKCS12_parse(p12, password.c_str(), &key, &cert, &opened->ca);
  PKCS12_free(p12);
  opened->key.reset(key);
  opened->cert.reset(cert);
  if (ok != 1) ERR_clear_error();
  return ok == 1;
}

}  // namespace

::testing::AssertionResult Pkcs12Holds(const std::string& der, const std::string& password,
                                       const std::string& cert_pem, const std::string& ca_pem) {
  Opened opened;
  if (!Open(der, password, &opened)) {
    return ::testing::AssertionFailure() << "does not open with its password";
  }
  if (!opened.key || !opened.cert) {
    return ::testing::AssertionFailure() << "holds no key or no certificate";
  }
  absl::StatusOr<crypto::X509Ptr> cert = crypto::ParseCertificatePem(cert_pem);
  absl::StatusOr<crypto::X509Ptr> ca = crypto::ParseCertificatePem(ca_pem);
  if (!cert.ok() || !ca.ok()) return ::testing::AssertionFailure() << "bad PEM to compare with";
  if (X509_cmp(opened.cert.get(), cert->get()) != 0) {
    return ::testing::AssertionFailure() << "holds another certificate";
  }
  if (X509_check_private_key(opened.cert.get(), opened.key.get()) != 1) {
    ERR_clear_error();
    return ::testing::AssertionFailure() << "holds a key that does not match the certificate";
  }
  if (sk_X509_num(opened.ca) != 1 || X509_cmp(sk_X509_value(opened.ca, 0), ca->get()) != 0) {
    return ::testing::AssertionFailure()
           << "holds " << sk_X509_num(opened.ca) << " further certificates, not the CA alone";
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult Pkcs12Refuses(const std::string& der, const std::string& password) {
  Opened opened;
  if (Open(der, password, &opened)) {
    return ::testing::AssertionFailure() << "opens with the password \"" << password << "\"";
  }
  return ::testing::AssertionSuccess();
}

void ExpectIdentityP12(const std::string& dir, const std::string& password_file) {
  const std::string p12 = ReadFileOrDie(dir + "/identity.p12");
  const std::string password(absl::StripTrailingAsciiWhitespace(ReadFileOrDie(password_file)));
  EXPECT_TRUE(Pkcs12Holds(p12, password, ReadFileOrDie(dir + "/cert.pem"),
                          ReadFileOrDie(dir + "/ca.pem")))
      << dir;
  EXPECT_TRUE(Pkcs12Refuses(p12, password + "x")) << dir;
  EXPECT_TRUE(Pkcs12Refuses(p12, "")) << dir;
  std::vector<std::string> written = {dir + "/identity.p12"};
  if (password_file.rfind(dir + "/", 0) == 0) written.push_back(password_file);
  for (const std::string& f : written) {
    struct stat st;
    ASSERT_EQ(::stat(f.c_str(), &st), 0) << f;
    EXPECT_EQ(st.st_mode & 0777, 0600u) << f;
  }
}

}  // namespace schakel::testing
