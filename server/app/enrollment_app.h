// A professional's own credentials: enrollment with a one-time code (the
// caller has no certificate yet) and renewal with the still-valid
// certificate. The key pair is always made on the professional's machine;
// only a CSR arrives here.
#ifndef SCHAKEL_SERVER_APP_ENROLLMENT_APP_H_
#define SCHAKEL_SERVER_APP_ENROLLMENT_APP_H_

#include <string>

#include "absl/status/statusor.h"
#include "server/app/unit_of_work.h"
#include "server/audit/audit_log.h"
#include "server/audit/trail.h"
#include "server/auth/principal.h"
#include "server/common/clock.h"
#include "server/crypto/x509.h"
#include "server/domain/directory.h"
#include "server/store/directory_store.h"

namespace schakel::app {

struct IssuedCertificate {
  domain::Professional professional;
  domain::CertificateRecord certificate;
  std::string ca_certificate_pem;
};

// Thread-safe; holds pointers to objects that outlive it.
class EnrollmentApp {
 public:
  EnrollmentApp(store::DirectoryStore* store, const crypto::CertificateAuthority* ca,
                UnitOfWork* uow, const Clock* clock)
      : store_(store), ca_(ca), uow_(uow), clock_(clock) {}

  // Exchanges an enrollment code for a certificate of the CSR's key.
  // NOT_FOUND for a code that does not exist; FAILED_PRECONDITION for one
  // used already or expired, or for a disabled professional. The code is
  // used up in the transaction that stores the certificate and the entry.
  absl::StatusOr<IssuedCertificate> Enroll(const std::string& code, const std::string& csr_pem,
                                           audit::Trail& trail);
  // Signs a new certificate for the caller's own new key; the calling
  // certificate is revoked when the new one is first used.
  absl::StatusOr<IssuedCertificate> Renew(const auth::Principal& caller,
                                          const std::string& csr_pem, audit::Trail& trail);
  // Called on the first request made with a renewed certificate: revokes
  // the certificate it replaced, with its own audit entry.
  absl::Status RetireReplaced(const auth::Principal& caller, const std::string& serial,
                              audit::Trail& request_trail);

 private:
  store::DirectoryStore* store_;
  const crypto::CertificateAuthority* ca_;
  UnitOfWork* uow_;
  const Clock* clock_;
};

absl::Status ValidateCsrField(const std::string& csr_pem);

}  // namespace schakel::app

#endif  // SCHAKEL_SERVER_APP_ENROLLMENT_APP_H_
