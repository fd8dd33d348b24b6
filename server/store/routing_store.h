// The routing rules' store (migration 15): the rules, every version of
// each, and the read of recent signals a dry run tries a rule on. All SQL
// of routing rules lives in routing_store.cc.
//
// Like the other stores it decides nothing: which order a change leaves
// is domain/routing.h's, who may make it the access module's. Every step
// runs inside the use case's unit of work (app::UnitOfWork) on its
// Connection.
#ifndef SCHAKEL_SERVER_STORE_ROUTING_STORE_H_
#define SCHAKEL_SERVER_STORE_ROUTING_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/auth/access_sql.h"
#include "server/domain/routing.h"
#include "server/store/database.h"

namespace schakel::store {

class RoutingStore {
 public:
  virtual ~RoutingStore() = default;

  // The active rules ordered by position.
  virtual absl::StatusOr<std::vector<domain::RoutingRule>> ListActive(Connection& c) = 0;
  // The removed rules, the latest removal first.
  virtual absl::StatusOr<std::vector<domain::RoutingRule>> ListRemoved(Connection& c) = 0;
  // The rule (active or removed); nullopt when there is none.
  virtual absl::StatusOr<std::optional<domain::RoutingRule>> Find(Connection& c,
                                                                  const std::string& id) = 0;
  // Inserts a new rule and its first version, made by `actor_id`.
  virtual absl::Status Insert(Connection& c, const domain::RoutingRule& rule,
                              const std::string& actor_id) = 0;
  // Writes `next` (position, version, update and remove time) over the row
  // at `old_version`, and records the version made by `actor_id`; ABORTED
  // when the row changed meanwhile.
  virtual absl::Status Replace(Connection& c, const domain::RoutingRule& next,
                               int64_t old_version, const std::string& actor_id) = 0;
  // The signals created at or after `since` without an owner from their
  // author (routed by a rule, or left to the regisseur), justice ones never,
  // newest first; each marked readable when `scope` may read it.
  virtual absl::StatusOr<std::vector<domain::RoutableSignal>> SignalsCreatedUnowned(
      Connection& c, absl::Time since, const auth::ListScope& scope) = 0;
};

class SqliteRoutingStore final : public RoutingStore {
 public:
  absl::StatusOr<std::vector<domain::RoutingRule>> ListActive(Connection& c) override;
  absl::StatusOr<std::vector<domain::RoutingRule>> ListRemoved(Connection& c) override;
  absl::StatusOr<std::optional<domain::RoutingRule>> Find(Connection& c,
                                                          const std::string& id) override;
  absl::Status Insert(Connection& c, const domain::RoutingRule& rule,
                      const std::string& actor_id) override;
  absl::Status Replace(Connection& c, const domain::RoutingRule& next, int64_t old_version,
                       const std::string& actor_id) override;
  absl::StatusOr<std::vector<domain::RoutableSignal>> SignalsCreatedUnowned(
      Connection& c, absl::Time since, const auth::ListScope& scope) override;
};

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_ROUTING_STORE_H_
