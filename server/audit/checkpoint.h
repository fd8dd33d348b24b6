// Signed checkpoints of the audit chain's head (FORMAT.md, "Checkpoints").
#ifndef SCHAKEL_SERVER_AUDIT_CHECKPOINT_H_
#define SCHAKEL_SERVER_AUDIT_CHECKPOINT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/crypto/openssl_util.h"

namespace schakel::audit {

struct Checkpoint {
  int64_t seq = 0;
  std::string head;  // hex hash of entry `seq`
  absl::Time time;
  std::string signature;  // raw Ed25519 signature
};

// The Ed25519 signing key of the deployment's audit log.
class CheckpointSigner {
 public:
  // Generates a new key.
  static absl::StatusOr<CheckpointSigner> Generate();
  // Loads a PEM private key.
  static absl::StatusOr<CheckpointSigner> Load(const std::string& pem);

  absl::StatusOr<Checkpoint> Sign(int64_t seq, const std::string& head, absl::Time time) const;
  std::string PrivateKeyPem() const;
  std::string PublicKeyPem() const;

 private:
  explicit CheckpointSigner(crypto::PkeyPtr key) : key_(std::move(key)) {}
  crypto::PkeyPtr key_;
};

// The bytes a checkpoint's signature covers.
std::string SignedText(const Checkpoint& c);
// The line written to the checkpoint file: SignedText plus " sig=<base64>".
std::string FormatCheckpoint(const Checkpoint& c);
// INVALID_ARGUMENT when `line` is not a checkpoint line.
absl::StatusOr<Checkpoint> ParseCheckpoint(const std::string& line);
// DATA_LOSS when the signature does not verify under `public_key_pem`.
absl::Status VerifyCheckpoint(const Checkpoint& c, const std::string& public_key_pem);

// Every checkpoint in the file, in order; an empty list when it does not
// exist. DATA_LOSS naming the line for a line that does not parse.
absl::StatusOr<std::vector<Checkpoint>> ReadCheckpoints(const std::string& path);
// Appends one line durably (O_APPEND, fsync).
absl::Status AppendCheckpoint(const std::string& path, const Checkpoint& c);

}  // namespace schakel::audit

#endif  // SCHAKEL_SERVER_AUDIT_CHECKPOINT_H_
