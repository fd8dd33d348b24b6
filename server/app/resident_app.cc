#include "server/app/resident_app.h"

#include "server/app/case_context.h"
#include "server/common/status_macros.h"
#include "server/domain/calendar.h"
#include "server/domain/text.h"
#include "absl/strings/str_cat.h"

namespace schakel::app {

absl::StatusOr<store::RegistrationResult> ResidentApp::Register(
    const auth::Principal& caller, const domain::NewResident& request, audit::Trail& trail) {
  trail.Concerns("resident", "");
  trail.entry.request_id = request.request_id;
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kUseCaseData).ToStatus());
  const absl::Time now = clock_->Now();
  RETURN_IF_ERROR(domain::ValidateNewResident(request, domain::DayOf(now)));
  store::Registration r;
  r.resident.id = ids_->NewId("r");
  r.resident.name = request.name;
  r.resident.birth_date = *domain::ParseDate("birth_date", request.birth_date);
  r.resident.address = request.address;
  r.resident.wijk = request.wijk;
  r.resident.create_time = now;
  r.name_key = domain::NameKey(request.name);
  r.organisation_id = caller.professional.organisation_id;
  r.professional_id = caller.professional.id;
  r.register_anyway = request.register_anyway;
  r.request = MakeCreateRequest(caller, "RegisterResident", request.request_id,
                                domain::RequestFingerprint(request));
  trail.Concerns("resident", r.resident.id);
  ASSIGN_OR_RETURN(store::RegistrationResult result,
                   store_->Register(r, ResidentViewer(caller), audit::HookFor(*audit_, trail)));
  // A replay or the matches shown are data returned.
  if (result.created) trail.Concerns("resident", result.created->id);
  if (result.created) trail.AddResident(result.created->id);
  for (const auto& m : result.matches) trail.AddResident(m.id);
  return result;
}

absl::StatusOr<domain::Resident> ResidentApp::Get(const auth::Principal& caller,
                                                  const std::string& id, audit::Trail& trail) {
  trail.Concerns("resident", id);
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kReadCaseData).ToStatus());
  RETURN_IF_ERROR(domain::ValidateId("id", id));
  trail.AddResident(id);
  ASSIGN_OR_RETURN(domain::Resident r, store_->Get(id, ResidentViewer(caller)));
  trail.AddResident(r.id);
  return r;
}

absl::StatusOr<std::vector<domain::Resident>> ResidentApp::Find(const auth::Principal& caller,
                                                                const std::string& name,
                                                                const std::string& birth_date,
                                                                audit::Trail& trail) {
  trail.Concerns("resident", "");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kReadCaseData).ToStatus());
  RETURN_IF_ERROR(domain::ValidateText("name", name, domain::kMaxNameLength));
  ASSIGN_OR_RETURN(absl::CivilDay day, domain::ParseDate("birth_date", birth_date));
  ASSIGN_OR_RETURN(std::vector<domain::Resident> found,
                   store_->Find(domain::NameKey(name), domain::FormatDate(day),
                                ResidentViewer(caller)));
  for (const auto& r : found) trail.AddResident(r.id);
  return found;
}

absl::StatusOr<std::vector<std::pair<ResidentView, ResidentView>>>
ResidentApp::ListDuplicates(const auth::Principal& caller, audit::Trail& trail) {
  trail.Concerns("resident", "");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kMergeResidents).ToStatus());
  ASSIGN_OR_RETURN(auto pairs, store_->ListPossibleDuplicates());
  const store::Viewer viewer = ResidentViewer(caller);
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
  // may read both.
  const store::Viewer viewer = ResidentViewer(caller);
  trail.AddResident(keep_id);
  trail.AddResident(merge_id);
  RETURN_IF_ERROR(store_->Get(keep_id, viewer).status());
  RETURN_IF_ERROR(store_->Get(merge_id, viewer).status());
  return store_->Merge(keep_id, merge_id, audit::HookFor(*audit_, trail));
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
