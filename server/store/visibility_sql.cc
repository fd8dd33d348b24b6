#include "server/store/visibility_sql.h"

#include "absl/strings/str_cat.h"

namespace schakel::store {

namespace {

// Residents under the viewer's open break-glass sessions.
constexpr char kBreakGlassResidents[] =
    "(SELECT bg.resident_id FROM breakglass_sessions bg WHERE bg.professional_id = :viewer_id"
    " AND bg.start_time <= :viewer_now AND bg.end_time > :viewer_now)";

}  // namespace

std::string SignalVisibleSql(const std::string& a) {
  return absl::StrCat("(", a, ".author_org = :viewer_org OR ", a, ".owner_org = :viewer_org OR (",
                      ":viewer_area = 1 AND ", a, ".sensitivity <> 'justice') OR ", a,
                      ".resident_id IN ", kBreakGlassResidents, ")");
}

std::string ResidentVisibleSql(const std::string& a) {
  return absl::StrCat(
      "(EXISTS (SELECT 1 FROM resident_registrations vr WHERE vr.resident_id = ", a,
      ".id AND vr.organisation_id = :viewer_org)",
      " OR EXISTS (SELECT 1 FROM signals vs WHERE vs.resident_id = ", a, ".id AND ",
      SignalVisibleSql("vs"), ")",
      " OR EXISTS (SELECT 1 FROM handovers vh WHERE vh.resident_id = ", a, ".id AND ",
      HandoverVisibleSql("vh"), ")",
      " OR EXISTS (SELECT 1 FROM trajectories vt WHERE vt.resident_id = ", a,
      ".id AND vt.organisation_id = :viewer_org)",
      " OR ", a, ".id IN ", kBreakGlassResidents, ")");
}

std::string HandoverVisibleSql(const std::string& a) {
  return absl::StrCat("(", a, ".from_org = :viewer_org OR ", a, ".to_org = :viewer_org OR ", a,
                      ".resident_id IN ", kBreakGlassResidents, ")");
}

void BindViewer(Statement& st, const Viewer& viewer) {
  st.BindName(":viewer_org", viewer.organisation_id);
  // Party filters (handovers) have no area-wide part.
  if (st.HasParameter(":viewer_area")) {
    st.BindName(":viewer_area", static_cast<int64_t>(viewer.area_wide ? 1 : 0));
  }
  st.BindName(":viewer_id", viewer.professional_id);
  st.BindName(":viewer_now", absl::ToUnixMicros(viewer.now));
}

}  // namespace schakel::store
