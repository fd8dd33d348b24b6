#include "server/api/peer_rate_limiter.h"

#include "gtest/gtest.h"

namespace schakel::api {
namespace {

TEST(PeerRateLimiterTest, ABurstThenOnePerIntervalPerAddress) {
  PeerRateLimiter limiter(3, absl::Seconds(6));
  const absl::Time t0 = absl::FromUnixSeconds(1795424400);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Allow("ipv4:10.0.0.1:5000", t0)) << i;
  // Another port of the same address shares the bucket; another address not.
  EXPECT_FALSE(limiter.Allow("ipv4:10.0.0.1:5001", t0));
  EXPECT_TRUE(limiter.Allow("ipv4:10.0.0.2:5000", t0));
  EXPECT_FALSE(limiter.Allow("ipv4:10.0.0.1:5000", t0 + absl::Seconds(5)));
  EXPECT_TRUE(limiter.Allow("ipv4:10.0.0.1:5000", t0 + absl::Seconds(6)));
  EXPECT_FALSE(limiter.Allow("ipv4:10.0.0.1:5000", t0 + absl::Seconds(7)));
}

TEST(PeerRateLimiterTest, TheAddressIsThePeerWithoutItsPort) {
  EXPECT_EQ(PeerRateLimiter::Address("ipv4:127.0.0.1:50412"), "ipv4:127.0.0.1");
  EXPECT_EQ(PeerRateLimiter::Address("ipv6:[::1]:50412"), "ipv6:[::1]");
  EXPECT_EQ(PeerRateLimiter::Address("unix:/tmp/sock"), "unix:/tmp/sock");
}

}  // namespace
}  // namespace schakel::api
