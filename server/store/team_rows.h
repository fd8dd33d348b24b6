// The rows of teams and their members (migration 11). Part of the directory
// aggregate: SqliteDirectoryStore opens the transactions, these read and
// write the rows inside them.
#ifndef SCHAKEL_SERVER_STORE_TEAM_ROWS_H_
#define SCHAKEL_SERVER_STORE_TEAM_ROWS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/domain/directory.h"
#include "server/store/database.h"

namespace schakel::store {

// ALREADY_EXISTS naming `id` when the organisation has a team with that
// id; FAILED_PRECONDITION when `team.intake` and it has an intake team.
absl::Status InsertTeam(Connection& c, const domain::Team& team);
absl::StatusOr<std::optional<domain::Team>> ReadTeam(Connection& c,
                                                     const std::string& organisation_id,
                                                     const std::string& id);
// The organisation's intake team; nullopt for an unknown organisation.
absl::StatusOr<std::optional<domain::Team>> ReadIntakeTeam(Connection& c,
                                                           const std::string& organisation_id);
// Teams ordered by (organisation, id): of one organisation, or of all
// (empty `organisation_id`), at most `limit`.
absl::StatusOr<std::vector<domain::Team>> ReadTeams(Connection& c,
                                                    const std::string& organisation_id,
                                                    int limit);

// The teams a professional works in, sorted.
absl::StatusOr<std::vector<std::string>> ReadMemberships(Connection& c,
                                                         const std::string& professional_id);
// The teams of a professional's pending grants, sorted, no duplicates.
absl::StatusOr<std::vector<std::string>> ReadPendingTeams(Connection& c,
                                                          const std::string& professional_id);
// Adds the professional to the team (no change when a member already).
absl::Status InsertMembership(Connection& c, const std::string& professional_id,
                              const std::string& organisation_id, const std::string& team,
                              absl::Time since);
// Takes the professional out of the team; false when not a member.
absl::StatusOr<bool> DeleteMembership(Connection& c, const std::string& professional_id,
                                      const std::string& team);

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_TEAM_ROWS_H_
