#include "server/domain/privacy.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/domain/calendar.h"
#include "server/domain/text.h"

namespace schakel::domain {

absl::Status ValidateRequestRef(const std::string& ref) {
  if (ref.empty()) {
    return absl::InvalidArgumentError(
        "request_ref: required, the reference of the resident's request");
  }
  if (ref.size() > kMaxRequestRefLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("request_ref: at most ", kMaxRequestRefLength, " characters"));
  }
  // It goes into the audit log, the export and the CLI's output: letters,
  // digits and . / _ - only, so it can carry no layout, markup or quote.
  for (char c : ref) {
    const bool allowed = absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' ||
                         c == '/' || c == '_' || c == '-';
    if (!allowed) {
      return absl::InvalidArgumentError(
          "request_ref: letters, digits and . / _ - only (like AVG-2026-0042)");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<FieldChange>> ValidateRectification(const RectifyInput& in,
                                                              absl::CivilDay today) {
  std::vector<FieldChange> out;
  if (!in.name.empty()) {
    RETURN_IF_ERROR(ValidateText("name", in.name, kMaxNameLength));
    out.push_back({"name", in.name});
  }
  if (!in.birth_date.empty()) {
    ASSIGN_OR_RETURN(absl::CivilDay day, ParseDate("birth_date", in.birth_date));
    if (day > today) return absl::InvalidArgumentError("birth_date: must not be in the future");
    if (day < absl::CivilDay(1900, 1, 1)) {
      return absl::InvalidArgumentError("birth_date: must not be before 1900-01-01");
    }
    out.push_back({"birth_date", FormatDate(day)});
  }
  if (!in.address.empty()) {
    RETURN_IF_ERROR(ValidateText("address", in.address, kMaxNameLength));
    out.push_back({"address", in.address});
  }
  if (!in.wijk.empty()) {
    RETURN_IF_ERROR(ValidateId("wijk", in.wijk));
    out.push_back({"wijk", in.wijk});
  }
  if (out.empty()) {
    return absl::InvalidArgumentError(
        "name: set at least one field to change (name, birth_date, address, wijk)");
  }
  return out;
}

absl::StatusOr<RetentionPeriods> MakeRetentionPeriods(uint32_t case_days, uint32_t trajectory_days,
                                                       uint32_t audit_days) {
  RetentionPeriods p;
  if (case_days > 0) p.cases = absl::Hours(24) * static_cast<int64_t>(case_days);
  if (trajectory_days > 0) p.trajectories = absl::Hours(24) * static_cast<int64_t>(trajectory_days);
  if (audit_days > 0) p.audit = absl::Hours(24) * static_cast<int64_t>(audit_days);
  if (p.audit < kMinAuditRetention) {
    return absl::InvalidArgumentError(
        "audit_days: audit entries are kept at least 1826 days (five years)");
  }
  return p;
}

RetentionCutoffs CutoffsAt(const RetentionPeriods& p, absl::Time now) {
  return RetentionCutoffs{now - p.cases, now - p.trajectories, now - p.audit};
}

}  // namespace schakel::domain
