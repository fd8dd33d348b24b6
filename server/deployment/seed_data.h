// `schakel-admin seed`: fills a stopped deployment with realistic test data
// (residents, signals with their timeline, handovers, trajectories) for scale
// runs and benchmarks. Never for a deployment with real data: the rows are
// invented, and the audit log says so.
//
// The rows go straight into the stores' tables in batched transactions with
// prepared statements (fast: ~100k signals in seconds). Every batch appends
// one audit entry (action "schakel-admin.seed") inside its own transaction,
// so the chain stays valid and every seeded row is accounted for (and, with
// `audit_entry_per_row`, one more entry per row); at the end
// a fresh checkpoint is signed for the new head, as the server would at
// shutdown, so the server starts and `audit verify` passes.
#ifndef SCHAKEL_SERVER_DEPLOYMENT_SEED_DATA_H_
#define SCHAKEL_SERVER_DEPLOYMENT_SEED_DATA_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/common/clock.h"
#include "server/deployment/deployment.h"

namespace schakel::deployment {

struct SeedOptions {
  int64_t residents = 0;
  int64_t signals = 0;
  int64_t handovers = 0;
  int64_t trajectories = 0;
  // The same seed, counts and clock give the same rows (ids included).
  uint64_t seed = 1;
  // Rows per transaction (one audit entry each).
  int64_t batch_rows = 10000;
  // Also one audit entry per seeded row, the one its create through the API
  // would have written (who, action, resource, resident, request id, peer;
  // purpose "test data"), in the row's transaction: an audit log the size
  // a real deployment's would be, for scale runs of `audit verify`.
  bool audit_entry_per_row = false;
};

struct SeedResult {
  int64_t residents = 0;
  int64_t signals = 0;
  int64_t handovers = 0;
  int64_t trajectories = 0;
  int64_t audit_entries = 0;
  int64_t head_seq = 0;
  std::string head_hash;
};

// Seeds the deployment at `paths`, holding its lock throughout.
// FAILED_PRECONDITION when the server (or another tool) holds the
// deployment, or when it has no professional to be the rows' authors;
// INVALID_ARGUMENT for a negative count, or handovers/trajectories without
// residents to be about.
absl::StatusOr<SeedResult> SeedDeployment(const Paths& paths, const std::string& kek,
                                          const SeedOptions& options, const Clock& clock);

}  // namespace schakel::deployment

#endif  // SCHAKEL_SERVER_DEPLOYMENT_SEED_DATA_H_
