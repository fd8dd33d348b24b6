// The policy matrix extended to field views: for every role, relation to
// the signal and sensitivity, which fields of the signal, which of its notes
// and which of its timeline events the caller sees. The expectation is
// written here from DESIGN's table and its two limits, independently of
// policy.cc, and compared field by field with what the access module shows.
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "server/auth/policy.h"

namespace schakel::auth {
namespace {

using domain::Role;
using domain::Sensitivity;

// The caller's relation to the signal. The relations go by team
// (design.md, "Teams"): another team of the caller's own organisation that
// wrote or owns the signal makes the caller no more involved than another
// organisation does.
enum class Relation {
  kAuthorSelf,
  kAuthorTeam,
  kOwnerTeam,
  kAuthorOtherTeam,  // the author's organisation, another team of it
  kOwnerOtherTeam,   // the owner organisation, another team of it
  kBreakGlass,
  kNone,
};
constexpr Relation kRelations[] = {Relation::kAuthorSelf,      Relation::kAuthorTeam,
                                   Relation::kOwnerTeam,       Relation::kAuthorOtherTeam,
                                   Relation::kOwnerOtherTeam,  Relation::kBreakGlass,
                                   Relation::kNone};
const char* Name(Relation r) {
  switch (r) {
    case Relation::kAuthorSelf: return "author";
    case Relation::kAuthorTeam: return "author-team";
    case Relation::kOwnerTeam: return "owner-team";
    case Relation::kAuthorOtherTeam: return "author-organisation-other-team";
    case Relation::kOwnerOtherTeam: return "owner-organisation-other-team";
    case Relation::kBreakGlass: return "break-glass";
    case Relation::kNone: return "uninvolved";
  }
  return "?";
}

constexpr Role kRoles[] = {Role::kRegisseur, Role::kConsultant, Role::kBridgeOfficer,
                           Role::kGgz,       Role::kPartner,    Role::kAuditor,
                           Role::kAdmin,     Role::kAnalyst,    Role::kPrivacyOfficer};
constexpr Sensitivity kSensitivities[] = {Sensitivity::kNormal, Sensitivity::kSensitive,
                                          Sensitivity::kHealth, Sensitivity::kJustice};

// --- The expectation, from DESIGN --------------------------------------------

bool CaseRole(Role r) {
  return r == Role::kRegisseur || r == Role::kConsultant || r == Role::kBridgeOfficer ||
         r == Role::kGgz || r == Role::kPartner;
}
// Involved: author, author or owner team, or (break-glass) counted as
// involved. Another team of the same organisation is not.
bool Involved(Relation rel) {
  return rel == Relation::kAuthorSelf || rel == Relation::kAuthorTeam ||
         rel == Relation::kOwnerTeam || rel == Relation::kBreakGlass;
}
bool ExpectVisible(Role role, Relation rel, Sensitivity s) {
  if (!CaseRole(role)) return false;
  if (Involved(rel)) return true;
  return role == Role::kRegisseur && s != Sensitivity::kJustice;
}
// The health limit: description and notes of a health signal only for its
// author and ggz of involved organisations (break-glass makes involved,
// never lifts the role limit).
bool ExpectFull(Role role, Relation rel, Sensitivity s) {
  if (s != Sensitivity::kHealth) return true;
  if (rel == Relation::kAuthorSelf) return true;
  return role == Role::kGgz && Involved(rel);
}

// --- The record under test ----------------------------------------------------

constexpr char kMe[] = "p-me";
constexpr char kMyOrg[] = "org-me";
constexpr char kMyTeam[] = "team-me";

domain::Signal SignalFor(Relation rel, Sensitivity s) {
  domain::Signal sig;
  sig.id = "s1";
  sig.category = "CAT";
  sig.opgave = "OPG";
  sig.sensitivity = s;
  sig.wijk = "prinsenhof";
  sig.place = "Hoek Prinsenhoflaan 3";
  sig.description = "what happened";
  sig.resident_id = "r1";
  sig.urgency = domain::Urgency::kAcute;
  sig.owner_organisation_id = "org-owner";
  sig.owner_team = "team-owner";
  sig.status = domain::SignalStatus::kInProgress;
  sig.author_id = "p-author";
  sig.author_organisation_id = "org-author";
  sig.author_team = "team-author";
  sig.create_time = absl::FromUnixSeconds(1000);
  sig.update_time = absl::FromUnixSeconds(2000);
  sig.version = 3;
  switch (rel) {
    case Relation::kAuthorSelf:
      sig.author_id = kMe;
      sig.author_organisation_id = kMyOrg;
      sig.author_team = kMyTeam;
      break;
    case Relation::kAuthorTeam:
      sig.author_organisation_id = kMyOrg;
      sig.author_team = kMyTeam;
      break;
    case Relation::kOwnerTeam:
      sig.owner_organisation_id = kMyOrg;
      sig.owner_team = kMyTeam;
      break;
    case Relation::kAuthorOtherTeam: sig.author_organisation_id = kMyOrg; break;
    case Relation::kOwnerOtherTeam: sig.owner_organisation_id = kMyOrg; break;
    case Relation::kBreakGlass:
    case Relation::kNone: break;
  }
  return sig;
}

Principal Caller(Role role, Relation rel) {
  Principal p;
  p.professional.id = kMe;
  p.professional.organisation_id = kMyOrg;
  p.professional.teams = {kMyTeam, "team-me-too"};
  p.professional.roles = {role};
  p.now = absl::FromUnixSeconds(3000);
  if (rel == Relation::kBreakGlass) p.break_glass_residents = {{"r1", absl::InfiniteFuture()}};
  return p;
}

struct Field {
  const char* name;
  bool shown_when_limited;  // DESIGN: id, category, wijk, status, owner and dates
  std::function<bool(const domain::Signal&)> present;
};
const std::vector<Field>& Fields() {
  static const auto* fields = new std::vector<Field>{
      {"id", true, [](const domain::Signal& s) { return !s.id.empty(); }},
      {"category", true, [](const domain::Signal& s) { return !s.category.empty(); }},
      {"opgave", true, [](const domain::Signal& s) { return !s.opgave.empty(); }},
      {"wijk", true, [](const domain::Signal& s) { return !s.wijk.empty(); }},
      {"status", true,
       [](const domain::Signal& s) { return s.status == domain::SignalStatus::kInProgress; }},
      {"owner", true, [](const domain::Signal& s) { return !s.owner_organisation_id.empty(); }},
      {"owner_team", true, [](const domain::Signal& s) { return !s.owner_team.empty(); }},
      {"create_time", true,
       [](const domain::Signal& s) { return s.create_time == absl::FromUnixSeconds(1000); }},
      {"update_time", true,
       [](const domain::Signal& s) { return s.update_time == absl::FromUnixSeconds(2000); }},
      {"version", true, [](const domain::Signal& s) { return s.version == 3; }},
      {"place", false, [](const domain::Signal& s) { return !s.place.empty(); }},
      {"description", false, [](const domain::Signal& s) { return !s.description.empty(); }},
      {"resident_id", false, [](const domain::Signal& s) { return !s.resident_id.empty(); }},
      {"urgency", false,
       [](const domain::Signal& s) { return s.urgency == domain::Urgency::kAcute; }},
      {"author_id", false, [](const domain::Signal& s) { return !s.author_id.empty(); }},
      {"author_organisation_id", false,
       [](const domain::Signal& s) { return !s.author_organisation_id.empty(); }},
      {"author_team", false, [](const domain::Signal& s) { return !s.author_team.empty(); }},
  };
  return *fields;
}

TEST(FieldViewTest, EveryRoleRelationAndSensitivitySeesExactlyTheFieldsDesignAllows) {
  int checked = 0;
  for (Role role : kRoles) {
    for (Relation rel : kRelations) {
      for (Sensitivity sens : kSensitivities) {
        const std::string cell = absl::StrCat(domain::RoleName(role), " / ", Name(rel), " / ",
                                              domain::SensitivityName(sens));
        const Principal p = Caller(role, rel);
        domain::Signal sig = SignalFor(rel, sens);
        const SignalFacts facts{sig.author_id,
                                {sig.author_organisation_id, sig.author_team},
                                {sig.owner_organisation_id, sig.owner_team},
                                sig.sensitivity,
                                sig.resident_id};
        const bool visible = CanReadSignal(p, facts);
        ASSERT_EQ(visible, ExpectVisible(role, rel, sens)) << cell;
        if (!visible) continue;
        const bool full = ExpectFull(role, rel, sens);
        const SignalFields view = SignalFieldView(p, facts);
        EXPECT_EQ(view == SignalFields::kFull, full) << cell;
        ApplySignalFields(view, sig);
        for (const Field& f : Fields()) {
          EXPECT_EQ(f.present(sig), full || f.shown_when_limited) << cell << ": " << f.name;
          ++checked;
        }
      }
    }
  }
  EXPECT_GT(checked, 500);
}

// Notes and timeline of a visible signal: each note by its visibility, the
// timeline without a trace of what is hidden.
TEST(FieldViewTest, NotesAndTimelineShowOnlyWhatTheFieldViewAndTheNotesAllow) {
  for (Role role : kRoles) {
    if (!CaseRole(role)) continue;
    for (Relation rel : kRelations) {
      for (Sensitivity sens : kSensitivities) {
        if (!ExpectVisible(role, rel, sens)) continue;
        const std::string cell = absl::StrCat(domain::RoleName(role), " / ", Name(rel), " / ",
                                              domain::SensitivityName(sens));
        const Principal p = Caller(role, rel);
        const domain::Signal sig = SignalFor(rel, sens);
        const SignalFacts facts{sig.author_id,
                                {sig.author_organisation_id, sig.author_team},
                                {sig.owner_organisation_id, sig.owner_team},
                                sig.sensitivity,
                                sig.resident_id};
        const bool full = ExpectFull(role, rel, sens);
        // Notes by the signal's author, one of each visibility.
        std::vector<domain::Note> notes;
        for (auto [id, visibility] :
             {std::pair<const char*, domain::NoteVisibility>{"n-inv",
                                                             domain::NoteVisibility::kInvolved},
              {"n-own", domain::NoteVisibility::kOwnOrganisation},
              {"n-health", domain::NoteVisibility::kHealth}}) {
          domain::Note n;
          n.id = id;
          n.parent_id = sig.id;
          n.author_id = sig.author_id;
          n.author_organisation_id = sig.author_organisation_id;
          n.visibility = visibility;
          n.text = "text";
          notes.push_back(n);
        }
        std::vector<domain::SignalEvent> timeline;
        auto event = [&](domain::SignalEventKind kind) {
          domain::SignalEvent e;
          e.kind = kind;
          e.actor_id = sig.author_id;
          e.actor_organisation_id = sig.author_organisation_id;
          return e;
        };
        timeline.push_back(event(domain::SignalEventKind::kCreated));
        for (const domain::Note& n : notes) {
          domain::SignalEvent e = event(domain::SignalEventKind::kNoteAdded);
          e.note_id = n.id;
          timeline.push_back(e);
        }
        // A handover to the caller's team, one to another team of the
        // caller's organisation, and one between others.
        domain::SignalEvent to_me = event(domain::SignalEventKind::kHandoverLinked);
        to_me.handover_id = "h-mine";
        to_me.handover_from_organisation_id = "org-x";
        to_me.handover_from_team = "intake";
        to_me.handover_to_organisation_id = kMyOrg;
        to_me.handover_to_team = kMyTeam;
        to_me.handover_resident_id = "r1";
        domain::SignalEvent other_team = to_me;
        other_team.handover_id = "h-other-team";
        other_team.handover_to_team = "team-other";
        domain::SignalEvent others = to_me;
        others.handover_id = "h-others";
        others.handover_to_organisation_id = "org-y";
        others.handover_to_team = "intake";
        timeline.push_back(to_me);
        timeline.push_back(other_team);
        timeline.push_back(others);

        ApplySignalDetailFields(p, facts, full ? SignalFields::kFull : SignalFields::kLimited,
                                notes, timeline);

        // Expected notes.
        const bool same_org_as_author = sig.author_organisation_id == kMyOrg;
        std::vector<std::string> want_notes;
        if (full) {
          want_notes.push_back("n-inv");
          if (same_org_as_author) want_notes.push_back("n-own");
          if (rel == Relation::kAuthorSelf || (role == Role::kGgz && Involved(rel))) {
            want_notes.push_back("n-health");
          }
        }
        std::vector<std::string> got_notes;
        for (const auto& n : notes) got_notes.push_back(n.id);
        EXPECT_EQ(got_notes, want_notes) << cell;

        // Expected timeline.
        std::vector<std::string> want_events = {"created"};
        for (const std::string& n : want_notes) want_events.push_back(n);
        if (full) {
          want_events.push_back("h-mine");
          if (rel == Relation::kBreakGlass) {
            want_events.push_back("h-other-team");
            want_events.push_back("h-others");
          }
        }
        std::vector<std::string> got_events;
        for (const auto& e : timeline) {
          if (e.kind == domain::SignalEventKind::kNoteAdded) {
            got_events.push_back(e.note_id);
          } else if (e.kind == domain::SignalEventKind::kHandoverLinked) {
            got_events.push_back(e.handover_id);
          } else {
            got_events.push_back(domain::SignalEventKindName(e.kind));
          }
          EXPECT_EQ(e.actor_id.empty(), !full) << cell << ": the actor shows only in full";
        }
        EXPECT_EQ(got_events, want_events) << cell;
      }
    }
  }
}

// A trajectory's summary: the latest rung is computed before; of the record
// only what the summary shows.
TEST(FieldViewTest, ATrajectorySummaryShowsOnlyTheStepsReferredToTheCaller) {
  Principal p = Caller(Role::kPartner, Relation::kNone);
  for (TrajectoryAccess access :
       {TrajectoryAccess::kFull, TrajectoryAccess::kSummary, TrajectoryAccess::kNone}) {
    domain::Trajectory t;
    t.goal = "goal";
    t.close_reason = "reason";
    t.bijstand_since = "2020-01-01";
    std::vector<domain::Measurement> m(2);
    // Referred to the caller's team, to another team of the caller's
    // organisation, and to another organisation.
    std::vector<domain::StepDetail> steps(3);
    steps[0].handover_to_organisation = kMyOrg;
    steps[0].handover_to_team = kMyTeam;
    steps[1].handover_to_organisation = kMyOrg;
    steps[1].handover_to_team = "team-other";
    steps[2].handover_to_organisation = "org-other";
    steps[2].handover_to_team = kMyTeam;
    ApplyTrajectoryFields(p, access, t, m, steps);
    const bool full = access == TrajectoryAccess::kFull;
    EXPECT_EQ(t.goal.empty(), !full);
    EXPECT_EQ(t.close_reason.empty(), !full);
    EXPECT_EQ(t.bijstand_since.empty(), !full);
    EXPECT_EQ(m.size(), full ? 2u : 0u);
    EXPECT_EQ(steps.size(), full ? 3u : access == TrajectoryAccess::kSummary ? 1u : 0u);
    if (access == TrajectoryAccess::kSummary) {
      EXPECT_EQ(steps[0].handover_to_organisation, kMyOrg);
      EXPECT_EQ(steps[0].handover_to_team, kMyTeam);
    }
  }
}

}  // namespace
}  // namespace schakel::auth
