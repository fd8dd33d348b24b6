// The health probe's write: proof that a durable commit is possible now
// (disk not full, file writable), without touching case data.
#ifndef SCHAKEL_SERVER_STORE_HEALTH_PROBE_H_
#define SCHAKEL_SERVER_STORE_HEALTH_PROBE_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "server/store/database.h"

namespace schakel::store {

// Rewrites the probe row with `now` in the caller's write transaction.
absl::Status WriteHealthProbe(Connection& c, absl::Time now);

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_HEALTH_PROBE_H_
