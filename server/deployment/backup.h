// Consistent encrypted backups taken while the server serves, and restoring
// them into a new deployment (operations guide, "Backup and restore").
#ifndef SCHAKEL_SERVER_DEPLOYMENT_BACKUP_H_
#define SCHAKEL_SERVER_DEPLOYMENT_BACKUP_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "schakel/config/deployment.pb.h"
#include "server/common/clock.h"
#include "server/deployment/deployment.h"

namespace schakel::deployment {

struct BackupResult {
  int64_t head_seq = 0;
  std::string head_hash;
  int64_t bytes = 0;
  std::string sha256;  // of the backup file, hex
};

// Writes to `to` (which must not exist): the database as of one moment, the
// checkpoints up to that moment's head plus a fresh one signed for it, the
// CA, the server certificate, the audit signing key and the configuration;
// encrypted under a payload key wrapped by `kek`. Takes no lock: the server
// may keep serving.
absl::StatusOr<BackupResult> CreateBackup(const Paths& paths, const std::string& kek,
                                          const std::string& to, const Clock& clock);

// Restores `from` into the new deployment `dir` (which must not exist or be
// empty). `kek` unwraps the backup and wraps the new deployment's key;
// `kek_source` is written into its config. PERMISSION_DENIED when `kek` does
// not open the backup; DATA_LOSS when the file is damaged.
absl::Status RestoreBackup(const std::string& from, const std::string& dir,
                           const std::string& kek, const config::KekSource& kek_source);

}  // namespace schakel::deployment

#endif  // SCHAKEL_SERVER_DEPLOYMENT_BACKUP_H_
