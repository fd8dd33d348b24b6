#include "server/store/statement_cache.h"

#include <sqlcipher/sqlite3.h>

namespace schakel::store {

StatementCache::~StatementCache() { Clear(); }

sqlite3_stmt* StatementCache::Take(absl::string_view sql) {
  auto it = idle_.find(sql);
  if (it == idle_.end() || it->second.empty()) return nullptr;
  sqlite3_stmt* stmt = it->second.back();
  it->second.pop_back();
  --kept_;
  return stmt;
}

void StatementCache::Give(sqlite3_stmt* stmt) {
  if (stmt == nullptr) return;
  // The error of a failed step was taken already; reset only ends the run.
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  const char* sql = sqlite3_sql(stmt);
  if (sql == nullptr) {
    sqlite3_finalize(stmt);
    return;
  }
  if (kept_ >= kMaxStatements) Clear();
  idle_[absl::string_view(sql)].push_back(stmt);
  ++kept_;
}

void StatementCache::Clear() {
  for (auto& [sql, stmts] : idle_) {
    for (sqlite3_stmt* stmt : stmts) sqlite3_finalize(stmt);
  }
  idle_.clear();
  kept_ = 0;
}

}  // namespace schakel::store
