// Signed checkpoints of the audit chain's head (FORMAT.md, "Checkpoints").
#ifndef SCHAKEL_SERVER_AUDIT_CHECKPOINT_H_
#define SCHAKEL_SERVER_AUDIT_CHECKPOINT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/crypto/openssl_util.h"

namespace schakel::audit {

struct Checkpoint {
  int64_t seq = 0;
  std::string head;  // hex hash of entry `seq`
  absl::Time time;
  std::string signature;  // raw Ed25519 signature
  // An anchor record rather than a checkpoint: signed at a retention purge
  // (`time` is the purge's), it states that the entries up to `seq` were
  // removed by retention and the chain now starts at `head`. Its signed
  // text differs from a checkpoint's, so no checkpoint can pass for one.
  bool anchor = false;
};

// The Ed25519 signing key of the deployment's audit log.
class CheckpointSigner {
 public:
  // Generates a new key.
  static absl::StatusOr<CheckpointSigner> Generate();
  // Loads a PEM private key.
  static absl::StatusOr<CheckpointSigner> Load(const std::string& pem);

  absl::StatusOr<Checkpoint> Sign(int64_t seq, const std::string& head, absl::Time time) const;
  // An anchor record (Checkpoint::anchor) for a purge at `time`.
  absl::StatusOr<Checkpoint> SignAnchor(int64_t seq, const std::string& head,
                                        absl::Time time) const;
  std::string PrivateKeyPem() const;
  std::string PublicKeyPem() const;
  // An AES-256-GCM key derived from this key: HKDF-SHA256 of its raw 32-byte
  // private key with `info` (crypto::DeriveAeadKey). The same for as long as
  // the deployment has its signing key, which is never replaced, survives a
  // restart and is in every backup; unlike the database key, which
  // `key rotate` changes.
  absl::StatusOr<std::string> DeriveKey(absl::string_view info) const;

 private:
  explicit CheckpointSigner(crypto::PkeyPtr key) : key_(std::move(key)) {}
  absl::StatusOr<Checkpoint> SignPrepared(Checkpoint c) const;
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

// Every checkpoint and anchor record in the file, in order; an empty list
// when it does not exist. DATA_LOSS naming the line for a line that does not
// parse.
absl::StatusOr<std::vector<Checkpoint>> ReadCheckpoints(const std::string& path);
// The last checkpoint (not anchor record) of `all`, if any.
const Checkpoint* LastCheckpoint(const std::vector<Checkpoint>& all);
// OK when `all` holds an anchor record for `anchor` (same seq and head)
// whose signature verifies; else DATA_LOSS: the entries before the anchor
// were removed outside retention.
absl::Status CheckAnchorRecorded(const Checkpoint& anchor, const std::vector<Checkpoint>& all,
                                 const std::string& public_key_pem);
// Appends one line durably (O_APPEND, fsync).
absl::Status AppendCheckpoint(const std::string& path, const Checkpoint& c);

}  // namespace schakel::audit

#endif  // SCHAKEL_SERVER_AUDIT_CHECKPOINT_H_
