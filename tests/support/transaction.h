// One store step as a transaction of its own, the way a tool (or a test
// standing in for a use case) runs it: answers what the step returned, or
// the commit's failure.
#ifndef SCHAKEL_TESTS_SUPPORT_TRANSACTION_H_
#define SCHAKEL_TESTS_SUPPORT_TRANSACTION_H_

#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
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

}  // namespace schakel::testing

#endif  // SCHAKEL_TESTS_SUPPORT_TRANSACTION_H_
