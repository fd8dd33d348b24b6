// What every case-data use case derives from its caller: the note it
// writes and the key of an idempotent create. (Its list scope is the access
// module's: auth::ScopeOf.)
#ifndef SCHAKEL_SERVER_APP_CASE_CONTEXT_H_
#define SCHAKEL_SERVER_APP_CASE_CONTEXT_H_

#include <memory>
#include <optional>
#include <string>

#include "server/auth/policy.h"
#include "server/auth/principal.h"
#include "server/crypto/openssl_util.h"
#include "server/domain/names.h"
#include "server/domain/note.h"
#include "server/store/name_rows.h"
#include "server/store/create_requests.h"
#include "absl/strings/str_cat.h"
#include "server/app/unit_of_work.h"
#include "server/auth/access_sql.h"

namespace schakel::app {

// Every update names the version it was made on: the etag of the last
// read (one rule for signals, handovers and trajectories). INVALID_ARGUMENT
// naming etag when it is missing or too long.
inline absl::Status CheckEtag(const std::string& etag) {
  if (etag.empty()) return absl::InvalidArgumentError("etag: required (from the last read)");
  if (etag.size() > 32) return absl::InvalidArgumentError("etag: at most 32 characters");
  return absl::OkStatus();
}

// ABORTED when the record (`what`: "signal", ...) is no longer at `etag`:
// someone changed it since the caller read it.
inline absl::Status CheckEtagCurrent(const char* what, const std::string& etag,
                                     const std::string& current) {
  if (etag == current) return absl::OkStatus();
  return absl::AbortedError(absl::StrCat("etag: the ", what, " changed since ", etag,
                                         "; read it again (now ", current, ")"));
}

// The trail of a change the clock makes (an expiry, a reminder): recorded
// like any other, in its transaction, about one record and its resident.
inline audit::Trail ClockTrail(absl::Time now, const char* action, const char* purpose,
                               const char* resource_type, const std::string& id,
                               const std::string& resident_id) {
  audit::Trail trail;
  trail.entry.time = now;
  trail.entry.action = action;
  trail.entry.purpose = purpose;
  trail.Concerns(resource_type, id);
  trail.AddResident(resident_id);
  return trail;
}

// The names of `request`'s ids for `caller` (store::ReadNames, in a read of
// its own): collected after the field views cleared what the caller may
// not see, so a cleared id gets no name.
inline absl::StatusOr<std::shared_ptr<const domain::Names>> LookUpNames(
    UnitOfWork& uow, const auth::Principal& caller, const domain::NameRequest& request) {
  auto names = std::make_shared<domain::Names>();
  absl::Status s = uow.Read([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<domain::Names> read = store::ReadNames(tx, request, auth::ScopeOf(caller));
    if (!read.ok()) return read.status();
    *names = *std::move(read);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return std::shared_ptr<const domain::Names>(std::move(names));
}

// The ids a note names.
inline void NamesOf(const domain::Note& n, domain::NameRequest& r) {
  r.Professional(n.author_id);
  r.Organisation(n.author_organisation_id);
}

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
