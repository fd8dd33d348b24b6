#include "server/store/caching_directory_store.h"

#include <utility>

namespace schakel::store {

absl::StatusOr<Identity> CachingDirectoryStore::FindIdentity(const std::string& fingerprint) {
  if (std::optional<Identity> hit = identities_.Lookup(fingerprint)) return *std::move(hit);
  // Taken before the read: a write that returns while we read makes this
  // fill a no-op, so a pre-write snapshot is never remembered.
  const uint64_t generation = identities_.generation();
  absl::StatusOr<Identity> found = inner_->FindIdentity(fingerprint);
  if (found.ok()) identities_.Fill(fingerprint, *found, generation);
  return found;
}

absl::StatusOr<domain::Organisation> CachingDirectoryStore::GetOrganisation(
    const std::string& id) {
  return inner_->GetOrganisation(id);
}

absl::StatusOr<domain::Professional> CachingDirectoryStore::GetProfessional(
    const std::string& id) {
  return inner_->GetProfessional(id);
}

absl::StatusOr<OrganisationPage> CachingDirectoryStore::ListOrganisations(
    const std::string& after_id, int limit) {
  return inner_->ListOrganisations(after_id, limit);
}

absl::StatusOr<std::optional<ProfessionalRecord>> CachingDirectoryStore::FindByRequestId(
    const std::string& request_id) {
  return inner_->FindByRequestId(request_id);
}

absl::Status CachingDirectoryStore::LoadSeed(const domain::SeedData& seed) {
  return Invalidating([&] { return inner_->LoadSeed(seed); });
}

}  // namespace schakel::store
