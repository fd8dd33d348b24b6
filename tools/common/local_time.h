// Times as the programme reads them: Europe/Amsterdam in tables (UTC stays
// in JSON, which prints the Timestamp as it is).
#ifndef SCHAKEL_TOOLS_COMMON_LOCAL_TIME_H_
#define SCHAKEL_TOOLS_COMMON_LOCAL_TIME_H_

#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace schakel::tools {

// Europe/Amsterdam from the system's tzdata (deploy/install-deps.sh
// installs it); UTC when it cannot be loaded, and the formats below then
// say "UTC", so a time is never shown in a zone it is not in.
const absl::TimeZone& ProgrammeZone();

// "2026-12-02 10:14 CET" (the zone's abbreviation: CET or CEST).
std::string LocalMinute(absl::Time t);
// "2026-12-02T10:14:07+01:00".
std::string LocalIso(absl::Time t);
// "2026-12-02".
std::string LocalDate(absl::Time t);
// 00:00 of `day` in the programme's zone.
absl::Time LocalDayStart(absl::CivilDay day);
// Today in the programme's zone.
absl::CivilDay LocalToday();

}  // namespace schakel::tools

#endif  // SCHAKEL_TOOLS_COMMON_LOCAL_TIME_H_
