// The field keys of a PostgreSQL deployment (table field_keys): each key
// wrapped under the deployment's root key (crypto::WrapFieldKey). Id 0 is
// the blind-index key; ids from 1 are data keys, the newest one not retired
// sealing new values.
#ifndef SCHAKEL_SERVER_STORE_FIELD_KEY_STORE_H_
#define SCHAKEL_SERVER_STORE_FIELD_KEY_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/store/database.h"

namespace schakel::store {

struct FieldKeyRow {
  int64_t id = 0;
  std::string wrapped;
  absl::Time create_time;
  std::optional<absl::Time> retire_time;
};

// Every row, by id.
absl::StatusOr<std::vector<FieldKeyRow>> ReadFieldKeys(Database& db);
// Adds a key; ALREADY_EXISTS when the id is taken.
absl::Status AddFieldKey(Database& db, const FieldKeyRow& row);
// Marks the data keys below `id` that are not retired yet retired at `now`
// (none of the store's values uses them any more); their ids, ascending.
// They stay in the table: a value a lagging process sealed under one still
// opens.
absl::StatusOr<std::vector<int64_t>> RetireDataKeysBelow(Database& db, int64_t id, absl::Time now);

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_FIELD_KEY_STORE_H_
