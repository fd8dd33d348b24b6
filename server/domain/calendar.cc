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

bool IsWorkingDay(absl::CivilDay day) {
  absl::Weekday w = absl::GetWeekday(day);
  return w != absl::Weekday::saturday && w != absl::Weekday::sunday;
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
