// Residents' rights and retention, as pure rules: the request reference of
// a privacy officer's act, what a rectification may change, the text an
// erasure leaves, and the retention periods with their cut-off times.
#ifndef SCHAKEL_SERVER_DOMAIN_PRIVACY_H_
#define SCHAKEL_SERVER_DOMAIN_PRIVACY_H_

#include <optional>
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

// What a resident's export and an erasure report.
struct ResidentRecord {
  std::string id;
  std::string name;
  std::string birth_date;  // YYYY-MM-DD; empty once erased
  std::string address;
  std::string wijk;
  absl::Time create_time;
  std::optional<absl::Time> erase_time;
  std::vector<std::string> registering_organisations;
  std::vector<std::string> merged_ids;
  bool legal_hold = false;
};

struct NoteRecord {
  std::string id;
  std::string parent_type;  // signal | handover | trajectory_measurement | trajectory_step
  std::string parent_id;
  std::string author_id;
  std::string author_organisation_id;
  std::string visibility;
  std::string text;
  absl::Time create_time;
};

struct SignalRecord {
  std::string id, category, wijk, place, description, urgency, status, owner_organisation_id,
      author_id, author_organisation_id;
  absl::Time create_time, update_time;
};

struct HandoverRecord {
  std::string id, from_organisation_id, to_organisation_id, reason, signal_id, basis, status,
      outcome, outcome_text, deadline;
  absl::Time create_time, update_time;
};

struct TrajectoryRecord {
  std::string id, organisation_id, consultant_id, start_date, goal, status, close_reason;
  std::vector<std::string> measurements;  // "YYYY-MM-DD rung N"
  std::vector<std::string> steps;         // "type status: description"
  absl::Time create_time, update_time;
};

struct RectificationRecord {
  std::string field, old_value, new_value, professional_id, request_ref;
  absl::Time time;
};

// Everything stored about one resident (and the records merged into it).
struct ResidentData {
  ResidentRecord resident;
  std::vector<SignalRecord> signals;
  std::vector<HandoverRecord> handovers;
  std::vector<TrajectoryRecord> trajectories;
  std::vector<NoteRecord> notes;
  std::vector<RectificationRecord> rectifications;
};

struct EraseResult {
  int signals_withdrawn = 0;
  int handovers_cancelled = 0;
  int trajectories_closed = 0;
  int texts_erased = 0;
  int rectifications_removed = 0;
};

}  // namespace schakel::domain

#endif  // SCHAKEL_SERVER_DOMAIN_PRIVACY_H_
