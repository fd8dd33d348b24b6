#include "server/auth/policy.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace schakel::auth {
namespace {

using domain::Role;

// Roles that work with residents' cases.
bool HasCaseRole(const Principal& p) {
  return p.HasRole(Role::kRegisseur) || p.HasRole(Role::kConsultant) ||
         p.HasRole(Role::kBridgeOfficer) || p.HasRole(Role::kGgz) || p.HasRole(Role::kPartner);
}

bool IsInvolved(const Principal& p, std::initializer_list<TeamRef> teams) {
  return std::any_of(teams.begin(), teams.end(),
                     [&p](const TeamRef& t) { return WorksIn(p, t); });
}

bool WorksInAny(const Principal& p, const std::vector<TeamRef>& teams) {
  return std::any_of(teams.begin(), teams.end(),
                     [&p](const TeamRef& t) { return WorksIn(p, t); });
}

}  // namespace

bool WorksIn(const Principal& p, const TeamRef& t) {
  return !t.organisation_id.empty() && t.organisation_id == p.professional.organisation_id &&
         p.professional.InTeam(t.team);
}

absl::StatusOr<std::string> ActingTeam(const Principal& p, const std::string& requested,
                                       absl::string_view field) {
  const std::vector<std::string>& teams = p.professional.teams;
  if (!requested.empty()) {
    if (p.professional.InTeam(requested)) return requested;
    return absl::PermissionDeniedError(absl::StrCat(field, ": you do not work in team ", requested,
                                                    " of ", p.professional.organisation_id));
  }
  if (teams.size() == 1) return teams.front();
  if (teams.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat(field, ": you work in no team of ", p.professional.organisation_id,
                     " yet (a grant awaits a second administrator's approval)"));
  }
  return absl::InvalidArgumentError(absl::StrCat(field, ": you work in several teams (",
                                                 absl::StrJoin(teams, ", "),
                                                 "); name the team you act for"));
}

absl::Status Decision::ToStatus() const {
  if (allowed) return absl::OkStatus();
  if (hidden) return absl::NotFoundError(reason);
  return absl::PermissionDeniedError(reason);
}

Decision Decide(const Principal& principal, Action action) {
  const domain::Professional& who = principal.professional;
  if (who.roles.empty() && !who.pending_roles.empty()) {
    switch (action) {
      case Action::kReadDirectory:
        return {true, "a professional awaiting approval reads the directory"};
      case Action::kReadCaseData:
      case Action::kReadCaseload:
        return {false, "not found (the roles of this professional await a second "
                       "administrator's approval)", /*hidden=*/true};
      default:
        return {false, "the roles of this professional await a second administrator's "
                       "approval"};
    }
  }
  switch (action) {
    case Action::kReadDirectory:
      if (!principal.professional.roles.empty()) return {true, "every role reads the directory"};
      return {false, "a professional without a role may do nothing"};
    case Action::kReadCaseData:
      if (HasCaseRole(principal)) return {true, "a case role reads case data"};
      return {false, "this role reads no case data"};
    case Action::kReadCaseload:
      if (principal.HasRole(Role::kConsultant)) return {true, "consultants keep trajectories"};
      return {false, "only participation consultants keep trajectories"};
    case Action::kManageProfessionals:
      if (principal.HasRole(Role::kAdmin)) return {true, "admin manages professionals"};
      return {false, "only the admin role manages professionals and certificates"};
    case Action::kUseCaseData:
      if (HasCaseRole(principal)) return {true, "a case role works with case data"};
      return {false, "this role reads no case data"};
    case Action::kMergeResidents:
      if (principal.HasRole(Role::kRegisseur)) return {true, "the regisseur merges duplicates"};
      return {false, "only the regisseur lists and merges possible duplicates"};
    case Action::kKeepTrajectories:
      if (principal.HasRole(Role::kConsultant)) return {true, "consultants keep trajectories"};
      return {false, "only participation consultants keep trajectories"};
    case Action::kBreakGlass:
      if (principal.HasRole(Role::kRegisseur) || principal.HasRole(Role::kGgz)) {
        return {true, "the regisseur and ggz may open emergency access"};
      }
      return {false, "only the regisseur and ggz may open emergency access"};
    case Action::kReadAudit:
      if (principal.HasRole(Role::kAuditor)) return {true, "the auditor reads the audit log"};
      return {false, "only the auditor reads the audit log"};
    case Action::kReviewPrivacyActs:
      if (principal.HasRole(Role::kAuditor) || principal.HasRole(Role::kPrivacyOfficer)) {
        return {true, "the auditor and the privacy officers review the privacy officers' acts"};
      }
      return {false, "only the auditor and the privacy officers list the privacy officers' acts"};
    case Action::kReadReports:
      if (principal.HasRole(Role::kAnalyst)) return {true, "the analyst reads aggregate reports"};
      return {false, "only the analyst role reads the programme's aggregate reports"};
    case Action::kExportResident:
    case Action::kRectifyResident:
    case Action::kEraseResident:
    case Action::kLegalHold:
      if (principal.HasRole(Role::kPrivacyOfficer)) {
        return {true, "the privacy officer handles residents' requests"};
      }
      return {false, "only the privacy officer exports, rectifies or erases a resident's data"};
    case Action::kAssignSignal:
      if (principal.HasRole(Role::kRegisseur)) return {true, "the regisseur routes signals"};
      return {false, "only the regisseur assigns an owner organisation"};
  }
  return {false, "unknown action"};
}

bool ReadsAreaWide(const Principal& p) { return p.HasRole(Role::kRegisseur); }

SignalFacts FactsOf(const domain::Signal& s) {
  return SignalFacts{s.author_id,
                     {s.author_organisation_id, s.author_team},
                     {s.owner_organisation_id, s.owner_team},
                     s.sensitivity,
                     s.resident_id};
}

bool CanReadSignal(const Principal& p, const SignalFacts& s) {
  if (!HasCaseRole(p)) return false;
  if (p.HasBreakGlass(s.resident_id)) return true;
  if (IsInvolved(p, {s.author, s.owner})) return true;
  return ReadsAreaWide(p) && s.sensitivity != domain::Sensitivity::kJustice;
}

// Break-glass widens the relations (the caller counts as involved with the
// resident's records), never the role limits: under it a regisseur reads
// what an involved regisseur reads — no health content — and a ggz worker
// reads health content.
bool CanReadSignalContent(const Principal& p, const SignalFacts& s) {
  if (!CanReadSignal(p, s)) return false;
  if (s.sensitivity != domain::Sensitivity::kHealth) return true;
  if (p.professional.id == s.author_id) return true;
  return p.HasRole(Role::kGgz) && (IsInvolved(p, {s.author, s.owner}) ||
                                   p.HasBreakGlass(s.resident_id));
}

SignalFields SignalFieldView(const Principal& p, const SignalFacts& s) {
  return CanReadSignalContent(p, s) ? SignalFields::kFull : SignalFields::kLimited;
}

void ApplySignalFields(SignalFields fields, domain::Signal& s) {
  if (fields == SignalFields::kFull) return;
  domain::Signal limited;
  limited.id = std::move(s.id);
  limited.category = std::move(s.category);
  limited.opgave = std::move(s.opgave);
  limited.sensitivity = s.sensitivity;
  limited.wijk = std::move(s.wijk);
  limited.owner_organisation_id = std::move(s.owner_organisation_id);
  limited.owner_team = std::move(s.owner_team);
  limited.status = s.status;
  limited.create_time = s.create_time;
  limited.update_time = s.update_time;
  limited.version = s.version;
  s = std::move(limited);
}

void ApplySignalDetailFields(const Principal& p, const SignalFacts& facts, SignalFields fields,
                             std::vector<domain::Note>& notes,
                             std::vector<domain::SignalEvent>& timeline) {
  std::set<std::string> hidden_notes;
  std::vector<domain::Note> shown;
  for (domain::Note& n : notes) {
    bool readable = fields == SignalFields::kFull &&
                    CanReadNote(p,
                                NoteFacts{n.author_id, n.author_organisation_id, n.visibility,
                                          facts.resident_id},
                                {facts.author, facts.owner});
    if (readable) {
      shown.push_back(std::move(n));
    } else {
      hidden_notes.insert(n.id);
    }
  }
  notes = std::move(shown);
  std::vector<domain::SignalEvent> events;
  for (domain::SignalEvent& e : timeline) {
    using Kind = domain::SignalEventKind;
    if (e.kind == Kind::kNoteAdded && hidden_notes.count(e.note_id)) continue;
    if (fields == SignalFields::kLimited) {
      if (e.kind == Kind::kHandoverLinked) continue;
      e.actor_id.clear();
      e.actor_organisation_id.clear();
    }
    if (e.kind == Kind::kHandoverLinked &&
        !CanReadHandover(p, HandoverFacts{{e.handover_from_organisation_id, e.handover_from_team},
                                          {e.handover_to_organisation_id, e.handover_to_team},
                                          e.handover_resident_id})) {
      continue;
    }
    events.push_back(std::move(e));
  }
  timeline = std::move(events);
}

Decision CanChangeSignalStatus(const Principal& p, const SignalFacts& s) {
  if (p.HasRole(Role::kRegisseur)) return {true, "the regisseur changes the status of signals"};
  if (WorksIn(p, s.owner)) return {true, "the owner team changes the status"};
  return {false, "only the owner team or the regisseur changes a signal's status"};
}

// The resident of a health signal is not part of its frame (ApplySignalFields
// clears it): the area-wide reader of frames is not linked to that resident;
// the signal's involved teams are.
bool LinksResident(const Principal& p, const SignalFacts& s) {
  return s.sensitivity != domain::Sensitivity::kHealth || IsInvolved(p, {s.author, s.owner});
}

bool CanReadResident(const Principal& p, const ResidentFacts& r) {
  if (!HasCaseRole(p)) return false;
  if (p.HasBreakGlass(r.id)) return true;
  if (WorksInAny(p, r.registering_teams)) return true;
  for (const SignalFacts& s : r.signals) {
    if (CanReadSignal(p, s) && LinksResident(p, s)) return true;
  }
  for (const HandoverFacts& h : r.handovers) {
    if (PartyOf(p, h)) return true;
  }
  return WorksInAny(p, r.trajectory_teams);
}

HandoverFacts FactsOf(const domain::Handover& h) {
  return HandoverFacts{
      {h.from_organisation_id, h.from_team}, {h.to_organisation_id, h.to_team}, h.resident_id};
}

bool CanReadHandover(const Principal& p, const HandoverFacts& h) {
  return PartyOf(p, h).has_value() || (HasCaseRole(p) && p.HasBreakGlass(h.resident_id));
}

std::optional<domain::Party> PartyOf(const Principal& p, const HandoverFacts& h) {
  if (!HasCaseRole(p)) return std::nullopt;
  if (WorksIn(p, h.from)) return domain::Party::kSender;
  if (WorksIn(p, h.to)) return domain::Party::kReceiver;
  return std::nullopt;
}

void ApplyHandoverDetailFields(const Principal& p, const HandoverFacts& h,
                               std::vector<domain::Note>& notes) {
  notes.erase(std::remove_if(notes.begin(), notes.end(),
                             [&](const domain::Note& n) {
                               return !CanReadNote(p,
                                                   NoteFacts{n.author_id, n.author_organisation_id,
                                                             n.visibility, h.resident_id},
                                                   {h.from, h.to});
                             }),
              notes.end());
}

TrajectoryAccess AccessToTrajectory(const Principal& p, const TrajectoryFacts& t) {
  if (!HasCaseRole(p)) return TrajectoryAccess::kNone;
  if (p.HasRole(Role::kConsultant) && WorksIn(p, t.team)) return TrajectoryAccess::kFull;
  // Break-glass widens the relations, never the role limits: it counts the
  // caller as involved (as a party to an accepted handover), and involved
  // roles other than the owning team's consultants read the summary.
  if (p.HasBreakGlass(t.resident_id)) return TrajectoryAccess::kSummary;
  if (WorksInAny(p, t.accepted_handover_teams)) return TrajectoryAccess::kSummary;
  return TrajectoryAccess::kNone;
}

void ApplyTrajectoryFields(const Principal& p, TrajectoryAccess access, domain::Trajectory& t,
                           std::vector<domain::Measurement>& measurements,
                           std::vector<domain::StepDetail>& steps) {
  if (access == TrajectoryAccess::kFull) return;
  t.goal.clear();
  t.close_reason.clear();
  t.bijstand_since.clear();
  measurements.clear();
  steps.erase(std::remove_if(steps.begin(), steps.end(),
                             [&p, access](const domain::StepDetail& s) {
                               return access == TrajectoryAccess::kNone ||
                                      !WorksIn(p, {s.handover_to_organisation,
                                                   s.handover_to_team});
                             }),
              steps.end());
}

Decision CanChangeTrajectory(const Principal& p, const TrajectoryFacts& t) {
  if (p.HasRole(Role::kConsultant) && WorksIn(p, t.team)) {
    return {true, "consultants of the owning team keep its trajectories"};
  }
  return {false, "only consultants of the owning team change a trajectory"};
}

bool CanReadNote(const Principal& p, const NoteFacts& n,
                 std::initializer_list<TeamRef> involved_teams) {
  switch (n.visibility) {
    case domain::NoteVisibility::kInvolved:
      return true;
    case domain::NoteVisibility::kOwnOrganisation:
      return p.professional.organisation_id == n.author_organisation_id;
    case domain::NoteVisibility::kHealth:
      // As CanReadSignalContent: break-glass makes a ggz worker involved.
      return p.professional.id == n.author_id ||
             (p.HasRole(Role::kGgz) &&
              (IsInvolved(p, involved_teams) ||
               (!n.resident_id.empty() && p.HasBreakGlass(n.resident_id))));
  }
  return false;
}

}  // namespace schakel::auth
