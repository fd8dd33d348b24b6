#include "server/domain/reference.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/domain/directory.h"
#include "server/domain/handover.h"
#include "server/domain/note.h"
#include "server/domain/signal.h"
#include "server/domain/trajectory.h"

namespace schakel::domain {
namespace {

// One row of a vocabulary: the enum value (its code comes from the
// domain's Name function, so a renamed word cannot drift from the API) and
// its labels. The rows are in the enum's order; tests/unit/reference_test.cc
// checks that every value has exactly one row.
template <typename E>
struct Row {
  E value;
  const char* nl;
  const char* en;
};

template <typename E, size_t N, typename NameFn>
Vocabulary Of(const char* name, const Row<E> (&rows)[N], NameFn to_name) {
  Vocabulary v;
  v.name = name;
  for (const Row<E>& r : rows) {
    v.terms.push_back(VocabularyTerm{std::string(absl::string_view(to_name(r.value))), 0, r.nl,
                                     r.en});
  }
  return v;
}

constexpr Row<BasisKind> kBases[] = {
    {BasisKind::kConsent, "toestemming van de bewoner", "the resident's consent"},
    {BasisKind::kLegalTask, "wettelijke taak", "legal task"},
    {BasisKind::kVitalInterest, "vitaal belang", "vital interest"},
};

constexpr Row<Outcome> kOutcomes[] = {
    {Outcome::kHelped, "geholpen", "helped"},
    {Outcome::kNotHelped, "niet geholpen", "not helped"},
    {Outcome::kReferredOn, "doorverwezen", "referred on"},
    {Outcome::kResidentDeclined, "bewoner wilde niet", "resident declined"},
};

constexpr Row<HandoverStatus> kHandoverStatuses[] = {
    {HandoverStatus::kProposed, "voorgesteld", "proposed"},
    {HandoverStatus::kAccepted, "geaccepteerd", "accepted"},
    {HandoverStatus::kIntroduced, "kennisgemaakt", "introduced"},
    {HandoverStatus::kCompleted, "afgerond", "completed"},
    {HandoverStatus::kDeclined, "afgewezen", "declined"},
    {HandoverStatus::kExpired, "verlopen", "expired"},
    {HandoverStatus::kCancelled, "geannuleerd", "cancelled"},
};

constexpr Row<SignalStatus> kSignalStatuses[] = {
    {SignalStatus::kOpen, "open", "open"},
    {SignalStatus::kInProgress, "in behandeling", "in progress"},
    {SignalStatus::kResolved, "opgelost", "resolved"},
    {SignalStatus::kClosed, "gesloten", "closed"},
    {SignalStatus::kWithdrawn, "ingetrokken", "withdrawn"},
};

constexpr Row<Urgency> kUrgencies[] = {
    {Urgency::kLow, "laag", "low"},
    {Urgency::kNormal, "normaal", "normal"},
    {Urgency::kHigh, "hoog", "high"},
    {Urgency::kAcute, "acuut", "acute"},
};

constexpr Row<NoteVisibility> kVisibilities[] = {
    {NoteVisibility::kInvolved, "alle betrokkenen", "everyone involved"},
    {NoteVisibility::kOwnOrganisation, "alleen eigen organisatie", "own organisation only"},
    {NoteVisibility::kHealth, "alleen auteur en Wijk-GGZ (gezondheid)",
     "author and neighbourhood mental-health care only (health)"},
};

constexpr Row<StepType> kStepTypes[] = {
    {StepType::kLanguageCourse, "taalcursus", "language course"},
    {StepType::kVolunteering, "vrijwilligerswerk", "volunteering"},
    {StepType::kTraining, "scholing", "training"},
    {StepType::kJobApplication, "sollicitatie", "job application"},
    {StepType::kWorkPlacement, "werkervaringsplek", "work placement"},
    {StepType::kDebtHelp, "schuldhulp", "debt help"},
    {StepType::kHealth, "gezondheid", "health"},
    {StepType::kReferral, "doorverwijzing", "referral"},
    {StepType::kOther, "overig", "other"},
};

constexpr Row<StepStatus> kStepStatuses[] = {
    {StepStatus::kPlanned, "gepland", "planned"},
    {StepStatus::kStarted, "gestart", "started"},
    {StepStatus::kDone, "afgerond", "done"},
    {StepStatus::kStopped, "gestopt", "stopped"},
};

constexpr Row<TrajectoryStatus> kTrajectoryStatuses[] = {
    {TrajectoryStatus::kActive, "actief", "active"},
    {TrajectoryStatus::kPaused, "gepauzeerd", "paused"},
    {TrajectoryStatus::kClosed, "afgesloten", "closed"},
};

constexpr Row<Sensitivity> kSensitivities[] = {
    {Sensitivity::kNormal, "gewoon", "normal"},
    {Sensitivity::kSensitive, "gevoelig", "sensitive"},
    {Sensitivity::kHealth, "gezondheid", "health"},
    {Sensitivity::kJustice, "justitie", "justice"},
};

constexpr Row<Role> kRoles[] = {
    {Role::kRegisseur, "regisseur", "area director (regisseur)"},
    {Role::kConsultant, "participatieconsulent", "participation consultant"},
    {Role::kBridgeOfficer, "brugfunctionaris", "bridge officer"},
    {Role::kGgz, "Wijk-GGZ", "neighbourhood mental-health care"},
    {Role::kPartner, "partner", "partner"},
    {Role::kAuditor, "logbeheerder", "auditor"},
    {Role::kAdmin, "functioneel beheerder", "administrator"},
    {Role::kAnalyst, "analist", "analyst"},
    {Role::kPrivacyOfficer, "functionaris gegevensbescherming", "privacy officer"},
};

// The ladder's labels are the trajectory domain's (RungLabelNl/En): one
// source for the CLI, the reports and this list.
Vocabulary LadderRungs() {
  Vocabulary v;
  v.name = "ladder_rung";
  for (int rung = kMinRung; rung <= kMaxRung; ++rung) {
    v.terms.push_back(VocabularyTerm{absl::StrCat(rung), rung, RungLabelNl(rung), RungLabelEn(rung)});
  }
  return v;
}

}  // namespace

const std::vector<Vocabulary>& FixedVocabularies() {
  static const std::vector<Vocabulary>* all = new std::vector<Vocabulary>{
      Of("lawful_basis", kBases, BasisKindName),
      Of("handover_outcome", kOutcomes, OutcomeName),
      Of("handover_status", kHandoverStatuses, HandoverStatusName),
      Of("signal_status", kSignalStatuses, SignalStatusName),
      Of("urgency", kUrgencies, UrgencyName),
      Of("note_visibility", kVisibilities, NoteVisibilityName),
      LadderRungs(),
      Of("step_type", kStepTypes, StepTypeName),
      Of("step_status", kStepStatuses, StepStatusName),
      Of("trajectory_status", kTrajectoryStatuses, TrajectoryStatusName),
      Of("sensitivity", kSensitivities, SensitivityName),
      Of("role", kRoles, RoleName),
  };
  return *all;
}

}  // namespace schakel::domain
