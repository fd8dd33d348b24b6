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
  auto it = empty_at_.find(address);
  if (it == empty_at_.end()) {
    if (empty_at_.size() >= kMaxAddresses) empty_at_.clear();
    it = empty_at_.emplace(address, now).first;
  }
  absl::Time& empty_at = it->second;
  if (empty_at < now) empty_at = now;
  // Each call fills the bucket by `every_`; it holds `burst_` calls.
  if (empty_at - now > (burst_ - 1) * every_) return false;
  empty_at += every_;
  return true;
}

}  // namespace schakel::api
