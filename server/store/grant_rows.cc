#include "server/store/grant_rows.h"
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"

namespace schakel::store {
namespace {

constexpr char kGrantColumns[] =
    "id, professional_id, organisation_id, team, roles, status, requested_by, request_time,"
    " decided_by, decide_time, reason";
constexpr char kInsertGrant[] =
    "INSERT INTO grants (id, professional_id, organisation_id, team, roles, status,"
    " requested_by, request_time, decided_by, decide_time, reason)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
constexpr char kSelectPendingRoles[] =
    "SELECT roles FROM grants WHERE professional_id = ?1 AND status = 'pending'";
constexpr char kDecideGrant[] =
    "UPDATE grants SET status = ?2, decided_by = ?3, decide_time = ?4, reason = ?5"
    " WHERE id = ?1 AND status = 'pending'";
constexpr char kInsertCode[] =
    "INSERT INTO enrollment_codes (code_hash, professional_id, create_time, expire_time,"
    " use_time) VALUES (?1, ?2, ?3, ?4, NULL)";
constexpr char kSelectCode[] =
    "SELECT professional_id, create_time, expire_time, use_time FROM enrollment_codes"
    " WHERE code_hash = ?1";
constexpr char kUseCode[] =
    "UPDATE enrollment_codes SET use_time = ?2"
    " WHERE code_hash = ?1 AND use_time IS NULL AND expire_time > ?2";

domain::Grant GrantFromRow(const Statement& st) {
  domain::Grant g;
  g.id = st.ColumnText(0);
  g.professional_id = st.ColumnText(1);
  g.organisation_id = st.ColumnText(2);
  g.team = st.ColumnText(3);
  g.roles = domain::ParseRolesText(st.ColumnText(4));
  // The CHECK constraint admits only the three names.
  g.status = domain::ParseGrantStatus(st.ColumnText(5)).value_or(domain::GrantStatus::kRefused);
  g.requested_by = st.ColumnText(6);
  g.request_time = st.ColumnTime(7);
  g.decided_by = st.ColumnText(8);
  if (!st.ColumnIsNull(9)) g.decide_time = st.ColumnTime(9);
  g.reason = st.ColumnText(10);
  return g;
}

}  // namespace

absl::Status InsertGrant(Connection& c, const domain::Grant& g) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kInsertGrant, "insert grant"));
  st.Bind(1, g.id).Bind(2, g.professional_id).Bind(3, g.organisation_id).Bind(4, g.team);
  st.Bind(5, domain::RolesText(g.roles)).Bind(6, domain::GrantStatusName(g.status));
  st.Bind(7, g.requested_by).BindTime(8, g.request_time).Bind(9, g.decided_by);
  if (g.decide_time) {
    st.BindTime(10, *g.decide_time);
  } else {
    st.BindNull(10);
  }
  st.Bind(11, g.reason);
  return st.Run();
}

absl::StatusOr<std::optional<domain::Grant>> ReadGrant(Connection& c, const std::string& id) {
  ASSIGN_OR_RETURN(Statement st,
                   c.Prepare(absl::StrCat("SELECT ", kGrantColumns, " FROM grants WHERE id = ?1"),
                             "read grant"));
  st.Bind(1, id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::nullopt;
  return GrantFromRow(st);
}

absl::StatusOr<std::vector<domain::Grant>> ReadGrants(Connection& c, bool pending_only,
                                                      const std::string& professional_id,
                                                      int limit) {
  ASSIGN_OR_RETURN(
      Statement st,
      c.Prepare(absl::StrCat("SELECT ", kGrantColumns,
                             " FROM grants WHERE (?1 = 0 OR status = 'pending')"
                             " AND (?2 = '' OR professional_id = ?2)"
                             " ORDER BY request_time, id LIMIT ?3"),
                "list grants"));
  st.Bind(1, static_cast<int64_t>(pending_only ? 1 : 0)).Bind(2, professional_id);
  st.Bind(3, static_cast<int64_t>(limit));
  std::vector<domain::Grant> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(GrantFromRow(st));
  }
  return out;
}

absl::StatusOr<std::vector<domain::Role>> ReadPendingRoles(Connection& c,
                                                           const std::string& professional_id) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectPendingRoles, "read pending roles"));
  st.Bind(1, professional_id);
  std::vector<domain::Role> roles;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    for (domain::Role r : domain::ParseRolesText(st.ColumnText(0))) roles.push_back(r);
  }
  std::sort(roles.begin(), roles.end());
  roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
  return roles;
}

absl::Status DecideGrantRow(Connection& c, const domain::Grant& g) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kDecideGrant, "decide grant"));
  st.Bind(1, g.id).Bind(2, domain::GrantStatusName(g.status)).Bind(3, g.decided_by);
  st.BindTime(4, g.decide_time.value_or(absl::UnixEpoch())).Bind(5, g.reason);
  RETURN_IF_ERROR(st.Run());
  if (c.Changes() != 1) {
    return absl::FailedPreconditionError(
        absl::StrCat("grant_id: grant ", g.id, " was decided meanwhile"));
  }
  return absl::OkStatus();
}

absl::Status InsertEnrollmentCode(Connection& c, const EnrollmentCodeRow& row) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kInsertCode, "insert enrollment code"));
  st.Bind(1, row.code_hash).Bind(2, row.professional_id).BindTime(3, row.create_time);
  st.BindTime(4, row.expire_time);
  return st.Run();
}

absl::StatusOr<std::optional<EnrollmentCodeRow>> ReadEnrollmentCode(
    Connection& c, const std::string& code_hash) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectCode, "read enrollment code"));
  st.Bind(1, code_hash);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::nullopt;
  EnrollmentCodeRow r;
  r.code_hash = code_hash;
  r.professional_id = st.ColumnText(0);
  r.create_time = st.ColumnTime(1);
  r.expire_time = st.ColumnTime(2);
  if (!st.ColumnIsNull(3)) r.use_time = st.ColumnTime(3);
  return r;
}

absl::Status UseEnrollmentCode(Connection& c, const std::string& code_hash, absl::Time now) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kUseCode, "use enrollment code"));
  st.Bind(1, code_hash).BindTime(2, now);
  RETURN_IF_ERROR(st.Run());
  if (c.Changes() != 1) {
    return absl::FailedPreconditionError(
        "code: this enrollment code was used or expired meanwhile; ask an administrator for a "
        "new one");
  }
  return absl::OkStatus();
}

}  // namespace schakel::store
