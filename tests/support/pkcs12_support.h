// Opening the PKCS#12 files schakel writes (identity.p12) the way a browser
// or curl would, with OpenSSL's PKCS12_parse.
#ifndef SCHAKEL_TESTS_SUPPORT_PKCS12_SUPPORT_H_
#define SCHAKEL_TESTS_SUPPORT_PKCS12_SUPPORT_H_

#include <string>

#include "gtest/gtest.h"

namespace schakel::testing {

// Success when `der` opens with `password` and holds the certificate
// `cert_pem`, a private key that matches it, and exactly the CA certificate
// `ca_pem` besides; otherwise a failure saying what differs.
::testing::AssertionResult Pkcs12Holds(const std::string& der, const std::string& password,
                                       const std::string& cert_pem, const std::string& ca_pem);

// Success when `der` does not open with `password`.
::testing::AssertionResult Pkcs12Refuses(const std::string& der, const std::string& password);

// Checks DIR/identity.p12 against DIR/cert.pem and DIR/ca.pem with the
// password in `password_file` (its first line), refuses a wrong password,
// and that identity.p12 (and the password file when it is in DIR, where
// schakel wrote it) is private to its owner: mode 0600.
void ExpectIdentityP12(const std::string& dir, const std::string& password_file);

}  // namespace schakel::testing

#endif  // SCHAKEL_TESTS_SUPPORT_PKCS12_SUPPORT_H_
