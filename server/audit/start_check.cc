#include "server/audit/start_check.h"

#include "absl/strings/str_cat.h"
#include "server/audit/checkpoint.h"
#include "server/audit/verifier.h"
#include "server/common/files.h"
#include "server/common/log.h"
#include "server/common/status_macros.h"

namespace schakel::audit {
namespace {

absl::Status NotIntact(const VerifyReport& r) {
  return absl::FailedPreconditionError(absl::StrCat(
      "the audit log is NOT INTACT at seq ", r.first_bad_seq, ": ", r.problem,
      " (schakel-admin audit verify --deployment DIR reports the same)"));
}

}  // namespace

absl::Status EnsureSigningKey(const std::string& signing_key_path,
                              const std::string& public_key_path,
                              const std::function<absl::Status()>& create_both) {
  const bool have_key = PathExists(signing_key_path);
  const bool have_public = PathExists(public_key_path);
  if (!have_key && have_public) {
    // A new key would sign checkpoints no auditor's copy of the public key
    // accepts, and writing its public key would hide that the old one is gone.
    return absl::FailedPreconditionError(absl::StrCat(
        "the audit signing key ", signing_key_path, " is missing while its public key ",
        public_key_path,
        " is there: restore the signing key from the backup of the deployment (schakel-admin "
        "backup keeps it); schakeld never writes a new public key over the one the auditors' "
        "copies and every checkpoint depend on"));
  }
  if (!have_key) {
    LogWarning("no audit signing key nor public key in the deployment: creating both");
    return create_both();
  }
  ASSIGN_OR_RETURN(std::string signing_pem, ReadFile(signing_key_path));
  ASSIGN_OR_RETURN(CheckpointSigner signer, CheckpointSigner::Load(signing_pem));
  if (!have_public) {
    // The same key's public half: nothing an auditor holds changes.
    LogWarning(absl::StrCat("the audit public key ", public_key_path,
                            " was missing: written again from the signing key"));
    return WriteFileDurably(public_key_path, signer.PublicKeyPem());
  }
  ASSIGN_OR_RETURN(std::string public_pem, ReadFile(public_key_path));
  if (signer.PublicKeyPem() != public_pem) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the audit signing key ", signing_key_path, " is not the key of the public key ",
        public_key_path,
        ": restore the signing key that belongs to it from the backup of the deployment"));
  }
  return absl::OkStatus();
}

absl::Status VerifyWholeChain(store::Database& db, const std::string& checkpoint_path,
                              const std::string& public_key_pem, bool require_checkpoint,
                              const std::function<absl::Status()>& stop) {
  ASSIGN_OR_RETURN(std::vector<Checkpoint> checkpoints, ReadCheckpoints(checkpoint_path));
  ASSIGN_OR_RETURN(VerifyReport r,
                   VerifyChain(db, checkpoints, public_key_pem, std::nullopt, stop));
  if (require_checkpoint) {
    RETURN_IF_ERROR(CheckCheckpointFile(db, checkpoints, checkpoint_path, r));
  }
  if (!r.intact) return NotIntact(r);
  return absl::OkStatus();
}

absl::StatusOr<StartCheckResult> CheckAtStart(store::Database& db,
                                              const StartCheckOptions& options) {
  ASSIGN_OR_RETURN(std::vector<Checkpoint> checkpoints, ReadCheckpoints(options.checkpoint_path));
  ASSIGN_OR_RETURN(std::optional<Checkpoint> anchor, ReadAnchor(db));
  ASSIGN_OR_RETURN(auto range, EntrySeqRange(db));
  const int64_t anchor_seq = anchor ? anchor->seq : 0;
  const int64_t entries = range ? range->second - range->first + 1 : 0;
  StartCheckResult result;
  if (!options.file_of_record) {
    // What the copy holds must still match the chain (CheckAgainstLast-
    // Checkpoint did), and the chain is verified as on the signer.
    if (entries > options.verify_max_entries) {
      result.verify_in_background = true;
      return result;
    }
    RETURN_IF_ERROR(VerifyWholeChain(db, options.checkpoint_path, options.public_key_pem,
                                     /*require_checkpoint=*/false, nullptr));
    return result;
  }
  if (range && range->second > anchor_seq && LastCheckpoint(checkpoints) == nullptr) {
    if (!options.accept_checkpoint_loss) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the audit log holds entries ", anchor_seq + 1, "..", range->second, " but ",
          options.checkpoint_path,
          " holds no signed checkpoint (deleted or emptied; with an older copy of the database "
          "nothing else would notice): restore it from the export path or the system log, or, "
          "knowing the log since the last checkpoint you hold cannot be vouched for, start once "
          "with --accept-checkpoint-loss (recorded in the log)"));
    }
    result.checkpoint_loss_accepted = true;
    result.loss_up_to_seq = range->second;
  }
  // Lines the database knows were published and the file no longer holds:
  // shortened, or replaced by an older copy.
  ASSIGN_OR_RETURN(std::vector<PublishedLine> published, ReadPublished(db));
  std::vector<const PublishedLine*> lost = LostLines(published, checkpoints);
  if (!lost.empty()) {
    if (!options.accept_checkpoint_loss) {
      return absl::FailedPreconditionError(absl::StrCat(
          LostLinesProblem(lost, options.checkpoint_path),
          ": with an older copy of the database nothing else would notice; restore the file from "
          "the export path or the system log, or, knowing the log since the last checkpoint it "
          "still holds cannot be vouched for, start once with --accept-checkpoint-loss "
          "(recorded in the log)"));
    }
    ASSIGN_OR_RETURN(Head head, ReadHead(db));
    result.checkpoint_loss_accepted = true;
    result.loss_up_to_seq = head.seq;
    for (const PublishedLine* p : lost) result.lost_lines.push_back(p->line_hash);
  }
  if (entries > options.verify_max_entries) {
    result.verify_in_background = true;
    return result;
  }
  RETURN_IF_ERROR(VerifyWholeChain(db, options.checkpoint_path, options.public_key_pem,
                                   /*require_checkpoint=*/!result.checkpoint_loss_accepted,
                                   nullptr));
  return result;
}

absl::Status RecordCheckpointLoss(store::Database& db, AuditLog& log, int64_t up_to_seq,
                                  const std::vector<std::string>& lost_lines, absl::Time now) {
  Entry e;
  e.time = now;
  e.action = kAcceptCheckpointLossAction;
  e.resource_type = "audit";
  e.resource_id = absl::StrCat(up_to_seq);
  e.outcome = kAllowed;
  e.purpose = "operator accepted a lost checkpoint file";
  // The entry and the marks on the lost lines in one transaction: a mark
  // always names the entry that accepted it.
  RETURN_IF_ERROR(db.Write([&](store::Connection& c) -> absl::Status {
    RETURN_IF_ERROR(log.AppendIn(c, e));
    return MarkPublishedLost(c, lost_lines, e.seq);
  }));
  RETURN_IF_ERROR(log.WriteCheckpoint());
  LogWarning(absl::StrCat("AUDIT: --accept-checkpoint-loss: the log up to seq ", up_to_seq,
                          " was accepted without a checkpoint file (or without ", lost_lines.size(),
                          " lost line(s) of it); recorded at seq ", e.seq));
  return absl::OkStatus();
}

}  // namespace schakel::audit
