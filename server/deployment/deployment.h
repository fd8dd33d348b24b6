// A deployment directory: its layout, configuration, key-encryption key,
// advisory lock, and the opening of its encrypted database.
//
//   DIR/schakel.conf        DeploymentConfig, protobuf text format
//   DIR/key.wrapped         the database key wrapped under the KEK
//   DIR/schakel.db          the SQLCipher database (+ -wal, -shm)
//   DIR/ca/ca.pem, ca.key   the deployment's certificate authority
//   DIR/server/cert.pem, key.pem
//   DIR/users/NAME/         cert.pem, key.pem, ca.pem of an identity
//   DIR/demo-passphrase     the KEK of a demo deployment (demo only)
//   DIR/pgpass              the PostgreSQL roles' passwords (a libpq
//                           passfile), when the store is PostgreSQL
//   DIR/schakel.lock        flock()ed by the process holding the deployment
#ifndef SCHAKEL_SERVER_DEPLOYMENT_DEPLOYMENT_H_
#define SCHAKEL_SERVER_DEPLOYMENT_DEPLOYMENT_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "schakel/config/deployment.pb.h"
#include "server/common/clock.h"
#include "server/domain/purpose.h"
#include "server/store/database.h"
#include "server/store/postgres_setup.h"
#include "server/store/sqlite_database.h"

namespace schakel::deployment {

struct Paths {
  explicit Paths(std::string dir);
  std::string dir;
  std::string config;
  std::string wrapped_key;
  std::string next_wrapped_key;  // DIR/key.next, during a key rotation
  std::string database;
  std::string ca_cert;
  std::string ca_key;
  std::string server_cert;
  std::string server_key;
  std::string demo_passphrase;
  std::string pgpass;
  std::string lock;
  std::string users;
  std::string audit_signing_key;     // DIR/audit/signing.key (Ed25519)
  std::string audit_public_key;      // DIR/audit/signing.pub
  std::string audit_checkpoints;     // DIR/audit-checkpoints
  std::string UserDir(const std::string& name) const;
};

// The environment variable tests use for the KEK.
inline constexpr char kKekEnvironmentVariable[] = "SCHAKEL_KEK";

absl::StatusOr<config::DeploymentConfig> LoadConfig(const Paths& paths);
absl::Status WriteConfig(const Paths& paths, const config::DeploymentConfig& config);

// The purposes of use the configuration allows (its `purposes`, else the
// default list); INVALID_ARGUMENT naming `purposes` and the rule when the
// configured list is not valid (domain::ValidatePurposePolicy).
absl::StatusOr<domain::PurposePolicy> PurposePolicyOf(const config::DeploymentConfig& config);

// Reads the KEK passphrase from `kek_file` when given, else from the
// config's source. FAILED_PRECONDITION naming the source when it is empty,
// missing, or (a file) readable by group or others.
absl::StatusOr<std::string> ReadKek(const Paths& paths, const config::KekSource& source,
                                    const std::optional<std::string>& kek_file);

// FAILED_PRECONDITION naming the first secret file (or the directory) that
// group or others can access.
absl::Status CheckSecretsArePrivate(const Paths& paths);

// An exclusive advisory lock on the deployment, held until destruction or
// the death of the process (flock), so a kill -9 never leaves it stuck.
class Lock {
 public:
  // FAILED_PRECONDITION when another process holds the deployment; the
  // message ends with `instead` (what to do instead: "stop the server
  // first", the API's equivalent).
  static absl::StatusOr<std::unique_ptr<Lock>> Acquire(const Paths& paths,
                                                       absl::string_view instead = "");
  ~Lock();

 private:
  explicit Lock(int fd) : fd_(fd) {}
  int fd_;
};

// Whether the deployment's config names a PostgreSQL store (false when it
// has no config yet, or one that does not parse).
bool StoreIsPostgresql(const Paths& paths);

// Opens the deployment's store with `kek`: the SQLCipher file (migrations
// applied, as OpenSqliteDatabase), or PostgreSQL when the config has
// store.postgresql — there the key in DIR/key.wrapped unwraps the field
// keys kept in the database, and the schema must be the one this binary
// knows (FAILED_PRECONDITION otherwise, saying to migrate when it is
// older). PERMISSION_DENIED with one clear
// sentence when the KEK or the key is wrong; UNAVAILABLE when PostgreSQL
// cannot be reached.
absl::StatusOr<std::unique_ptr<store::Database>> OpenDatabase(const Paths& paths,
                                                              const std::string& kek);

// `schakel-admin migrate`: the PostgreSQL store's schema brought to this
// schakel's version as its maintenance role (store::MigratePostgresSchema:
// refused while an instance serves it). A SQLCipher file is migrated at
// each open: nothing to do, answered with from == to == 0.
absl::StatusOr<store::PostgresMigrated> MigrateStore(const Paths& paths);

// The SQLCipher file itself: unwraps the database key with `kek`, opens the
// file and applies the migrations (for what only a file has: rekeying).
// FAILED_PRECONDITION when the deployment's store is PostgreSQL.
absl::StatusOr<std::unique_ptr<store::SqliteDatabase>> OpenSqliteDatabase(const Paths& paths,
                                                                          const std::string& kek);

// Opens the database for reading only, as a second process may while the
// server holds the deployment (store::SqliteDatabase::OpenReadOnly): it never
// checkpoints, migrates or deletes anything of the live database.
absl::StatusOr<std::unique_ptr<store::SqliteDatabase>> OpenDatabaseReadOnly(const Paths& paths,
                                                                      const std::string& kek);

// The database key in a wrapped-key file; PERMISSION_DENIED naming the file
// when `kek` does not unwrap it.
absl::StatusOr<std::string> UnwrapKeyFile(const std::string& path, const std::string& kek);
// Wraps `key` under `kek` and writes it durably to `path`.
absl::Status WriteWrappedKey(const std::string& path, const std::string& key,
                             const std::string& kek);

// Writes a new Ed25519 audit signing key pair into DIR/audit/.
// FAILED_PRECONDITION when DIR/audit/signing.pub exists: the public key the
// auditors' copies and the checkpoints depend on is never overwritten.
absl::Status CreateAuditSigningKey(const Paths& paths);

// Signs the head of the audit chain in `db` (when there is one) and appends
// the checkpoint to DIR/audit-checkpoints and, best effort, to
// `export_path`: what init does, so that a new deployment's entries are
// vouched for from the start (the server refuses a log with entries and no
// checkpoint).
absl::Status SignAuditHead(const Paths& paths, store::Database& db, const Clock& clock,
                           const std::string& export_path);

}  // namespace schakel::deployment

#endif  // SCHAKEL_SERVER_DEPLOYMENT_DEPLOYMENT_H_
