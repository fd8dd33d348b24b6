// The access rule as a list predicate: for each resource, the rows a
// caller may see, written as SQL beside the row-by-row decision in
// policy.cc that it must agree with (tests/unit/policy_filter_test.cc
// compares the two on generated data). Stores put these predicates in
// their WHERE clauses and bind the scope's parameters; they add no rule of
// their own.
//
// The text is rendered through a SqlDialect so that another engine renders
// the same predicate: SQLite names its parameters (":viewer_org"), libpq
// numbers them ("$1"). Everything else in the predicates is plain SQL-92
// (EXISTS, IN, <>, AND/OR), the same in both.
#ifndef SCHAKEL_SERVER_AUTH_ACCESS_SQL_H_
#define SCHAKEL_SERVER_AUTH_ACCESS_SQL_H_

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/auth/principal.h"
#include "server/domain/handover.h"

namespace schakel::auth {

// Who is looking, as the list predicates need it. One scope serves every
// resource: which parts a predicate uses depends on the resource.
struct ListScope {
  std::string organisation_id;
  // The teams of the organisation the viewer works in (the relations go
  // by team; design.md, "Teams").
  std::vector<std::string> teams;
  // The regisseur's area-wide reading of signals (not justice ones).
  bool area_wide = false;
  // Emergency access: residents in this professional's break-glass
  // sessions open at `now`.
  std::string professional_id;
  absl::Time now;
  // The consultant role: a caseload's trajectories open in full only to
  // its team's consultants (AccessToTrajectory).
  bool keeps_trajectories = false;
};
// The scope of `principal`'s lists (and of the reads that must answer like
// them).
ListScope ScopeOf(const Principal& principal);
// The scope of what `principal` reaches when acting for one of their teams
// (auth::ActingTeam): a record one creates for a team links only what that
// team may read, so that working in two teams never carries one team's
// residents into the other's records (cross-team work is a handover).
ListScope ScopeActingFor(const Principal& principal, const std::string& team);

// How an engine writes a parameter of a predicate.
class SqlDialect {
 public:
  virtual ~SqlDialect() = default;
  // The placeholder for the parameter called `name` (one of kScopeParameters).
  virtual std::string Parameter(absl::string_view name) const = 0;
  // A boolean expression: the text `expr` is one of the items of the list
  // parameter `name`, bound as ",a,b," (items never hold a comma).
  virtual std::string InList(absl::string_view expr, absl::string_view name) const = 0;
};

// SQLite: named parameters, ":name"; list membership by instr().
class SqliteDialect final : public SqlDialect {
 public:
  std::string Parameter(absl::string_view name) const override;
  std::string InList(absl::string_view expr, absl::string_view name) const override;
};
const SqlDialect& Sqlite();

// The parameters a predicate may use, with the scope's values.
struct ScopeParameter {
  std::string name;  // without a dialect's prefix
  std::variant<std::string, int64_t> value;
};
std::vector<ScopeParameter> ScopeParameters(const ListScope& scope);

// A boolean SQL expression: the signal row `alias` is visible.
std::string SignalVisibleSql(const SqlDialect& d, absl::string_view alias);
// A boolean SQL expression: the visible signal row `alias` links the caller
// to its resident (LinksResident): every signal but a health one, whose
// resident only its involved teams (author, owner) learn from it.
std::string SignalLinksResidentSql(const SqlDialect& d, absl::string_view alias);
// A boolean SQL expression: the resident row `alias` is visible.
std::string ResidentVisibleSql(const SqlDialect& d, absl::string_view alias);
// A boolean SQL expression: a team of the caller is a party to the
// handover row `alias`, or the caller has emergency access to its resident.
std::string HandoverVisibleSql(const SqlDialect& d, absl::string_view alias);
// A boolean SQL expression: the trajectory row `alias` is in the caseload
// of a team of the caller (who of them may open it is AccessToTrajectory's).
std::string CaseloadSql(const SqlDialect& d, absl::string_view alias);
// A boolean SQL expression: the caller may read the trajectory row `alias`
// (AccessToTrajectory is not kNone): a consultant's team keeps it,
// emergency access to its resident, or a team of the caller receives an
// accepted handover about its resident. Whether a row shows in full or as
// the summary stays AccessToTrajectory's, decided on the row's facts.
std::string TrajectoryReadableSql(const SqlDialect& d, absl::string_view alias);
// The handover statuses in which the receiving team sees the summary of
// its resident's trajectories, as an SQL list: "('accepted', ...)".
const char* AcceptedHandoverStatusesSql();
// A boolean SQL expression: the handover row `alias` is in the inbox
// (received) or outbox (sent) of a team of the caller. Emergency access
// opens a handover to read, never puts it in a box.
std::string HandoverBoxSql(const SqlDialect& d, absl::string_view alias, domain::HandoverBox box);

}  // namespace schakel::auth

#endif  // SCHAKEL_SERVER_AUTH_ACCESS_SQL_H_
