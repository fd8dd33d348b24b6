// What keeps the caches in memory of several schakeld instances on one
// PostgreSQL database exactly as fresh as the database (the directory's
// identities, the break-glass sessions: server/common/generation_cache.h).
//
// Each cache has a generation in the database (table cache_generations).
// Every write that changes what a cache holds raises it in its own
// transaction (BumpSharedGeneration), so the raise commits with the change
// or not at all. Before a request uses a cache, Refresh reads the
// generations — one statement — and invalidates every cache whose
// generation grew since the last read. So a revocation committed by one
// instance is seen by every request that any instance starts after it
// committed: the read of the generation is after the commit, and a cache
// invalidated then is filled from a snapshot after it
// (GenerationCache::Fill drops fills that began before).
//
// Why a read per request and not LISTEN/NOTIFY: a notification arrives
// some time after the commit, and a request that the other instance
// starts in between would still be answered from the old cache — the
// revoked professional gets one more answer. Measured
// (schakel-generations-bench, docs/performance.md): about half of all
// commits are notified after their acknowledgement, by up to 1 ms at the
// 99th percentile with 32 writers; the read is one 52 µs round trip,
// shared by the requests in flight.
//
// On SQLCipher one process holds the deployment (deployment::Lock), whose
// own writes invalidate its caches directly: both calls do nothing there.
//
// Thread-safe.
#ifndef SCHAKEL_SERVER_STORE_SHARED_GENERATIONS_H_
#define SCHAKEL_SERVER_STORE_SHARED_GENERATIONS_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "server/store/database.h"

namespace schakel::store {

// The caches kept in memory that another instance's writes can change.
enum class SharedCache { kDirectory, kBreakGlass };

// Inside a write transaction: raises `cache`'s generation in the database
// with it (sent pipelined). Nothing on SQLCipher.
absl::Status BumpSharedGeneration(Connection& c, SharedCache cache);

class SharedGenerations {
 public:
  // `db` is not owned and must outlive this object. The measurement
  // switch SCHAKEL_SHARED_GENERATIONS=off (one instance only, never in
  // production) makes Refresh read nothing.
  explicit SharedGenerations(Database* db);

  // What to call when `cache`'s generation in the database has grown
  // (the cache's Invalidate; it must not call back into this object).
  void OnChange(SharedCache cache, std::function<void()> invalidate);

  // Reads every generation and runs the OnChange callbacks of those that
  // grew since the highest seen. UNAVAILABLE when they cannot be read: a
  // cache is then not to be trusted. Nothing on SQLCipher.
  //
  // Concurrent calls share reads, as group commit shares commits: a call
  // waits for a read that began after it was made (one in flight that
  // began earlier may have read before the commit the caller must see),
  // and one read serves every call that was waiting when it began. At 64
  // requests in flight that is a read per round trip, not per request.
  absl::Status Refresh();

  // How many reads Refresh made (for tests and figures).
  uint64_t reads() ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    return finished_;
  }

 private:
  struct Watched {
    SharedCache cache;
    std::function<void()> invalidate;
    int64_t seen = -1;
  };

  // One read of the generations, and what it changes.
  absl::Status ReadAndApply() ABSL_LOCKS_EXCLUDED(mu_);

  Database* db_;
  const bool enabled_;
  absl::Mutex mu_;
  // Invalidated under mu_ together with `seen`: a request that finds a
  // generation already seen knows its cache was emptied for it.
  std::vector<Watched> watched_ ABSL_GUARDED_BY(mu_);
  // Reads begun, the last one finished (numbered from 1), whether one is
  // in flight, and the outcome of the last one finished.
  uint64_t begun_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t finished_ ABSL_GUARDED_BY(mu_) = 0;
  bool reading_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status last_ ABSL_GUARDED_BY(mu_);
};

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_SHARED_GENERATIONS_H_
