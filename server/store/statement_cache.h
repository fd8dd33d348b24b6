// The prepared statements of one SQLite connection, kept for reuse.
//
// Parsing and planning SQL (sqlite3_prepare_v2) costs more than running most
// of schakel's statements, and a request runs several: each connection keeps
// the statements it ran, reset and unbound, and hands them out again for the
// same SQL text. A statement prepared with sqlite3_prepare_v2 re-prepares
// itself when the schema changes, so a cached one never runs stale SQL.
//
// Not thread-safe: a cache belongs to one connection, and a connection is
// used by one thread at a time (the writer under its mutex, a reader while
// it is taken from the pool).
#ifndef SCHAKEL_SERVER_STORE_STATEMENT_CACHE_H_
#define SCHAKEL_SERVER_STORE_STATEMENT_CACHE_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"

struct sqlite3;
struct sqlite3_stmt;

namespace schakel::store {

class StatementCache {
 public:
  // Beyond this many kept statements the cache is emptied and refills (SQL
  // built with a varying number of parameters must not grow it forever).
  static constexpr int kMaxStatements = 512;

  explicit StatementCache(sqlite3* db) : db_(db) {}
  // Finalizes every kept statement; call before the connection closes.
  ~StatementCache();
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  sqlite3* db() const { return db_; }
  // A kept statement for exactly `sql`, or nullptr; the caller owns it until
  // it gives it back.
  sqlite3_stmt* Take(absl::string_view sql);
  // Takes `stmt` back: resets it, clears its bindings and keeps it for its
  // SQL text (or finalizes it when the cache is full).
  void Give(sqlite3_stmt* stmt);
  // Finalizes every kept statement.
  void Clear();

  int kept() const { return kept_; }

 private:
  sqlite3* db_;
  absl::flat_hash_map<std::string, std::vector<sqlite3_stmt*>> idle_;
  int kept_ = 0;
};

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_STATEMENT_CACHE_H_
