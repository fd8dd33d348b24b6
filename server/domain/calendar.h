// Days in the programme's calendar: dates as "YYYY-MM-DD" in the time zone
// Europe/Amsterdam, and working days: Monday to Friday except the Dutch
// public holidays (PublicHoliday below).
#ifndef SCHAKEL_SERVER_DOMAIN_CALENDAR_H_
#define SCHAKEL_SERVER_DOMAIN_CALENDAR_H_

#include <optional>
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

// Easter Sunday of `year` in the Gregorian calendar.
absl::CivilDay EasterSunday(int year);

// The Dutch name of the public holiday on `day` ("Tweede Kerstdag"), or
// nullopt on an ordinary day. The holidays the programme's partners are
// closed on: Nieuwjaarsdag, Eerste and Tweede Paasdag, Koningsdag (27 April,
// 26 April when the 27th is a Sunday), Bevrijdingsdag (5 May, in the years
// divisible by 5 only), Hemelvaartsdag, Eerste and Tweede Pinksterdag,
// Eerste and Tweede Kerstdag. Goede Vrijdag is not one. Today's rules are
// applied to every year (Koningsdag replaced Koninginnedag in 2014): the
// calendar counts deadlines, it is no history of the holidays.
std::optional<std::string> PublicHoliday(absl::CivilDay day);

// Monday to Friday and not a public holiday.
bool IsWorkingDay(absl::CivilDay day);
// The day `n` working days after `from` (n >= 0; n = 0 gives `from`, whether
// or not it is a working day).
absl::CivilDay AddWorkingDays(absl::CivilDay from, int n);

}  // namespace schakel::domain

#endif  // SCHAKEL_SERVER_DOMAIN_CALENDAR_H_
