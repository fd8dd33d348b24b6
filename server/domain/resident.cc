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

std::string NameKey(const std::string& name) {
  std::string out;
  bool space = false;
  for (char c : name) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string RequestFingerprint(const NewResident& r) {
  return CanonicalFields({r.name, r.birth_date, r.address, r.wijk});
}

}  // namespace schakel::domain
