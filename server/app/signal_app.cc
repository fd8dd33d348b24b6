#include "server/app/signal_app.h"

#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "server/app/case_context.h"
#include "server/common/status_macros.h"
#include "server/domain/page_token.h"
#include "server/domain/text.h"

namespace schakel::app {
namespace {

constexpr char kSignalList[] = "signals";
constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 100;

auth::SignalFacts Facts(const domain::Signal& s) {
  return auth::SignalFacts{s.author_id, s.author_organisation_id, s.owner_organisation_id,
                           s.sensitivity, s.resident_id};
}

// A timeline event of `kind` by the caller at `now`.
store::SignalEvent EventBy(const auth::Principal& caller, store::SignalEventKind kind,
                           absl::Time now) {
  store::SignalEvent e;
  e.kind = kind;
  e.time = now;
  e.actor_id = caller.professional.id;
  e.actor_organisation_id = caller.professional.organisation_id;
  return e;
}

absl::Status CheckEtag(const std::string& etag) {
  if (etag.empty()) return absl::InvalidArgumentError("etag: required (from the last read)");
  if (etag.size() > 32) return absl::InvalidArgumentError("etag: at most 32 characters");
  return absl::OkStatus();
}

}  // namespace

SignalView SignalApp::View(const auth::Principal& caller, domain::Signal signal) const {
  SignalView v;
  const auth::SignalFields fields = auth::SignalFieldView(caller, Facts(signal));
  v.content_withheld = fields == auth::SignalFields::kLimited;
  auth::ApplySignalFields(fields, signal);
  v.signal = std::move(signal);
  return v;
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
  s.create_time = now;
  s.update_time = now;
  s.version = 1;
  trail.Concerns("signal", s.id);
  ASSIGN_OR_RETURN(domain::Signal created,
                   store_->Create(s, MakeCreateRequest(caller, "CreateSignal", r.request_id,
                                                       domain::RequestFingerprint(r)),
                                  SignalViewer(caller), audit::HookFor(*audit_, trail)));
  trail.Concerns("signal", created.id);
  return View(caller, std::move(created));
}

absl::StatusOr<SignalView> SignalApp::Get(const auth::Principal& caller, const std::string& id,
                                          audit::Trail& trail) {
  trail.Concerns("signal", id);
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kReadCaseData).ToStatus());
  RETURN_IF_ERROR(domain::ValidateId("id", id));
  ASSIGN_OR_RETURN(store::SignalDetail d, store_->Get(id, SignalViewer(caller)));
  trail.AddResident(d.signal.resident_id);
  const auth::SignalFacts facts = Facts(d.signal);
  SignalView v = View(caller, std::move(d.signal));
  std::set<std::string> hidden_notes;
  for (domain::Note& n : d.notes) {
    bool readable = !v.content_withheld &&
                    auth::CanReadNote(caller,
                                      auth::NoteFacts{n.author_id, n.author_organisation_id,
                                                      n.visibility, facts.resident_id},
                                      {facts.author_organisation_id, facts.owner_organisation_id});
    if (readable) {
      v.notes.push_back(std::move(n));
    } else {
      hidden_notes.insert(n.id);
    }
  }
  // A note the caller may not read leaves no trace in the timeline either.
  // Under the limited view the timeline keeps only what the signal's
  // fields show: when it changed status and owner, not who did it, nor the
  // handovers made from it.
  for (store::SignalEvent& e : d.timeline) {
    if (e.kind == store::SignalEventKind::kNoteAdded && hidden_notes.count(e.note_id)) continue;
    if (v.content_withheld) {
      if (e.kind == store::SignalEventKind::kHandoverLinked) continue;
      e.actor_id.clear();
      e.actor_organisation_id.clear();
    }
    // A handover made from the signal shows only to who may open it.
    if (e.kind == store::SignalEventKind::kHandoverLinked &&
        !auth::CanReadHandover(caller,
                               auth::HandoverFacts{e.handover_from_organisation_id,
                                                   e.handover_to_organisation_id,
                                                   e.handover_resident_id})) {
      continue;
    }
    v.timeline.push_back(std::move(e));
  }
  return v;
}

absl::StatusOr<SignalList> SignalApp::List(const auth::Principal& caller,
                                           const store::SignalQuery& query, int page_size,
                                           const std::string& page_token, audit::Trail& trail) {
  trail.Concerns("signal", "");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kReadCaseData).ToStatus());
  ASSIGN_OR_RETURN(int limit, domain::ResolvePageSize(page_size, kDefaultPageSize, kMaxPageSize));
  const PageScope scope{
      kSignalList, caller.professional.id,
      FilterText({query.status ? domain::SignalStatusName(*query.status) : "", query.category,
                  query.opgave, query.wijk, query.owner_organisation_id, query.resident_id})};
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
  ASSIGN_OR_RETURN(store::SignalPage page,
                   store_->List(query, SignalViewer(caller), before, limit));
  SignalList out;
  for (domain::Signal& s : page.signals) {
    trail.AddResident(s.resident_id);
    out.signals.push_back(View(caller, std::move(s)));
  }
  if (page.more) {
    ASSIGN_OR_RETURN(out.next_page_token, tokens_->Seal(scope, absl::StrCat(page.last_seq)));
  }
  return out;
}

absl::StatusOr<SignalView> SignalApp::Assign(const auth::Principal& caller, const std::string& id,
                                             const std::string& etag, const std::string& owner,
                                             audit::Trail& trail) {
  trail.Concerns("signal", id);
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kUseCaseData).ToStatus());
  RETURN_IF_ERROR(domain::ValidateId("id", id));
  RETURN_IF_ERROR(CheckEtag(etag));
  RETURN_IF_ERROR(domain::ValidateId("owner_organisation_id", owner));
  const absl::Time now = clock_->Now();
  ASSIGN_OR_RETURN(
      domain::Signal updated,
      store_->Update(id, etag, SignalViewer(caller),
                     [&](const domain::Signal& current) -> absl::StatusOr<store::SignalChange> {
                       RETURN_IF_ERROR(
                           auth::Decide(caller, auth::Action::kAssignSignal).ToStatus());
                       store::SignalChange change{
                           current, EventBy(caller, store::SignalEventKind::kAssigned, now)};
                       change.signal.owner_organisation_id = owner;
                       change.signal.update_time = now;
                       change.event.owner_organisation_id = owner;
                       return change;
                     },
                     audit::HookFor(*audit_, trail)));
  return View(caller, std::move(updated));
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
      store_->Update(id, etag, SignalViewer(caller),
                     [&](const domain::Signal& current) -> absl::StatusOr<store::SignalChange> {
                       RETURN_IF_ERROR(
                           auth::CanChangeSignalStatus(caller, Facts(current)).ToStatus());
                       RETURN_IF_ERROR(domain::CheckSignalTransition(current.status, to));
                       store::SignalChange change{
                           current, EventBy(caller, store::SignalEventKind::kStatusChanged, now)};
                       change.signal.status = to;
                       change.signal.update_time = now;
                       change.event.from_status = current.status;
                       change.event.to_status = to;
                       return change;
                     },
                     audit::HookFor(*audit_, trail)));
  return View(caller, std::move(updated));
}

absl::StatusOr<domain::Note> SignalApp::AddNote(const auth::Principal& caller,
                                                const domain::NewNote& r, audit::Trail& trail) {
  trail.Concerns("signal", r.parent_id.size() <= 64 ? r.parent_id : "");
  trail.entry.request_id = r.request_id;
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kUseCaseData).ToStatus());
  RETURN_IF_ERROR(domain::ValidateNewNote(r, "signal_id"));
  return store_->AddNote(
      NoteBy(caller, r, ids_->NewId("n"), clock_->Now()),
      MakeCreateRequest(caller, "AddSignalNote", r.request_id, domain::RequestFingerprint(r)),
      SignalViewer(caller), audit::HookFor(*audit_, trail));
}

}  // namespace schakel::app
