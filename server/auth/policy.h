// The one access policy: (principal, action, resource facts) → allow or deny
// with a reason. Every RPC asks it; nothing else decides access.
//
// The relations are those of design.md's policy table, by team (design.md,
// "Teams"): a professional is involved with what a team they work in
// authored, owns or is a party to, and a consultant's caseload is their
// team's. What stays organisation-wide is written beside the table in
// docs/design.md ("What stays organisation-wide"). The regisseur reads every
// signal of the area except justice signals it is not involved in, never
// another team's handovers or trajectories. Two content limits: health
// content is read only by its author and `ggz` of involved teams; notes
// carry their own visibility. Aggregate reports (the programme monitor) are
// the analyst's alone, and the analyst reads no case data.
//
// Lists use the same rule as a query filter: access_sql.h renders, beside
// each decision here, the rows a principal may see as SQL, so a page never
// needs filtering after it was read; what of each record the caller then
// sees is the field view below (SignalFieldView and its kin). Nothing
// outside this module decides access or clears a field.
#ifndef SCHAKEL_SERVER_AUTH_POLICY_H_
#define SCHAKEL_SERVER_AUTH_POLICY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/auth/principal.h"
#include "server/domain/handover.h"
#include "server/domain/note.h"
#include "server/domain/seed.h"
#include "server/domain/signal.h"
#include "server/domain/trajectory.h"

namespace schakel::auth {

enum class Action {
  kKeepTrajectories,     // start trajectories, see the organisation's caseload
  kReadDirectory,        // WhoAmI, organisations
  kManageProfessionals,  // add, disable professionals; revoke certificates; record backups
  kUseCaseData,          // register residents; create and change signals, handovers, notes
  kReadCaseData,         // read and list residents, signals, handovers, trajectories
  kReadCaseload,         // a consultant's caseload of trajectories
  kMergeResidents,       // list possible duplicates, merge
  kAssignSignal,         // route a signal to an owner organisation
  kBreakGlass,           // open emergency access to one resident's records
  kReadAudit,            // query and verify the audit log, access reports, anomalies
  kReviewPrivacyActs,    // list the privacy officers' acts (auditor, a second privacy officer)
  kReadReports,          // the programme monitor's aggregate reports
  // Residents' rights (AVG art. 15-17): the privacy officer only, each act
  // against a request reference and flagged in the audit log.
  kExportResident,   // everything about one resident, and its access report
  kRectifyResident,  // correct the resident record, history kept
  kEraseResident,    // anonymise one resident
  kLegalHold,        // put or release a legal hold that stops erasure
};

// Emergency access lasts this long.
inline constexpr absl::Duration kBreakGlassDuration = absl::Minutes(60);
// A break-glass reason has at least this many characters.
inline constexpr size_t kMinBreakGlassReason = 20;

struct Decision {
  bool allowed = false;
  // Why: the rule that allowed or denied, for the audit log and tests.
  std::string reason;
  // A denied read that answers as if nothing existed (NOT_FOUND), not as
  // a refusal: a professional whose roles await approval.
  bool hidden = false;

  // OK when allowed; NOT_FOUND when hidden; PERMISSION_DENIED naming the
  // reason otherwise.
  absl::Status ToStatus() const;
};

// Role-level decisions: may this principal do this kind of thing at all?
//
// Roles take effect only once a second administrator approved their grant
// (dual control). A professional whose roles are all still pending
// authenticates and reads the directory (whoami), but holds no other role:
// every case read answers NOT_FOUND and every other act PERMISSION_DENIED.
Decision Decide(const Principal& principal, Action action);

// --- Teams -----------------------------------------------------------------

using domain::TeamRef;
// The principal works in that team (of their own organisation).
bool WorksIn(const Principal& principal, const TeamRef& team);

// The team a principal acts for when they create something (a signal, a
// registration, a handover, a trajectory): `requested`, which must be one
// of theirs (PERMISSION_DENIED naming `field` otherwise), or, when empty,
// their only team (INVALID_ARGUMENT naming `field` when they work in
// several; FAILED_PRECONDITION when in none yet).
absl::StatusOr<std::string> ActingTeam(const Principal& principal, const std::string& requested,
                                       absl::string_view field = "team");

// --- Signals ---------------------------------------------------------------

struct SignalFacts {
  std::string author_id;
  TeamRef author;
  TeamRef owner;  // empty organisation: no owner yet
  domain::Sensitivity sensitivity = domain::Sensitivity::kNormal;
  std::string resident_id;
};

// The facts of a signal as the decisions take them.
SignalFacts FactsOf(const domain::Signal& s);

// The regisseur reads signals area-wide (every signal except justice ones
// it is not involved in).
bool ReadsAreaWide(const Principal& principal);

bool CanReadSignal(const Principal& principal, const SignalFacts& signal);
// The health limit: may the caller read description and notes?
bool CanReadSignalContent(const Principal& principal, const SignalFacts& signal);
// What of a signal a caller who may see it sees (DESIGN, "The two
// limits"): everything, or — outside the health limit — its id, category,
// opgave, sensitivity, wijk, status, owner (organisation and team), version
// and dates, nothing more (no place, resident, urgency, author).
enum class SignalFields { kFull, kLimited };
SignalFields SignalFieldView(const Principal& principal, const SignalFacts& signal);
// Clears from `signal` what `fields` does not show.
void ApplySignalFields(SignalFields fields, domain::Signal& signal);
// The notes and the timeline of a signal the caller sees with `fields`:
// under the limited view no note, and of the timeline only when the status
// and owner changed (no actor, no note, no handover made from it); under
// the full view each note by its own visibility (CanReadNote), a hidden
// note leaving no trace in the timeline, and a linked handover only for
// who may open it (CanReadHandover).
void ApplySignalDetailFields(const Principal& principal, const SignalFacts& signal,
                             SignalFields fields, std::vector<domain::Note>& notes,
                             std::vector<domain::SignalEvent>& timeline);
// Status changes: the regisseur, or the owner team.
Decision CanChangeSignalStatus(const Principal& principal, const SignalFacts& signal);

// --- Handovers --------------------------------------------------------------

struct HandoverFacts {
  TeamRef from;
  TeamRef to;
  std::string resident_id;
};
HandoverFacts FactsOf(const domain::Handover& h);
// Reading a handover: its parties (the two teams), or break-glass on its
// resident.
bool CanReadHandover(const Principal& principal, const HandoverFacts& handover);
// The side the principal's team is on (the sending side when they work in
// both); nullopt when neither (then the handover does not exist for them).
std::optional<domain::Party> PartyOf(const Principal& principal, const HandoverFacts& handover);
// The notes of a handover the caller may read: each by its visibility
// (CanReadNote, the parties being the involved teams).
void ApplyHandoverDetailFields(const Principal& principal, const HandoverFacts& handover,
                               std::vector<domain::Note>& notes);

// --- Residents --------------------------------------------------------------

// Whether the readable signal `s` links the caller to its resident: every
// signal but a health one, whose resident (not part of its frame) only its
// involved teams learn from it.
bool LinksResident(const Principal& principal, const SignalFacts& s);

// A resident is readable when linked to one of the principal's teams (it
// registered them, authored or owns a signal about them, is party to a
// handover about them, or holds a trajectory about them) or, area-wide,
// when a signal the principal may read is about them and links them
// (LinksResident: never a health signal's frame alone).

// What links a resident to teams (for the row-by-row decision the list
// filter must agree with).
struct ResidentFacts {
  std::string id;
  std::vector<TeamRef> registering_teams;
  std::vector<SignalFacts> signals;        // signals about the resident
  std::vector<HandoverFacts> handovers;    // handovers about the resident
  std::vector<TeamRef> trajectory_teams;   // whose caseload holds a trajectory
};
bool CanReadResident(const Principal& principal, const ResidentFacts& resident);

// --- Trajectories ----------------------------------------------------------

struct TrajectoryFacts {
  TeamRef team;  // whose caseload it is
  std::string resident_id;
  // Teams holding an accepted (or introduced, completed) handover for the
  // resident, as receiver.
  std::vector<TeamRef> accepted_handover_teams;
};
enum class TrajectoryAccess { kNone, kSummary, kFull };
// Full: consultants of the owning team. Summary (latest rung, the steps
// referred to the caller's team, never goals or notes): a team holding an
// accepted handover for the resident, or emergency access to the resident
// (which widens the relation, never the role limit). Otherwise none (NOT_FOUND). A resident's list of
// trajectories holds the rows this opens (auth::TrajectoryReadableSql).
TrajectoryAccess AccessToTrajectory(const Principal& principal, const TrajectoryFacts& t);
// What of a trajectory `access` shows: under kSummary the latest rung
// (computed by the caller before this) and the steps referred to a team of
// the caller, never goals, the close reason, the bijstand date or the
// measurement history; kFull shows everything.
void ApplyTrajectoryFields(const Principal& principal, TrajectoryAccess access,
                           domain::Trajectory& trajectory,
                           std::vector<domain::Measurement>& measurements,
                           std::vector<domain::StepDetail>& steps);
// Changing a trajectory (measure, steps, status, transfer): consultants of
// the owning team.
Decision CanChangeTrajectory(const Principal& principal, const TrajectoryFacts& t);

// --- Notes ------------------------------------------------------------------

struct NoteFacts {
  std::string author_id;
  std::string author_organisation_id;
  domain::NoteVisibility visibility = domain::NoteVisibility::kInvolved;
  // The resident of the note's parent (break-glass is per resident).
  std::string resident_id;
};
// Whether a principal who may read the parent may read this note;
// `involved_teams` are the parent's author/owner or parties. `involved`
// notes: whoever reads the parent; `own_organisation`: the author's
// organisation (organisation-wide by design: the author keeps the note
// from the other party, and the reader still needs the parent); `health`:
// the author and `ggz` of an involved team.
bool CanReadNote(const Principal& principal, const NoteFacts& note,
                 std::initializer_list<TeamRef> involved_teams);

}  // namespace schakel::auth

#endif  // SCHAKEL_SERVER_AUTH_POLICY_H_
