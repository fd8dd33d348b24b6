#include "server/auth/authenticator.h"

#include "server/auth/policy.h"
#include "server/crypto/x509.h"

namespace schakel::auth {
namespace {

// Bounds the memory of the parse cache (one entry per certificate in use).
constexpr size_t kMaxParsed = 10000;

}  // namespace

absl::StatusOr<crypto::CertificateInfo> Authenticator::Inspect(const std::string& pem) const {
  {
    absl::MutexLock lock(&mu_);
    auto it = parsed_.find(pem);
    if (it != parsed_.end()) return it->second;
  }
  auto cert = crypto::ParseCertificatePem(pem);
  if (!cert.ok()) return cert.status();
  auto info = crypto::InspectCertificate(cert->get());
  if (!info.ok()) return info.status();
  absl::MutexLock lock(&mu_);
  if (parsed_.size() >= kMaxParsed) parsed_.clear();
  parsed_.emplace(pem, *info);
  return info;
}

absl::StatusOr<Principal> Authenticator::Authenticate(const std::string& peer_certificate_pem,
                                                      absl::Time now) const {
  if (peer_certificate_pem.empty()) {
    return absl::UnauthenticatedError("a client certificate is required");
  }
  auto info = Inspect(peer_certificate_pem);
  if (!info.ok()) return absl::UnauthenticatedError("the client certificate cannot be read");

  std::optional<std::string> named;
  for (const std::string& uri : info->uris) {
    if (auto id = domain::ProfessionalIdFromUri(uri)) {
      named = std::move(id);
      break;
    }
  }
  if (!named) {
    return absl::UnauthenticatedError("the client certificate names no schakel professional");
  }
  if (shared_ != nullptr && !shared_->Refresh().ok()) {
    return absl::UnavailableError("the directory cannot be read; retry");
  }
  absl::StatusOr<store::Identity> identity = directory_->FindIdentity(info->fingerprint_sha256);
  if (!identity.ok()) {
    if (identity.status().code() == absl::StatusCode::kNotFound) {
      return absl::UnauthenticatedError("the client certificate is not registered");
    }
    return absl::UnavailableError("the directory cannot be read; retry");
  }
  if (identity->professional.id != *named) {
    return absl::UnauthenticatedError("the client certificate is not registered");
  }
  if (identity->certificate.revoke_time.has_value()) {
    return absl::UnauthenticatedError("the client certificate is revoked");
  }
  if (identity->professional.disabled) {
    return absl::UnauthenticatedError("the professional is disabled");
  }
  // TLS checked the validity period already; this guards a clock that
  // moved while a connection stayed open.
  if (now < info->not_before || now >= info->not_after) {
    return absl::UnauthenticatedError("the client certificate is outside its validity period");
  }
  Principal p;
  p.professional = std::move(identity->professional);
  p.certificate = std::move(identity->certificate);
  p.replaces_active_serial = std::move(identity->replaces_active_serial);
  p.now = now;
  if (break_glass_ && Decide(p, Action::kBreakGlass).allowed) {
    absl::StatusOr<std::map<std::string, absl::Time>> open = break_glass_(p.professional.id, now);
    if (!open.ok()) return absl::UnavailableError("emergency access cannot be read; retry");
    p.break_glass_residents = *std::move(open);
  }
  return p;
}

}  // namespace schakel::auth
