// Binding the access module's list scope (server/auth/access_sql.h) to a
// statement whose WHERE clause holds one of its predicates. The predicates
// and the rule are the access module's; the store only runs them.
#ifndef SCHAKEL_SERVER_STORE_SCOPE_BINDING_H_
#define SCHAKEL_SERVER_STORE_SCOPE_BINDING_H_

#include "server/auth/access_sql.h"
#include "server/store/database.h"

namespace schakel::store {

// Binds each scope parameter the statement uses (a handover predicate has
// no area-wide part, say).
void BindScope(Statement& st, const auth::ListScope& scope);

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_SCOPE_BINDING_H_
