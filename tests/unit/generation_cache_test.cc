#include "server/common/generation_cache.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace schakel {
namespace {

using ::testing::Optional;

TEST(GenerationCacheTest, AFilledValueIsAnsweredUntilTheNextInvalidation) {
  GenerationCache<std::string, int> cache(10);
  EXPECT_EQ(cache.Lookup("a"), std::nullopt);
  EXPECT_TRUE(cache.Fill("a", 1, cache.generation()));
  EXPECT_THAT(cache.Lookup("a"), Optional(1));
  cache.Invalidate();
  EXPECT_EQ(cache.Lookup("a"), std::nullopt);
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_TRUE(cache.Fill("a", 2, cache.generation()));
  EXPECT_THAT(cache.Lookup("a"), Optional(2));
}

TEST(GenerationCacheTest, AValueReadBeforeAnInvalidationIsNeverStored) {
  GenerationCache<std::string, int> cache(10);
  // The reader takes the generation, reads the old row; a write commits
  // and invalidates; the reader's fill comes last.
  const uint64_t before_read = cache.generation();
  cache.Invalidate();
  EXPECT_FALSE(cache.Fill("a", /*old row*/ 1, before_read));
  EXPECT_EQ(cache.Lookup("a"), std::nullopt);
  // The same holds when the key was cached before.
  EXPECT_TRUE(cache.Fill("b", 1, cache.generation()));
  const uint64_t racing = cache.generation();
  cache.Invalidate();
  EXPECT_FALSE(cache.Fill("b", 1, racing));
  EXPECT_EQ(cache.Lookup("b"), std::nullopt);
}

TEST(GenerationCacheTest, MemoryIsBoundedByStartingEmptyOnOverflow) {
  GenerationCache<int, int> cache(3);
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(cache.Fill(i, i * 10, cache.generation()));
    EXPECT_LE(cache.size(), 3u);
    EXPECT_THAT(cache.Lookup(i), Optional(i * 10));
  }
  // Refilling a key it holds does not count as a new entry.
  GenerationCache<int, int> full(2);
  full.Fill(1, 1, full.generation());
  full.Fill(2, 2, full.generation());
  full.Fill(2, 3, full.generation());
  EXPECT_THAT(full.Lookup(1), Optional(1));
  EXPECT_THAT(full.Lookup(2), Optional(3));
}

TEST(GenerationCacheTest, ConcurrentFillsNeverOutliveAnInvalidation) {
  // Readers fill "the row" with the version they read; a writer bumps the
  // version and invalidates. After the writer's last invalidation no
  // lookup may answer an older version.
  GenerationCache<int, int> cache(100);
  std::atomic<int> version{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> readers;
  for (int r = 0; r < 4; ++r) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        const uint64_t g = cache.generation();
        const int read = version.load();
        cache.Fill(1, read, g);
      }
    });
  }
  int hits = 0;
  for (int v = 1; v <= 2000; ++v) {
    version.store(v);
    cache.Invalidate();
    // Give the readers a moment to fill again; whatever is there must be
    // the current version.
    for (int tries = 0; tries < 1000; ++tries) {
      std::optional<int> seen = cache.Lookup(1);
      if (seen) {
        ASSERT_EQ(*seen, v);
        ++hits;
        break;
      }
      std::this_thread::yield();
    }
  }
  EXPECT_GT(hits, 0) << "the readers never filled the cache: the test checked nothing";
  stop.store(true);
  for (std::thread& t : readers) t.join();
  std::optional<int> last = cache.Lookup(1);
  if (last) {
    EXPECT_EQ(*last, 2000);
  }
}

}  // namespace
}  // namespace schakel
