// Idempotent creates: a client-chosen request id, per professional and
// method, remembers the fingerprint of the request and the id of what it
// created. Used inside the creating transaction, so concurrent retries of
// one request make exactly one record.
#ifndef SCHAKEL_SERVER_STORE_CREATE_REQUESTS_H_
#define SCHAKEL_SERVER_STORE_CREATE_REQUESTS_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/store/database.h"

namespace schakel::store {

struct CreateRequest {
  std::string professional_id;
  std::string method;
  std::string request_id;
  // A digest of the request's content (hex).
  std::string request_hash;
};

// The id created by an earlier request with this key; nullopt when the
// request id is new. ALREADY_EXISTS naming request_id when it was used for
// a request with different content.
absl::StatusOr<std::optional<std::string>> FindCreated(Connection& c, const CreateRequest& r);

absl::Status RecordCreated(Connection& c, const CreateRequest& r, const std::string& resource_id,
                           absl::Time now);

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_CREATE_REQUESTS_H_
