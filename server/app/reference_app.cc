#include "server/app/reference_app.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/auth/policy.h"
#include "server/common/status_macros.h"
#include "server/domain/text.h"

namespace schakel::app {

absl::StatusOr<std::vector<domain::SignalCategory>> ReferenceApp::ListCategories(
    const auth::Principal& caller, const std::string& opgave, audit::Trail& trail) {
  trail.Concerns("reference", "categories");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kReadDirectory).ToStatus());
  if (!opgave.empty()) {
    RETURN_IF_ERROR(domain::ValidateId("opgave", opgave));
    ASSIGN_OR_RETURN(std::vector<domain::OpgaveWithDoelen> opgaven, store_->ListOpgaven());
    std::vector<std::string> codes;
    bool known = false;
    for (const domain::OpgaveWithDoelen& o : opgaven) {
      codes.push_back(o.opgave.code);
      known = known || o.opgave.code == opgave;
    }
    if (!known) {
      return absl::InvalidArgumentError(
          absl::StrCat("opgave: not a known opgave; one of ", absl::StrJoin(codes, ", ")));
    }
  }
  return store_->ListCategories(opgave);
}

absl::StatusOr<std::vector<domain::Wijk>> ReferenceApp::ListWijken(const auth::Principal& caller,
                                                                   audit::Trail& trail) {
  trail.Concerns("reference", "wijken");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kReadDirectory).ToStatus());
  return store_->ListWijken();
}

absl::StatusOr<std::vector<domain::OpgaveWithDoelen>> ReferenceApp::ListOpgaven(
    const auth::Principal& caller, audit::Trail& trail) {
  trail.Concerns("reference", "opgaven");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kReadDirectory).ToStatus());
  return store_->ListOpgaven();
}

absl::StatusOr<std::vector<domain::Vocabulary>> ReferenceApp::ListVocabularies(
    const auth::Principal& caller, const std::string& name, audit::Trail& trail) {
  trail.Concerns("reference", "vocabularies");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kReadDirectory).ToStatus());
  const std::vector<domain::Vocabulary>& all = domain::FixedVocabularies();
  if (name.empty()) return all;
  for (const domain::Vocabulary& v : all) {
    if (v.name == name) return std::vector<domain::Vocabulary>{v};
  }
  return absl::InvalidArgumentError(absl::StrCat("name: not a vocabulary; one of ",
                                                 absl::StrJoin(domain::kVocabularyNames, ", ")));
}

}  // namespace schakel::app
