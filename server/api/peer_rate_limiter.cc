#include "server/api/peer_rate_limiter.h"

#include <algorithm>

namespace schakel::api {
namespace {

// Bounds the memory an address sweep can take; on overflow, start afresh.
constexpr size_t kMaxAddresses = 10000;

}  // namespace

std::string PeerRateLimiter::Address(const std::string& peer) {
  size_t colon = peer.rfind(':');
  size_t first = peer.find(':');
  if (colon == std::string::npos || colon == first) return peer;
  return peer.substr(0, colon);
}

bool PeerRateLimiter::Allow(const std::string& peer, absl::Time now) {
  const std::string address = Address(peer);
  absl::MutexLock lock(&mu_);
  auto it = buckets_.find(address);
  if (it == buckets_.end()) {
    if (buckets_.size() >= kMaxAddresses) buckets_.clear();
    it = buckets_.emplace(address, Bucket{static_cast<double>(burst_), now}).first;
  }
  Bucket& b = it->second;
  b.tokens = std::min<double>(burst_, b.tokens + (now - b.last) / every_);
  b.last = now;
  if (b.tokens < 1) return false;
  b.tokens -= 1;
  return true;
}

}  // namespace schakel::api
