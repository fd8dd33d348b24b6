#include "server/deployment/field_keys.h"

#include <algorithm>
#include <utility>

#include "server/common/status_macros.h"
#include "server/crypto/openssl_util.h"

namespace schakel::deployment {

absl::StatusOr<std::vector<store::FieldKeyRow>> NewFieldKeyRows(const std::string& root_key,
                                                                absl::Time now) {
  std::vector<store::FieldKeyRow> rows;
  for (uint32_t id : {0u, 1u}) {
    ASSIGN_OR_RETURN(std::string key, crypto::NewDataKey());
    absl::StatusOr<std::string> wrapped = crypto::WrapFieldKey(root_key, id, key);
    crypto::Cleanse(key);
    RETURN_IF_ERROR(wrapped.status());
    rows.push_back(store::FieldKeyRow{id, *std::move(wrapped), now, std::nullopt});
  }
  return rows;
}

absl::StatusOr<std::shared_ptr<const crypto::FieldKeyring>> KeyringFromRows(
    const std::string& root_key, const std::vector<store::FieldKeyRow>& rows, absl::Time now) {
  std::string index_key;
  std::vector<std::pair<uint32_t, std::string>> data_keys;
  uint32_t active = 0;  // the newest one old enough
  uint32_t oldest = 0;
  for (const store::FieldKeyRow& row : rows) {
    if (row.id < 0 || row.id > UINT32_MAX) {
      return absl::DataLossError("field_keys: a key id is out of range");
    }
    const uint32_t id = static_cast<uint32_t>(row.id);
    ASSIGN_OR_RETURN(std::string key, crypto::UnwrapFieldKey(root_key, id, row.wrapped));
    if (id == 0) {
      index_key = std::move(key);
      continue;
    }
    if (!row.retire_time.has_value()) {
      if (oldest == 0 || id < oldest) oldest = id;
      if (row.create_time + kDataKeyActivationDelay <= now && id > active) active = id;
    }
    data_keys.emplace_back(id, std::move(key));
  }
  if (active == 0) active = oldest;
  if (index_key.empty() || active == 0) {
    for (auto& [id, key] : data_keys) crypto::Cleanse(key);
    crypto::Cleanse(index_key);
    return absl::FailedPreconditionError(
        "field_keys holds no index key or no data key in use: the database was not made by "
        "schakel-admin init --postgresql");
  }
  return crypto::FieldKeyring::Create(std::move(data_keys), active, std::move(index_key));
}

absl::StatusOr<uint32_t> AddDataKey(store::Database& db, const std::string& root_key,
                                    absl::Time now) {
  ASSIGN_OR_RETURN(std::vector<store::FieldKeyRow> rows, store::ReadFieldKeys(db));
  int64_t id = 1;
  for (const store::FieldKeyRow& row : rows) id = std::max(id, row.id + 1);
  if (id > UINT32_MAX) return absl::ResourceExhaustedError("field_keys: no key id is left");
  ASSIGN_OR_RETURN(std::string key, crypto::NewDataKey());
  absl::StatusOr<std::string> wrapped =
      crypto::WrapFieldKey(root_key, static_cast<uint32_t>(id), key);
  crypto::Cleanse(key);
  RETURN_IF_ERROR(wrapped.status());
  // A second rotation at the same moment takes the same id: ALREADY_EXISTS.
  RETURN_IF_ERROR(store::AddFieldKey(db, store::FieldKeyRow{id, *std::move(wrapped), now, std::nullopt}));
  return static_cast<uint32_t>(id);
}

}  // namespace schakel::deployment
