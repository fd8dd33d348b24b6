// Warm handovers (warme overdracht) and their state machine, exactly the
// table of design.md ("Handover"):
//
//   from                            action (who)                         to
//   proposed                        accept (receiver)                    accepted
//   proposed                        decline with reason (receiver)       declined
//   proposed                        deadline passes (clock)              expired
//   proposed, accepted              cancel (sender)                      cancelled
//   proposed, accepted, introduced  consent withdrawn (sender; consent)  cancelled
//   accepted                        introduce (either party)             introduced
//   accepted, introduced            complete with outcome (receiver)     completed
//
// completed, declined, expired and cancelled are final. Pure code: the
// caller supplies the party, the actor and the time.
#ifndef SCHAKEL_SERVER_DOMAIN_HANDOVER_H_
#define SCHAKEL_SERVER_DOMAIN_HANDOVER_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "server/domain/directory.h"

namespace schakel::domain {

enum class HandoverStatus {
  kProposed, kAccepted, kIntroduced, kCompleted, kDeclined, kExpired, kCancelled
};
const char* HandoverStatusName(HandoverStatus s);
std::optional<HandoverStatus> ParseHandoverStatus(const std::string& name);
bool IsFinal(HandoverStatus s);

enum class HandoverAction { kAccept, kDecline, kIntroduce, kComplete, kCancel, kWithdrawConsent, kExpire };
const char* HandoverActionName(HandoverAction a);

enum class Outcome { kHelped, kNotHelped, kReferredOn, kResidentDeclined };
const char* OutcomeName(Outcome o);
std::optional<Outcome> ParseOutcome(const std::string& name);

// Which side of a handover the caller's organisation is on.
enum class Party { kSender, kReceiver };

enum class BasisKind { kConsent, kLegalTask, kVitalInterest };
const char* BasisKindName(BasisKind k);

struct LawfulBasis {
  BasisKind kind = BasisKind::kConsent;
  // consent
  std::string consent_date;  // YYYY-MM-DD; empty in a request means today
  std::string consent_covers;
  std::string consent_recorded_by;
  // legal_task
  std::string legal_reference;
  // vital_interest
  std::string vital_reason;
};

struct Handover {
  std::string id;
  std::string resident_id;
  std::string from_organisation_id;
  std::string from_team;
  std::string sender_id;
  std::string to_organisation_id;
  std::string to_team;
  std::string receiver_id;
  std::string reason;
  std::string signal_id;
  LawfulBasis basis;
  absl::CivilDay deadline;
  HandoverStatus status = HandoverStatus::kProposed;
  std::string decline_reason;
  std::string cancel_reason;
  std::string introduced_date;
  std::string introduced_with;
  std::optional<Outcome> outcome;
  std::string outcome_text;
  absl::Time create_time;
  absl::Time update_time;
  int64_t version = 1;
};

std::string HandoverEtag(int64_t version);

inline constexpr int kDefaultResponseDays = 5;
inline constexpr int kMaxResponseDays = 60;

struct NewHandover {
  std::string request_id;
  std::string resident_id;
  std::string to_organisation_id;
  std::string reason;
  std::string signal_id;
  std::optional<LawfulBasis> basis;
  int response_days = 0;  // 0 means kDefaultResponseDays
  // The sender's team as asked (empty: their only one) and the receiving
  // team (empty: the receiving organisation's intake team).
  std::string team;
  std::string to_team;
};

// INVALID_ARGUMENT naming the field: ids, reason (1..2,000), a lawful basis
// with its own field (basis.consent.covers 1..1,000, basis.consent.date a
// date not after `today`, basis.legal_task.reference 1..500,
// basis.vital_interest.reason 1..1,000), response_days 0..60, team and
// to_team team ids when set.
absl::Status ValidateNewHandover(const NewHandover& r, absl::CivilDay today);
std::string RequestFingerprint(const NewHandover& r);
// A handover goes to another team: of another organisation, or another
// team of one's own (cross-team work is a handover). INVALID_ARGUMENT
// naming `field` otherwise.
absl::Status CheckHandoverParties(const std::string& from_organisation,
                                  const std::string& from_team,
                                  const std::string& to_organisation, const std::string& to_team,
                                  absl::string_view field = "to_organisation_id");

// The last day to answer a handover proposed on `today`.
absl::CivilDay ResponseDeadline(absl::CivilDay today, int response_days);

// What an action carries besides its kind.
struct HandoverActionInput {
  HandoverAction action = HandoverAction::kAccept;
  std::string reason;   // decline (required), cancel, withdraw consent
  std::string date;     // introduce: YYYY-MM-DD, empty means today
  std::string with;     // introduce: with whom the resident met
  std::optional<Outcome> outcome;  // complete (required)
  std::string text;     // complete
};

// Applies an action by `actor_id` of the `party` side on `today`/`now`.
// INVALID_ARGUMENT for missing or bad input (naming the field), and for a
// field the action does not take (accept takes none; decline, cancel and
// withdraw consent a reason; introduce a date and with; complete an
// outcome and text);
// FAILED_PRECONDITION naming the current state and the action when the
// table does not allow it (a proposed handover past its deadline counts as
// expired); PERMISSION_DENIED when the table gives the action to the other
// side. The clock's kExpire needs no party.
absl::StatusOr<Handover> ApplyHandoverAction(const Handover& h, const HandoverActionInput& in,
                                             std::optional<Party> party,
                                             const std::string& actor_id, absl::CivilDay today,
                                             absl::Time now);

// The receiving team passes a proposed handover on to `to_team`, another
// team of the receiving organisation (which the caller checked exists).
// PERMISSION_DENIED unless `party` is the receiver; FAILED_PRECONDITION
// unless proposed (and not past its deadline); INVALID_ARGUMENT naming
// to_team when it is the current receiving team or the sending team.
absl::StatusOr<Handover> ForwardHandover(const Handover& h, std::optional<Party> party,
                                         const std::string& to_team, absl::CivilDay today,
                                         absl::Time now);

// Display flags of a proposed handover: due within one working day, or its
// deadline passed (the sweeper has yet to record the expiry).
bool IsDueSoon(const Handover& h, absl::CivilDay today);
bool IsOverdue(const Handover& h, absl::CivilDay today);

// A professional's two lists of handovers: received and sent.
enum class HandoverBox { kInbox, kOutbox };

}  // namespace schakel::domain

#endif  // SCHAKEL_SERVER_DOMAIN_HANDOVER_H_
