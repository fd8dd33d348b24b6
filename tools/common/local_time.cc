#include "tools/common/local_time.h"

#include "absl/time/clock.h"

namespace schakel::tools {

const absl::TimeZone& ProgrammeZone() {
  static const absl::TimeZone zone = [] {
    absl::TimeZone amsterdam;
    if (absl::LoadTimeZone("Europe/Amsterdam", &amsterdam)) return amsterdam;
    return absl::UTCTimeZone();
  }();
  return zone;
}

std::string LocalMinute(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M %Z", t, ProgrammeZone());
}

std::string LocalIso(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%S%Ez", t, ProgrammeZone());
}

std::string LocalDate(absl::Time t) { return absl::FormatTime("%Y-%m-%d", t, ProgrammeZone()); }

absl::Time LocalDayStart(absl::CivilDay day) { return absl::FromCivil(day, ProgrammeZone()); }

absl::CivilDay LocalToday() { return absl::ToCivilDay(absl::Now(), ProgrammeZone()); }

}  // namespace schakel::tools
