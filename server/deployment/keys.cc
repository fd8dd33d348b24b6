#include "server/deployment/keys.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "server/common/files.h"
#include "server/common/status_macros.h"
#include "server/crypto/key_wrap.h"
#include "server/crypto/openssl_util.h"

namespace schakel::deployment {
namespace {

constexpr char kStopServerForKeys[] =
    "a key operation needs the deployment to itself: stop schakeld first (it refuses to start "
    "while the operation runs)";

}  // namespace

absl::Status RotateKey(const Paths& paths, const std::string& kek,
                       const std::function<void(RotationStep)>& after_step) {
  auto step = [&after_step](RotationStep s) {
    if (after_step) after_step(s);
  };
  ASSIGN_OR_RETURN(auto lock, Lock::Acquire(paths, kStopServerForKeys));
  // Opening first also settles a rotation that was interrupted earlier.
  ASSIGN_OR_RETURN(auto db, OpenSqliteDatabase(paths, kek));
  ASSIGN_OR_RETURN(std::string new_key, crypto::NewDatabaseKey());
  absl::Status s = WriteWrappedKey(paths.next_wrapped_key, new_key, kek);
  if (s.ok()) {
    step(RotationStep::kNextKeyWritten);
    s = db->Rekey(new_key);
  }
  crypto::Cleanse(new_key);
  if (!s.ok()) {
    // The database is still under the current key: the next one is unused.
    ::unlink(paths.next_wrapped_key.c_str());
    return s;
  }
  step(RotationStep::kRekeyed);
  RETURN_IF_ERROR(RenameDurably(paths.next_wrapped_key, paths.wrapped_key));
  step(RotationStep::kRenamed);
  return absl::OkStatus();
}

absl::Status RewrapKey(const Paths& paths, const std::string& kek, const std::string& new_kek,
                       const std::string& new_kek_file, std::string* note) {
  ASSIGN_OR_RETURN(auto lock, Lock::Acquire(paths, kStopServerForKeys));
  if (PathExists(paths.next_wrapped_key)) {
    return absl::FailedPreconditionError(
        "a key rotation was interrupted: run `schakel-admin key rotate` or start schakeld once "
        "to settle it, then rewrap");
  }
  if (new_kek.size() < 16) {
    return absl::FailedPreconditionError(
        "the new key-encryption key must be at least 16 characters");
  }
  ASSIGN_OR_RETURN(std::string key, UnwrapKeyFile(paths.wrapped_key, kek));
  absl::Status written = WriteWrappedKey(paths.wrapped_key, key, new_kek);
  crypto::Cleanse(key);
  RETURN_IF_ERROR(written);
  ASSIGN_OR_RETURN(config::DeploymentConfig cfg, LoadConfig(paths));
  if (cfg.kek().has_file() && !new_kek_file.empty()) {
    cfg.mutable_kek()->set_file(std::filesystem::absolute(new_kek_file).string());
    RETURN_IF_ERROR(WriteConfig(paths, cfg));
    *note = absl::StrCat("the configuration now names ", cfg.kek().file(),
                         " as the key-encryption key");
  } else {
    *note =
        "the configuration takes the key-encryption key from a credential or the environment: "
        "update it there before the next start";
  }
  return absl::OkStatus();
}

}  // namespace schakel::deployment
