#include "server/store/team_rows.h"

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"

namespace schakel::store {
namespace {

constexpr char kTeamColumns[] = "organisation_id, id, name, intake, create_time";
constexpr char kInsertTeam[] =
    "INSERT INTO teams (organisation_id, id, name, intake, create_time)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr char kSelectMemberships[] =
    "SELECT team_id FROM team_members WHERE professional_id = ?1 ORDER BY team_id";
constexpr char kSelectPendingTeams[] =
    "SELECT DISTINCT team FROM grants WHERE professional_id = ?1 AND status = 'pending'"
    " AND team <> '' ORDER BY team";
constexpr char kInsertMembership[] =
    "INSERT OR IGNORE INTO team_members (professional_id, organisation_id, team_id, since)"
    " VALUES (?1, ?2, ?3, ?4)";
constexpr char kDeleteMembership[] =
    "DELETE FROM team_members WHERE professional_id = ?1 AND team_id = ?2";

domain::Team TeamFromRow(const Statement& st) {
  domain::Team t;
  t.organisation_id = st.ColumnText(0);
  t.id = st.ColumnText(1);
  t.name = st.ColumnText(2);
  t.intake = st.ColumnInt(3) != 0;
  t.create_time = st.ColumnTime(4);
  return t;
}

absl::StatusOr<std::optional<domain::Team>> ReadOneTeam(Connection& c, const std::string& where,
                                                        const std::string& a,
                                                        const std::string& b) {
  ASSIGN_OR_RETURN(Statement st,
                   c.Prepare(absl::StrCat("SELECT ", kTeamColumns, " FROM teams WHERE ", where),
                             "read team"));
  st.Bind(1, a);
  if (!b.empty()) st.Bind(2, b);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::nullopt;
  return TeamFromRow(st);
}

absl::StatusOr<std::vector<std::string>> Texts(Connection& c, const char* sql, const char* what,
                                               const std::string& id) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(sql, what));
  st.Bind(1, id);
  std::vector<std::string> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(st.ColumnText(0));
  }
  return out;
}

}  // namespace

absl::Status InsertTeam(Connection& c, const domain::Team& t) {
  ASSIGN_OR_RETURN(std::optional<domain::Team> existing, ReadTeam(c, t.organisation_id, t.id));
  if (existing) {
    return absl::AlreadyExistsError(
        absl::StrCat("id: organisation ", t.organisation_id, " has a team ", t.id, " already"));
  }
  if (t.intake) {
    ASSIGN_OR_RETURN(std::optional<domain::Team> intake, ReadIntakeTeam(c, t.organisation_id));
    if (intake) {
      return absl::FailedPreconditionError(absl::StrCat(
          "intake: organisation ", t.organisation_id, " has an intake team (", intake->id, ")"));
    }
  }
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kInsertTeam, "insert team"));
  st.Bind(1, t.organisation_id).Bind(2, t.id).Bind(3, t.name);
  st.Bind(4, static_cast<int64_t>(t.intake ? 1 : 0)).BindTime(5, t.create_time);
  return st.Run();
}

absl::StatusOr<std::optional<domain::Team>> ReadTeam(Connection& c,
                                                     const std::string& organisation_id,
                                                     const std::string& id) {
  return ReadOneTeam(c, "organisation_id = ?1 AND id = ?2", organisation_id, id);
}

absl::StatusOr<std::optional<domain::Team>> ReadIntakeTeam(Connection& c,
                                                           const std::string& organisation_id) {
  return ReadOneTeam(c, "organisation_id = ?1 AND intake = 1", organisation_id, "");
}

absl::StatusOr<std::vector<domain::Team>> ReadTeams(Connection& c,
                                                    const std::string& organisation_id,
                                                    int limit) {
  ASSIGN_OR_RETURN(Statement st,
                   c.Prepare(absl::StrCat("SELECT ", kTeamColumns,
                                          " FROM teams WHERE (?1 = '' OR organisation_id = ?1)"
                                          " ORDER BY organisation_id, id LIMIT ?2"),
                             "list teams"));
  st.Bind(1, organisation_id).Bind(2, static_cast<int64_t>(limit));
  std::vector<domain::Team> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(TeamFromRow(st));
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> ReadMemberships(Connection& c,
                                                         const std::string& professional_id) {
  return Texts(c, kSelectMemberships, "read teams", professional_id);
}

absl::StatusOr<std::vector<std::string>> ReadPendingTeams(Connection& c,
                                                          const std::string& professional_id) {
  return Texts(c, kSelectPendingTeams, "read pending teams", professional_id);
}

absl::Status InsertMembership(Connection& c, const std::string& professional_id,
                              const std::string& organisation_id, const std::string& team,
                              absl::Time since) {
  ASSIGN_OR_RETURN(std::optional<domain::Team> t, ReadTeam(c, organisation_id, team));
  if (!t) {
    return absl::NotFoundError(
        absl::StrCat("team: organisation ", organisation_id, " has no team ", team));
  }
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kInsertMembership, "insert team member"));
  st.Bind(1, professional_id).Bind(2, organisation_id).Bind(3, team).BindTime(4, since);
  return st.Run();
}

absl::StatusOr<bool> DeleteMembership(Connection& c, const std::string& professional_id,
                                      const std::string& team) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kDeleteMembership, "delete team member"));
  st.Bind(1, professional_id).Bind(2, team);
  RETURN_IF_ERROR(st.Run());
  return c.Changes() == 1;
}

}  // namespace schakel::store
