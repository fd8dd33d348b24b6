#include "server/deployment/deployment.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/audit/audit_store.h"
#include "server/audit/checkpoint.h"
#include "server/common/files.h"
#include "server/common/log.h"
#include "server/common/status_macros.h"
#include "server/crypto/key_wrap.h"
#include "server/crypto/openssl_util.h"
#include "server/deployment/field_keys.h"
#include "server/store/field_key_store.h"
#include "server/store/migrations.h"
#include "server/store/postgres_database.h"
#include "server/store/postgres_schema.h"
#include "server/store/postgres_setup.h"

namespace schakel::deployment {
namespace {

// Collects parse errors of TextFormat into one line.
class ErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (error_.empty()) error_ = absl::StrCat("line ", line + 1, ": ", message);
  }
  const std::string& error() const { return error_; }

 private:
  std::string error_;
};

template <typename Message>
absl::Status ParseTextFile(const std::string& path, Message* message) {
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  google::protobuf::TextFormat::Parser parser;
  ErrorCollector errors;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(text, message)) {
    return absl::FailedPreconditionError(absl::StrCat(path, ": ", errors.error()));
  }
  return absl::OkStatus();
}

}  // namespace

Paths::Paths(std::string d) : dir(std::move(d)) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  config = JoinPath(dir, "schakel.conf");
  wrapped_key = JoinPath(dir, "key.wrapped");
  next_wrapped_key = JoinPath(dir, "key.next");
  database = JoinPath(dir, "schakel.db");
  ca_cert = JoinPath(dir, "ca/ca.pem");
  ca_key = JoinPath(dir, "ca/ca.key");
  server_cert = JoinPath(dir, "server/cert.pem");
  server_key = JoinPath(dir, "server/key.pem");
  demo_passphrase = JoinPath(dir, "demo-passphrase");
  pgpass = JoinPath(dir, "pgpass");
  lock = JoinPath(dir, "schakel.lock");
  users = JoinPath(dir, "users");
  audit_signing_key = JoinPath(dir, "audit/signing.key");
  audit_public_key = JoinPath(dir, "audit/signing.pub");
  audit_checkpoints = JoinPath(dir, "audit-checkpoints");
}

std::string Paths::UserDir(const std::string& name) const { return JoinPath(users, name); }

absl::StatusOr<config::DeploymentConfig> LoadConfig(const Paths& paths) {
  if (!PathExists(paths.config)) {
    return absl::NotFoundError(absl::StrCat(
        "no deployment at ", paths.dir, " (", paths.config,
        " is missing; create one with schakel-admin init)"));
  }
  config::DeploymentConfig cfg;
  RETURN_IF_ERROR(ParseTextFile(paths.config, &cfg));
  return cfg;
}

absl::StatusOr<domain::PurposePolicy> PurposePolicyOf(const config::DeploymentConfig& config) {
  const config::PurposeConfig& c = config.purposes();
  domain::PurposePolicy policy = domain::DefaultPurposePolicy();
  if (c.codes_size() > 0) {
    policy.codes.clear();
    for (const config::PurposeConfig::Code& code : c.codes()) {
      policy.codes.push_back({code.code(), code.label_nl()});
    }
    policy.default_code = policy.codes.front().code;
  }
  if (!c.default_code().empty()) policy.default_code = c.default_code();
  policy.allow_other = c.allow_other();
  if (absl::Status s = domain::ValidatePurposePolicy(policy); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("schakel.conf: ", s.message()));
  }
  return policy;
}

absl::Status WriteConfig(const Paths& paths, const config::DeploymentConfig& cfg) {
  std::string text;
  google::protobuf::TextFormat::PrintToString(cfg, &text);
  return WriteFileDurably(
      paths.config,
      absl::StrCat("# schakel deployment configuration (schakel.config.DeploymentConfig)\n", text));
}

absl::StatusOr<std::string> ReadKek(const Paths& paths, const config::KekSource& source,
                                    const std::optional<std::string>& kek_file) {
  std::string passphrase;
  std::string where;
  auto read_file = [&](const std::string& path, bool must_be_private) -> absl::Status {
    where = path;
    if (!PathExists(path)) {
      return absl::FailedPreconditionError(
          absl::StrCat("the key-encryption key file ", path, " does not exist"));
    }
    if (must_be_private) RETURN_IF_ERROR(CheckPrivate(path));
    ASSIGN_OR_RETURN(passphrase, ReadFile(path));
    return absl::OkStatus();
  };
  if (kek_file) {
    RETURN_IF_ERROR(read_file(*kek_file, true));
  } else if (source.has_file()) {
    RETURN_IF_ERROR(read_file(JoinPath(paths.dir, source.file()), true));
  } else if (source.has_credential()) {
    const char* dir = std::getenv("CREDENTIALS_DIRECTORY");
    if (dir == nullptr) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the key-encryption key is the credential ", source.credential(),
          " but CREDENTIALS_DIRECTORY is not set (run under systemd with LoadCredentialEncrypted=)"));
    }
    // systemd protects its credentials itself: a service user reads them
    // through an ACL, which newer versions show as mode 0440.
    RETURN_IF_ERROR(read_file(JoinPath(dir, source.credential()), false));
  } else if (source.has_environment()) {
    where = kKekEnvironmentVariable;
    const char* value = std::getenv(kKekEnvironmentVariable);
    if (value != nullptr) passphrase = value;
  } else {
    return absl::FailedPreconditionError(
        absl::StrCat(paths.config, " names no key-encryption key source (kek { ... })"));
  }
  // A trailing newline from an editor or `echo` is not part of the passphrase.
  while (!passphrase.empty() && (passphrase.back() == '\n' || passphrase.back() == '\r')) {
    passphrase.pop_back();
  }
  if (passphrase.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the key-encryption key from ", where, " is empty"));
  }
  return passphrase;
}

absl::Status CheckSecretsArePrivate(const Paths& paths) {
  RETURN_IF_ERROR(CheckPrivate(paths.dir));
  for (const std::string& path :
       {paths.config, paths.wrapped_key, paths.ca_key, paths.server_key, paths.demo_passphrase,
        paths.audit_signing_key, paths.next_wrapped_key,
        paths.database, paths.database + "-wal", paths.database + "-shm"}) {
    if (PathExists(path)) RETURN_IF_ERROR(CheckPrivate(path));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Lock>> Lock::Acquire(const Paths& paths, absl::string_view instead) {
  int fd = ::open(paths.lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot open the lock file ", paths.lock));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return absl::FailedPreconditionError(
        absl::StrCat("the deployment ", paths.dir,
                     " is held by another process (a running schakeld, or another "
                     "schakel-admin)",
                     instead.empty() ? "" : "; ", instead));
  }
  return std::unique_ptr<Lock>(new Lock(fd));
}

Lock::~Lock() {
  ::flock(fd_, LOCK_UN);
  ::close(fd_);
}

absl::StatusOr<std::string> UnwrapKeyFile(const std::string& path, const std::string& kek) {
  config::WrappedKey wrapped;
  RETURN_IF_ERROR(ParseTextFile(path, &wrapped));
  absl::StatusOr<std::string> key = crypto::UnwrapKey(wrapped, kek);
  if (!key.ok() && key.status().code() == absl::StatusCode::kPermissionDenied) {
    return absl::PermissionDeniedError(
        absl::StrCat("the key-encryption key does not unwrap ", path,
                     " (wrong key-encryption key, or the key file was altered)"));
  }
  return key;
}

absl::Status WriteWrappedKey(const std::string& path, const std::string& key,
                             const std::string& kek) {
  ASSIGN_OR_RETURN(config::WrappedKey wrapped, crypto::WrapKey(key, kek));
  std::string text;
  google::protobuf::TextFormat::PrintToString(wrapped, &text);
  return WriteFileDurably(path, text);
}

namespace {

absl::StatusOr<std::unique_ptr<store::Database>> OpenPostgres(const Paths& paths,
                                                              const config::PostgresqlStore& pg,
                                                              const std::string& kek) {
  ASSIGN_OR_RETURN(std::string root, UnwrapKeyFile(paths.wrapped_key, kek));
  store::PostgresDatabase::Options options;
  options.conninfo = pg.conninfo();
  absl::StatusOr<std::unique_ptr<store::PostgresDatabase>> db =
      store::PostgresDatabase::Open(options);
  absl::StatusOr<int> version = db.ok() ? (*db)->SchemaVersion() : db.status();
  if (version.ok() && *version < store::kPostgresSchemaVersion) {
    version = absl::FailedPreconditionError(absl::StrCat(
        "the PostgreSQL schema is version ", *version, "; this schakel needs version ",
        store::kPostgresSchemaVersion, ": stop every instance, then run schakel-admin migrate "
        "--deployment ", paths.dir));
  } else if (version.ok()) {
    if (absl::Status newer = store::RefuseNewerPostgresSchema(*version); !newer.ok()) {
      version = newer;
    }
  }
  absl::StatusOr<std::vector<store::FieldKeyRow>> rows =
      version.ok() ? store::ReadFieldKeys(**db) : version.status();
  absl::StatusOr<std::shared_ptr<const crypto::FieldKeyring>> keyring =
      // The system clock: whichever clock a test gives the server, a key
      // is active at open when it has been for real; the server's own
      // reload (FieldKeyRotation) follows its clock.
      rows.ok() ? KeyringFromRows(root, *rows, absl::Now()) : rows.status();
  crypto::Cleanse(root);
  RETURN_IF_ERROR(keyring.status());
  (*db)->SetKeyring(*std::move(keyring));
  return std::move(db).value();
}

}  // namespace

absl::StatusOr<store::PostgresMigrated> MigrateStore(const Paths& paths) {
  ASSIGN_OR_RETURN(config::DeploymentConfig cfg, LoadConfig(paths));
  if (!cfg.store().has_postgresql()) return store::PostgresMigrated{};
  const config::PostgresqlStore& pg = cfg.store().postgresql();
  if (pg.maintenance_conninfo().empty()) {
    return absl::FailedPreconditionError(
        "config store.postgresql.maintenance_conninfo is empty: migrate connects as the "
        "maintenance role, which owns the schema");
  }
  ASSIGN_OR_RETURN(std::string service, store::ConninfoValue(pg.conninfo(), "user"));
  if (service.empty()) {
    return absl::FailedPreconditionError(
        "config store.postgresql.conninfo names no user: migrate grants the service role its "
        "rights on new tables and must know it");
  }
  return store::MigratePostgresSchema(pg.maintenance_conninfo(), service);
}

bool StoreIsPostgresql(const Paths& paths) {
  absl::StatusOr<config::DeploymentConfig> cfg = LoadConfig(paths);
  return cfg.ok() && cfg->store().has_postgresql();
}

absl::StatusOr<std::unique_ptr<store::Database>> OpenDatabase(const Paths& paths,
                                                              const std::string& kek) {
  // No config (yet): a directory being built or restored holds the file.
  absl::StatusOr<config::DeploymentConfig> cfg = LoadConfig(paths);
  if (!cfg.ok() && cfg.status().code() != absl::StatusCode::kNotFound) return cfg.status();
  if (cfg.ok() && cfg->store().has_postgresql()) {
    return OpenPostgres(paths, cfg->store().postgresql(), kek);
  }
  return OpenSqliteDatabase(paths, kek);
}

namespace {

absl::Status RefusePostgres(const Paths& paths) {
  if (StoreIsPostgresql(paths)) {
    return absl::FailedPreconditionError(
        "this deployment's store is PostgreSQL, not a SQLCipher file: back it up and rotate "
        "its keys with PostgreSQL's tools (docs/operations.md, \"PostgreSQL\")");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<store::SqliteDatabase>> OpenSqliteDatabase(const Paths& paths,
                                                                          const std::string& kek) {
  RETURN_IF_ERROR(RefusePostgres(paths));
  // The current key first; a rotation interrupted after the rekey leaves
  // the database under the next key (key.next), which then becomes current.
  ASSIGN_OR_RETURN(std::string key, UnwrapKeyFile(paths.wrapped_key, kek));
  auto db = store::SqliteDatabase::Open(paths.database, key, /*create=*/false);
  crypto::Cleanse(key);
  if (db.ok()) {
    // A rotation interrupted before its rekey: the next key was never used.
    if (PathExists(paths.next_wrapped_key)) ::unlink(paths.next_wrapped_key.c_str());
  } else if (db.status().code() == absl::StatusCode::kPermissionDenied &&
             PathExists(paths.next_wrapped_key)) {
    ASSIGN_OR_RETURN(std::string next, UnwrapKeyFile(paths.next_wrapped_key, kek));
    db = store::SqliteDatabase::Open(paths.database, next, /*create=*/false);
    crypto::Cleanse(next);
    RETURN_IF_ERROR(db.status());
    RETURN_IF_ERROR(RenameDurably(paths.next_wrapped_key, paths.wrapped_key));
  }
  RETURN_IF_ERROR(db.status());
  RETURN_IF_ERROR(store::ApplyMigrations(**db));
  return std::move(db).value();
}

absl::StatusOr<std::unique_ptr<store::SqliteDatabase>> OpenDatabaseReadOnly(const Paths& paths,
                                                                      const std::string& kek) {
  RETURN_IF_ERROR(RefusePostgres(paths));
  ASSIGN_OR_RETURN(std::string key, UnwrapKeyFile(paths.wrapped_key, kek));
  auto db = store::SqliteDatabase::OpenReadOnly(paths.database, key);
  crypto::Cleanse(key);
  // The server may be in the middle of a key rotation: after its rekey the
  // file opens with the next key. Settling the rotation is the server's
  // job, not a reader's.
  if (!db.ok() && db.status().code() == absl::StatusCode::kPermissionDenied &&
      PathExists(paths.next_wrapped_key)) {
    ASSIGN_OR_RETURN(std::string next, UnwrapKeyFile(paths.next_wrapped_key, kek));
    db = store::SqliteDatabase::OpenReadOnly(paths.database, next);
    crypto::Cleanse(next);
  }
  return db;
}

absl::Status CreateAuditSigningKey(const Paths& paths) {
  if (PathExists(paths.audit_public_key)) {
    return absl::FailedPreconditionError(
        absl::StrCat(paths.audit_public_key, " exists: a new audit signing key is never written "
                                             "over the public key auditors hold"));
  }
  ASSIGN_OR_RETURN(audit::CheckpointSigner signer, audit::CheckpointSigner::Generate());
  RETURN_IF_ERROR(MakeDirectory(JoinPath(paths.dir, "audit")));
  RETURN_IF_ERROR(WriteFileDurably(paths.audit_signing_key, signer.PrivateKeyPem()));
  return WriteFileDurably(paths.audit_public_key, signer.PublicKeyPem());
}

absl::Status SignAuditHead(const Paths& paths, store::Database& db, const Clock& clock,
                           const std::string& export_path) {
  ASSIGN_OR_RETURN(audit::Head head, audit::ReadHead(db));
  if (head.seq == 0) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::string signing_pem, ReadFile(paths.audit_signing_key));
  ASSIGN_OR_RETURN(audit::CheckpointSigner signer, audit::CheckpointSigner::Load(signing_pem));
  ASSIGN_OR_RETURN(audit::Checkpoint cp, signer.Sign(head.seq, head.hash, clock.Now()));
  RETURN_IF_ERROR(audit::AppendCheckpoint(paths.audit_checkpoints, cp));
  if (!export_path.empty()) {
    absl::Status exported = audit::AppendCheckpoint(export_path, cp);
    if (!exported.ok()) LogError(absl::StrCat("audit checkpoint export: ", exported.message()));
  }
  // After the line is in the file, as the server's AuditLog::Publish does.
  return db.Write([&](store::Connection& c) { return audit::RecordPublished(c, cp); });
}

}  // namespace schakel::deployment
