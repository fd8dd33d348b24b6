#include "server/deployment/field_key_rotation.h"

#include <utility>

#include "server/common/status_macros.h"
#include "server/crypto/openssl_util.h"
#include "server/deployment/field_keys.h"
#include "server/store/field_key_store.h"
#include "server/store/field_reseal.h"
#include "server/store/sealed_columns.h"

namespace schakel::deployment {

absl::StatusOr<uint32_t> AddDataKeyToDeployment(const Paths& paths, const std::string& kek,
                                                const Clock& clock) {
  // No deployment lock: the server that holds it serves on, and picks the
  // key up itself.
  ASSIGN_OR_RETURN(std::unique_ptr<store::Database> db, OpenDatabase(paths, kek));
  if (db->engine() != store::Engine::kPostgresql) {
    return absl::InternalError("a data key is added only where the store is PostgreSQL");
  }
  ASSIGN_OR_RETURN(std::string root, UnwrapKeyFile(paths.wrapped_key, kek));
  absl::StatusOr<uint32_t> id = AddDataKey(*db, root, clock.Now());
  crypto::Cleanse(root);
  return id;
}

FieldKeyRotation::FieldKeyRotation(std::string root_key, store::PostgresDatabase* db,
                                   const Clock* clock, Options options)
    : root_key_(std::move(root_key)), db_(db), clock_(clock), options_(options) {}

FieldKeyRotation::~FieldKeyRotation() { crypto::Cleanse(root_key_); }

absl::StatusOr<std::unique_ptr<FieldKeyRotation>> FieldKeyRotation::Create(
    const Paths& paths, const std::string& kek, store::PostgresDatabase* db, const Clock* clock,
    Options options) {
  ASSIGN_OR_RETURN(std::string root, UnwrapKeyFile(paths.wrapped_key, kek));
  return std::unique_ptr<FieldKeyRotation>(
      new FieldKeyRotation(std::move(root), db, clock, options));
}

absl::StatusOr<FieldKeyRotation::Report> FieldKeyRotation::RunOnce(
    const std::function<bool()>& stop) {
  Report report;
  ASSIGN_OR_RETURN(std::vector<store::FieldKeyRow> rows, store::ReadFieldKeys(*db_));
  ASSIGN_OR_RETURN(std::shared_ptr<const crypto::FieldKeyring> ring,
                   KeyringFromRows(root_key_, rows, clock_->Now()));
  std::shared_ptr<const crypto::FieldKeyring> current = db_->keyring();
  report.active = ring->active_key_id();
  if (current == nullptr || current->active_key_id() != ring->active_key_id() ||
      current->key_ids() != ring->key_ids()) {
    db_->SetKeyring(ring);
    report.keyring_changed = true;
  }
  bool older = false;
  for (const store::FieldKeyRow& row : rows) {
    if (row.id > 0 && row.id < report.active && !row.retire_time.has_value()) older = true;
  }
  if (!older) return report;
  for (const store::SealedTable& table : store::SealedTables()) {
    while (true) {
      if (stop()) return report;
      ASSIGN_OR_RETURN(int found, store::ResealBatch(*db_, table, options_.batch_rows));
      if (found == 0) break;
      report.rows_resealed += found;
    }
  }
  ASSIGN_OR_RETURN(report.retired, store::RetireDataKeysBelow(*db_, report.active, clock_->Now()));
  return report;
}

}  // namespace schakel::deployment
