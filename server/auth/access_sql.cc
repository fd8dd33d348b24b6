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

}  // namespace

ListScope ScopeOf(const Principal& p) {
  return ListScope{p.professional.organisation_id, ReadsAreaWide(p), p.professional.id, p.now};
}

std::string SqliteDialect::Parameter(absl::string_view name) const {
  return absl::StrCat(":", name);
}

const SqlDialect& Sqlite() {
  static const SqliteDialect* d = new SqliteDialect();
  return *d;
}

std::vector<ScopeParameter> ScopeParameters(const ListScope& s) {
  return {{"viewer_org", s.organisation_id},
          {"viewer_area", static_cast<int64_t>(s.area_wide ? 1 : 0)},
          {"viewer_id", s.professional_id},
          {"viewer_now", absl::ToUnixMicros(s.now)}};
}

// CanReadSignal: involved as author or owner organisation; area-wide for
// every signal except justice ones; or emergency access to its resident.
std::string SignalVisibleSql(const SqlDialect& d, absl::string_view a) {
  const std::string org = d.Parameter("viewer_org");
  return absl::StrCat("(", a, ".author_org = ", org, " OR ", a, ".owner_org = ", org, " OR (",
                      d.Parameter("viewer_area"), " = 1 AND ", a,
                      ".sensitivity <> 'justice') OR ", a, ".resident_id IN ",
                      BreakGlassResidents(d), ")");
}

// CanReadResident: registered by the organisation, about a signal the
// caller may read, party to a handover about them, a trajectory of the
// organisation, or emergency access.
std::string ResidentVisibleSql(const SqlDialect& d, absl::string_view a) {
  const std::string org = d.Parameter("viewer_org");
  return absl::StrCat(
      "(EXISTS (SELECT 1 FROM resident_registrations vr WHERE vr.resident_id = ", a,
      ".id AND vr.organisation_id = ", org, ")",
      " OR EXISTS (SELECT 1 FROM signals vs WHERE vs.resident_id = ", a, ".id AND ",
      SignalVisibleSql(d, "vs"), ")",
      " OR EXISTS (SELECT 1 FROM handovers vh WHERE vh.resident_id = ", a, ".id AND ",
      HandoverVisibleSql(d, "vh"), ")",
      " OR EXISTS (SELECT 1 FROM trajectories vt WHERE vt.resident_id = ", a,
      ".id AND vt.organisation_id = ", org, ")",
      " OR ", a, ".id IN ", BreakGlassResidents(d), ")");
}

// CanReadHandover: a party, or emergency access to its resident.
std::string HandoverVisibleSql(const SqlDialect& d, absl::string_view a) {
  const std::string org = d.Parameter("viewer_org");
  return absl::StrCat("(", a, ".from_org = ", org, " OR ", a, ".to_org = ", org, " OR ", a,
                      ".resident_id IN ", BreakGlassResidents(d), ")");
}

std::string HandoverBoxSql(const SqlDialect& d, absl::string_view a, domain::HandoverBox box) {
  return absl::StrCat(a, box == domain::HandoverBox::kInbox ? ".to_org = " : ".from_org = ",
                      d.Parameter("viewer_org"));
}

}  // namespace schakel::auth
