#include "server/auth/access_sql.h"

#include "absl/strings/str_cat.h"
#include "server/auth/policy.h"

namespace schakel::auth {
namespace {

// Residents under the viewer's open break-glass sessions (the relation
// Principal::break_glass_residents holds for the row-by-row decision,
// read by the authenticator from the same rows at the same time).
std::string BreakGlassResidents(const SqlDialect& d) {
  const std::string now = d.Parameter("viewer_now");
  return absl::StrCat(
      "(SELECT bg.resident_id FROM breakglass_sessions bg WHERE bg.professional_id = ",
      d.Parameter("viewer_id"), " AND bg.start_time <= ", now, " AND bg.end_time > ", now, ")");
}

// WorksIn: the row's (organisation, team) columns name a team of the
// viewer.
std::string InViewerTeam(const SqlDialect& d, absl::string_view a, absl::string_view org_column,
                         absl::string_view team_column) {
  return absl::StrCat("(", a, ".", org_column, " = ", d.Parameter("viewer_org"), " AND ",
                      d.InList(absl::StrCat(a, ".", team_column), "viewer_teams"), ")");
}

}  // namespace

ListScope ScopeOf(const Principal& p) {
  return ListScope{p.professional.organisation_id, p.professional.teams, ReadsAreaWide(p),
                   p.professional.id, p.now, p.HasRole(domain::Role::kConsultant)};
}

ListScope ScopeActingFor(const Principal& p, const std::string& team) {
  ListScope scope = ScopeOf(p);
  scope.teams = {team};
  return scope;
}

std::string SqliteDialect::Parameter(absl::string_view name) const {
  return absl::StrCat(":", name);
}

std::string SqliteDialect::InList(absl::string_view expr, absl::string_view name) const {
  return absl::StrCat("instr(", Parameter(name), ", ',' || ", expr, " || ',') > 0");
}

const SqlDialect& Sqlite() {
  static const SqliteDialect* d = new SqliteDialect();
  return *d;
}

std::vector<ScopeParameter> ScopeParameters(const ListScope& s) {
  // Team ids are [a-z0-9-] (domain::ValidateTeamId): no comma in an item.
  std::string teams = ",";
  for (const std::string& t : s.teams) absl::StrAppend(&teams, t, ",");
  return {{"viewer_org", s.organisation_id},
          {"viewer_teams", teams},
          {"viewer_area", static_cast<int64_t>(s.area_wide ? 1 : 0)},
          {"viewer_id", s.professional_id},
          {"viewer_now", absl::ToUnixMicros(s.now)},
          {"viewer_consultant", static_cast<int64_t>(s.keeps_trajectories ? 1 : 0)}};
}

// CanReadSignal: involved as author or owner team; area-wide for every
// signal except justice ones; or emergency access to its resident.
std::string SignalVisibleSql(const SqlDialect& d, absl::string_view a) {
  return absl::StrCat("(", InViewerTeam(d, a, "author_org", "author_team"), " OR ",
                      InViewerTeam(d, a, "owner_org", "owner_team"), " OR (",
                      d.Parameter("viewer_area"), " = 1 AND ", a,
                      ".sensitivity <> 'justice') OR ", a, ".resident_id IN ",
                      BreakGlassResidents(d), ")");
}

std::string SignalLinksResidentSql(const SqlDialect& d, absl::string_view a) {
  return absl::StrCat("(", a, ".sensitivity <> 'health' OR ",
                      InViewerTeam(d, a, "author_org", "author_team"), " OR ",
                      InViewerTeam(d, a, "owner_org", "owner_team"), ")");
}

// CanReadResident: registered by a team of the caller, about a signal the
// caller may read that links them (a health signal only its involved
// teams), party to a handover about them, a trajectory of a team
// of the caller, or emergency access.
std::string ResidentVisibleSql(const SqlDialect& d, absl::string_view a) {
  return absl::StrCat(
      "(EXISTS (SELECT 1 FROM resident_registrations vr WHERE vr.resident_id = ", a, ".id AND ",
      InViewerTeam(d, "vr", "organisation_id", "team"), ")",
      " OR EXISTS (SELECT 1 FROM signals vs WHERE vs.resident_id = ", a, ".id AND ",
      SignalVisibleSql(d, "vs"), " AND ", SignalLinksResidentSql(d, "vs"), ")",
      " OR EXISTS (SELECT 1 FROM handovers vh WHERE vh.resident_id = ", a, ".id AND ",
      HandoverVisibleSql(d, "vh"), ")",
      " OR EXISTS (SELECT 1 FROM trajectories vt WHERE vt.resident_id = ", a, ".id AND ",
      InViewerTeam(d, "vt", "organisation_id", "team"), ")",
      " OR ", a, ".id IN ", BreakGlassResidents(d), ")");
}

// CanReadHandover: a party, or emergency access to its resident.
std::string HandoverVisibleSql(const SqlDialect& d, absl::string_view a) {
  return absl::StrCat("(", InViewerTeam(d, a, "from_org", "from_team"), " OR ",
                      InViewerTeam(d, a, "to_org", "to_team"), " OR ", a, ".resident_id IN ",
                      BreakGlassResidents(d), ")");
}

std::string CaseloadSql(const SqlDialect& d, absl::string_view a) {
  return InViewerTeam(d, a, "organisation_id", "team");
}

const char* AcceptedHandoverStatusesSql() { return "('accepted', 'introduced', 'completed')"; }

// AccessToTrajectory: kFull for consultants of the owning team, kSummary
// under emergency access and for a team holding an accepted handover for
// the resident as receiver (TrajectoryFacts::accepted_handover_teams).
std::string TrajectoryReadableSql(const SqlDialect& d, absl::string_view a) {
  return absl::StrCat("((", d.Parameter("viewer_consultant"), " = 1 AND ", CaseloadSql(d, a),
                      ") OR ", a, ".resident_id IN ", BreakGlassResidents(d),
                      " OR EXISTS (SELECT 1 FROM handovers va WHERE va.resident_id = ", a,
                      ".resident_id AND va.status IN ", AcceptedHandoverStatusesSql(), " AND ",
                      InViewerTeam(d, "va", "to_org", "to_team"), "))");
}

std::string HandoverBoxSql(const SqlDialect& d, absl::string_view a, domain::HandoverBox box) {
  return box == domain::HandoverBox::kInbox ? InViewerTeam(d, a, "to_org", "to_team")
                                            : InViewerTeam(d, a, "from_org", "from_team");
}

}  // namespace schakel::auth
