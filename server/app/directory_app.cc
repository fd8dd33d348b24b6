#include "server/app/directory_app.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/auth/policy.h"
#include "server/app/enrollment_code.h"
#include "server/common/status_macros.h"
#include "server/domain/page_token.h"
#include "server/domain/resident.h"
#include "server/domain/text.h"
#include "server/store/reference_store.h"

namespace schakel::app {
namespace {

constexpr char kOrganisationList[] = "organisations";
constexpr char kPeopleList[] = "people";
constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 100;

absl::StatusOr<AddedProfessional> Replay(const store::ProfessionalRecord& stored,
                                         const std::string& request_hash,
                                         const crypto::CertificateAuthority& ca) {
  if (stored.request_hash != request_hash) {
    return absl::AlreadyExistsError(
        "request_id: already used for a request with different content");
  }
  // The enrollment code is not repeated: only its hash was kept.
  AddedProfessional out;
  out.professional = stored.professional;
  out.certificate = stored.certificate;
  out.ca_certificate_pem = ca.CertificatePem();
  if (stored.grant) out.grant = *stored.grant;
  return out;
}

}  // namespace

absl::StatusOr<domain::CertificateRecord> IssueClientCertificate(
    const crypto::CertificateAuthority& ca, EVP_PKEY* public_key,
    const std::string& professional_id, absl::Time now) {
  crypto::CertificateSpec spec;
  // The certificate travels in the clear in a TLS 1.2 handshake: it carries
  // the opaque id only, never the professional's name.
  spec.common_name = absl::StrCat("schakel professional ", professional_id);
  spec.uris = {domain::ProfessionalUri(professional_id)};
  spec.not_before = now - absl::Minutes(5);
  spec.not_after = now + kClientCertificateValidity;
  spec.client_auth = true;
  ASSIGN_OR_RETURN(crypto::X509Ptr cert, ca.Issue(spec, public_key));
  ASSIGN_OR_RETURN(crypto::CertificateInfo info, crypto::InspectCertificate(cert.get()));
  domain::CertificateRecord rec;
  rec.serial = info.serial_hex;
  rec.fingerprint = info.fingerprint_sha256;
  rec.professional_id = professional_id;
  rec.not_before = info.not_before;
  rec.not_after = info.not_after;
  rec.pem = crypto::CertificateToPem(cert.get());
  return rec;
}

absl::StatusOr<WhoAmIResult> DirectoryApp::WhoAmI(const auth::Principal& caller,
                                                  audit::Trail& trail) {
  trail.Concerns("professional", caller.professional.id);
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kReadDirectory).ToStatus());
  ASSIGN_OR_RETURN(domain::Organisation org,
                   store_->GetOrganisation(caller.professional.organisation_id));
  return WhoAmIResult{caller.professional, std::move(org), caller.certificate,
                      caller.break_glass_residents};
}

absl::Status DirectoryApp::Ping(const auth::Principal& caller) {
  return auth::Decide(caller, auth::Action::kReadDirectory).ToStatus();
}

absl::StatusOr<OrganisationList> DirectoryApp::ListOrganisations(const auth::Principal& caller,
                                                                 int page_size,
                                                                 const std::string& page_token,
                                                                 audit::Trail& trail) {
  trail.Concerns("organisation", "");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kReadDirectory).ToStatus());
  ASSIGN_OR_RETURN(int limit, domain::ResolvePageSize(page_size, kDefaultPageSize, kMaxPageSize));
  const PageScope scope{kOrganisationList, caller.professional.id, ""};
  ASSIGN_OR_RETURN(std::string after, tokens_->Open(scope, page_token));
  ASSIGN_OR_RETURN(store::OrganisationPage page, store_->ListOrganisations(after, limit));
  OrganisationList out;
  if (page.more && !page.organisations.empty()) {
    ASSIGN_OR_RETURN(out.next_page_token, tokens_->Seal(scope, page.organisations.back().id));
  }
  out.organisations = std::move(page.organisations);
  return out;
}

absl::StatusOr<domain::Organisation> DirectoryApp::GetOrganisation(const auth::Principal& caller,
                                                                   const std::string& id,
                                                                   audit::Trail& trail) {
  trail.Concerns("organisation", id);
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kReadDirectory).ToStatus());
  if (id.empty()) return absl::InvalidArgumentError("id: required");
  if (id.size() > 64) return absl::InvalidArgumentError("id: at most 64 characters");
  return store_->GetOrganisation(id);
}

absl::StatusOr<std::vector<domain::Team>> DirectoryApp::ListTeams(
    const auth::Principal& caller, const std::string& organisation_id, audit::Trail& trail) {
  trail.Concerns("team", "");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kReadDirectory).ToStatus());
  if (organisation_id.size() > 64) {
    return absl::InvalidArgumentError("organisation_id: at most 64 characters");
  }
  if (!organisation_id.empty()) {
    absl::StatusOr<domain::Organisation> org = store_->GetOrganisation(organisation_id);
    if (org.status().code() == absl::StatusCode::kNotFound) {
      return absl::NotFoundError(
          absl::StrCat("organisation_id: no organisation ", organisation_id));
    }
    RETURN_IF_ERROR(org.status());
  }
  return store_->ListTeams(organisation_id, kMaxTeamsListed);
}

absl::StatusOr<PeopleList> DirectoryApp::ListPeople(const auth::Principal& caller,
                                                    const PeopleFilter& filter, int page_size,
                                                    const std::string& page_token,
                                                    audit::Trail& trail) {
  trail.Concerns("professional", "");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kReadDirectory).ToStatus());
  domain::PeopleQuery q;
  q.include_disabled = filter.include_disabled;
  if (!filter.organisation_id.empty()) {
    absl::StatusOr<domain::Organisation> org = store_->GetOrganisation(filter.organisation_id);
    if (org.status().code() == absl::StatusCode::kNotFound) {
      return absl::InvalidArgumentError(absl::StrCat(
          "organisation_id: no organisation ", filter.organisation_id,
          " (the ids of DirectoryService.ListOrganisations)"));
    }
    RETURN_IF_ERROR(org.status());
    q.organisation_id = filter.organisation_id;
  }
  if (!filter.team.empty()) {
    RETURN_IF_ERROR(domain::ValidateTeamId("team", filter.team));
    if (q.organisation_id.empty()) {
      return absl::InvalidArgumentError(
          "team: needs organisation_id (a team id names a team inside one organisation)");
    }
    ASSIGN_OR_RETURN(std::vector<domain::Team> teams,
                     store_->ListTeams(q.organisation_id, kMaxTeamsListed));
    std::vector<std::string> ids;
    for (const domain::Team& t : teams) ids.push_back(t.id);
    if (std::find(ids.begin(), ids.end(), filter.team) == ids.end()) {
      return absl::InvalidArgumentError(absl::StrCat("team: organisation ", q.organisation_id,
                                                     " has no team ", filter.team, "; its teams: ",
                                                     absl::StrJoin(ids, ", ")));
    }
    q.team = filter.team;
  }
  if (!filter.role.empty()) {
    ASSIGN_OR_RETURN(q.role, domain::ParseRoleWord("role", filter.role));
  }
  if (!filter.name.empty()) {
    RETURN_IF_ERROR(domain::ValidateText("name", filter.name, domain::kMaxNameLength));
    q.name_key = domain::NameKey(filter.name);
    if (q.name_key.empty()) return absl::InvalidArgumentError("name: must not be only white space");
  }
  ASSIGN_OR_RETURN(int limit, domain::ResolvePageSize(page_size, kDefaultPageSize, kMaxPageSize));
  // The filter as validated: the folded name, so that "Jan" and "jan"
  // continue each other's pages.
  const PageScope scope{kPeopleList, caller.professional.id,
                        FilterText({q.organisation_id, q.team,
                                    q.role ? domain::RoleName(*q.role) : "", q.name_key,
                                    q.include_disabled ? "disabled" : ""})};
  ASSIGN_OR_RETURN(std::string after, tokens_->Open(scope, page_token));
  ASSIGN_OR_RETURN(store::PeoplePage page, people_->ListPeople(q, after, limit));
  PeopleList out;
  if (page.more && !page.people.empty()) {
    ASSIGN_OR_RETURN(out.next_page_token, tokens_->Seal(scope, page.people.back().id));
  }
  out.people = std::move(page.people);
  return out;
}

absl::StatusOr<domain::Person> DirectoryApp::SetWorkContact(const auth::Principal& caller,
                                                            const std::string& professional_id,
                                                            const domain::WorkContact& contact,
                                                            audit::Trail& trail) {
  trail.Concerns("professional", professional_id);
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kManageProfessionals).ToStatus());
  if (professional_id.empty()) return absl::InvalidArgumentError("professional_id: required");
  RETURN_IF_ERROR(domain::ValidateWorkContact(contact));
  domain::Person person;
  RETURN_IF_ERROR(uow_->Run(trail, [&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(store::WorkContactChange change,
                     people_->SetWorkContact(tx, professional_id, contact));
    // What changed, never the values: they are the professional's personal
    // data, and the audit log keeps no personal data but ids.
    trail.entry.reason =
        absl::StrCat("work contact of professional ", professional_id, ": ",
                     domain::WorkContactChangeText(change.before, contact));
    person = std::move(change.after);
    return absl::OkStatus();
  }));
  return person;
}

absl::StatusOr<domain::Team> DirectoryApp::CreateTeam(const auth::Principal& caller,
                                                      const domain::Team& request,
                                                      audit::Trail& trail) {
  trail.Concerns("team", "");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kManageProfessionals).ToStatus());
  RETURN_IF_ERROR(domain::ValidateNewTeam(request));
  if (request.id == domain::kIntakeTeam) {
    return absl::InvalidArgumentError(
        "id: \"intake\" names the intake teams that organisations get; choose another id");
  }
  domain::Team team = request;
  // The intake team is made with the organisation (seed or migration 11);
  // a new one is never the intake (that would move every handover
  // addressed to the organisation at one administrator's word).
  team.intake = false;
  team.create_time = clock_->Now();
  trail.Concerns("team", absl::StrCat(team.organisation_id, "/", team.id));
  trail.entry.reason = absl::StrCat("team ", team.id, " of organisation ", team.organisation_id,
                                    " created");
  RETURN_IF_ERROR(uow_->Run(trail, [&](Transaction& tx) { return store_->AddTeam(tx, team); }));
  return team;
}

absl::StatusOr<domain::Professional> DirectoryApp::RemoveFromTeam(
    const auth::Principal& caller, const std::string& professional_id, const std::string& team,
    audit::Trail& trail) {
  trail.Concerns("professional", professional_id.size() <= 64 ? professional_id : "");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kManageProfessionals).ToStatus());
  if (professional_id.empty()) return absl::InvalidArgumentError("professional_id: required");
  if (professional_id.size() > 64) {
    return absl::InvalidArgumentError("professional_id: at most 64 characters");
  }
  RETURN_IF_ERROR(domain::ValidateTeamId("team", team));
  trail.entry.reason =
      absl::StrCat("professional ", professional_id, " taken out of team ", team);
  domain::Professional updated;
  RETURN_IF_ERROR(uow_->Run(trail, [&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(updated, store_->RemoveFromTeam(tx, professional_id, team));
    return absl::OkStatus();
  }));
  return updated;
}

absl::StatusOr<AddedProfessional> DirectoryApp::AddProfessional(
    const auth::Principal& caller, const domain::NewProfessional& request, audit::Trail& trail) {
  trail.Concerns("professional", "");
  trail.entry.request_id = request.request_id;
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kManageProfessionals).ToStatus());
  RETURN_IF_ERROR(domain::ValidateNewProfessional(request));
  const std::string request_hash =
      crypto::HexEncode(crypto::Sha256(domain::RequestFingerprint(request)));

  ASSIGN_OR_RETURN(auto existing, store_->FindByRequestId(request.request_id));
  if (existing) {
    trail.Concerns("professional", existing->professional.id);
    return Replay(*existing, request_hash, *ca_);
  }

  crypto::PkeyPtr key;
  if (!request.csr_pem.empty()) {
    ASSIGN_OR_RETURN(key, crypto::PublicKeyFromCsrPem(request.csr_pem));
  }
  const absl::Time now = clock_->Now();
  store::ProfessionalRecord rec;
  rec.professional.id = ids_->NewId("p");
  rec.professional.organisation_id = request.organisation_id;
  rec.professional.display_name = request.display_name;
  rec.professional.create_time = now;
  rec.request_id = request.request_id;
  rec.request_hash = request_hash;
  // The roles are asked for, not given: a second administrator approves.
  domain::Grant grant;
  grant.id = ids_->NewId("g");
  grant.professional_id = rec.professional.id;
  grant.organisation_id = request.organisation_id;
  grant.team = request.team;
  grant.roles = domain::ParseRolesText(domain::RolesText(request.roles));
  grant.status = domain::GrantStatus::kPending;
  grant.requested_by = caller.professional.id;
  grant.request_time = now;
  rec.grant = grant;
  rec.professional.pending_roles = grant.roles;
  AddedProfessional out;
  if (key) {
    ASSIGN_OR_RETURN(rec.certificate,
                     IssueClientCertificate(*ca_, key.get(), rec.professional.id, now));
  } else {
    ASSIGN_OR_RETURN(EnrollmentCode code, NewEnrollmentCode());
    rec.enrollment_code_hash = code.hash;
    rec.enrollment_expire_time = now + domain::kEnrollmentCodeValidity;
    out.enrollment_code = code.code;
    out.enrollment_expire_time = rec.enrollment_expire_time;
  }

  trail.Concerns("professional", rec.professional.id);
  absl::Status stored = uow_->Run(trail, [&](Transaction& tx) -> absl::Status {
    // The team asked for, or the organisation's intake team: every
    // professional works in at least one team once the grant is approved.
    ASSIGN_OR_RETURN(grant.team, store::ResolveTeam(tx, "organisation_id",
                                                    request.organisation_id, "team", request.team));
    rec.grant = grant;
    trail.entry.reason = absl::StrCat(domain::GrantAuditText(grant), " requested",
                                      key ? ", certificate from the professional's CSR"
                                          : ", enrollment code made");
    return store_->AddProfessional(tx, rec);
  });
  if (stored.code() == absl::StatusCode::kAlreadyExists) {
    // A concurrent retry with the same request id won the race.
    ASSIGN_OR_RETURN(auto winner, store_->FindByRequestId(request.request_id));
    if (winner) return Replay(*winner, request_hash, *ca_);
  }
  RETURN_IF_ERROR(stored);
  out.professional = std::move(rec.professional);
  out.professional.pending_teams = {grant.team};
  out.certificate = std::move(rec.certificate);
  out.ca_certificate_pem = ca_->CertificatePem();
  out.grant = std::move(grant);
  return out;
}

absl::StatusOr<domain::Professional> DirectoryApp::DisableProfessional(
    const auth::Principal& caller, const std::string& id, audit::Trail& trail) {
  trail.Concerns("professional", id);
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kManageProfessionals).ToStatus());
  if (id.empty()) return absl::InvalidArgumentError("professional_id: required");
  if (id.size() > 64) return absl::InvalidArgumentError("professional_id: at most 64 characters");
  // An admin who disables themselves could leave nobody to manage the
  // directory; another admin must do it.
  if (id == caller.professional.id) {
    return absl::FailedPreconditionError("professional_id: an admin cannot disable themselves");
  }
  domain::Professional disabled;
  RETURN_IF_ERROR(uow_->Run(trail, [&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(disabled, store_->DisableProfessional(tx, id));
    return absl::OkStatus();
  }));
  return disabled;
}

absl::StatusOr<domain::CertificateRecord> DirectoryApp::RevokeCertificate(
    const auth::Principal& caller, const std::string& serial, audit::Trail& trail) {
  std::string normalized = absl::AsciiStrToUpper(serial);
  trail.Concerns("certificate", normalized.size() <= 64 ? normalized : "");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kManageProfessionals).ToStatus());
  if (normalized.empty() || normalized.size() > 64 ||
      !std::all_of(normalized.begin(), normalized.end(),
                   [](char c) { return absl::ascii_isxdigit(static_cast<unsigned char>(c)); })) {
    return absl::InvalidArgumentError("serial: must be 1 to 64 hexadecimal digits");
  }
  const absl::Time now = clock_->Now();
  domain::CertificateRecord revoked;
  RETURN_IF_ERROR(uow_->Run(trail, [&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(revoked, store_->RevokeCertificate(tx, normalized, now));
    return absl::OkStatus();
  }));
  return revoked;
}

absl::Status DirectoryApp::RecordBackup(const auth::Principal& caller, int64_t head_seq,
                                        const std::string& sha256, audit::Trail& trail) {
  trail.Concerns("backup", sha256.size() == 64 ? sha256 : "");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kManageProfessionals).ToStatus());
  if (head_seq < 0) return absl::InvalidArgumentError("head_seq: must not be negative");
  if (sha256.size() != 64 || !std::all_of(sha256.begin(), sha256.end(), [](char c) {
        return absl::ascii_isxdigit(static_cast<unsigned char>(c));
      })) {
    return absl::InvalidArgumentError("sha256: must be 64 hex digits");
  }
  trail.entry.reason = absl::StrCat("backup up to audit seq ", head_seq);
  return absl::OkStatus();
}

}  // namespace schakel::app
