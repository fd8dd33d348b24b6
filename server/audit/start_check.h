// What schakeld checks of its audit log before it serves (FORMAT.md,
// "Verifying at start"): the signing key still belongs to the public key
// auditors hold, the checkpoint file was not deleted or emptied, the chain
// reaches its last checkpoint, and the whole chain verifies — before
// listening when that fits the start budget, else right after.
#ifndef SCHAKEL_SERVER_AUDIT_START_CHECK_H_
#define SCHAKEL_SERVER_AUDIT_START_CHECK_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/audit/audit_log.h"
#include "server/store/database.h"

namespace schakel::audit {

// The start budget: the whole chain is verified before the server listens
// when it has at most this many entries. The server's two-thread verify
// walks about a million entries a second on the 2-core machine of
// /work/shared/PLATFORM.md, so this is about one second of start.
inline constexpr int64_t kStartVerifyMaxEntries = 1'000'000;


// FAILED_PRECONDITION with a sentence saying what to do, when the signing
// key at `signing_key_path` is missing while `public_key_path` exists, or
// is not the key of that public key. Creates both (a new deployment's key)
// only when neither exists. Never writes the public key over an existing one.
absl::Status EnsureSigningKey(const std::string& signing_key_path,
                              const std::string& public_key_path,
                              const std::function<absl::Status()>& create_both);

struct StartCheckOptions {
  std::string checkpoint_path;
  std::string public_key_pem;
  // The operator's --accept-checkpoint-loss: a log with entries and no
  // checkpoint starts, and the acceptance is recorded in the chain.
  bool accept_checkpoint_loss = false;
  int64_t verify_max_entries = kStartVerifyMaxEntries;
  // False on an instance that signs no checkpoints (another instance's
  // file is the one of record, instance.secondary):
  // its copy is checked against the chain but may lack what the signer
  // published since.
  bool file_of_record = true;
};

struct StartCheckResult {
  // The chain is longer than the budget: verify it (VerifyWholeChain) right
  // after start.
  bool verify_in_background = false;
  // accept_checkpoint_loss was needed: RecordCheckpointLoss, then.
  bool checkpoint_loss_accepted = false;
  int64_t loss_up_to_seq = 0;
  // The line hashes (PublishedLine::line_hash) of the published lines the
  // file lost, whose loss the acceptance covers.
  std::vector<std::string> lost_lines;
};

// Before the server listens and before its AuditLog exists (whose shutdown
// would sign the head of a log that must be refused). FAILED_PRECONDITION
// (one sentence) when the checkpoint file holds no checkpoint while the log
// holds entries past its anchor, or lacks lines the database records as
// published (both unless accept_checkpoint_loss), or when
// the whole chain, verified here because it fits the budget, is not intact.
absl::StatusOr<StartCheckResult> CheckAtStart(store::Database& db,
                                              const StartCheckOptions& options);

// Records the operator's acceptance of a lost checkpoint file (or of lost
// lines of it) in the chain, marks the lost lines as accepted by that entry
// in the same transaction, and signs a checkpoint at once, so that the file
// vouches for the log again.
absl::Status RecordCheckpointLoss(store::Database& db, AuditLog& log, int64_t up_to_seq,
                                  const std::vector<std::string>& lost_lines, absl::Time now);

// The whole chain against the checkpoint file; FAILED_PRECONDITION naming
// the first bad seq and the problem when it is not intact (with
// `require_checkpoint`, also when the file holds no checkpoint:
// CheckCheckpointsPresent). `stop` as for VerifyChain.
absl::Status VerifyWholeChain(store::Database& db, const std::string& checkpoint_path,
                              const std::string& public_key_pem, bool require_checkpoint,
                              const std::function<absl::Status()>& stop);

}  // namespace schakel::audit

#endif  // SCHAKEL_SERVER_AUDIT_START_CHECK_H_
