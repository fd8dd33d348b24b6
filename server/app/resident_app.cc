#include "server/app/resident_app.h"

#include "server/app/case_context.h"
#include "server/common/status_macros.h"
#include "server/domain/calendar.h"
#include "server/domain/text.h"

namespace schakel::app {

absl::StatusOr<store::RegistrationResult> ResidentApp::Register(
    const auth::Principal& caller, const domain::NewResident& request) {
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
  return store_->Register(r, ResidentViewer(caller));
}

absl::StatusOr<domain::Resident> ResidentApp::Get(const auth::Principal& caller,
                                                  const std::string& id) {
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kUseCaseData).ToStatus());
  RETURN_IF_ERROR(domain::ValidateId("id", id));
  return store_->Get(id, ResidentViewer(caller));
}

absl::StatusOr<std::vector<domain::Resident>> ResidentApp::Find(const auth::Principal& caller,
                                                                const std::string& name,
                                                                const std::string& birth_date) {
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kUseCaseData).ToStatus());
  RETURN_IF_ERROR(domain::ValidateText("name", name, domain::kMaxNameLength));
  ASSIGN_OR_RETURN(absl::CivilDay day, domain::ParseDate("birth_date", birth_date));
  return store_->Find(domain::NameKey(name), domain::FormatDate(day), ResidentViewer(caller));
}

absl::StatusOr<std::vector<std::pair<domain::Resident, domain::Resident>>>
ResidentApp::ListDuplicates(const auth::Principal& caller) {
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kMergeResidents).ToStatus());
  return store_->ListPossibleDuplicates();
}

absl::StatusOr<domain::Resident> ResidentApp::Merge(const auth::Principal& caller,
                                                    const std::string& keep_id,
                                                    const std::string& merge_id) {
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kMergeResidents).ToStatus());
  RETURN_IF_ERROR(domain::ValidateId("keep_id", keep_id));
  RETURN_IF_ERROR(domain::ValidateId("merge_id", merge_id));
  if (keep_id == merge_id) {
    return absl::InvalidArgumentError("merge_id: must differ from keep_id");
  }
  return store_->Merge(keep_id, merge_id);
}

}  // namespace schakel::app
