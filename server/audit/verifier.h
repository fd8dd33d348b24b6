// Offline and online verification of the audit chain against its signed
// checkpoints (FORMAT.md, "Verifying").
#ifndef SCHAKEL_SERVER_AUDIT_VERIFIER_H_
#define SCHAKEL_SERVER_AUDIT_VERIFIER_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/audit/audit_store.h"
#include "server/audit/checkpoint.h"
#include "server/store/database.h"

namespace schakel::audit {

struct ExpectedHead {
  int64_t seq = 0;
  std::string hash;
};
// Parses "SEQ:HASH"; INVALID_ARGUMENT otherwise.
absl::StatusOr<ExpectedHead> ParseExpectedHead(const std::string& text);

struct VerifyReport {
  bool intact = true;
  int64_t entries = 0;
  Head head;
  int checkpoints = 0;
  // The seq of the chain's anchor after a retention purge; 0 when the chain
  // starts at the first entry.
  int64_t anchor_seq = 0;
  // When not intact: the first sequence number that is wrong, and why.
  int64_t first_bad_seq = 0;
  std::string problem;
};

// How the walk over the entries is split; the defaults are what the server
// and the admin tool use, tests vary them.
struct VerifyTuning {
  // Entries read per batch handed from the reading to the checking thread.
  size_t batch_entries = 1024;
  // Recompute and check the hashes on a second thread while the calling
  // thread reads (and decrypts) the next batch. Either way the same report.
  bool second_thread = true;
  // Split the log into two halves by seq, each read (in its own read
  // transaction) and checked on a thread of its own, and check the link
  // between them afterwards: both cores read and hash. Takes two reader
  // connections for the whole walk and asks `stop` from both threads at
  // once (it must be thread-safe); `second_thread` is then not used. For
  // schakel-admin, which has the database to itself.
  bool two_halves = false;
};

// Recomputes the chain, checks every checkpoint (signature under
// `public_key_pem`, and that the chain holds its head) and `expect`, that
// the resident index holds exactly the residents of each entry, and that
// every break-glass session an entry opened is stored as the entry has it.
// Errors only when the log cannot be read at all, or when `stop` (asked
// before every entry; may be null) answers non-OK: then with its status.
// Reads in one read transaction on the calling thread (so a schakel::ScopedReadStop
// of the caller applies) and, by default, hashes on one more thread.
absl::StatusOr<VerifyReport> VerifyChain(
    store::Database& db, const std::vector<Checkpoint>& checkpoints,
    const std::string& public_key_pem, const std::optional<ExpectedHead>& expect,
    const std::function<absl::Status()>& stop = nullptr, const VerifyTuning& tuning = {});

// The rule of FORMAT.md, "Checkpoints": a log that holds entries past its
// anchor must have at least one signed checkpoint in `checkpoints`. Without
// one nothing outside the database vouches for the chain, and an older copy
// of the database would verify as intact: flags the report (at the first
// entry past the anchor) when the file was deleted or emptied. Run after
// VerifyChain, by everything that reads the deployment's checkpoint file.
void CheckCheckpointsPresent(const std::vector<Checkpoint>& checkpoints, VerifyReport& report);

// The lines the database records as published (audit_published) that are
// not in `checkpoints` and whose loss was not accepted on record (FORMAT.md,
// "Published checkpoints"); in seq order. Pointers into `published`.
std::vector<const PublishedLine*> LostLines(const std::vector<PublishedLine>& published,
                                            const std::vector<Checkpoint>& checkpoints);
// One sentence naming the first of `lost` (not empty) and how many more.
std::string LostLinesProblem(const std::vector<const PublishedLine*>& lost,
                             const std::string& checkpoint_path);

// What everything that reads the deployment's checkpoint file runs after
// VerifyChain: CheckCheckpointsPresent, and flags the report (at the seq of
// the first lost line) when the file lacks lines the database records as
// published: shortened, or replaced by an older copy (it reads the records,
// then `checkpoint_path` again, so a line published meanwhile is never taken
// for a lost one). Errors only when the database or the file cannot be read.
absl::Status CheckCheckpointFile(store::Database& db, const std::vector<Checkpoint>& checkpoints,
                                 const std::string& checkpoint_path, VerifyReport& report);

}  // namespace schakel::audit

#endif  // SCHAKEL_SERVER_AUDIT_VERIFIER_H_
