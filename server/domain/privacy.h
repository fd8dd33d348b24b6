// Residents' rights and retention, as pure rules: the request reference of
// a privacy officer's act, what a rectification may change, the text an
// erasure leaves, and the retention periods with their cut-off times.
#ifndef SCHAKEL_SERVER_DOMAIN_PRIVACY_H_
#define SCHAKEL_SERVER_DOMAIN_PRIVACY_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace schakel::domain {

// The longest request reference (the FG's registration number).
inline constexpr size_t kMaxRequestRefLength = 64;
// What an erasure writes in place of free text.
inline constexpr char kErasedText[] = "[erased]";

// INVALID_ARGUMENT naming request_ref unless `ref` is 1..64 characters of
// [A-Za-z0-9./_-]: it is written into the audit log.
absl::Status ValidateRequestRef(const std::string& ref);

// A rectification as sent: empty fields stay as they are.
struct RectifyInput {
  std::string name;
  std::string birth_date;
  std::string address;
  std::string wijk;
};

// One field change of a resident record.
struct FieldChange {
  std::string field;  // name | birth_date | address | wijk
  std::string new_value;
};

// INVALID_ARGUMENT naming the field when a set field breaks the rule of
// registration (name and address 1..200 without control characters,
// birth_date a real date not after `today` and not before 1900, wijk an
// id), or naming `name` when no field is set. The changes, in field order.
absl::StatusOr<std::vector<FieldChange>> ValidateRectification(const RectifyInput& in,
                                                              absl::CivilDay today);

// How long things are kept (proto/schakel/config/deployment.proto,
// RetentionConfig); the defaults apply when the config says 0.
struct RetentionPeriods {
  absl::Duration cases = absl::Hours(24 * 730);
  absl::Duration trajectories = absl::Hours(24 * 730);
  absl::Duration audit = absl::Hours(24 * 3650);
};
// Audit entries are kept at least this long.
inline constexpr absl::Duration kMinAuditRetention = absl::Hours(24 * 1826);

// The periods from configured days (0: the default). INVALID_ARGUMENT
// naming audit_days when the audit period is under five years.
absl::StatusOr<RetentionPeriods> MakeRetentionPeriods(uint32_t case_days, uint32_t trajectory_days,
                                                       uint32_t audit_days);

// Records that closed before these times are purged: closing time + period
// < now, i.e. a record closed exactly `period` ago is kept one more run.
struct RetentionCutoffs {
  absl::Time cases;
  absl::Time trajectories;
  absl::Time audit;
};
RetentionCutoffs CutoffsAt(const RetentionPeriods& periods, absl::Time now);

}  // namespace schakel::domain

#endif  // SCHAKEL_SERVER_DOMAIN_PRIVACY_H_
