// Days in the programme's calendar: dates as "YYYY-MM-DD" in the time zone
// Europe/Amsterdam, and working days (Monday to Friday; public holidays are
// not known to schakel and count as working days).
#ifndef SCHAKEL_SERVER_DOMAIN_CALENDAR_H_
#define SCHAKEL_SERVER_DOMAIN_CALENDAR_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace schakel::domain {

// Europe/Amsterdam; UTC+1 when the zone database is not installed.
const absl::TimeZone& ProgrammeTimeZone();

// The calendar day of `t` in the programme's time zone.
absl::CivilDay DayOf(absl::Time t);

// INVALID_ARGUMENT naming `field` unless `text` is a real date YYYY-MM-DD.
absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view field, absl::string_view text);
std::string FormatDate(absl::CivilDay day);

bool IsWorkingDay(absl::CivilDay day);
// The day `n` working days after `from` (n >= 0; n = 0 gives `from`).
absl::CivilDay AddWorkingDays(absl::CivilDay from, int n);

}  // namespace schakel::domain

#endif  // SCHAKEL_SERVER_DOMAIN_CALENDAR_H_
