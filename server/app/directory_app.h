// The directory's use cases: who am I, the organisations, and the admin's
// management of professionals and certificates. Each method decides access
// through the policy, validates with the domain and works through the store.
#ifndef SCHAKEL_SERVER_APP_DIRECTORY_APP_H_
#define SCHAKEL_SERVER_APP_DIRECTORY_APP_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/app/page_tokens.h"
#include "server/app/unit_of_work.h"
#include "server/audit/audit_log.h"
#include "server/audit/trail.h"
#include "server/auth/principal.h"
#include "server/common/clock.h"
#include "server/crypto/x509.h"
#include "server/domain/directory.h"
#include "server/domain/grant.h"
#include "server/domain/people.h"
#include "server/store/directory_store.h"

namespace schakel::app {

struct WhoAmIResult {
  domain::Professional professional;
  domain::Organisation organisation;
  domain::CertificateRecord certificate;
  // The caller's open emergency access: resident → when it ends.
  std::map<std::string, absl::Time> emergency_access;
};

struct OrganisationList {
  std::vector<domain::Organisation> organisations;
  std::string next_page_token;
};

struct PeopleList {
  std::vector<domain::Person> people;
  std::string next_page_token;
};

// The filters of ListPeople as sent; ListPeople validates them.
struct PeopleFilter {
  std::string organisation_id;
  std::string team;
  std::string role;  // an API word, e.g. "bridge_officer"
  std::string name;
  bool include_disabled = false;
};

struct AddedProfessional {
  domain::Professional professional;
  domain::CertificateRecord certificate;  // empty without a CSR
  std::string ca_certificate_pem;
  domain::Grant grant;
  // The one-time code, in the first answer only (the store keeps its hash).
  std::string enrollment_code;
  absl::Time enrollment_expire_time;
};

// At most this many teams in one answer (34 organisations with a few
// teams each need far fewer).
inline constexpr int kMaxTeamsListed = 2000;

// How long an issued client certificate is valid.
inline constexpr absl::Duration kClientCertificateValidity = absl::Hours(24 * 365);

// Thread-safe; holds pointers to objects that outlive it.
class DirectoryApp {
 public:
  DirectoryApp(store::DirectoryStore* store, store::PeopleStore* people,
               const crypto::CertificateAuthority* ca, UnitOfWork* uow, const Clock* clock,
               IdGenerator* ids, const PageTokens* tokens)
      : store_(store),
        people_(people),
        ca_(ca),
        uow_(uow),
        clock_(clock),
        ids_(ids),
        tokens_(tokens) {}

  absl::StatusOr<WhoAmIResult> WhoAmI(const auth::Principal& caller, audit::Trail& trail);
  // Nothing but the policy's yes for an authenticated professional: the
  // floor of every RPC's cost. Reads no data, so it takes no trail.
  absl::Status Ping(const auth::Principal& caller);
  absl::StatusOr<OrganisationList> ListOrganisations(const auth::Principal& caller,
                                                     int page_size,
                                                     const std::string& page_token,
                                                     audit::Trail& trail);
  absl::StatusOr<domain::Organisation> GetOrganisation(const auth::Principal& caller,
                                                       const std::string& id,
                                                       audit::Trail& trail);

  // The teams of one organisation (NOT_FOUND naming organisation_id when
  // unknown) or of all (empty), every role may read them.
  absl::StatusOr<std::vector<domain::Team>> ListTeams(const auth::Principal& caller,
                                                      const std::string& organisation_id,
                                                      audit::Trail& trail);
  // The professionals' directory (domain/people.h says why every role
  // reads every organisation's people): the people matching `filter`,
  // ordered by id, paginated. INVALID_ARGUMENT naming the field for an
  // unknown organisation_id, a team without organisation_id or not of that
  // organisation, a role word that is no role (with the valid words), or a
  // name over 200 bytes or of white space only.
  absl::StatusOr<PeopleList> ListPeople(const auth::Principal& caller, const PeopleFilter& filter,
                                        int page_size, const std::string& page_token,
                                        audit::Trail& trail);
  // Sets a professional's work contact data (empty clears); admin only.
  // INVALID_ARGUMENT naming the field (domain::ValidateWorkContact);
  // NOT_FOUND naming professional_id. The audit entry's reason names what
  // changed, never a value. Answers the person as the directory now shows
  // them.
  absl::StatusOr<domain::Person> SetWorkContact(const auth::Principal& caller,
                                                const std::string& professional_id,
                                                const domain::WorkContact& contact,
                                                audit::Trail& trail);

  // A new team of an organisation (never its intake team); admin only. A
  // team gives nobody access: membership does, by an approved grant.
  absl::StatusOr<domain::Team> CreateTeam(const auth::Principal& caller,
                                          const domain::Team& team, audit::Trail& trail);
  // Takes a professional out of one team; admin only (narrowing access needs
  // no second administrator). FAILED_PRECONDITION for their last team.
  absl::StatusOr<domain::Professional> RemoveFromTeam(const auth::Principal& caller,
                                                      const std::string& professional_id,
                                                      const std::string& team,
                                                      audit::Trail& trail);

  // Registers a professional with a pending grant of the roles asked for;
  // signs their CSR when one is sent, else makes an enrollment code.
  // Idempotent on request_id.
  absl::StatusOr<AddedProfessional> AddProfessional(const auth::Principal& caller,
                                                    const domain::NewProfessional& request,
                                                    audit::Trail& trail);
  absl::StatusOr<domain::Professional> DisableProfessional(const auth::Principal& caller,
                                                           const std::string& id,
                                                           audit::Trail& trail);
  absl::StatusOr<domain::CertificateRecord> RevokeCertificate(const auth::Principal& caller,
                                                              const std::string& serial,
                                                              audit::Trail& trail);
  // The backup's facts go into the trail; the handler records it.
  absl::Status RecordBackup(const auth::Principal& caller, int64_t head_seq,
                            const std::string& sha256, audit::Trail& trail);

 private:
  store::DirectoryStore* store_;
  store::PeopleStore* people_;
  const crypto::CertificateAuthority* ca_;
  UnitOfWork* uow_;
  const Clock* clock_;
  IdGenerator* ids_;
  const PageTokens* tokens_;
};

// Issues a client certificate for `professional_id` to `public_key`, signed
// by `ca`; shared by the API and by `schakel-admin init`.
absl::StatusOr<domain::CertificateRecord> IssueClientCertificate(
    const crypto::CertificateAuthority& ca, EVP_PKEY* public_key,
    const std::string& professional_id, absl::Time now);

}  // namespace schakel::app

#endif  // SCHAKEL_SERVER_APP_DIRECTORY_APP_H_
