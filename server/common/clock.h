// Time and identifiers are injected, never reached through globals, so that
// tests are deterministic.
#ifndef SCHAKEL_SERVER_COMMON_CLOCK_H_
#define SCHAKEL_SERVER_COMMON_CLOCK_H_

#include <string>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace schakel {

// Thread-safe source of the current time.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

// The real wall clock.
class SystemClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

// A clock that only moves when told to; for tests.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(absl::Time start) : now_(start) {}
  absl::Time Now() const override {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    now_ += d;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time now_;
};

// Thread-safe source of opaque identifiers.
class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  // A new identifier: `prefix` followed by random characters. Never reused.
  virtual std::string NewId(const std::string& prefix) = 0;
};

// 80 random bits from OpenSSL's CSPRNG, in lower-case base32.
class RandomIdGenerator final : public IdGenerator {
 public:
  std::string NewId(const std::string& prefix) override;
};

}  // namespace schakel

#endif  // SCHAKEL_SERVER_COMMON_CLOCK_H_
