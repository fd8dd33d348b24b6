#include "server/audit/anomalies.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace schakel::audit {

std::vector<Anomaly> FindAnomalies(const std::vector<DailyVolume>& volumes,
                                   const std::vector<BreakGlassSession>& sessions) {
  std::vector<Anomaly> out;
  std::map<std::string, std::vector<const DailyVolume*>> by_professional;
  for (const DailyVolume& v : volumes) by_professional[v.professional_id].push_back(&v);
  for (const auto& [professional, days] : by_professional) {
    for (const DailyVolume* day : days) {
      std::vector<int64_t> others;
      for (const DailyVolume* other : days) {
        if (other != day) others.push_back(other->reads);
      }
      int64_t median = 0;
      if (!others.empty()) {
        std::nth_element(others.begin(), others.begin() + others.size() / 2, others.end());
        median = others[others.size() / 2];
      }
      if (day->reads >= kMinUnusualReads && day->reads > kReadFactor * median) {
        out.push_back({AnomalyKind::kReadVolume, professional, day->organisation_id, day->day,
                       day->reads, median,
                       absl::StrCat(day->reads, " reads against a usual ", median, " a day")});
      }
      if (day->denials >= kMinDenials) {
        out.push_back({AnomalyKind::kDenials, professional, day->organisation_id, day->day,
                       day->denials, 0, absl::StrCat(day->denials, " denied requests")});
      }
    }
  }
  for (const BreakGlassSession& s : sessions) {
    out.push_back({AnomalyKind::kBreakGlass, s.professional_id, s.organisation_id,
                   absl::FormatTime("%Y-%m-%d", s.start_time, absl::UTCTimeZone()), 1, 0,
                   absl::StrCat("emergency access to resident ", s.resident_id, " (session ", s.id,
                                ")")});
  }
  return out;
}

}  // namespace schakel::audit
