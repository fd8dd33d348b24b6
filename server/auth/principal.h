// The authenticated caller of one request.
#ifndef SCHAKEL_SERVER_AUTH_PRINCIPAL_H_
#define SCHAKEL_SERVER_AUTH_PRINCIPAL_H_

#include <algorithm>
#include <string>
#include <vector>

#include "server/domain/directory.h"

namespace schakel::auth {

struct Principal {
  domain::Professional professional;
  domain::CertificateRecord certificate;

  bool HasRole(domain::Role role) const {
    const auto& r = professional.roles;
    return std::find(r.begin(), r.end(), role) != r.end();
  }
};

}  // namespace schakel::auth

#endif  // SCHAKEL_SERVER_AUTH_PRINCIPAL_H_
