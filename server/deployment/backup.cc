#include "server/deployment/backup.h"

#include <openssl/evp.h>
#include <unistd.h>

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "schakel/config/backup.pb.h"
#include "server/audit/audit_store.h"
#include "server/audit/checkpoint.h"
#include "server/common/files.h"
#include "server/common/status_macros.h"
#include "server/crypto/aead.h"
#include "server/crypto/key_wrap.h"
#include "server/crypto/openssl_util.h"

namespace schakel::deployment {
namespace {

constexpr char kAad[] = "schakel backup v1";

absl::Status Seal(const std::string& key, const std::string& plain, config::BackupFile& out) {
  ASSIGN_OR_RETURN(crypto::Sealed sealed, crypto::AeadSeal(key, kAad, plain));
  out.set_nonce(std::move(sealed.nonce));
  out.set_ciphertext(std::move(sealed.ciphertext));
  out.set_tag(std::move(sealed.tag));
  return absl::OkStatus();
}

absl::StatusOr<std::string> Open(const std::string& key, const config::BackupFile& in) {
  if (in.nonce().size() != crypto::kAeadNonceBytes || in.tag().size() != crypto::kAeadTagBytes) {
    return absl::DataLossError("the backup file is damaged (bad header)");
  }
  absl::StatusOr<std::string> plain =
      crypto::AeadOpen(key, kAad, crypto::Sealed{in.nonce(), in.ciphertext(), in.tag()});
  if (!plain.ok()) {
    return absl::DataLossError("the backup file is damaged (its contents do not authenticate)");
  }
  return plain;
}

}  // namespace

absl::StatusOr<BackupResult> CreateBackup(const Paths& paths, const std::string& kek,
                                          const std::string& to, const Clock& clock) {
  if (PathExists(to)) {
    return absl::AlreadyExistsError(absl::StrCat(to, " exists; a backup never overwrites"));
  }
  ASSIGN_OR_RETURN(config::DeploymentConfig cfg, LoadConfig(paths));
  // Read-only: the server is usually running, and a second process's
  // connection must never checkpoint or remove its WAL.
  ASSIGN_OR_RETURN(auto db, OpenDatabaseReadOnly(paths, kek));
  config::BackupPayload payload;
  *payload.mutable_config() = cfg;
  ASSIGN_OR_RETURN(int schema, db->SchemaVersion());
  payload.set_schema_version(schema);
  ASSIGN_OR_RETURN(std::string db_key, crypto::NewDatabaseKey());
  payload.set_database_key(db_key);

  // The copy and the head it ends at, from one snapshot.
  const std::string copy = absl::StrCat(to, ".db-", ::getpid());
  audit::Head head;
  RETURN_IF_ERROR(db->Export(copy, db_key, [&](store::Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(store::Statement st,
                     c.Prepare("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
                               "backup head"));
    ASSIGN_OR_RETURN(bool row, st.Step());
    head = row ? audit::Head{st.ColumnInt(0), st.ColumnText(1)} : audit::Head{0, ""};
    return absl::OkStatus();
  }));
  absl::StatusOr<std::string> copied = ReadFile(copy);
  ::unlink(copy.c_str());
  RETURN_IF_ERROR(copied.status());
  payload.set_database(*std::move(copied));
  crypto::Cleanse(db_key);

  // The checkpoints up to the copy's head, and one signed for the head.
  ASSIGN_OR_RETURN(std::vector<audit::Checkpoint> checkpoints,
                   audit::ReadCheckpoints(paths.audit_checkpoints));
  ASSIGN_OR_RETURN(std::string signing_pem, ReadFile(paths.audit_signing_key));
  ASSIGN_OR_RETURN(audit::CheckpointSigner signer, audit::CheckpointSigner::Load(signing_pem));
  std::string lines;
  for (const audit::Checkpoint& c : checkpoints) {
    if (c.seq <= head.seq) absl::StrAppend(&lines, audit::FormatCheckpoint(c), "\n");
  }
  if (head.seq > 0) {
    ASSIGN_OR_RETURN(audit::Checkpoint fresh, signer.Sign(head.seq, head.hash, clock.Now()));
    absl::StrAppend(&lines, audit::FormatCheckpoint(fresh), "\n");
  }
  payload.set_checkpoints(lines);
  payload.set_audit_signing_key(signing_pem);
  ASSIGN_OR_RETURN(*payload.mutable_audit_public_key(), ReadFile(paths.audit_public_key));
  ASSIGN_OR_RETURN(*payload.mutable_ca_cert(), ReadFile(paths.ca_cert));
  ASSIGN_OR_RETURN(*payload.mutable_ca_key(), ReadFile(paths.ca_key));
  ASSIGN_OR_RETURN(*payload.mutable_server_cert(), ReadFile(paths.server_cert));
  ASSIGN_OR_RETURN(*payload.mutable_server_key(), ReadFile(paths.server_key));

  config::BackupFile file;
  file.set_version(1);
  file.set_head_seq(head.seq);
  file.set_head_hash(head.hash);
  file.set_create_time_micros(absl::ToUnixMicros(clock.Now()));
  ASSIGN_OR_RETURN(std::string payload_key, crypto::NewDatabaseKey());
  ASSIGN_OR_RETURN(*file.mutable_payload_key(), crypto::WrapKey(payload_key, kek));
  std::string plain = payload.SerializeAsString();
  payload.Clear();
  absl::Status sealed = Seal(payload_key, plain, file);
  crypto::Cleanse(plain);
  crypto::Cleanse(payload_key);
  RETURN_IF_ERROR(sealed);
  std::string bytes = file.SerializeAsString();
  RETURN_IF_ERROR(WriteFileDurably(to, bytes));
  return BackupResult{head.seq, head.hash, static_cast<int64_t>(bytes.size()),
                      crypto::HexEncode(crypto::Sha256(bytes))};
}

absl::Status RestoreBackup(const std::string& from, const std::string& dir,
                           const std::string& kek, const config::KekSource& kek_source) {
  ASSIGN_OR_RETURN(std::string bytes, ReadFile(from));
  config::BackupFile file;
  if (!file.ParseFromString(bytes) || file.version() != 1) {
    return absl::DataLossError(absl::StrCat(from, " is not a schakel backup (or is damaged)"));
  }
  absl::StatusOr<std::string> payload_key = crypto::UnwrapKey(file.payload_key(), kek);
  if (!payload_key.ok()) {
    return absl::PermissionDeniedError(
        "the key-encryption key does not open this backup (wrong key, or the file was altered)");
  }
  ASSIGN_OR_RETURN(std::string plain, Open(*payload_key, file));
  crypto::Cleanse(*payload_key);
  config::BackupPayload payload;
  bool parsed = payload.ParseFromString(plain);
  crypto::Cleanse(plain);
  if (!parsed) return absl::DataLossError("the backup's contents cannot be read");

  Paths target(std::filesystem::absolute(dir).lexically_normal().string());
  if (PathExists(target.lock)) {
    // Served (or being changed) right now: the refusal says so first.
    ASSIGN_OR_RETURN(std::unique_ptr<Lock> held,
                     Lock::Acquire(target, "restore makes a new deployment: name a new directory"));
  }
  if (PathExists(target.config)) {
    return absl::AlreadyExistsError(
        absl::StrCat(target.dir, " holds a deployment; restore never overwrites one"));
  }
  Paths staging(absl::StrCat(target.dir, ".restore-", ::getpid()));
  std::error_code ec;
  std::filesystem::remove_all(staging.dir, ec);
  RETURN_IF_ERROR(MakeDirectory(staging.dir, 0700));
  absl::Status built = [&]() -> absl::Status {
    for (const char* sub : {"ca", "server", "audit", "users"}) {
      RETURN_IF_ERROR(MakeDirectory(JoinPath(staging.dir, sub)));
    }
    RETURN_IF_ERROR(WriteFileDurably(staging.database, payload.database()));
    RETURN_IF_ERROR(WriteWrappedKey(staging.wrapped_key, payload.database_key(), kek));
    {
      // sqlcipher_export does not carry the schema version over.
      ASSIGN_OR_RETURN(auto db, store::SqliteDatabase::Open(staging.database, payload.database_key(),
                                                      /*create=*/false));
      RETURN_IF_ERROR(db->Write([&](store::Connection& c) {
        return c.Exec(absl::StrCat("PRAGMA user_version = ", payload.schema_version(), ";"),
                      "restore schema version");
      }));
    }
    RETURN_IF_ERROR(WriteFileDurably(staging.audit_checkpoints, payload.checkpoints()));
    RETURN_IF_ERROR(WriteFileDurably(staging.audit_signing_key, payload.audit_signing_key()));
    RETURN_IF_ERROR(WriteFileDurably(staging.audit_public_key, payload.audit_public_key()));
    RETURN_IF_ERROR(WriteFileDurably(staging.ca_cert, payload.ca_cert()));
    RETURN_IF_ERROR(WriteFileDurably(staging.ca_key, payload.ca_key()));
    RETURN_IF_ERROR(WriteFileDurably(staging.server_cert, payload.server_cert()));
    RETURN_IF_ERROR(WriteFileDurably(staging.server_key, payload.server_key()));
    config::DeploymentConfig cfg = payload.config();
    *cfg.mutable_kek() = kek_source;
    // The demo passphrase file is not in the backup; the new deployment is
    // not a demo one.
    cfg.set_demo(false);
    return WriteConfig(staging, cfg);
  }();
  if (built.ok()) {
    if (PathExists(target.dir)) ::rmdir(target.dir.c_str());
    if (::rename(staging.dir.c_str(), target.dir.c_str()) != 0) {
      built = absl::UnavailableError(absl::StrCat("cannot move the deployment into ", target.dir));
    }
  }
  if (!built.ok()) std::filesystem::remove_all(staging.dir, ec);
  return built;
}

}  // namespace schakel::deployment
