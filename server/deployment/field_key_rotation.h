// A data-key rotation on PostgreSQL while schakeld serves
// (crypto/field_cipher.h, "Rotation"): `schakel-admin key rotate` adds a
// data key to field_keys (AddDataKey); every serving process reloads the
// keys (RunOnce, every ServerOptions::field_key_check_interval), seals with
// the new key once it is kDataKeyActivationDelay old, re-seals the values
// under older keys a batch of rows per write transaction between the
// requests, and then marks the older keys retired.
#ifndef SCHAKEL_SERVER_DEPLOYMENT_FIELD_KEY_ROTATION_H_
#define SCHAKEL_SERVER_DEPLOYMENT_FIELD_KEY_ROTATION_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/common/clock.h"
#include "server/deployment/deployment.h"
#include "server/store/postgres_database.h"

namespace schakel::deployment {

// `schakel-admin key rotate` on a deployment whose store is PostgreSQL:
// adds a data key (AddDataKey) while schakeld may serve; its id.
absl::StatusOr<uint32_t> AddDataKeyToDeployment(const Paths& paths, const std::string& kek,
                                                const Clock& clock);

class FieldKeyRotation {
 public:
  struct Options {
    // Rows per write transaction while re-sealing.
    int batch_rows = 200;
  };
  // Holds the deployment's root key (unwrapped from DIR/key.wrapped with
  // `kek`) to unwrap the keys that are added later. `db` and `clock` are
  // not owned and outlive it.
  static absl::StatusOr<std::unique_ptr<FieldKeyRotation>> Create(
      const Paths& paths, const std::string& kek, store::PostgresDatabase* db,
      const Clock* clock, Options options);
  ~FieldKeyRotation();

  struct Report {
    uint32_t active = 0;           // the key values are sealed under now
    bool keyring_changed = false;  // a key was added or became active
    int64_t rows_resealed = 0;
    std::vector<int64_t> retired;  // keys no value uses any more
  };
  // Reloads the keys and, while a key older than the active one is not
  // retired, re-seals until nothing is left under it (then retires it) or
  // `stop` says so (the next run goes on).
  absl::StatusOr<Report> RunOnce(const std::function<bool()>& stop);

 private:
  FieldKeyRotation(std::string root_key, store::PostgresDatabase* db, const Clock* clock,
                   Options options);

  std::string root_key_;
  store::PostgresDatabase* db_;
  const Clock* clock_;
  const Options options_;
};

}  // namespace schakel::deployment

#endif  // SCHAKEL_SERVER_DEPLOYMENT_FIELD_KEY_ROTATION_H_
