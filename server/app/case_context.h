// What every case-data use case derives from its caller: the note it
// writes and the key of an idempotent create. (Its list scope is the access
// module's: auth::ScopeOf.)
#ifndef SCHAKEL_SERVER_APP_CASE_CONTEXT_H_
#define SCHAKEL_SERVER_APP_CASE_CONTEXT_H_

#include <string>

#include "server/auth/policy.h"
#include "server/auth/principal.h"
#include "server/crypto/openssl_util.h"
#include "server/domain/note.h"
#include "server/store/create_requests.h"
#include "server/auth/access_sql.h"

namespace schakel::app {

// The note a caller writes, stamped with its author and time.
inline domain::Note NoteBy(const auth::Principal& p, const domain::NewNote& r, std::string id,
                           absl::Time now) {
  domain::Note n;
  n.id = std::move(id);
  n.parent_id = r.parent_id;
  n.author_id = p.professional.id;
  n.author_organisation_id = p.professional.organisation_id;
  n.visibility = r.visibility;
  n.text = r.text;
  n.create_time = now;
  return n;
}

inline store::CreateRequest MakeCreateRequest(const auth::Principal& p, const char* method,
                                              const std::string& request_id,
                                              const std::string& canonical_content) {
  return store::CreateRequest{p.professional.id, method, request_id,
                              crypto::HexEncode(crypto::Sha256(canonical_content))};
}

}  // namespace schakel::app

#endif  // SCHAKEL_SERVER_APP_CASE_CONTEXT_H_
