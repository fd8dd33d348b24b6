// A bounded in-memory cache of values read from the database, exactly as
// fresh as the database for the one process that writes it.
//
// The contract with its owner (the one class through which every write of
// the cached rows goes):
//  - before reading a value from the database, take generation();
//  - after the read, Fill(key, value, that generation);
//  - after every write that may change a cached value has returned —
//    committed, or failed, to be safe — call Invalidate().
//
// Invalidate() bumps the generation and drops every entry; Fill() stores a
// value only while the generation is still the one taken before its read.
// So a value read from a snapshot older than a write can never be stored
// after that write returned: a fill racing a revocation does not bring the
// old row back. Lookup() answers only values filled in the current
// generation. Between a write's commit and its Invalidate() a lookup may
// still answer the old value — a request that runs concurrently with the
// write may see either; every request that starts after the write returned
// sees the new one.
//
// Memory is bounded: when `max_entries` are held, the next Fill() drops
// them all first (entries are cheap to read again; no LRU bookkeeping on
// the hot path).
//
// Cache only what is a pure function of the rows: anything that depends on
// the time (a validity period, the end of a session) is evaluated by the
// caller against its clock on every use.
//
// Thread-safe. Lookups share a reader lock.
#ifndef SCHAKEL_SERVER_COMMON_GENERATION_CACHE_H_
#define SCHAKEL_SERVER_COMMON_GENERATION_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

namespace schakel {

template <typename Key, typename Value>
class GenerationCache {
 public:
  explicit GenerationCache(size_t max_entries) : max_entries_(max_entries) {}
  GenerationCache(const GenerationCache&) = delete;
  GenerationCache& operator=(const GenerationCache&) = delete;

  // The generation to hand to Fill(); take it before the database read.
  uint64_t generation() const {
    absl::ReaderMutexLock lock(&mu_);
    return generation_;
  }

  // The value filled in the current generation, if any.
  std::optional<Value> Lookup(const Key& key) const {
    absl::ReaderMutexLock lock(&mu_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    return it->second;
  }

  // Stores `value`, read after `generation` was taken, unless a write was
  // invalidated since (then the value may be stale and is dropped). Whether
  // it was stored.
  bool Fill(const Key& key, Value value, uint64_t generation) {
    absl::MutexLock lock(&mu_);
    if (generation != generation_) return false;
    if (entries_.size() >= max_entries_ && entries_.find(key) == entries_.end()) {
      entries_.clear();
    }
    entries_.insert_or_assign(key, std::move(value));
    return true;
  }

  // After a write that may change cached values has returned.
  void Invalidate() {
    absl::MutexLock lock(&mu_);
    ++generation_;
    entries_.clear();
  }

  size_t size() const {
    absl::ReaderMutexLock lock(&mu_);
    return entries_.size();
  }
  size_t max_entries() const { return max_entries_; }

 private:
  const size_t max_entries_;
  mutable absl::Mutex mu_;
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
  absl::flat_hash_map<Key, Value> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace schakel

#endif  // SCHAKEL_SERVER_COMMON_GENERATION_CACHE_H_
