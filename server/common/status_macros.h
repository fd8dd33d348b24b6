// Small status helpers: Abseil 20220623 ships no status macros.
#ifndef SCHAKEL_SERVER_COMMON_STATUS_MACROS_H_
#define SCHAKEL_SERVER_COMMON_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define SCHAKEL_CONCAT_INNER_(a, b) a##b
#define SCHAKEL_CONCAT_(a, b) SCHAKEL_CONCAT_INNER_(a, b)

// Returns the status of `expr` from the enclosing function when it is not OK.
#define RETURN_IF_ERROR(expr)                          \
  do {                                                 \
    ::absl::Status schakel_status_ = (expr);           \
    if (!schakel_status_.ok()) return schakel_status_; \
  } while (0)

// `ASSIGN_OR_RETURN(auto x, F())` assigns the value of a StatusOr or returns
// its status.
#define ASSIGN_OR_RETURN(lhs, expr) \
  SCHAKEL_ASSIGN_OR_RETURN_IMPL_(SCHAKEL_CONCAT_(schakel_statusor_, __LINE__), lhs, expr)

#define SCHAKEL_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                    \
  if (!statusor.ok()) return std::move(statusor).status();  \
  lhs = std::move(statusor).value()

#endif  // SCHAKEL_SERVER_COMMON_STATUS_MACROS_H_
