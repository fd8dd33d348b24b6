// The authenticated caller of one request.
#ifndef SCHAKEL_SERVER_AUTH_PRINCIPAL_H_
#define SCHAKEL_SERVER_AUTH_PRINCIPAL_H_

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "server/domain/directory.h"

namespace schakel::auth {

struct Principal {
  domain::Professional professional;
  domain::CertificateRecord certificate;
  // When the request started.
  absl::Time now;
  // The serial of the certificate the calling one renewed, while it is not
  // yet revoked (the first request with the new one revokes it).
  std::string replaces_active_serial;
  // Residents this professional has emergency access to right now, each
  // with the time that access ends.
  std::map<std::string, absl::Time> break_glass_residents;

  bool HasBreakGlass(const std::string& resident_id) const {
    return !resident_id.empty() && break_glass_residents.count(resident_id) > 0;
  }

  bool HasRole(domain::Role role) const {
    const auto& r = professional.roles;
    return std::find(r.begin(), r.end(), role) != r.end();
  }
};

}  // namespace schakel::auth

#endif  // SCHAKEL_SERVER_AUTH_PRINCIPAL_H_
