// The re-sealing of a data-key rotation (crypto/field_cipher.h, "Rotation"):
// values of a sealed column (sealed_columns.h) that name another data key
// than the active one, opened and sealed again under the active key, a
// batch of rows per write transaction so that requests keep being served
// in between. PostgreSQL only: SQLCipher encrypts its whole file.
#ifndef SCHAKEL_SERVER_STORE_FIELD_RESEAL_H_
#define SCHAKEL_SERVER_STORE_FIELD_RESEAL_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "server/store/database.h"
#include "server/store/sealed_columns.h"

namespace schakel::store {

// Re-seals at most `limit` rows of `table` that hold a value under another
// key than the connection's active one, in one write transaction; the
// number of such rows it found (0: none is left). A row changed by another
// process between its read and its update is left as that process wrote
// it, and found again by the next batch if it still needs re-sealing.
// DATA_LOSS when a value does not open (nothing of the batch is written),
// FAILED_PRECONDITION on an engine that does not seal.
absl::StatusOr<int> ResealBatch(Database& db, const SealedTable& table, int limit);

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_FIELD_RESEAL_H_
