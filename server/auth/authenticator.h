// Certificate → principal. The TLS handshake has already verified the chain
// to the deployment's CA and the validity period; this decides whether the
// certificate is one schakel issued to a professional who may still act:
//
//  - the certificate's URI SAN names the professional
//    ("schakel:professional/<id>"),
//  - its SHA-256 fingerprint is registered to that professional,
//  - it is not revoked and the professional is not disabled.
//
// It is asked on every call, so a revocation or a disabling takes effect on
// the next request, also on a connection that is already open. The server
// hands it a store::CachingDirectoryStore, which answers the directory
// lookup from memory invalidated by every directory write — so "the next
// request" still holds; the validity period is checked here against the
// clock on every call. Nothing the client sends as metadata takes part.
//
// Emergency access belongs to the caller like their roles: for a
// professional whose role may hold it (regisseur, ggz), the residents of
// their open break-glass sessions are read here, once per request, into
// the principal, and every decision of that request uses that one answer
// (the list predicates read the same rows at the same time).
#ifndef SCHAKEL_SERVER_AUTH_AUTHENTICATOR_H_
#define SCHAKEL_SERVER_AUTH_AUTHENTICATOR_H_

#include <functional>
#include <map>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "server/crypto/x509.h"
#include "server/auth/principal.h"
#include "server/common/clock.h"
#include "server/store/directory_store.h"
#include "server/store/shared_generations.h"

namespace schakel::auth {

// The residents a professional has emergency access to at a time, each with
// the time that access ends (audit::AuditLog::ActiveBreakGlass answers it
// from memory).
using BreakGlassSource = std::function<absl::StatusOr<std::map<std::string, absl::Time>>(
    const std::string& professional_id, absl::Time now)>;

class Authenticator {
 public:
  // Without `break_glass`, no principal ever holds emergency access.
  // `shared` (not owned; may be null) is refreshed before every use of the
  // caches behind the directory and `break_glass`, so that what another
  // instance on the same database committed is seen.
  Authenticator(store::DirectoryStore* directory, const Clock* clock,
                BreakGlassSource break_glass = nullptr,
                store::SharedGenerations* shared = nullptr)
      : directory_(directory),
        clock_(clock),
        break_glass_(std::move(break_glass)),
        shared_(shared) {}

  // UNAUTHENTICATED (with a reason fit for the certificate's holder) unless
  // `peer_certificate_pem` identifies an active professional; UNAVAILABLE
  // when the directory or the emergency-access sessions cannot be read.
  // The principal's `now` (and the emergency access read for it) is `now`:
  // the request's start, the time its audit entry carries.
  absl::StatusOr<Principal> Authenticate(const std::string& peer_certificate_pem,
                                         absl::Time now) const;
  absl::StatusOr<Principal> Authenticate(const std::string& peer_certificate_pem) const {
    return Authenticate(peer_certificate_pem, clock_->Now());
  }

 private:
  // What a certificate says (a pure function of its PEM), parsed once per
  // certificate: with OpenSSL 3, parsing costs more than the rest of a
  // small request. Whether it is still registered, revoked or disabled is
  // asked of the directory on every call, never cached here.
  absl::StatusOr<crypto::CertificateInfo> Inspect(const std::string& pem) const;

  store::DirectoryStore* directory_;  // not owned
  const Clock* clock_;                // not owned
  BreakGlassSource break_glass_;
  store::SharedGenerations* shared_;  // not owned; may be null
  mutable absl::Mutex mu_;
  mutable absl::flat_hash_map<std::string, crypto::CertificateInfo> parsed_ ABSL_GUARDED_BY(mu_);
};

}  // namespace schakel::auth

#endif  // SCHAKEL_SERVER_AUTH_AUTHENTICATOR_H_
