// The directory as authentication reads it: a DirectoryStore that answers
// FindIdentity from memory and passes everything else to the store it wraps.
//
// Why here: every request authenticates (Authenticator → FindIdentity),
// and a read transaction on a WAL reader after any commit starts with an
// empty page cache, so each request decrypted the directory's pages again —
// a quarter of the server's time at load, also for a Ping. schakeld is the
// only process that writes the directory while it runs (it holds the
// deployment's lock; schakel-admin's user and certificate commands go
// through AdminService, and the file-level tools — init, seed, restore, key
// rotation — refuse while the lock is held), and every one of its directory
// writes goes through this object. So this decorator is the one place that
// owns the invalidation: it implements every write of the DirectoryStore
// interface, each a step of the caller's transaction, and when that
// transaction has ended (committed or not, to be safe:
// Connection::AfterTransaction, run before the Write call returns) bumps
// the cache's generation (server/common/generation_cache.h). A write method
// added to the interface must be implemented here to compile, and
// registers the same. A revocation, a disabling or a new professional is
// therefore seen by every request that starts after the RPC that made it
// returned — the guarantee docs/operations.md gives.
//
// What is cached is what FindIdentity returns: the professional (id,
// organisation, roles, teams, disabled) and the certificate (serial, validity,
// revoke time, PEM), a pure function of the rows. Whether the certificate
// is still valid at the request's time is decided by the Authenticator
// against its clock on every call, never cached. Only found identities are
// cached (an unknown certificate is asked of the database each time).
// At most `max_entries` identities are held (default 10,000, one per
// certificate in use); on overflow the cache starts empty.
//
// Anything that writes these tables without going through this object while
// the server runs (a second store over the same Database, another process)
// would not be seen until the next write through it: do not. Several
// instances on one PostgreSQL database each have their own: every write
// through one raises the directory's generation in the database with it,
// and the others empty theirs at their next request
// (store/shared_generations.h).
//
// Thread-safe.
#ifndef SCHAKEL_SERVER_STORE_CACHING_DIRECTORY_STORE_H_
#define SCHAKEL_SERVER_STORE_CACHING_DIRECTORY_STORE_H_

#include <cstddef>
#include <optional>
#include <string>

#include "server/common/generation_cache.h"
#include "server/common/status_macros.h"
#include "server/store/directory_store.h"
#include "server/store/shared_generations.h"

namespace schakel::store {

class CachingDirectoryStore final : public DirectoryStore {
 public:
  static constexpr size_t kDefaultMaxEntries = 10000;

  // `inner` is not owned and must outlive this object.
  explicit CachingDirectoryStore(DirectoryStore* inner,
                                 size_t max_entries = kDefaultMaxEntries)
      : inner_(inner), identities_(max_entries) {}

  // From memory when filled since the last directory write, else from
  // `inner` (and then remembered).
  absl::StatusOr<Identity> FindIdentity(const std::string& fingerprint) override;

  // Reads passed through.
  absl::StatusOr<domain::Organisation> GetOrganisation(const std::string& id) override;
  absl::StatusOr<domain::Professional> GetProfessional(const std::string& id) override;
  absl::StatusOr<OrganisationPage> ListOrganisations(const std::string& after_id,
                                                     int limit) override;
  absl::StatusOr<std::optional<ProfessionalRecord>> FindByRequestId(
      const std::string& request_id) override;
  absl::StatusOr<std::vector<domain::Professional>> ListProfessionals(int limit) override {
    return inner_->ListProfessionals(limit);
  }
  absl::StatusOr<domain::Grant> GetGrant(const std::string& id) override {
    return inner_->GetGrant(id);
  }
  absl::StatusOr<std::vector<domain::Grant>> ListGrants(bool pending_only,
                                                        const std::string& professional_id,
                                                        int limit) override {
    return inner_->ListGrants(pending_only, professional_id, limit);
  }
  absl::StatusOr<std::optional<EnrollmentCodeRow>> FindEnrollmentCode(
      const std::string& code_hash) override {
    return inner_->FindEnrollmentCode(code_hash);
  }

  // Writes passed through; each invalidates the cache when its transaction
  // has ended (Connection::AfterTransaction), committed or not.
  absl::Status AddProfessional(Connection& c, const ProfessionalRecord& record) override {
    RETURN_IF_ERROR(InvalidateAfter(c));
    return inner_->AddProfessional(c, record);
  }
  absl::StatusOr<domain::Professional> DisableProfessional(Connection& c,
                                                           const std::string& id) override {
    RETURN_IF_ERROR(InvalidateAfter(c));
    return inner_->DisableProfessional(c, id);
  }
  absl::StatusOr<domain::CertificateRecord> RevokeCertificate(Connection& c,
                                                              const std::string& serial,
                                                              absl::Time now) override {
    RETURN_IF_ERROR(InvalidateAfter(c));
    return inner_->RevokeCertificate(c, serial, now);
  }
  absl::Status DecideGrant(Connection& c, const domain::Grant& decided) override {
    RETURN_IF_ERROR(InvalidateAfter(c));
    return inner_->DecideGrant(c, decided);
  }
  absl::Status AddGrant(Connection& c, const domain::Grant& grant) override {
    RETURN_IF_ERROR(InvalidateAfter(c));
    return inner_->AddGrant(c, grant);
  }
  absl::Status AddCertificate(Connection& c, const NewCertificate& request) override {
    RETURN_IF_ERROR(InvalidateAfter(c));
    return inner_->AddCertificate(c, request);
  }
  absl::Status LoadSeed(const domain::SeedData& seed) override;
  absl::StatusOr<std::vector<domain::Team>> ListTeams(const std::string& organisation_id,
                                                      int limit) override {
    return inner_->ListTeams(organisation_id, limit);
  }
  absl::StatusOr<std::optional<domain::Team>> FindTeam(Connection& c,
                                                       const std::string& organisation_id,
                                                       const std::string& id) override {
    return inner_->FindTeam(c, organisation_id, id);
  }
  absl::StatusOr<domain::Team> IntakeTeam(Connection& c, const std::string& organisation_id,
                                          const std::string& field) override {
    return inner_->IntakeTeam(c, organisation_id, field);
  }
  absl::Status AddTeam(Connection& c, const domain::Team& team) override {
    RETURN_IF_ERROR(InvalidateAfter(c));
    return inner_->AddTeam(c, team);
  }
  absl::StatusOr<domain::Professional> RemoveFromTeam(Connection& c,
                                                      const std::string& professional_id,
                                                      const std::string& team) override {
    RETURN_IF_ERROR(InvalidateAfter(c));
    return inner_->RemoveFromTeam(c, professional_id, team);
  }

  // Empties the cache: another instance changed the directory
  // (SharedGenerations::OnChange).
  void Invalidate() { identities_.Invalidate(); }

  // How many identities are held now (for tests and figures).
  size_t cached_identities() const { return identities_.size(); }

 private:
  // The other instances on the same database see the write at their next
  // request (SharedGenerations), this one when the transaction has ended.
  absl::Status InvalidateAfter(Connection& c) {
    c.AfterTransaction([this] { identities_.Invalidate(); });
    return BumpSharedGeneration(c, SharedCache::kDirectory);
  }
  // Runs the write `fn`, then invalidates, whatever it returned.
  template <typename Fn>
  auto Invalidating(Fn fn) -> decltype(fn()) {
    auto result = fn();
    identities_.Invalidate();
    return result;
  }

  DirectoryStore* inner_;  // not owned
  GenerationCache<std::string, Identity> identities_;
};

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_CACHING_DIRECTORY_STORE_H_
