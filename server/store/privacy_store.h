// Residents' rights and retention: what the privacy officer's acts and the
// retention job read and change. These acts cut across aggregates by nature
// (an erasure withdraws signals, cancels handovers and scrubs notes in one
// transaction; a purge removes a closed signal with its timeline), so their
// SQL lives together here instead of being spread over every store; the
// legal holds and the rectification history are this store's own tables.
#ifndef SCHAKEL_SERVER_STORE_PRIVACY_STORE_H_
#define SCHAKEL_SERVER_STORE_PRIVACY_STORE_H_

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/domain/privacy.h"
#include "server/domain/resident.h"
#include "server/store/database.h"

namespace schakel::store {

using domain::EraseResult;
using domain::HandoverRecord;
using domain::NoteRecord;
using domain::RectificationRecord;
using domain::ResidentData;
using domain::ResidentRecord;
using domain::SignalRecord;
using domain::TrajectoryRecord;

// Who acts, for the timelines and the history.
struct Actor {
  std::string professional_id;
  std::string organisation_id;
  std::string request_ref;
  absl::Time now;
};

// What one retention run removed of one kind.
struct PurgeResult {
  int64_t records = 0;
  std::vector<std::string> residents;  // whose records were purged
};

// The ids of every resident under a legal hold, as a parenthesised SELECT
// for `IN`: a hold covers every id of the person, the kept record and the
// records merged into it, whichever of them it was put on.
extern const char kHeldResidentIds[];

class PrivacyStore {
 public:
  virtual ~PrivacyStore() = default;
  // NOT_FOUND naming resident_id unless the resident exists;
  // FAILED_PRECONDITION naming the kept record when it was merged.
  virtual absl::StatusOr<ResidentData> Collect(const std::string& resident_id) = 0;
  // The changes below are steps of the use case's unit of work, which
  // appends the audit entry in the same transaction.

  // Applies the changes and appends them to the history; the resident's
  // data afterwards. FAILED_PRECONDITION when erased; INVALID_ARGUMENT
  // naming wijk when it is unknown.
  virtual absl::StatusOr<ResidentData> Rectify(Connection& c, const std::string& resident_id,
                                               const std::vector<domain::FieldChange>& changes,
                                               const Actor& actor) = 0;
  // Anonymises the resident (and records merged into it): open signals
  // withdrawn, open handovers cancelled, active or paused trajectories
  // closed (reason "[erased]"), free text overwritten; once the transaction
  // has ended, checkpoints the WAL with TRUNCATE so no old page version
  // stays behind. The checkpoint is best effort after the commit: when a
  // reader blocks it, the erasure still succeeds (a warning is logged) and
  // the checkpoint stays pending for CheckpointPending. FAILED_PRECONDITION
  // while a legal hold is on, or when already erased.
  virtual absl::StatusOr<EraseResult> Erase(Connection& c, const std::string& resident_id,
                                            const Actor& actor) = 0;
  // Puts (held) or releases a legal hold. A hold on any id of the person
  // (also one merged into `resident_id`) counts, and a release lifts them
  // all. FAILED_PRECONDITION when the hold is already in that state.
  virtual absl::Status SetHold(Connection& c, const std::string& resident_id, bool held,
                               const Actor& actor) = 0;
  // Retries the WAL checkpoint (TRUNCATE) an erasure could not complete;
  // OK when none is pending. UNAVAILABLE while still blocked (it stays
  // pending). Called by the retention job on every run.
  virtual absl::Status CheckpointPending() = 0;
  // Retention: deletes closed or withdrawn signals whose last change was
  // before `cutoff` (with timeline and notes) that no remaining handover
  // refers to; residents under a legal hold are skipped.
  virtual absl::StatusOr<PurgeResult> PurgeSignals(Connection& c, absl::Time cutoff) = 0;
  // Final handovers (completed, declined, expired, cancelled) last changed
  // before `cutoff`, with their notes, that no remaining trajectory step
  // refers to.
  virtual absl::StatusOr<PurgeResult> PurgeHandovers(Connection& c, absl::Time cutoff) = 0;
  // Closed trajectories last changed before `cutoff`, with measurements and
  // steps.
  virtual absl::StatusOr<PurgeResult> PurgeTrajectories(Connection& c, absl::Time cutoff) = 0;
};

class SqlitePrivacyStore final : public PrivacyStore {
 public:
  explicit SqlitePrivacyStore(Database* db) : db_(db) {}
  absl::StatusOr<ResidentData> Collect(const std::string& resident_id) override;
  absl::StatusOr<ResidentData> Rectify(Connection& c, const std::string& resident_id,
                                       const std::vector<domain::FieldChange>& changes,
                                       const Actor& actor) override;
  absl::StatusOr<EraseResult> Erase(Connection& c, const std::string& resident_id,
                                    const Actor& actor) override;
  absl::Status CheckpointPending() override;
  absl::Status SetHold(Connection& c, const std::string& resident_id, bool held,
                       const Actor& actor) override;
  absl::StatusOr<PurgeResult> PurgeSignals(Connection& c, absl::Time cutoff) override;
  absl::StatusOr<PurgeResult> PurgeHandovers(Connection& c, absl::Time cutoff) override;
  absl::StatusOr<PurgeResult> PurgeTrajectories(Connection& c, absl::Time cutoff) override;

 private:
  Database* db_;
  // An erasure committed but its WAL checkpoint was blocked.
  std::atomic<bool> checkpoint_pending_{false};
};

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_PRIVACY_STORE_H_
