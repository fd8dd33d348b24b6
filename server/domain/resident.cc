#include "server/domain/resident.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/domain/calendar.h"
#include "server/domain/directory.h"
#include "server/domain/text.h"

namespace schakel::domain {

absl::Status ValidateNewResident(const NewResident& r, absl::CivilDay today) {
  RETURN_IF_ERROR(ValidateRequestId("request_id", r.request_id));
  RETURN_IF_ERROR(ValidateText("name", r.name, kMaxNameLength));
  ASSIGN_OR_RETURN(absl::CivilDay birth, ParseDate("birth_date", r.birth_date));
  if (birth > today) return absl::InvalidArgumentError("birth_date: must not be in the future");
  if (birth.year() < 1900) return absl::InvalidArgumentError("birth_date: must not be before 1900");
  RETURN_IF_ERROR(ValidateText("address", r.address, kMaxNameLength));
  if (!r.team.empty()) RETURN_IF_ERROR(ValidateTeamId("team", r.team));
  return ValidateId("wijk", r.wijk);
}

absl::StatusOr<ResidentSearch> ParseResidentSearch(const std::string& name,
                                                   const std::string& birth_date,
                                                   const std::string& address) {
  RETURN_IF_ERROR(ValidateText("name", name, kMaxNameLength));
  ResidentSearch s;
  s.name_key = NameKey(name);
  if (s.name_key.size() < 2) {
    return absl::InvalidArgumentError("name: at least 2 letters (the beginning of a name)");
  }
  if (!birth_date.empty()) {
    ASSIGN_OR_RETURN(absl::CivilDay day, ParseDate("birth_date", birth_date));
    s.birth_date = FormatDate(day);
  }
  if (!address.empty()) {
    if (address.size() > kMaxNameLength) {
      return absl::InvalidArgumentError("address: at most 200 bytes");
    }
    s.address_key = FoldText(address);
    if (s.address_key.size() < 3) {
      return absl::InvalidArgumentError("address: at least 3 characters of the address");
    }
  }
  if (s.birth_date.empty() && s.address_key.empty()) {
    return absl::InvalidArgumentError(
        "birth_date: a search by name needs the birth date or part of the address");
  }
  return s;
}

std::string RequestFingerprint(const NewResident& r) {
  return CanonicalFields({r.name, r.birth_date, r.address, r.wijk});
}

}  // namespace schakel::domain
