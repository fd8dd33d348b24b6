// The field keyring of a deployment on PostgreSQL: the rows of field_keys
// unwrapped with the root key (DIR/key.wrapped under the KEK).
#ifndef SCHAKEL_SERVER_DEPLOYMENT_FIELD_KEYS_H_
#define SCHAKEL_SERVER_DEPLOYMENT_FIELD_KEYS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/crypto/field_cipher.h"
#include "server/store/database.h"
#include "server/store/field_key_store.h"

namespace schakel::deployment {

// A new deployment's rows: the blind-index key (id 0) and data key 1.
absl::StatusOr<std::vector<store::FieldKeyRow>> NewFieldKeyRows(const std::string& root_key,
                                                                absl::Time now);

// How long a data key added to field_keys waits before it seals: every
// process that serves the database reloads the keys more often than this
// (ServerOptions::field_key_check_interval), so that none meets a value
// under a key it does not hold yet.
inline constexpr absl::Duration kDataKeyActivationDelay = absl::Minutes(5);

// The keyring of `rows` at `now`: every data key opens; the newest one not
// retired and added at least kDataKeyActivationDelay before `now` seals (or,
// when none is that old, the oldest one not retired: a new deployment's
// first key). DATA_LOSS when a row does not unwrap; FAILED_PRECONDITION
// when the index key or every data key not retired is missing.
absl::StatusOr<std::shared_ptr<const crypto::FieldKeyring>> KeyringFromRows(
    const std::string& root_key, const std::vector<store::FieldKeyRow>& rows, absl::Time now);

// A new data key, wrapped under `root_key`, added to field_keys with the
// next id at `now`: it seals from now + kDataKeyActivationDelay on. Its id.
absl::StatusOr<uint32_t> AddDataKey(store::Database& db, const std::string& root_key,
                                    absl::Time now);

}  // namespace schakel::deployment

#endif  // SCHAKEL_SERVER_DEPLOYMENT_FIELD_KEYS_H_
