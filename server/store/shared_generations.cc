#include "server/store/shared_generations.h"

#include <cstdlib>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "server/common/status_macros.h"

namespace schakel::store {
namespace {

const char* NameOf(SharedCache cache) {
  switch (cache) {
    case SharedCache::kDirectory:
      return "directory";
    case SharedCache::kBreakGlass:
      return "break_glass";
  }
  return "";
}

constexpr char kBump[] =
    "UPDATE cache_generations SET generation = generation + 1 WHERE name = ?1";
constexpr char kSelect[] = "SELECT name, generation FROM cache_generations";

bool EnabledFromEnvironment() {
  const char* v = std::getenv("SCHAKEL_SHARED_GENERATIONS");
  return v == nullptr || std::string(v) != "off";
}

}  // namespace

absl::Status BumpSharedGeneration(Connection& c, SharedCache cache) {
  if (c.engine() != Engine::kPostgresql) return absl::OkStatus();
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kBump, "raise cache generation"));
  st.Bind(1, NameOf(cache));
  return st.RunPipelined();
}

SharedGenerations::SharedGenerations(Database* db) : db_(db), enabled_(EnabledFromEnvironment()) {}

void SharedGenerations::OnChange(SharedCache cache, std::function<void()> invalidate) {
  absl::MutexLock lock(&mu_);
  watched_.push_back({cache, std::move(invalidate)});
}

absl::Status SharedGenerations::Refresh() {
  if (!enabled_ || db_->engine() != Engine::kPostgresql) return absl::OkStatus();
  absl::MutexLock lock(&mu_);
  // Reads numbered from here on begin after this call.
  const uint64_t needed = begun_ + 1;
  while (finished_ < needed) {
    if (reading_) {
      mu_.Await(absl::Condition(
          +[](SharedGenerations* g) ABSL_EXCLUSIVE_LOCKS_REQUIRED(g->mu_) { return !g->reading_; },
          this));
      continue;
    }
    reading_ = true;
    const uint64_t number = ++begun_;
    mu_.Unlock();
    const absl::Status read = ReadAndApply();
    mu_.Lock();
    reading_ = false;
    finished_ = number;
    last_ = read;
  }
  return last_;
}

absl::Status SharedGenerations::ReadAndApply() {
  absl::flat_hash_map<std::string, int64_t> generations;
  absl::Status read = db_->Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelect, "cache generations"));
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return absl::OkStatus();
      generations[st.ColumnText(0)] = st.ColumnInt(1);
    }
  });
  if (!read.ok()) {
    return absl::UnavailableError("cache generations: database unavailable, retry");
  }
  absl::MutexLock lock(&mu_);
  for (Watched& w : watched_) {
    auto it = generations.find(NameOf(w.cache));
    // A row gone is a damaged schema: trust no cache.
    if (it == generations.end()) {
      w.invalidate();
      return absl::InternalError("cache generations: a cache has no generation");
    }
    if (it->second > w.seen) {
      w.seen = it->second;
      w.invalidate();
    }
  }
  return absl::OkStatus();
}

}  // namespace schakel::store
