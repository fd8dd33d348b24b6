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
#include "server/store/field_key_store.h"

namespace schakel::deployment {

// A new deployment's rows: the blind-index key (id 0) and data key 1.
absl::StatusOr<std::vector<store::FieldKeyRow>> NewFieldKeyRows(const std::string& root_key,
                                                                absl::Time now);

// The keyring of `rows`: every data key opens, the newest one not retired
// seals. DATA_LOSS when a row does not unwrap; FAILED_PRECONDITION when
// the index key or every data key is missing.
absl::StatusOr<std::shared_ptr<const crypto::FieldKeyring>> KeyringFromRows(
    const std::string& root_key, const std::vector<store::FieldKeyRow>& rows);

}  // namespace schakel::deployment

#endif  // SCHAKEL_SERVER_DEPLOYMENT_FIELD_KEYS_H_
