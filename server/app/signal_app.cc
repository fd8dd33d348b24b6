#include "server/app/signal_app.h"

#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "server/app/case_context.h"
#include "server/store/reference_store.h"
#include "server/store/resident_store.h"
#include "server/common/status_macros.h"
#include "server/domain/page_token.h"
#include "server/domain/text.h"

namespace schakel::app {
namespace {

constexpr char kSignalList[] = "signals";
constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 100;

// A timeline event of `kind` by the caller at `now`.
domain::SignalEvent EventBy(const auth::Principal& caller, domain::SignalEventKind kind,
                           absl::Time now) {
  domain::SignalEvent e;
  e.kind = kind;
  e.time = now;
  e.actor_id = caller.professional.id;
  e.actor_organisation_id = caller.professional.organisation_id;
  return e;
}


// The ids a signal view names (after its field view).
void NamesOf(const SignalView& v, domain::NameRequest& r) {
  r.Professional(v.signal.author_id);
  r.Organisation(v.signal.author_organisation_id);
  r.Organisation(v.signal.owner_organisation_id);
  r.Resident(v.signal.resident_id);
  for (const domain::SignalEvent& e : v.timeline) {
    r.Professional(e.actor_id);
    r.Organisation(e.actor_organisation_id);
    r.Organisation(e.owner_organisation_id);
  }
  for (const domain::Note& n : v.notes) app::NamesOf(n, r);
}

}  // namespace

SignalView SignalApp::View(const auth::Principal& caller, domain::Signal signal) const {
  SignalView v;
  const auth::SignalFields fields = auth::SignalFieldView(caller, auth::FactsOf(signal));
  v.content_withheld = fields == auth::SignalFields::kLimited;
  auth::ApplySignalFields(fields, signal);
  v.signal = std::move(signal);
  return v;
}

absl::StatusOr<domain::Signal> SignalApp::Change(const auth::Principal& caller,
                                                 const std::string& id, const std::string& etag,
                                                 audit::Trail& trail, const Mutation& mutate) {
  const auth::ListScope scope = auth::ScopeOf(caller);
  domain::Signal result;
  RETURN_IF_ERROR(uow_->Run(trail, [&](Transaction& tx) -> absl::Status {
    // Decided before anything of the signal is loaded: a signal the caller
    // may not read is not found, exactly like a missing one.
    ASSIGN_OR_RETURN(std::optional<domain::Signal> found, store_->Find(tx, id, scope));
    if (!found) return absl::NotFoundError(absl::StrCat("id: no signal ", id));
    const domain::Signal& current = *found;
    trail.AddResident(current.resident_id);
    RETURN_IF_ERROR(CheckEtagCurrent("signal", etag, domain::SignalEtag(current.version)));
    ASSIGN_OR_RETURN(SignalChange change, mutate(current));
    domain::Signal& next = change.signal;
    next.version = current.version + 1;
    // A new owner: the team asked for (next.owner_team) or, when none, the
    // organisation's intake team.
    bool new_owner = false;
    if (next.owner_organisation_id != current.owner_organisation_id ||
        next.owner_team != current.owner_team) {
      ASSIGN_OR_RETURN(next.owner_team,
                       store::ResolveTeam(tx, "owner_organisation_id", next.owner_organisation_id,
                                          "owner_team", next.owner_team));
      change.event.owner_team = next.owner_team;
      new_owner = next.owner_organisation_id != current.owner_organisation_id ||
                  next.owner_team != current.owner_team;
    }
    RETURN_IF_ERROR(store_->Replace(tx, next, current.version));
    RETURN_IF_ERROR(store_->AppendEvent(tx, id, change.event));
    if (new_owner) {
      RETURN_IF_ERROR(
          notifier_->SignalAssigned(tx, next, caller.professional.id, next.update_time).status());
    }
    result = next;
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<SignalView> SignalApp::Create(const auth::Principal& caller,
                                             const domain::NewSignal& r, audit::Trail& trail) {
  trail.Concerns("signal", "");
  trail.entry.request_id = r.request_id;
  trail.AddResident(r.resident_id);
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kUseCaseData).ToStatus());
  RETURN_IF_ERROR(domain::ValidateRequestId("request_id", r.request_id));
  std::optional<domain::SignalCategory> category;
  if (!r.category.empty() && domain::ValidateId("category", r.category).ok()) {
    ASSIGN_OR_RETURN(category, reference_->FindCategory(r.category));
  }
  RETURN_IF_ERROR(domain::ValidateNewSignal(r, category));
  ASSIGN_OR_RETURN(const std::string author_team, auth::ActingTeam(caller, r.team));
  const absl::Time now = clock_->Now();
  domain::Signal s;
  s.id = ids_->NewId("s");
  s.category = r.category;
  s.opgave = category->opgave;
  s.sensitivity = category->sensitivity;
  s.wijk = r.wijk;
  s.place = r.place;
  s.description = r.description;
  s.resident_id = r.resident_id;
  s.urgency = r.urgency;
  s.owner_organisation_id = r.owner_organisation_id;
  s.status = domain::SignalStatus::kOpen;
  s.author_id = caller.professional.id;
  s.author_organisation_id = caller.professional.organisation_id;
  s.author_team = author_team;
  s.create_time = now;
  s.update_time = now;
  s.version = 1;
  trail.Concerns("signal", s.id);
  const store::CreateRequest request = MakeCreateRequest(caller, "CreateSignal", r.request_id,
                                                         domain::RequestFingerprint(r));
  const auth::ListScope scope = auth::ScopeOf(caller);
  domain::Signal created;
  RETURN_IF_ERROR(uow_->Run(trail, [&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(bool replayed,
                     ReplayCreated(tx, request, "signal",
                                   [&](const std::string& id) { return store_->Find(tx, id, scope); },
                                   created));
    if (replayed) {
      trail.Concerns("signal", created.id);
      trail.AddResident(created.resident_id);
      return absl::OkStatus();
    }
    RETURN_IF_ERROR(store::CheckWijk(tx, "wijk", s.wijk));
    if (!s.owner_organisation_id.empty()) {
      ASSIGN_OR_RETURN(s.owner_team, store::ResolveTeam(tx, "owner_organisation_id",
                                                        s.owner_organisation_id, "owner_team",
                                                        r.owner_team));
    }
    // A signal is about a resident the caller may read (never a way to
    // learn whether an id exists).
    if (!s.resident_id.empty()) {
      RETURN_IF_ERROR(store::CheckResidentVisible(tx, "resident_id", s.resident_id,
                                                  auth::ScopeActingFor(caller, s.author_team)));
    }
    RETURN_IF_ERROR(store_->Insert(tx, s));
    RETURN_IF_ERROR(store::RecordCreated(tx, request, s.id, s.create_time));
    created = s;
    return absl::OkStatus();
  }));
  return Named(caller, View(caller, std::move(created)));
}

absl::StatusOr<SignalView> SignalApp::Get(const auth::Principal& caller, const std::string& id,
                                          audit::Trail& trail) {
  trail.Concerns("signal", id);
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kReadCaseData).ToStatus());
  RETURN_IF_ERROR(domain::ValidateId("id", id));
  ASSIGN_OR_RETURN(store::SignalDetail d, store_->Get(id, auth::ScopeOf(caller)));
  trail.AddResident(d.signal.resident_id);
  const auth::SignalFacts facts = auth::FactsOf(d.signal);
  SignalView v = View(caller, std::move(d.signal));
  const auth::SignalFields fields =
      v.content_withheld ? auth::SignalFields::kLimited : auth::SignalFields::kFull;
  auth::ApplySignalDetailFields(caller, facts, fields, d.notes, d.timeline);
  v.notes = std::move(d.notes);
  v.timeline = std::move(d.timeline);
  return Named(caller, std::move(v));
}

absl::StatusOr<SignalView> SignalApp::Named(const auth::Principal& caller, SignalView v) {
  domain::NameRequest request;
  NamesOf(v, request);
  ASSIGN_OR_RETURN(v.names, LookUpNames(*uow_, caller, request));
  return v;
}

absl::Status SignalApp::CheckFilters(const domain::SignalQuery& q) {
  // A filter value that names nothing is a mistake to say, not an empty
  // page to show: the same rule as on create.
  if (!q.category.empty()) {
    ASSIGN_OR_RETURN(std::optional<domain::SignalCategory> c, reference_->FindCategory(q.category));
    if (!c) return absl::InvalidArgumentError("category: not a code of the signal taxonomy");
  }
  return uow_->Read([&](Transaction& tx) -> absl::Status {
    if (!q.wijk.empty()) RETURN_IF_ERROR(store::CheckWijk(tx, "wijk", q.wijk));
    if (!q.opgave.empty()) RETURN_IF_ERROR(store::CheckOpgave(tx, "opgave", q.opgave));
    if (!q.owner_organisation_id.empty()) {
      absl::StatusOr<std::string> team =
          store::ResolveTeam(tx, "owner_organisation_id", q.owner_organisation_id, "owner_team",
                             q.owner_team);
      if (team.status().code() == absl::StatusCode::kNotFound) {
        return absl::InvalidArgumentError(team.status().message());
      }
      RETURN_IF_ERROR(team.status());
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<SignalList> SignalApp::List(const auth::Principal& caller,
                                           const domain::SignalQuery& query, int page_size,
                                           const std::string& page_token, audit::Trail& trail) {
  trail.Concerns("signal", "");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kReadCaseData).ToStatus());
  ASSIGN_OR_RETURN(int limit, domain::ResolvePageSize(page_size, kDefaultPageSize, kMaxPageSize));
  const PageScope scope{
      kSignalList, caller.professional.id,
      FilterText({query.status ? domain::SignalStatusName(*query.status) : "", query.category,
                  query.opgave, query.wijk, query.owner_organisation_id, query.resident_id,
                  query.owner_team})};
  ASSIGN_OR_RETURN(std::string key, tokens_->Open(scope, page_token));
  int64_t before = 0;
  if (!key.empty() && (!absl::SimpleAtoi(key, &before) || before <= 0)) {
    return absl::InvalidArgumentError("page_token: not a token from this list");
  }
  for (const auto& [field, value] :
       {std::pair<const char*, const std::string&>{"category", query.category},
        {"opgave", query.opgave},
        {"wijk", query.wijk},
        {"owner_organisation_id", query.owner_organisation_id},
        {"resident_id", query.resident_id}}) {
    if (!value.empty()) RETURN_IF_ERROR(domain::ValidateId(field, value));
  }
  if (!query.owner_team.empty()) {
    RETURN_IF_ERROR(domain::ValidateTeamId("owner_team", query.owner_team));
    if (query.owner_organisation_id.empty()) {
      return absl::InvalidArgumentError("owner_team: needs owner_organisation_id");
    }
  }
  RETURN_IF_ERROR(CheckFilters(query));
  ASSIGN_OR_RETURN(store::SignalPage page,
                   store_->List(query, auth::ScopeOf(caller), before, limit));
  SignalList out;
  domain::NameRequest request;
  for (domain::Signal& s : page.signals) {
    trail.AddResident(s.resident_id);
    out.signals.push_back(View(caller, std::move(s)));
    NamesOf(out.signals.back(), request);
  }
  ASSIGN_OR_RETURN(std::shared_ptr<const domain::Names> names,
                   LookUpNames(*uow_, caller, request));
  for (SignalView& v : out.signals) v.names = names;
  if (page.more) {
    ASSIGN_OR_RETURN(out.next_page_token, tokens_->Seal(scope, absl::StrCat(page.last_seq)));
  }
  return out;
}

absl::StatusOr<SignalView> SignalApp::Assign(const auth::Principal& caller, const std::string& id,
                                             const std::string& etag, const std::string& owner,
                                             const std::string& owner_team, audit::Trail& trail) {
  trail.Concerns("signal", id);
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kUseCaseData).ToStatus());
  RETURN_IF_ERROR(domain::ValidateId("id", id));
  RETURN_IF_ERROR(CheckEtag(etag));
  RETURN_IF_ERROR(domain::ValidateId("owner_organisation_id", owner));
  if (!owner_team.empty()) RETURN_IF_ERROR(domain::ValidateTeamId("owner_team", owner_team));
  const absl::Time now = clock_->Now();
  ASSIGN_OR_RETURN(domain::Signal updated,
                   Change(caller, id, etag, trail,
                          [&](const domain::Signal& current) -> absl::StatusOr<SignalChange> {
                            RETURN_IF_ERROR(
                                auth::Decide(caller, auth::Action::kAssignSignal).ToStatus());
                            SignalChange change{
                                current, EventBy(caller, domain::SignalEventKind::kAssigned, now)};
                            change.signal.owner_organisation_id = owner;
                            // Resolved to the intake team by Change when empty.
                            change.signal.owner_team = owner_team;
                            change.signal.update_time = now;
                            change.event.owner_organisation_id = owner;
                            return change;
                          }));
  return Named(caller, View(caller, std::move(updated)));
}

absl::StatusOr<SignalView> SignalApp::ChangeStatus(const auth::Principal& caller,
                                                   const std::string& id, const std::string& etag,
                                                   domain::SignalStatus to, audit::Trail& trail) {
  trail.Concerns("signal", id);
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kUseCaseData).ToStatus());
  RETURN_IF_ERROR(domain::ValidateId("id", id));
  RETURN_IF_ERROR(CheckEtag(etag));
  const absl::Time now = clock_->Now();
  ASSIGN_OR_RETURN(
      domain::Signal updated,
      Change(caller, id, etag, trail,
             [&](const domain::Signal& current) -> absl::StatusOr<SignalChange> {
               RETURN_IF_ERROR(
                   auth::CanChangeSignalStatus(caller, auth::FactsOf(current)).ToStatus());
               RETURN_IF_ERROR(domain::CheckSignalTransition(current.status, to));
               SignalChange change{current,
                                   EventBy(caller, domain::SignalEventKind::kStatusChanged, now)};
               change.signal.status = to;
               change.signal.update_time = now;
               change.event.from_status = current.status;
               change.event.to_status = to;
               return change;
             }));
  return Named(caller, View(caller, std::move(updated)));
}

absl::StatusOr<domain::Note> SignalApp::AddNote(const auth::Principal& caller,
                                                const domain::NewNote& r, audit::Trail& trail) {
  trail.Concerns("signal", r.parent_id.size() <= 64 ? r.parent_id : "");
  trail.entry.request_id = r.request_id;
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kUseCaseData).ToStatus());
  RETURN_IF_ERROR(domain::ValidateNewNote(r, "signal_id"));
  const domain::Note note = NoteBy(caller, r, ids_->NewId("n"), clock_->Now());
  const store::CreateRequest request =
      MakeCreateRequest(caller, "AddSignalNote", r.request_id, domain::RequestFingerprint(r));
  const auth::ListScope scope = auth::ScopeOf(caller);
  domain::Note added;
  RETURN_IF_ERROR(uow_->Run(trail, [&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(bool replayed,
                     ReplayCreated(tx, request, "note",
                                   [&](const std::string& id) { return store_->FindNote(tx, id); },
                                   added));
    if (replayed) return absl::OkStatus();
    ASSIGN_OR_RETURN(std::optional<domain::Signal> parent, store_->Find(tx, note.parent_id, scope));
    if (!parent) return absl::NotFoundError(absl::StrCat("signal_id: no signal ", note.parent_id));
    trail.AddResident(parent->resident_id);
    RETURN_IF_ERROR(store_->InsertNote(tx, note));
    domain::SignalEvent e = EventBy(caller, domain::SignalEventKind::kNoteAdded, note.create_time);
    e.note_id = note.id;
    RETURN_IF_ERROR(store_->AppendEvent(tx, note.parent_id, e));
    RETURN_IF_ERROR(store::RecordCreated(tx, request, note.id, note.create_time));
    added = note;
    return absl::OkStatus();
  }));
  return added;
}

}  // namespace schakel::app
