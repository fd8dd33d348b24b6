#include "server/domain/calendar.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace schakel::domain {

const absl::TimeZone& ProgrammeTimeZone() {
  static const absl::TimeZone* zone = [] {
    auto* z = new absl::TimeZone;
    if (!absl::LoadTimeZone("Europe/Amsterdam", z)) *z = absl::FixedTimeZone(3600);
    return z;
  }();
  return *zone;
}

absl::CivilDay DayOf(absl::Time t) {
  return absl::ToCivilDay(t, ProgrammeTimeZone());
}

absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view field, absl::string_view text) {
  absl::CivilDay day;
  // ParseCivilTime accepts only the exact form YYYY-MM-DD; the round trip
  // rejects dates that do not exist (2025-02-30 would normalise).
  if (text.size() != 10 || !absl::ParseCivilTime(text, &day) || FormatDate(day) != text) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": must be a date YYYY-MM-DD"));
  }
  return day;
}

std::string FormatDate(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

absl::CivilDay EasterSunday(int year) {
  // The anonymous Gregorian algorithm (Meeus, Jones, Butcher), all integer
  // arithmetic on year >= 1.
  const int a = year % 19;
  const int b = year / 100;
  const int c = year % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int n = h + l - 7 * m + 114;
  return absl::CivilDay(year, n / 31, n % 31 + 1);
}

std::optional<std::string> PublicHoliday(absl::CivilDay day) {
  const int year = static_cast<int>(day.year());
  const int month = day.month();
  const int dom = day.day();
  if (month == 1 && dom == 1) return "Nieuwjaarsdag";
  if (month == 12 && dom == 25) return "Eerste Kerstdag";
  if (month == 12 && dom == 26) return "Tweede Kerstdag";
  if (month == 4 && (dom == 26 || dom == 27)) {
    // Koningsdag moves to the Saturday before when the 27th is a Sunday.
    const absl::CivilDay the_27th(year, 4, 27);
    const absl::CivilDay koningsdag =
        absl::GetWeekday(the_27th) == absl::Weekday::sunday ? the_27th - 1 : the_27th;
    if (day == koningsdag) return "Koningsdag";
  }
  // Bevrijdingsdag is a day off by most collective agreements only once in
  // five years (lustrum years).
  if (month == 5 && dom == 5 && year % 5 == 0) return "Bevrijdingsdag";
  // Goede Vrijdag (Easter - 2) is deliberately absent: it is not a general
  // public holiday in the Netherlands, and most partners are open.
  const absl::CivilDay easter = EasterSunday(year);
  switch (day - easter) {
    case 0:
      return "Eerste Paasdag";
    case 1:
      return "Tweede Paasdag";
    case 39:
      return "Hemelvaartsdag";
    case 49:
      return "Eerste Pinksterdag";
    case 50:
      return "Tweede Pinksterdag";
    default:
      return std::nullopt;
  }
}

bool IsWorkingDay(absl::CivilDay day) {
  absl::Weekday w = absl::GetWeekday(day);
  return w != absl::Weekday::saturday && w != absl::Weekday::sunday && !PublicHoliday(day);
}

absl::CivilDay AddWorkingDays(absl::CivilDay from, int n) {
  absl::CivilDay day = from;
  while (n > 0) {
    ++day;
    if (IsWorkingDay(day)) --n;
  }
  return day;
}

}  // namespace schakel::domain
