#include "server/store/visibility_sql.h"

#include "absl/strings/str_cat.h"

namespace schakel::store {

std::string SignalVisibleSql(const std::string& a) {
  return absl::StrCat("(", a, ".author_org = :viewer_org OR ", a, ".owner_org = :viewer_org OR (",
                      ":viewer_area = 1 AND ", a, ".sensitivity <> 'justice'))");
}

std::string ResidentVisibleSql(const std::string& a) {
  return absl::StrCat(
      "(EXISTS (SELECT 1 FROM resident_registrations vr WHERE vr.resident_id = ", a,
      ".id AND vr.organisation_id = :viewer_org)",
      " OR EXISTS (SELECT 1 FROM signals vs WHERE vs.resident_id = ", a, ".id AND ",
      SignalVisibleSql("vs"), ")",
      " OR EXISTS (SELECT 1 FROM handovers vh WHERE vh.resident_id = ", a, ".id AND ",
      HandoverVisibleSql("vh"), "))");
}

std::string HandoverVisibleSql(const std::string& a) {
  return absl::StrCat("(", a, ".from_org = :viewer_org OR ", a, ".to_org = :viewer_org)");
}

void BindViewer(Statement& st, const Viewer& viewer) {
  st.BindName(":viewer_org", viewer.organisation_id);
  // Party filters (handovers) have no area-wide part.
  if (st.HasParameter(":viewer_area")) {
    st.BindName(":viewer_area", static_cast<int64_t>(viewer.area_wide ? 1 : 0));
  }
}

}  // namespace schakel::store
