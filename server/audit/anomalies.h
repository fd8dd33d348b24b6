// What the auditor is shown as unusual (pure code over daily volumes):
// a professional's reads on one day far above their usual daily volume,
// clusters of denials, and every break-glass session.
#ifndef SCHAKEL_SERVER_AUDIT_ANOMALIES_H_
#define SCHAKEL_SERVER_AUDIT_ANOMALIES_H_

#include <string>
#include <vector>

#include "server/audit/audit_store.h"

namespace schakel::audit {

enum class AnomalyKind { kReadVolume, kDenials, kBreakGlass };

struct Anomaly {
  AnomalyKind kind = AnomalyKind::kReadVolume;
  std::string professional_id;
  std::string organisation_id;
  std::string day;
  int64_t count = 0;
  int64_t usual = 0;
  std::string detail;
};

// A day is unusual when its reads are at least kMinUnusualReads and more
// than kReadFactor times the professional's median over their other days
// in the period (with no other days, the median is 0). Denials are a
// cluster from kMinDenials on one day.
inline constexpr int64_t kMinUnusualReads = 50;
inline constexpr int64_t kReadFactor = 3;
inline constexpr int64_t kMinDenials = 5;

std::vector<Anomaly> FindAnomalies(const std::vector<DailyVolume>& volumes,
                                   const std::vector<BreakGlassSession>& sessions);

}  // namespace schakel::audit

#endif  // SCHAKEL_SERVER_AUDIT_ANOMALIES_H_
