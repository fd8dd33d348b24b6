// What every case-data use case derives from its caller: the note it
// writes and the key of an idempotent create. (Its list scope is the access
// module's: auth::ScopeOf.)
#ifndef SCHAKEL_SERVER_APP_CASE_CONTEXT_H_
#define SCHAKEL_SERVER_APP_CASE_CONTEXT_H_

#include <optional>
#include <string>

#include "server/auth/policy.h"
#include "server/auth/principal.h"
#include "server/crypto/openssl_util.h"
#include "server/domain/note.h"
#include "server/store/create_requests.h"
#include "absl/strings/str_cat.h"
#include "server/app/unit_of_work.h"
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

// Inside a unit of work, the first step of an idempotent create: when
// `request` was seen before, reads what it created (`find`, answering
// nullopt when it is gone or hidden) into `out` and answers true — the
// retry is answered as a read of the first call's result.
template <typename T, typename Find>
absl::StatusOr<bool> ReplayCreated(Transaction& tx, const store::CreateRequest& request,
                                   const char* what, const Find& find, T& out) {
  absl::StatusOr<std::optional<std::string>> earlier = store::FindCreated(tx, request);
  if (!earlier.ok()) return earlier.status();
  if (!*earlier) return false;
  absl::StatusOr<std::optional<T>> first = find(**earlier);
  if (!first.ok()) return first.status();
  if (!*first) {
    return absl::NotFoundError(absl::StrCat("request_id: the ", what, " it created is gone"));
  }
  out = **std::move(first);
  return true;
}

}  // namespace schakel::app

#endif  // SCHAKEL_SERVER_APP_CASE_CONTEXT_H_
