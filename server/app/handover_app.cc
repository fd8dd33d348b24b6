#include "server/app/handover_app.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/app/case_context.h"
#include "server/store/reference_store.h"
#include "server/store/resident_store.h"
#include "server/common/status_macros.h"
#include "server/domain/calendar.h"
#include "server/domain/page_token.h"
#include "server/domain/text.h"

namespace schakel::app {
namespace {

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 100;
constexpr int kExpiryBatch = 500;

const char* ListName(domain::HandoverBox box) { return box == domain::HandoverBox::kInbox ? "inbox" : "outbox"; }

// The ids a handover view names.
void NamesOf(const HandoverView& v, domain::NameRequest& r) {
  const domain::Handover& h = v.handover;
  r.Resident(h.resident_id);
  r.Professional(h.sender_id);
  r.Professional(h.receiver_id);
  r.Organisation(h.from_organisation_id);
  r.Organisation(h.to_organisation_id);
  for (const domain::Note& n : v.notes) app::NamesOf(n, r);
}

}  // namespace

absl::StatusOr<HandoverView> HandoverApp::Named(const auth::Principal& caller, HandoverView v) {
  domain::NameRequest request;
  NamesOf(v, request);
  ASSIGN_OR_RETURN(v.names, LookUpNames(*uow_, caller, request));
  return v;
}

HandoverView HandoverApp::View(domain::Handover h) const {
  HandoverView v;
  absl::CivilDay today = domain::DayOf(clock_->Now());
  v.due_soon = domain::IsDueSoon(h, today);
  v.overdue = domain::IsOverdue(h, today);
  v.handover = std::move(h);
  return v;
}

absl::StatusOr<HandoverView> HandoverApp::Propose(const auth::Principal& caller,
                                                  const domain::NewHandover& r,
                                                  audit::Trail& trail) {
  trail.Concerns("handover", "");
  trail.entry.request_id = r.request_id;
  trail.AddResident(r.resident_id.size() <= 64 ? r.resident_id : "");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kUseCaseData).ToStatus());
  const absl::Time now = clock_->Now();
  const absl::CivilDay today = domain::DayOf(now);
  RETURN_IF_ERROR(domain::ValidateNewHandover(r, today));
  ASSIGN_OR_RETURN(const std::string from_team, auth::ActingTeam(caller, r.team));
  domain::Handover h;
  h.id = ids_->NewId("h");
  h.resident_id = r.resident_id;
  h.from_organisation_id = caller.professional.organisation_id;
  h.from_team = from_team;
  h.sender_id = caller.professional.id;
  h.to_organisation_id = r.to_organisation_id;
  h.reason = r.reason;
  h.signal_id = r.signal_id;
  h.basis = *r.basis;
  if (h.basis.kind == domain::BasisKind::kConsent) {
    if (h.basis.consent_date.empty()) h.basis.consent_date = domain::FormatDate(today);
    h.basis.consent_recorded_by = caller.professional.id;
  }
  h.deadline = domain::ResponseDeadline(today, r.response_days);
  h.status = domain::HandoverStatus::kProposed;
  h.create_time = now;
  h.update_time = now;
  h.version = 1;
  // The resident and the signal are checked with the caller's reading
  // rights; the handover itself with its parties.
  trail.Concerns("handover", h.id);
  const store::CreateRequest request = MakeCreateRequest(caller, "ProposeHandover", r.request_id,
                                                         domain::RequestFingerprint(r));
  const auth::ListScope scope = auth::ScopeOf(caller);
  domain::Handover created;
  RETURN_IF_ERROR(uow_->Run(trail, [&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(bool replayed,
                     ReplayCreated(tx, request, "handover",
                                   [&](const std::string& id) { return store_->Find(tx, id, scope); },
                                   created));
    if (replayed) {
      trail.Concerns("handover", created.id);
      return absl::OkStatus();
    }
    // Addressed to a team, or to the organisation: then its intake team
    // receives it (and may pass it on: Forward).
    ASSIGN_OR_RETURN(h.to_team, store::ResolveTeam(tx, "to_organisation_id", h.to_organisation_id,
                                                   "to_team", r.to_team));
    RETURN_IF_ERROR(domain::CheckHandoverParties(h.from_organisation_id, h.from_team,
                                                 h.to_organisation_id, h.to_team));
    // What the sending team may read, not every team of the sender.
    const auth::ListScope acting = auth::ScopeActingFor(caller, h.from_team);
    RETURN_IF_ERROR(store::CheckResidentVisible(tx, "resident_id", h.resident_id, acting));
    if (!h.signal_id.empty()) {
      ASSIGN_OR_RETURN(std::optional<domain::Signal> s, signals_->Find(tx, h.signal_id, acting));
      if (!s) return absl::NotFoundError(absl::StrCat("signal_id: no signal ", h.signal_id));
      if (!s->resident_id.empty() && s->resident_id != h.resident_id) {
        return absl::InvalidArgumentError(
            "signal_id: the signal is about another resident than the handover");
      }
    }
    RETURN_IF_ERROR(store_->Insert(tx, h));
    if (!h.signal_id.empty()) {
      domain::SignalEvent e;
      e.kind = domain::SignalEventKind::kHandoverLinked;
      e.time = h.create_time;
      e.actor_id = h.sender_id;
      e.actor_organisation_id = h.from_organisation_id;
      e.handover_id = h.id;
      RETURN_IF_ERROR(signals_->AppendEvent(tx, h.signal_id, e));
    }
    RETURN_IF_ERROR(store::RecordCreated(tx, request, h.id, h.create_time));
    RETURN_IF_ERROR(
        notifier_->Handover(tx, domain::NotificationKind::kHandoverProposed, h, h.sender_id, now)
            .status());
    created = h;
    return absl::OkStatus();
  }));
  return Named(caller, View(std::move(created)));
}

absl::StatusOr<HandoverView> HandoverApp::Get(const auth::Principal& caller,
                                              const std::string& id, audit::Trail& trail) {
  trail.Concerns("handover", id);
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kReadCaseData).ToStatus());
  RETURN_IF_ERROR(domain::ValidateId("id", id));
  ASSIGN_OR_RETURN(store::HandoverDetail d, store_->Get(id, auth::ScopeOf(caller)));
  trail.AddResident(d.handover.resident_id);
  const auth::HandoverFacts facts = auth::FactsOf(d.handover);
  HandoverView v = View(std::move(d.handover));
  auth::ApplyHandoverDetailFields(caller, facts, d.notes);
  v.notes = std::move(d.notes);
  return Named(caller, std::move(v));
}

absl::StatusOr<HandoverList> HandoverApp::List(const auth::Principal& caller, domain::HandoverBox box,
                                               std::optional<domain::HandoverStatus> status,
                                               const std::string& resident_id, int page_size,
                                               const std::string& page_token,
                                               audit::Trail& trail) {
  trail.Concerns("handover", "");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kReadCaseData).ToStatus());
  ASSIGN_OR_RETURN(int limit, domain::ResolvePageSize(page_size, kDefaultPageSize, kMaxPageSize));
  const PageScope scope{ListName(box), caller.professional.id,
                        FilterText({status ? domain::HandoverStatusName(*status) : "",
                                    resident_id})};
  ASSIGN_OR_RETURN(std::string key, tokens_->Open(scope, page_token));
  if (!resident_id.empty()) RETURN_IF_ERROR(domain::ValidateId("resident_id", resident_id));
  std::string after_deadline;
  int64_t after_seq = 0;
  if (!key.empty()) {
    std::vector<std::string> parts = absl::StrSplit(key, '/');
    if (parts.size() != 2 || !domain::ParseDate("page_token", parts[0]).ok() ||
        !absl::SimpleAtoi(parts[1], &after_seq)) {
      return absl::InvalidArgumentError("page_token: not a token from this list");
    }
    after_deadline = parts[0];
  }
  ASSIGN_OR_RETURN(store::HandoverPage page, store_->List(box, auth::ScopeOf(caller), status,
                                                          resident_id, after_deadline, after_seq,
                                                          limit));
  HandoverList out;
  domain::NameRequest request;
  for (domain::Handover& h : page.handovers) {
    trail.AddResident(h.resident_id);
    out.handovers.push_back(View(std::move(h)));
    NamesOf(out.handovers.back(), request);
  }
  ASSIGN_OR_RETURN(std::shared_ptr<const domain::Names> names,
                   LookUpNames(*uow_, caller, request));
  for (HandoverView& v : out.handovers) v.names = names;
  if (page.more) {
    ASSIGN_OR_RETURN(out.next_page_token,
                     tokens_->Seal(scope, absl::StrCat(page.last_deadline, "/", page.last_seq)));
  }
  return out;
}

absl::StatusOr<std::optional<domain::Handover>> HandoverApp::FindForUpdate(
    Transaction& tx, const std::string& id, const std::string& etag,
    const auth::ListScope& scope, audit::Trail& trail) {
  // Decided before anything else is read: not a party, not found.
  ASSIGN_OR_RETURN(std::optional<domain::Handover> current, store_->Find(tx, id, scope));
  if (!current) return absl::NotFoundError(absl::StrCat("handover ", id, " not found"));
  trail.AddResident(current->resident_id);
  RETURN_IF_ERROR(CheckEtagCurrent("handover", etag, domain::HandoverEtag(current->version)));
  return current;
}

absl::StatusOr<HandoverView> HandoverApp::Act(const auth::Principal& caller, const std::string& id,
                                              const std::string& etag,
                                              const domain::HandoverActionInput& in,
                                              audit::Trail& trail) {
  trail.Concerns("handover", id.size() <= 64 ? id : "");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kUseCaseData).ToStatus());
  RETURN_IF_ERROR(domain::ValidateId("id", id));
  RETURN_IF_ERROR(CheckEtag(etag));
  const absl::Time now = clock_->Now();
  const auth::ListScope scope = auth::ScopeOf(caller);
  domain::Handover updated;
  RETURN_IF_ERROR(uow_->Run(trail, [&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(std::optional<domain::Handover> current,
                     FindForUpdate(tx, id, etag, scope, trail));
    ASSIGN_OR_RETURN(domain::Handover next,
                     domain::ApplyHandoverAction(*current, in,
                                                 auth::PartyOf(caller, auth::FactsOf(*current)),
                                                 caller.professional.id, domain::DayOf(now), now));
    next.version = current->version + 1;
    RETURN_IF_ERROR(store_->Replace(tx, next));
    if (std::optional<domain::NotificationKind> kind = domain::NotificationForAction(in.action)) {
      RETURN_IF_ERROR(notifier_->Handover(tx, *kind, next, caller.professional.id, now).status());
    }
    updated = std::move(next);
    return absl::OkStatus();
  }));
  return Named(caller, View(std::move(updated)));
}

absl::StatusOr<HandoverView> HandoverApp::Forward(const auth::Principal& caller,
                                                  const std::string& id, const std::string& etag,
                                                  const std::string& to_team,
                                                  audit::Trail& trail) {
  trail.Concerns("handover", id.size() <= 64 ? id : "");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kUseCaseData).ToStatus());
  RETURN_IF_ERROR(domain::ValidateId("id", id));
  RETURN_IF_ERROR(CheckEtag(etag));
  if (to_team.empty()) return absl::InvalidArgumentError("to_team: required");
  RETURN_IF_ERROR(domain::ValidateTeamId("to_team", to_team));
  const absl::Time now = clock_->Now();
  const auth::ListScope scope = auth::ScopeOf(caller);
  domain::Handover updated;
  RETURN_IF_ERROR(uow_->Run(trail, [&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(std::optional<domain::Handover> current,
                     FindForUpdate(tx, id, etag, scope, trail));
    const std::optional<domain::Party> party = auth::PartyOf(caller, auth::FactsOf(*current));
    ASSIGN_OR_RETURN(const std::string team,
                     store::ResolveTeam(tx, "to_organisation_id", current->to_organisation_id,
                                        "to_team", to_team));
    ASSIGN_OR_RETURN(domain::Handover next, domain::ForwardHandover(*current, party, team,
                                                                    domain::DayOf(now), now));
    next.version = current->version + 1;
    trail.entry.reason = absl::StrCat("passed on from team ", current->to_team, " to team ", team,
                                      " of ", current->to_organisation_id);
    RETURN_IF_ERROR(store_->Replace(tx, next));
    // The team it was passed on to is told as if it had been proposed to it.
    RETURN_IF_ERROR(notifier_
                        ->Handover(tx, domain::NotificationKind::kHandoverProposed, next,
                                   caller.professional.id, now)
                        .status());
    updated = std::move(next);
    return absl::OkStatus();
  }));
  return Named(caller, View(std::move(updated)));
}

absl::StatusOr<domain::Note> HandoverApp::AddNote(const auth::Principal& caller,
                                                  const domain::NewNote& r, audit::Trail& trail) {
  trail.Concerns("handover", r.parent_id.size() <= 64 ? r.parent_id : "");
  trail.entry.request_id = r.request_id;
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kUseCaseData).ToStatus());
  RETURN_IF_ERROR(domain::ValidateNewNote(r, "handover_id"));
  const domain::Note note = NoteBy(caller, r, ids_->NewId("n"), clock_->Now());
  const store::CreateRequest request =
      MakeCreateRequest(caller, "AddHandoverNote", r.request_id, domain::RequestFingerprint(r));
  const auth::ListScope scope = auth::ScopeOf(caller);
  domain::Note added;
  RETURN_IF_ERROR(uow_->Run(trail, [&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(bool replayed,
                     ReplayCreated(tx, request, "note",
                                   [&](const std::string& id) { return store_->FindNote(tx, id); },
                                   added));
    if (replayed) return absl::OkStatus();
    ASSIGN_OR_RETURN(std::optional<domain::Handover> h, store_->Find(tx, note.parent_id, scope));
    if (!h) return absl::NotFoundError(absl::StrCat("handover_id: no handover ", note.parent_id));
    trail.AddResident(h->resident_id);
    RETURN_IF_ERROR(store_->InsertNote(tx, note));
    RETURN_IF_ERROR(store::RecordCreated(tx, request, note.id, note.create_time));
    added = note;
    return absl::OkStatus();
  }));
  return added;
}

absl::StatusOr<int> HandoverApp::ExpireDue() {
  const absl::Time now = clock_->Now();
  const absl::CivilDay today = domain::DayOf(now);
  ASSIGN_OR_RETURN(std::vector<domain::Handover> due, store_->ListPastDeadline(today, kExpiryBatch));
  int expired = 0;
  for (const domain::Handover& h : due) {
    domain::HandoverActionInput in;
    in.action = domain::HandoverAction::kExpire;
    auto next = domain::ApplyHandoverAction(h, in, std::nullopt, "", today, now);
    if (!next.ok()) continue;
    audit::Trail trail = ClockTrail(now, "clock.ExpireHandover", "deadline passed", "handover",
                                    h.id, next->resident_id);
    absl::Status saved = uow_->Run(trail, [&](Transaction& tx) -> absl::Status {
      RETURN_IF_ERROR(store_->Replace(tx, *next));
      RETURN_IF_ERROR(
          notifier_->Handover(tx, domain::NotificationKind::kHandoverExpired, *next, "", now)
              .status());
      return notifier_->Handover(tx, domain::NotificationKind::kHandoverOverdue, *next, "", now)
          .status();
    });
    // A concurrent action got there first: that one stands.
    if (saved.code() == absl::StatusCode::kAborted) continue;
    RETURN_IF_ERROR(saved);
    ++expired;
  }
  return expired;
}

absl::StatusOr<int> HandoverApp::RemindDueSoon() {
  const absl::Time now = clock_->Now();
  const absl::CivilDay today = domain::DayOf(now);
  ASSIGN_OR_RETURN(std::vector<domain::Handover> due,
                   store_->ListProposedDueBy(today, domain::AddWorkingDays(today, 1),
                                             kExpiryBatch));
  int made = 0;
  for (const domain::Handover& h : due) {
    // A reminder changes no case data and reads none for anyone: it is
    // recorded as the clock's, like an expiry, with the handover's resident.
    audit::Trail trail = ClockTrail(now, "clock.RemindHandoverDue",
                                    "deadline within one working day", "handover", h.id,
                                    h.resident_id);
    int told = 0;
    RETURN_IF_ERROR(uow_->RunIfChanged(trail, [&](Transaction& tx) -> absl::StatusOr<bool> {
      ASSIGN_OR_RETURN(std::vector<std::string> recipients,
                       notifier_->Handover(tx, domain::NotificationKind::kHandoverDueSoon, h, "",
                                           now, /*once=*/true));
      told = static_cast<int>(recipients.size());
      return told > 0;
    }));
    made += told;
  }
  return made;
}

}  // namespace schakel::app
