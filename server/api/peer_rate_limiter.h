// A token bucket per client address (the host part of gRPC's peer string,
// "ipv4:127.0.0.1:50412" → "ipv4:127.0.0.1"), for RPCs that anyone who can
// reach the port may call.
#ifndef SCHAKEL_SERVER_API_PEER_RATE_LIMITER_H_
#define SCHAKEL_SERVER_API_PEER_RATE_LIMITER_H_

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace schakel::api {

// Thread-safe.
class PeerRateLimiter {
 public:
  // Up to `burst` calls at once per address, then one per `every`.
  PeerRateLimiter(int burst, absl::Duration every) : burst_(burst), every_(every) {}

  // Whether a call from `peer` at `now` may go ahead (and counts it).
  bool Allow(const std::string& peer, absl::Time now);

  // The address part of a gRPC peer string.
  static std::string Address(const std::string& peer);

 private:
  const int burst_;
  const absl::Duration every_;
  absl::Mutex mu_;
  // Per address, when its bucket is empty again (the generic cell rate
  // algorithm: exact duration arithmetic, no fractional tokens).
  absl::flat_hash_map<std::string, absl::Time> empty_at_ ABSL_GUARDED_BY(mu_);
};

}  // namespace schakel::api

#endif  // SCHAKEL_SERVER_API_PEER_RATE_LIMITER_H_
