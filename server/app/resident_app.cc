#include "server/app/resident_app.h"

#include "server/app/case_context.h"
#include "server/store/reference_store.h"
#include "server/common/status_macros.h"
#include "server/domain/calendar.h"
#include "server/domain/text.h"
#include "absl/strings/str_cat.h"

namespace schakel::app {

absl::StatusOr<domain::RegistrationResult> ResidentApp::Register(
    const auth::Principal& caller, const domain::NewResident& request, audit::Trail& trail) {
  trail.Concerns("resident", "");
  trail.entry.request_id = request.request_id;
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kUseCaseData).ToStatus());
  const absl::Time now = clock_->Now();
  RETURN_IF_ERROR(domain::ValidateNewResident(request, domain::DayOf(now)));
  ASSIGN_OR_RETURN(const std::string team, auth::ActingTeam(caller, request.team));
  domain::Resident resident;
  resident.id = ids_->NewId("r");
  resident.name = request.name;
  resident.birth_date = *domain::ParseDate("birth_date", request.birth_date);
  resident.address = request.address;
  resident.wijk = request.wijk;
  resident.create_time = now;
  const std::string name_key = domain::NameKey(request.name);
  const store::CreateRequest create = MakeCreateRequest(
      caller, "RegisterResident", request.request_id, domain::RequestFingerprint(request));
  const auth::ListScope scope = auth::ScopeOf(caller);
  trail.Concerns("resident", resident.id);
  domain::RegistrationResult result;
  RETURN_IF_ERROR(uow_->Run(trail, [&](Transaction& tx) -> absl::Status {
    result = domain::RegistrationResult();  // a unit of work may run again
    ASSIGN_OR_RETURN(std::optional<std::string> earlier, store::FindCreated(tx, create));
    if (earlier) {
      ASSIGN_OR_RETURN(result.created, store_->Find(tx, *earlier, scope));
      if (!result.created) return absl::NotFoundError("request_id: the resident it created is gone");
    } else {
      RETURN_IF_ERROR(store::CheckWijk(tx, "wijk", resident.wijk));
      ASSIGN_OR_RETURN(store::RegistrationMatches matches,
                       store_->Matches(tx, name_key, resident.birth_date,
                                       auth::ScopeActingFor(caller, team)));
      // Matches the caller may read stop the registration (they are shown,
      // as data returned) unless the caller registers anyway; any match
      // marks the new record as a possible duplicate for the regisseur.
      if (!matches.visible.empty() && !request.register_anyway) {
        result.matches = std::move(matches.visible);
      } else {
        RETURN_IF_ERROR(store_->Insert(tx, resident, name_key, matches.first_id,
                                       {caller.professional.organisation_id, team},
                                       caller.professional.id));
        RETURN_IF_ERROR(store::RecordCreated(tx, create, resident.id, resident.create_time));
        result.created = resident;
        result.changed = true;
      }
    }
    if (result.created) {
      trail.Concerns("resident", result.created->id);
      trail.AddResident(result.created->id);
    }
    for (const auto& m : result.matches) trail.AddResident(m.id);
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<domain::Resident> ResidentApp::Get(const auth::Principal& caller,
                                                  const std::string& id, audit::Trail& trail) {
  trail.Concerns("resident", id);
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kReadCaseData).ToStatus());
  RETURN_IF_ERROR(domain::ValidateId("id", id));
  trail.AddResident(id);
  ASSIGN_OR_RETURN(domain::Resident r, store_->Get(id, auth::ScopeOf(caller)));
  trail.AddResident(r.id);
  return r;
}

absl::StatusOr<std::vector<domain::Resident>> ResidentApp::Find(const auth::Principal& caller,
                                                                const std::string& name,
                                                                const std::string& birth_date,
                                                                const std::string& address,
                                                                audit::Trail& trail) {
  trail.Concerns("resident", "");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kReadCaseData).ToStatus());
  ASSIGN_OR_RETURN(domain::ResidentSearch search,
                   domain::ParseResidentSearch(name, birth_date, address));
  ASSIGN_OR_RETURN(std::vector<domain::Resident> found,
                   store_->Search(search, auth::ScopeOf(caller), domain::kMaxSearchResults));
  for (const auto& r : found) trail.AddResident(r.id);
  return found;
}

absl::StatusOr<std::vector<std::pair<ResidentView, ResidentView>>>
ResidentApp::ListDuplicates(const auth::Principal& caller, audit::Trail& trail) {
  trail.Concerns("resident", "");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kMergeResidents).ToStatus());
  ASSIGN_OR_RETURN(auto pairs, store_->ListPossibleDuplicates());
  const auth::ListScope viewer = auth::ScopeOf(caller);
  // Each side as a read of that record would show it.
  auto view = [&](domain::Resident r) -> absl::StatusOr<ResidentView> {
    absl::StatusOr<domain::Resident> readable = store_->Get(r.id, viewer);
    if (readable.ok()) {
      trail.AddResident(r.id);
      return ResidentView{*std::move(readable), false};
    }
    if (readable.status().code() != absl::StatusCode::kNotFound) return readable.status();
    domain::Resident only_id;
    only_id.id = std::move(r.id);
    return ResidentView{std::move(only_id), true};
  };
  std::vector<std::pair<ResidentView, ResidentView>> out;
  for (auto& [a, b] : pairs) {
    ASSIGN_OR_RETURN(ResidentView va, view(std::move(a)));
    ASSIGN_OR_RETURN(ResidentView vb, view(std::move(b)));
    out.emplace_back(std::move(va), std::move(vb));
  }
  return out;
}

absl::StatusOr<domain::Resident> ResidentApp::Merge(const auth::Principal& caller,
                                                    const std::string& keep_id,
                                                    const std::string& merge_id,
                                                    audit::Trail& trail) {
  trail.Concerns("resident", keep_id);
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kMergeResidents).ToStatus());
  RETURN_IF_ERROR(domain::ValidateId("keep_id", keep_id));
  RETURN_IF_ERROR(domain::ValidateId("merge_id", merge_id));
  if (keep_id == merge_id) {
    return absl::InvalidArgumentError("merge_id: must differ from keep_id");
  }
  // Merging moves one record's cases onto the other: only for a caller who
  // may read both, decided in the same transaction as the merge.
  const auth::ListScope scope = auth::ScopeOf(caller);
  trail.AddResident(keep_id);
  trail.AddResident(merge_id);
  domain::Resident kept;
  RETURN_IF_ERROR(uow_->Run(trail, [&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(std::optional<domain::Resident> keep, store_->Find(tx, keep_id, scope));
    if (!keep || keep->id != keep_id) {
      return absl::NotFoundError(absl::StrCat("keep_id: no resident ", keep_id));
    }
    ASSIGN_OR_RETURN(std::optional<domain::Resident> merge, store_->Find(tx, merge_id, scope));
    if (!merge || merge->id != merge_id) {
      return absl::NotFoundError(absl::StrCat("merge_id: no resident ", merge_id));
    }
    RETURN_IF_ERROR(store_->Merge(tx, keep_id, merge_id));
    kept = *std::move(keep);
    return absl::OkStatus();
  }));
  return kept;
}

absl::StatusOr<audit::BreakGlassSession> ResidentApp::OpenBreakGlass(
    const auth::Principal& caller, const std::string& resident_id, const std::string& reason,
    audit::Trail& trail) {
  trail.Concerns("breakglass", "");
  RETURN_IF_ERROR(domain::ValidateId("resident_id", resident_id));
  // Refused attempts belong in the resident's access report too.
  trail.AddResident(resident_id);
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kBreakGlass).ToStatus());
  RETURN_IF_ERROR(domain::ValidateText("reason", reason, 1000, true));
  // Characters, not bytes: "é" is one character of a written reason.
  size_t characters = 0;
  for (char c : reason) characters += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  if (characters < auth::kMinBreakGlassReason) {
    return absl::InvalidArgumentError(absl::StrCat(
        "reason: emergency access needs a written reason of at least ",
        auth::kMinBreakGlassReason, " characters"));
  }
  RETURN_IF_ERROR(store_->CheckExists("resident_id", resident_id));
  const absl::Time now = clock_->Now();
  audit::BreakGlassSession session{ids_->NewId("bg"),
                                   caller.professional.id,
                                   caller.professional.organisation_id,
                                   resident_id,
                                   reason,
                                   now,
                                   now + auth::kBreakGlassDuration,
                                   /*sealed_reason=*/""};
  trail.Concerns("breakglass", session.id);
  RETURN_IF_ERROR(audit_->OpenBreakGlass(session, trail.entry));
  trail.appended = true;
  return session;
}

}  // namespace schakel::app
