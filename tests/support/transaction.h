// Tests' direct access to a database: one store step as a transaction of
// its own, the way a tool (or a test standing in for a use case) runs it,
// and one value a query answers.
#ifndef SCHAKEL_TESTS_SUPPORT_TRANSACTION_H_
#define SCHAKEL_TESTS_SUPPORT_TRANSACTION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "server/store/database.h"

namespace schakel::testing {

inline absl::Status StatusOf(const absl::Status& s) { return s; }
template <typename T>
absl::Status StatusOf(const absl::StatusOr<T>& s) {
  return s.status();
}

template <typename Fn>
auto InTransaction(store::Database& db, Fn fn)
    -> decltype(fn(std::declval<store::Connection&>())) {
  using Result = decltype(fn(std::declval<store::Connection&>()));
  std::optional<Result> out;
  absl::Status committed = db.Write([&](store::Connection& c) -> absl::Status {
    out.emplace(fn(c));
    return StatusOf(*out);
  });
  if (!out || (!committed.ok() && StatusOf(*out).ok())) return Result(committed);
  return *std::move(out);
}

// The first column of the first row `sql` answers, read in its own read
// transaction; 0 (or "") when it answers no row or NULL, -1 (or "") with a
// failure recorded when the query fails.
inline int64_t QueryInt(store::Database& db, const std::string& sql) {
  int64_t out = 0;
  absl::Status s = db.Read([&](store::Connection& c) -> absl::Status {
    auto st = c.Prepare(sql, "test query");
    if (!st.ok()) return st.status();
    auto row = st->Step();
    if (!row.ok()) return row.status();
    if (*row && !st->ColumnIsNull(0)) out = st->ColumnInt(0);
    return absl::OkStatus();
  });
  if (!s.ok()) {
    ADD_FAILURE() << sql << ": " << s;
    return -1;
  }
  return out;
}

inline std::string QueryText(store::Database& db, const std::string& sql) {
  std::string out;
  absl::Status s = db.Read([&](store::Connection& c) -> absl::Status {
    auto st = c.Prepare(sql, "test query");
    if (!st.ok()) return st.status();
    auto row = st->Step();
    if (!row.ok()) return row.status();
    if (*row) out = st->ColumnText(0);
    return absl::OkStatus();
  });
  if (!s.ok()) ADD_FAILURE() << sql << ": " << s;
  return out;
}

// Runs `sql` as an attacker with the key would, in one write transaction,
// and asserts that its (last) statement changed at least one row.
inline void Tamper(store::Database& db, const std::string& sql) {
  int changed = 0;
  ASSERT_TRUE(db.Write([&](store::Connection& c) {
                  absl::Status s = c.Exec(sql, "tamper");
                  changed = c.Changes();
                  return s;
                })
                  .ok())
      << sql;
  ASSERT_GT(changed, 0) << sql;
}

}  // namespace schakel::testing

#endif  // SCHAKEL_TESTS_SUPPORT_TRANSACTION_H_
