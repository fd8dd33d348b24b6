#include "server/app/enrollment_app.h"

#include "absl/strings/str_cat.h"
#include "server/app/directory_app.h"
#include "server/app/enrollment_code.h"
#include "server/auth/policy.h"
#include "server/common/status_macros.h"

namespace schakel::app {

absl::Status ValidateCsrField(const std::string& csr_pem) {
  if (csr_pem.empty()) return absl::InvalidArgumentError("csr_pem: required");
  if (csr_pem.size() > 16 * 1024) {
    return absl::InvalidArgumentError("csr_pem: at most 16384 bytes");
  }
  return absl::OkStatus();
}

absl::StatusOr<IssuedCertificate> EnrollmentApp::Enroll(const std::string& code,
                                                        const std::string& csr_pem,
                                                        audit::Trail& trail) {
  trail.Concerns("professional", "");
  ASSIGN_OR_RETURN(std::string hash, EnrollmentCodeHash(code));
  RETURN_IF_ERROR(ValidateCsrField(csr_pem));
  ASSIGN_OR_RETURN(crypto::PkeyPtr key, crypto::PublicKeyFromCsrPem(csr_pem));
  ASSIGN_OR_RETURN(std::optional<store::EnrollmentCodeRow> row, store_->FindEnrollmentCode(hash));
  if (!row) return absl::NotFoundError("code: no such enrollment code");
  trail.Concerns("professional", row->professional_id);
  trail.entry.professional_id = row->professional_id;
  const absl::Time now = clock_->Now();
  if (row->use_time) {
    return absl::FailedPreconditionError(
        "code: this enrollment code was used already; ask an administrator for a new "
        "registration");
  }
  if (now >= row->expire_time) {
    return absl::FailedPreconditionError(
        "code: this enrollment code expired (codes are valid 72 hours); ask an administrator "
        "for a new registration");
  }
  ASSIGN_OR_RETURN(domain::Professional professional,
                   store_->GetProfessional(row->professional_id));
  trail.entry.organisation_id = professional.organisation_id;
  if (professional.disabled) {
    return absl::FailedPreconditionError("code: the professional is disabled");
  }
  store::NewCertificate request;
  ASSIGN_OR_RETURN(request.certificate,
                   IssueClientCertificate(*ca_, key.get(), professional.id, now));
  request.code_hash = hash;
  request.now = now;
  trail.entry.certificate = request.certificate.fingerprint;
  trail.entry.reason = absl::StrCat("enrolled with a one-time code: certificate ",
                                    request.certificate.serial);
  RETURN_IF_ERROR(
      uow_->Run(trail, [&](Transaction& tx) { return store_->AddCertificate(tx, request); }));
  return IssuedCertificate{std::move(professional), std::move(request.certificate),
                           ca_->CertificatePem()};
}

absl::StatusOr<IssuedCertificate> EnrollmentApp::Renew(const auth::Principal& caller,
                                                       const std::string& csr_pem,
                                                       audit::Trail& trail) {
  trail.Concerns("certificate", caller.certificate.serial);
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kReadDirectory).ToStatus());
  RETURN_IF_ERROR(ValidateCsrField(csr_pem));
  ASSIGN_OR_RETURN(crypto::PkeyPtr key, crypto::PublicKeyFromCsrPem(csr_pem));
  const absl::Time now = clock_->Now();
  store::NewCertificate request;
  ASSIGN_OR_RETURN(request.certificate,
                   IssueClientCertificate(*ca_, key.get(), caller.professional.id, now));
  if (request.certificate.fingerprint == caller.certificate.fingerprint) {
    return absl::InvalidArgumentError("csr_pem: renewal needs a new key");
  }
  request.replaces_serial = caller.certificate.serial;
  request.now = now;
  trail.entry.reason = absl::StrCat("renewed: certificate ", request.certificate.serial,
                                    " replaces ", caller.certificate.serial,
                                    " (revoked when the new one is first used)");
  RETURN_IF_ERROR(
      uow_->Run(trail, [&](Transaction& tx) { return store_->AddCertificate(tx, request); }));
  return IssuedCertificate{caller.professional, std::move(request.certificate),
                           ca_->CertificatePem()};
}

absl::Status EnrollmentApp::RetireReplaced(const auth::Principal& caller,
                                           const std::string& serial,
                                           audit::Trail& request_trail) {
  audit::Trail trail;
  trail.entry = request_trail.entry;
  trail.entry.action = "renewal.retire";
  trail.entry.residents.clear();
  trail.entry.request_id.clear();
  trail.Concerns("certificate", serial);
  trail.entry.reason = absl::StrCat("certificate ", serial, " revoked: its renewal ",
                                    caller.certificate.serial, " was used");
  const absl::Time now = clock_->Now();
  return uow_->Run(trail, [&](Transaction& tx) {
    return store_->RevokeCertificate(tx, serial, now).status();
  });
}

}  // namespace schakel::app
