// Signals and their state machine:
//
//   open → in_progress → resolved → closed
//   resolved → in_progress (reopened)
//   open | in_progress → withdrawn
//   closed and withdrawn are final.
#ifndef SCHAKEL_SERVER_DOMAIN_SIGNAL_H_
#define SCHAKEL_SERVER_DOMAIN_SIGNAL_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/domain/seed.h"

namespace schakel::domain {

enum class SignalStatus { kOpen, kInProgress, kResolved, kClosed, kWithdrawn };
const char* SignalStatusName(SignalStatus s);
std::optional<SignalStatus> ParseSignalStatus(const std::string& name);

enum class Urgency { kLow, kNormal, kHigh, kAcute };
const char* UrgencyName(Urgency u);
std::optional<Urgency> ParseUrgency(const std::string& name);

struct Signal {
  std::string id;
  std::string category;
  std::string opgave;
  Sensitivity sensitivity = Sensitivity::kNormal;
  std::string wijk;
  std::string place;
  std::string description;
  std::string resident_id;  // empty: about a place
  Urgency urgency = Urgency::kNormal;
  std::string owner_organisation_id;  // empty: the regisseur's to route
  std::string owner_team;             // of the owner organisation; empty without one
  SignalStatus status = SignalStatus::kOpen;
  std::string author_id;
  std::string author_organisation_id;
  std::string author_team;  // the team the author recorded it for
  absl::Time create_time;
  absl::Time update_time;
  int64_t version = 1;
  // The routing rule (and its version) that gave the signal its owner at
  // creation (domain/routing.h); empty when none did.
  std::string routed_by_rule_id;
  int64_t routed_by_rule_version = 0;
};

// The etag of a version, and the version an etag names.
std::string SignalEtag(int64_t version);

struct NewSignal {
  std::string request_id;
  std::string category;
  std::string wijk;
  std::string place;
  std::string description;
  std::string resident_id;
  Urgency urgency = Urgency::kNormal;
  std::string owner_organisation_id;
  // The author's team as asked (empty: their only one), and the owner team
  // (empty: the owner organisation's intake team).
  std::string team;
  std::string owner_team;
};

// INVALID_ARGUMENT naming the field. `category` is the taxonomy entry of
// r.category (nullopt when unknown); a justice category needs an owner.
absl::Status ValidateNewSignal(const NewSignal& r, const std::optional<SignalCategory>& category);
std::string RequestFingerprint(const NewSignal& r);

// OK when `from` may go to `to`; FAILED_PRECONDITION naming both otherwise.
absl::Status CheckSignalTransition(SignalStatus from, SignalStatus to);

// What happened to a signal, in its timeline.
enum class SignalEventKind { kCreated, kAssigned, kStatusChanged, kNoteAdded, kHandoverLinked };
const char* SignalEventKindName(SignalEventKind k);

struct SignalEvent {
  SignalEventKind kind = SignalEventKind::kCreated;
  absl::Time time;
  std::string actor_id;
  std::string actor_organisation_id;
  std::optional<domain::SignalStatus> from_status;
  std::optional<domain::SignalStatus> to_status;
  std::string owner_organisation_id;
  std::string owner_team;
  std::string note_id;
  std::string handover_id;
  // Of the linked handover (kHandoverLinked), for the policy.
  std::string handover_from_organisation_id;
  std::string handover_from_team;
  std::string handover_to_organisation_id;
  std::string handover_to_team;
  std::string handover_resident_id;
  // Of an assignment made by a routing rule (actor_id then empty).
  std::string rule_id;
  int64_t rule_version = 0;
};

// The filters of a signal list.
struct SignalQuery {
  std::optional<domain::SignalStatus> status;
  std::string category;
  std::string opgave;
  std::string wijk;
  std::string owner_organisation_id;
  std::string owner_team;  // with owner_organisation_id
  std::string resident_id;
};

}  // namespace schakel::domain

#endif  // SCHAKEL_SERVER_DOMAIN_SIGNAL_H_
