// The policy's list filters as SQL: the one place where auth::SignalFilter,
// auth::ResidentFilter and handover parties become WHERE clauses. Each
// expression uses the named parameters :viewer_org and :viewer_area, bound
// by BindViewer.
#ifndef SCHAKEL_SERVER_STORE_VISIBILITY_SQL_H_
#define SCHAKEL_SERVER_STORE_VISIBILITY_SQL_H_

#include <string>

#include "absl/time/time.h"
#include "server/store/database.h"

namespace schakel::store {

// Who is looking: the policy's filter, in the store's terms.
struct Viewer {
  std::string organisation_id;
  bool area_wide = false;
  // Emergency access: residents in this professional's break-glass
  // sessions open at `now`.
  std::string professional_id;
  absl::Time now;
};

// A boolean SQL expression: the signal row `alias` is visible.
std::string SignalVisibleSql(const std::string& alias);
// A boolean SQL expression: the resident row `alias` is visible.
std::string ResidentVisibleSql(const std::string& alias);
// A boolean SQL expression: the caller's organisation is a party to the
// handover row `alias`.
std::string HandoverVisibleSql(const std::string& alias);

void BindViewer(Statement& st, const Viewer& viewer);

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_VISIBILITY_SQL_H_
