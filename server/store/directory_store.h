// The directory aggregate's store: organisations, professionals, roles,
// certificates. All SQL of the directory lives in directory_store.cc.
#ifndef SCHAKEL_SERVER_STORE_DIRECTORY_STORE_H_
#define SCHAKEL_SERVER_STORE_DIRECTORY_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "server/domain/directory.h"
#include "server/domain/people.h"
#include "server/domain/grant.h"
#include "server/domain/seed.h"
#include "server/store/database.h"
#include "server/store/grant_rows.h"
#include "server/store/team_rows.h"

namespace schakel::store {

// A registered certificate with its holder: what authentication needs.
struct Identity {
  domain::Professional professional;
  domain::CertificateRecord certificate;
  // The serial of the certificate this one renewed, while that one is not
  // yet revoked (it is revoked when this one is first used); else empty.
  std::string replaces_active_serial;
};

struct OrganisationPage {
  std::vector<domain::Organisation> organisations;
  bool more = false;  // another page follows the last row
};

// A new professional, ready to store: `professional.roles` and
// `professional.teams` take effect at once (init and tests; through the
// API they are empty), `grant` records the roles and team asked for
// (pending through the API; approved, it takes effect too), and the
// professional has a first certificate (`certificate.fingerprint` set) or
// an enrollment code.
struct ProfessionalRecord {
  domain::Professional professional;
  domain::CertificateRecord certificate;  // empty fingerprint: none yet
  std::string request_id;
  std::string request_hash;
  std::optional<domain::Grant> grant;
  std::optional<std::string> enrollment_code_hash;
  absl::Time enrollment_expire_time;
};

// What a new certificate replaces: the enrollment code it uses up, or the
// certificate it renews.
struct NewCertificate {
  domain::CertificateRecord certificate;
  std::string code_hash;        // enrollment: this code, used at `now`
  std::string replaces_serial;  // renewal: revoked when the new one is first used
  absl::Time now;
};

// Thread-safe.
class DirectoryStore {
 public:
  virtual ~DirectoryStore() = default;

  // NOT_FOUND when no certificate has this fingerprint.
  virtual absl::StatusOr<Identity> FindIdentity(const std::string& fingerprint) = 0;
  virtual absl::StatusOr<domain::Organisation> GetOrganisation(const std::string& id) = 0;
  // NOT_FOUND when there is no such professional.
  virtual absl::StatusOr<domain::Professional> GetProfessional(const std::string& id) = 0;
  // Organisations with id > `after_id`, ordered by id, at most `limit`.
  virtual absl::StatusOr<OrganisationPage> ListOrganisations(const std::string& after_id,
                                                             int limit) = 0;
  // The professional created by `request_id`, with the first certificate and
  // the stored request hash; nullopt when the request id is unused.
  virtual absl::StatusOr<std::optional<ProfessionalRecord>> FindByRequestId(
      const std::string& request_id) = 0;
  // The writes below are steps of the caller's transaction (a use case's
  // unit of work, or a tool's Database::Write): the caller appends the
  // audit entry in the same transaction.

  // Inserts professional, roles and certificate. NOT_FOUND naming
  // organisation_id when the organisation does not exist; ALREADY_EXISTS
  // when the request id was taken meanwhile.
  virtual absl::Status AddProfessional(Connection& c, const ProfessionalRecord& record) = 0;
  // NOT_FOUND when there is no such professional.
  virtual absl::StatusOr<domain::Professional> DisableProfessional(Connection& c,
                                                                   const std::string& id) = 0;
  // Sets the revoke time unless already revoked (then unchanged); NOT_FOUND
  // when there is no certificate with that serial.
  virtual absl::StatusOr<domain::CertificateRecord> RevokeCertificate(Connection& c,
                                                                      const std::string& serial,
                                                                      absl::Time now) = 0;

  // --- Grants and enrollment (dual control) ---------------------------------

  // Every professional, ordered by id, at most `limit`.
  virtual absl::StatusOr<std::vector<domain::Professional>> ListProfessionals(int limit) = 0;

  // NOT_FOUND when there is no grant with that id.
  virtual absl::StatusOr<domain::Grant> GetGrant(const std::string& id) = 0;
  // Grants oldest first, at most `limit` (grant_rows.h, ReadGrants).
  virtual absl::StatusOr<std::vector<domain::Grant>> ListGrants(
      bool pending_only, const std::string& professional_id, int limit) = 0;
  // Records the decision of a pending grant (status, decided_by,
  // decide_time, reason of `decided`); an approval adds its roles to the
  // professional's roles, and its team to their teams, in the same
  // transaction. FAILED_PRECONDITION when it was decided meanwhile.
  virtual absl::Status DecideGrant(Connection& c, const domain::Grant& decided) = 0;
  // Stores a new pending grant for an existing professional; NOT_FOUND
  // when there is no such professional.
  virtual absl::Status AddGrant(Connection& c, const domain::Grant& grant) = 0;
  // The enrollment code with this hash, if any.
  virtual absl::StatusOr<std::optional<EnrollmentCodeRow>> FindEnrollmentCode(
      const std::string& code_hash) = 0;
  // Stores a certificate for an existing professional: with `code_hash`
  // set, uses the code up (FAILED_PRECONDITION when it was used or expired
  // meanwhile); with `replaces_serial`, records the renewal.
  virtual absl::Status AddCertificate(Connection& c, const NewCertificate& request) = 0;
  // Loads the seed (reference data, organisations and their teams:
  // domain::SeedTeams) into an empty database; FAILED_PRECONDITION when
  // organisations already exist.
  virtual absl::Status LoadSeed(const domain::SeedData& seed) = 0;

  // --- Teams (design.md, "Teams") -------------------------------------------

  // Teams ordered by (organisation, id), of one organisation or of all
  // (empty id), at most `limit`.
  virtual absl::StatusOr<std::vector<domain::Team>> ListTeams(const std::string& organisation_id,
                                                              int limit) = 0;
  // The team, inside the caller's transaction; nullopt when there is none.
  virtual absl::StatusOr<std::optional<domain::Team>> FindTeam(
      Connection& c, const std::string& organisation_id, const std::string& id) = 0;
  // The organisation's intake team; NOT_FOUND naming `field` for an
  // unknown organisation.
  virtual absl::StatusOr<domain::Team> IntakeTeam(Connection& c,
                                                  const std::string& organisation_id,
                                                  const std::string& field) = 0;
  // NOT_FOUND naming organisation_id when the organisation does not exist;
  // ALREADY_EXISTS naming id when it has a team with that id.
  virtual absl::Status AddTeam(Connection& c, const domain::Team& team) = 0;
  // Takes the professional out of one team: NOT_FOUND naming team when
  // they are not in it; FAILED_PRECONDITION when it is their last one.
  virtual absl::StatusOr<domain::Professional> RemoveFromTeam(Connection& c,
                                                              const std::string& professional_id,
                                                              const std::string& team) = 0;
};

class SqliteDirectoryStore final : public DirectoryStore {
 public:
  explicit SqliteDirectoryStore(Database* db) : db_(db) {}

  absl::StatusOr<Identity> FindIdentity(const std::string& fingerprint) override;
  absl::StatusOr<domain::Organisation> GetOrganisation(const std::string& id) override;
  absl::StatusOr<domain::Professional> GetProfessional(const std::string& id) override;
  absl::StatusOr<OrganisationPage> ListOrganisations(const std::string& after_id,
                                                     int limit) override;
  absl::StatusOr<std::optional<ProfessionalRecord>> FindByRequestId(
      const std::string& request_id) override;
  absl::Status AddProfessional(Connection& c, const ProfessionalRecord& record) override;
  absl::StatusOr<domain::Professional> DisableProfessional(Connection& c,
                                                           const std::string& id) override;
  absl::StatusOr<domain::CertificateRecord> RevokeCertificate(Connection& c,
                                                              const std::string& serial,
                                                              absl::Time now) override;
  absl::StatusOr<std::vector<domain::Professional>> ListProfessionals(int limit) override;
  absl::StatusOr<domain::Grant> GetGrant(const std::string& id) override;
  absl::StatusOr<std::vector<domain::Grant>> ListGrants(bool pending_only,
                                                        const std::string& professional_id,
                                                        int limit) override;
  absl::Status DecideGrant(Connection& c, const domain::Grant& decided) override;
  absl::Status AddGrant(Connection& c, const domain::Grant& grant) override;
  absl::StatusOr<std::optional<EnrollmentCodeRow>> FindEnrollmentCode(
      const std::string& code_hash) override;
  absl::Status AddCertificate(Connection& c, const NewCertificate& request) override;
  absl::Status LoadSeed(const domain::SeedData& seed) override;
  absl::StatusOr<std::vector<domain::Team>> ListTeams(const std::string& organisation_id,
                                                      int limit) override;
  absl::StatusOr<std::optional<domain::Team>> FindTeam(Connection& c,
                                                       const std::string& organisation_id,
                                                       const std::string& id) override;
  absl::StatusOr<domain::Team> IntakeTeam(Connection& c, const std::string& organisation_id,
                                          const std::string& field) override;
  absl::Status AddTeam(Connection& c, const domain::Team& team) override;
  absl::StatusOr<domain::Professional> RemoveFromTeam(Connection& c,
                                                      const std::string& professional_id,
                                                      const std::string& team) override;

 private:
  Database* db_;  // not owned
};

// --- People: the directory as colleagues read it ------------------------------

struct PeoplePage {
  std::vector<domain::Person> people;
  bool more = false;  // another page follows the last row
};

// A change of work contact data: what it was, and the person as the
// directory now shows them.
struct WorkContactChange {
  domain::WorkContact before;
  domain::Person after;
};

// Names beside ids, for the auditor's views; an id without a row is absent.
struct DirectoryNames {
  absl::flat_hash_map<std::string, std::string> professionals;
  absl::flat_hash_map<std::string, std::string> organisations;
};

// The professionals' directory (domain/people.h): listing people with
// their work contact data, setting that data, and the names of
// professionals and organisations.
//
// Work contact data is no part of what authentication reads (Identity), so
// SetWorkContact leaves the identity cache (caching_directory_store.h)
// correct without invalidating it: it changes no column FindIdentity
// selects.
//
// Thread-safe.
class PeopleStore {
 public:
  virtual ~PeopleStore() = default;

  // The people matching `query` with id > `after_id`, ordered by id, at
  // most `limit`. Only professionals with a role in effect are people of
  // the directory; disabled ones only with query.include_disabled. The
  // caller has checked that the organisation and team exist.
  virtual absl::StatusOr<PeoplePage> ListPeople(const domain::PeopleQuery& query,
                                                const std::string& after_id, int limit) = 0;
  // A step of the caller's transaction: writes both fields (empty clears).
  // NOT_FOUND naming professional_id when there is no such professional.
  virtual absl::StatusOr<WorkContactChange> SetWorkContact(Connection& c,
                                                           const std::string& professional_id,
                                                           const domain::WorkContact& contact) = 0;
  // The display names and organisation names of the ids that exist.
  virtual absl::StatusOr<DirectoryNames> Names(const std::vector<std::string>& professional_ids,
                                               const std::vector<std::string>& organisation_ids) = 0;
};

class SqlitePeopleStore final : public PeopleStore {
 public:
  explicit SqlitePeopleStore(Database* db) : db_(db) {}

  absl::StatusOr<PeoplePage> ListPeople(const domain::PeopleQuery& query,
                                        const std::string& after_id, int limit) override;
  absl::StatusOr<WorkContactChange> SetWorkContact(Connection& c,
                                                   const std::string& professional_id,
                                                   const domain::WorkContact& contact) override;
  absl::StatusOr<DirectoryNames> Names(const std::vector<std::string>& professional_ids,
                                       const std::vector<std::string>& organisation_ids) override;

 private:
  Database* db_;  // not owned
};

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_DIRECTORY_STORE_H_
