#include "server/store/directory_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/domain/name_key.h"

namespace schakel::store {
namespace {

using domain::CertificateRecord;
using domain::Organisation;
using domain::Professional;

constexpr char kSelectIdentity[] =
    "SELECT c.serial, c.professional_id, c.not_before, c.not_after, c.revoke_time, c.pem,"
    "       p.organisation_id, p.display_name, p.disabled, p.create_time,"
    "       (SELECT o.serial FROM certificates o"
    "        WHERE o.serial = c.replaces_serial AND o.revoke_time IS NULL) "
    "FROM certificates c JOIN professionals p ON p.id = c.professional_id "
    "WHERE c.fingerprint = ?1";
constexpr char kSelectRoles[] =
    "SELECT role FROM professional_roles WHERE professional_id = ?1";
constexpr char kSelectProfessional[] =
    "SELECT id, organisation_id, display_name, disabled, create_time FROM professionals "
    "WHERE id = ?1";
constexpr char kSelectByRequestId[] =
    "SELECT id, request_hash FROM professionals WHERE request_id = ?1";
constexpr char kSelectFirstCertificate[] =
    "SELECT fingerprint, serial, not_before, not_after, revoke_time, pem FROM certificates "
    "WHERE professional_id = ?1 ORDER BY issue_time, serial LIMIT 1";
constexpr char kSelectOrganisation[] =
    "SELECT id, name, sector FROM organisations WHERE id = ?1";
constexpr char kSelectOrganisationPage[] =
    "SELECT id, name, sector FROM organisations WHERE id > ?1 ORDER BY id LIMIT ?2";
constexpr char kSelectOrganisationOpgaven[] =
    "SELECT opgave FROM organisation_opgaven WHERE organisation_id = ?1 ORDER BY opgave";
constexpr char kInsertProfessional[] =
    "INSERT INTO professionals (id, organisation_id, display_name, disabled, create_time,"
    " request_id, request_hash) VALUES (?1, ?2, ?3, 0, ?4, ?5, ?6)";
constexpr char kInsertRole[] =
    "INSERT OR IGNORE INTO professional_roles (professional_id, role) VALUES (?1, ?2)";
constexpr char kInsertCertificate[] =
    "INSERT INTO certificates (fingerprint, serial, professional_id, not_before, not_after,"
    " issue_time, revoke_time, pem, replaces_serial) VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7, ?8)";
constexpr char kDisableProfessional[] = "UPDATE professionals SET disabled = 1 WHERE id = ?1";
constexpr char kRevokeCertificate[] =
    "UPDATE certificates SET revoke_time = ?2 WHERE serial = ?1 AND revoke_time IS NULL";
constexpr char kSelectCertificateBySerial[] =
    "SELECT fingerprint, serial, professional_id, not_before, not_after, revoke_time, pem "
    "FROM certificates WHERE serial = ?1";
constexpr char kSelectProfessionalIds[] = "SELECT id FROM professionals ORDER BY id LIMIT ?1";
constexpr char kCountOrganisations[] = "SELECT count(*) FROM organisations";
constexpr char kHasTeams[] = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'teams'";
constexpr char kInsertOpgave[] = "INSERT INTO opgaven (code, label_nl, label_en) VALUES (?1, ?2, ?3)";
constexpr char kInsertDoel[] =
    "INSERT INTO doelen (opgave, number, label_nl, label_en) VALUES (?1, ?2, ?3, ?4)";
constexpr char kInsertWijk[] = "INSERT INTO wijken (code, name) VALUES (?1, ?2)";
constexpr char kInsertCategory[] =
    "INSERT INTO signal_categories (code, label_nl, label_en, opgave, sensitivity)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr char kInsertOrganisation[] =
    "INSERT INTO organisations (id, name, sector) VALUES (?1, ?2, ?3)";
constexpr char kInsertOrganisationOpgave[] =
    "INSERT INTO organisation_opgaven (organisation_id, opgave) VALUES (?1, ?2)";

// The people of the directory (domain/people.h). The name filter is no
// SQL: names are compared through domain::NameKey, C++ folding that
// SQLite's lower() (ASCII only) cannot repeat, so the scan in id order
// tests each row's name and stops once a page is full. A programme's
// directory is hundreds of professionals, and the keyset keeps a later
// page as cheap as the first.
constexpr char kSelectPeople[] =
    "SELECT p.id, p.display_name, p.organisation_id, o.name, p.work_phone, p.work_email,"
    "       p.disabled "
    "FROM professionals p JOIN organisations o ON o.id = p.organisation_id "
    "WHERE p.id > ?1"
    "  AND (?2 = '' OR p.organisation_id = ?2)"
    "  AND (?3 = '' OR EXISTS (SELECT 1 FROM team_members m WHERE m.professional_id = p.id"
    "                          AND m.organisation_id = p.organisation_id AND m.team_id = ?3))"
    "  AND EXISTS (SELECT 1 FROM professional_roles r WHERE r.professional_id = p.id"
    "              AND (?4 = '' OR r.role = ?4))"
    "  AND (?5 = 1 OR p.disabled = 0) "
    "ORDER BY p.id";
constexpr char kSelectPerson[] =
    "SELECT p.id, p.display_name, p.organisation_id, o.name, p.work_phone, p.work_email,"
    "       p.disabled "
    "FROM professionals p JOIN organisations o ON o.id = p.organisation_id WHERE p.id = ?1";
constexpr char kSelectWorkContact[] =
    "SELECT work_phone, work_email FROM professionals WHERE id = ?1";
constexpr char kUpdateWorkContact[] =
    "UPDATE professionals SET work_phone = ?2, work_email = ?3 WHERE id = ?1";
constexpr char kSelectDisplayName[] = "SELECT display_name FROM professionals WHERE id = ?1";
constexpr char kSelectOrganisationName[] = "SELECT name FROM organisations WHERE id = ?1";

absl::StatusOr<std::vector<domain::Role>> ReadRoles(Connection& c, const std::string& id) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectRoles, "read roles"));
  st.Bind(1, id);
  std::vector<domain::Role> roles;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    // An unknown role name (from a newer binary) grants nothing.
    if (auto role = domain::ParseRole(st.ColumnText(0))) roles.push_back(*role);
  }
  std::sort(roles.begin(), roles.end());
  return roles;
}

absl::StatusOr<std::optional<Professional>> ReadProfessional(Connection& c,
                                                             const std::string& id) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectProfessional, "read professional"));
  st.Bind(1, id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::nullopt;
  Professional p;
  p.id = st.ColumnText(0);
  p.organisation_id = st.ColumnText(1);
  p.display_name = st.ColumnText(2);
  p.disabled = st.ColumnInt(3) != 0;
  p.create_time = st.ColumnTime(4);
  ASSIGN_OR_RETURN(p.roles, ReadRoles(c, id));
  ASSIGN_OR_RETURN(p.pending_roles, ReadPendingRoles(c, id));
  ASSIGN_OR_RETURN(p.teams, ReadMemberships(c, id));
  ASSIGN_OR_RETURN(p.pending_teams, ReadPendingTeams(c, id));
  return p;
}

absl::Status InsertCertificate(Connection& c, const CertificateRecord& cert, absl::Time issued,
                               const std::string& replaces_serial) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kInsertCertificate, "insert certificate"));
  st.Bind(1, cert.fingerprint).Bind(2, cert.serial).Bind(3, cert.professional_id);
  st.BindTime(4, cert.not_before).BindTime(5, cert.not_after).BindTime(6, issued);
  st.Bind(7, cert.pem).BindOrNull(8, replaces_serial);
  return st.Run();
}

absl::StatusOr<std::vector<std::string>> ReadOpgaven(Connection& c, const std::string& org) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectOrganisationOpgaven, "read opgaven"));
  st.Bind(1, org);
  std::vector<std::string> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(st.ColumnText(0));
  }
  return out;
}

Organisation OrganisationFromRow(const Statement& st) {
  return Organisation{st.ColumnText(0), st.ColumnText(1), st.ColumnText(2), {}};
}

// A row of kSelectPeople or kSelectPerson, without teams and roles.
domain::Person PersonFromRow(const Statement& st) {
  domain::Person p;
  p.id = st.ColumnText(0);
  p.display_name = st.ColumnText(1);
  p.organisation_id = st.ColumnText(2);
  p.organisation_name = st.ColumnText(3);
  p.contact.phone = st.ColumnText(4);
  p.contact.email = st.ColumnText(5);
  p.disabled = st.ColumnInt(6) != 0;
  return p;
}

// The roles and teams in effect; pending ones are no part of a person.
absl::Status ReadPersonRelations(Connection& c, domain::Person& p) {
  ASSIGN_OR_RETURN(p.roles, ReadRoles(c, p.id));
  ASSIGN_OR_RETURN(p.teams, ReadMemberships(c, p.id));
  return absl::OkStatus();
}

absl::StatusOr<std::optional<std::string>> ReadOneText(Connection& c, const char* sql,
                                                       const char* what, const std::string& id) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(sql, what));
  st.Bind(1, id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::nullopt;
  return st.ColumnText(0);
}

std::optional<absl::Time> OptionalTime(const Statement& st, int index) {
  if (st.ColumnIsNull(index)) return std::nullopt;
  return st.ColumnTime(index);
}

}  // namespace

absl::StatusOr<Identity> SqliteDirectoryStore::FindIdentity(const std::string& fingerprint) {
  std::optional<Identity> found;
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectIdentity, "find certificate"));
    st.Bind(1, fingerprint);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return absl::OkStatus();
    Identity id;
    id.certificate.fingerprint = fingerprint;
    id.certificate.serial = st.ColumnText(0);
    id.certificate.professional_id = st.ColumnText(1);
    id.certificate.not_before = st.ColumnTime(2);
    id.certificate.not_after = st.ColumnTime(3);
    id.certificate.revoke_time = OptionalTime(st, 4);
    id.certificate.pem = st.ColumnText(5);
    id.professional.id = id.certificate.professional_id;
    id.professional.organisation_id = st.ColumnText(6);
    id.professional.display_name = st.ColumnText(7);
    id.professional.disabled = st.ColumnInt(8) != 0;
    id.professional.create_time = st.ColumnTime(9);
    if (!st.ColumnIsNull(10)) id.replaces_active_serial = st.ColumnText(10);
    ASSIGN_OR_RETURN(id.professional.roles, ReadRoles(c, id.professional.id));
    ASSIGN_OR_RETURN(id.professional.pending_roles, ReadPendingRoles(c, id.professional.id));
    ASSIGN_OR_RETURN(id.professional.teams, ReadMemberships(c, id.professional.id));
    ASSIGN_OR_RETURN(id.professional.pending_teams, ReadPendingTeams(c, id.professional.id));
    found = std::move(id);
    return absl::OkStatus();
  }));
  if (!found) return absl::NotFoundError("certificate is not registered");
  return *std::move(found);
}

absl::StatusOr<Professional> SqliteDirectoryStore::GetProfessional(const std::string& id) {
  std::optional<Professional> found;
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(found, ReadProfessional(c, id));
    return absl::OkStatus();
  }));
  if (!found) return absl::NotFoundError(absl::StrCat("professional ", id, " not found"));
  return *std::move(found);
}

absl::StatusOr<Organisation> SqliteDirectoryStore::GetOrganisation(const std::string& id) {
  std::optional<Organisation> found;
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectOrganisation, "read organisation"));
    st.Bind(1, id);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return absl::OkStatus();
    Organisation o = OrganisationFromRow(st);
    ASSIGN_OR_RETURN(o.opgaven, ReadOpgaven(c, o.id));
    found = std::move(o);
    return absl::OkStatus();
  }));
  if (!found) return absl::NotFoundError(absl::StrCat("organisation ", id, " not found"));
  return *std::move(found);
}

absl::StatusOr<OrganisationPage> SqliteDirectoryStore::ListOrganisations(
    const std::string& after_id, int limit) {
  OrganisationPage page;
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectOrganisationPage, "list organisations"));
    // One row more than asked tells whether another page follows.
    st.Bind(1, after_id).Bind(2, static_cast<int64_t>(limit) + 1);
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      if (static_cast<int>(page.organisations.size()) == limit) {
        page.more = true;
        break;
      }
      page.organisations.push_back(OrganisationFromRow(st));
    }
    for (Organisation& o : page.organisations) {
      ASSIGN_OR_RETURN(o.opgaven, ReadOpgaven(c, o.id));
    }
    return absl::OkStatus();
  }));
  return page;
}

absl::StatusOr<std::optional<ProfessionalRecord>> SqliteDirectoryStore::FindByRequestId(
    const std::string& request_id) {
  std::optional<ProfessionalRecord> found;
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectByRequestId, "find request id"));
    st.Bind(1, request_id);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return absl::OkStatus();
    ProfessionalRecord rec;
    rec.request_id = request_id;
    rec.request_hash = st.ColumnText(1);
    ASSIGN_OR_RETURN(auto professional, ReadProfessional(c, st.ColumnText(0)));
    if (!professional) return absl::InternalError("professional vanished");
    rec.professional = *std::move(professional);
    ASSIGN_OR_RETURN(Statement cert, c.Prepare(kSelectFirstCertificate, "read certificate"));
    cert.Bind(1, rec.professional.id);
    ASSIGN_OR_RETURN(bool has_cert, cert.Step());
    if (has_cert) {
      rec.certificate.fingerprint = cert.ColumnText(0);
      rec.certificate.serial = cert.ColumnText(1);
      rec.certificate.professional_id = rec.professional.id;
      rec.certificate.not_before = cert.ColumnTime(2);
      rec.certificate.not_after = cert.ColumnTime(3);
      rec.certificate.revoke_time = OptionalTime(cert, 4);
      rec.certificate.pem = cert.ColumnText(5);
    }
    ASSIGN_OR_RETURN(std::vector<domain::Grant> grants,
                     ReadGrants(c, /*pending_only=*/false, rec.professional.id, 1));
    if (!grants.empty()) rec.grant = std::move(grants.front());
    found = std::move(rec);
    return absl::OkStatus();
  }));
  return found;
}

absl::Status SqliteDirectoryStore::AddProfessional(Connection& c, const ProfessionalRecord& r) {
  {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectOrganisation, "check organisation"));
    st.Bind(1, r.professional.organisation_id);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) {
      return absl::NotFoundError(
          absl::StrCat("organisation_id: no organisation ", r.professional.organisation_id));
    }
  }
  {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectByRequestId, "check request id"));
    st.Bind(1, r.request_id);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (row) return absl::AlreadyExistsError("request_id: already used");
  }
  const Professional& p = r.professional;
  ASSIGN_OR_RETURN(Statement ins, c.Prepare(kInsertProfessional, "insert professional"));
  ins.Bind(1, p.id).Bind(2, p.organisation_id).Bind(3, p.display_name).BindTime(4, p.create_time);
  ins.Bind(5, r.request_id).Bind(6, r.request_hash);
  RETURN_IF_ERROR(ins.Run());
  for (domain::Role role : p.roles) {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kInsertRole, "insert role"));
    st.Bind(1, p.id).Bind(2, domain::RoleName(role));
    RETURN_IF_ERROR(st.Run());
  }
  for (const std::string& team : p.teams) {
    RETURN_IF_ERROR(InsertMembership(c, p.id, p.organisation_id, team, p.create_time));
  }
  if (!r.certificate.fingerprint.empty()) {
    CertificateRecord cert = r.certificate;
    cert.professional_id = p.id;
    RETURN_IF_ERROR(InsertCertificate(c, cert, p.create_time, ""));
  }
  if (r.grant) {
    RETURN_IF_ERROR(InsertGrant(c, *r.grant));
    if (r.grant->status == domain::GrantStatus::kApproved) {
      for (domain::Role role : r.grant->roles) {
        ASSIGN_OR_RETURN(Statement st, c.Prepare(kInsertRole, "insert role"));
        st.Bind(1, p.id).Bind(2, domain::RoleName(role));
        RETURN_IF_ERROR(st.Run());
      }
      if (!r.grant->team.empty()) {
        RETURN_IF_ERROR(
            InsertMembership(c, p.id, p.organisation_id, r.grant->team, p.create_time));
      }
    }
  }
  if (r.enrollment_code_hash) {
    RETURN_IF_ERROR(InsertEnrollmentCode(
        c, EnrollmentCodeRow{*r.enrollment_code_hash, p.id, p.create_time,
                             r.enrollment_expire_time, std::nullopt}));
  }
  return absl::OkStatus();
}

absl::StatusOr<Professional> SqliteDirectoryStore::DisableProfessional(Connection& c,
                                                                       const std::string& id) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kDisableProfessional, "disable professional"));
  st.Bind(1, id);
  RETURN_IF_ERROR(st.Run());
  ASSIGN_OR_RETURN(std::optional<Professional> result, ReadProfessional(c, id));
  if (!result) return absl::NotFoundError(absl::StrCat("professional ", id, " not found"));
  return *std::move(result);
}

absl::StatusOr<CertificateRecord> SqliteDirectoryStore::RevokeCertificate(
    Connection& c, const std::string& serial, absl::Time now) {
  ASSIGN_OR_RETURN(Statement up, c.Prepare(kRevokeCertificate, "revoke certificate"));
  up.Bind(1, serial).BindTime(2, now);
  RETURN_IF_ERROR(up.Run());
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectCertificateBySerial, "read certificate"));
  st.Bind(1, serial);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return absl::NotFoundError(absl::StrCat("serial: no certificate ", serial));
  CertificateRecord rec;
  rec.fingerprint = st.ColumnText(0);
  rec.serial = st.ColumnText(1);
  rec.professional_id = st.ColumnText(2);
  rec.not_before = st.ColumnTime(3);
  rec.not_after = st.ColumnTime(4);
  rec.revoke_time = OptionalTime(st, 5);
  rec.pem = st.ColumnText(6);
  return rec;
}

absl::StatusOr<std::vector<Professional>> SqliteDirectoryStore::ListProfessionals(int limit) {
  std::vector<Professional> out;
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    out.clear();
    std::vector<std::string> ids;
    {
      ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectProfessionalIds, "list professionals"));
      st.Bind(1, static_cast<int64_t>(limit));
      while (true) {
        ASSIGN_OR_RETURN(bool row, st.Step());
        if (!row) break;
        ids.push_back(st.ColumnText(0));
      }
    }
    for (const std::string& id : ids) {
      ASSIGN_OR_RETURN(std::optional<Professional> p, ReadProfessional(c, id));
      if (p) out.push_back(*std::move(p));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<domain::Grant> SqliteDirectoryStore::GetGrant(const std::string& id) {
  std::optional<domain::Grant> found;
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(found, ReadGrant(c, id));
    return absl::OkStatus();
  }));
  if (!found) return absl::NotFoundError(absl::StrCat("grant_id: no grant ", id));
  return *std::move(found);
}

absl::StatusOr<std::vector<domain::Grant>> SqliteDirectoryStore::ListGrants(
    bool pending_only, const std::string& professional_id, int limit) {
  std::vector<domain::Grant> out;
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(out, ReadGrants(c, pending_only, professional_id, limit));
    return absl::OkStatus();
  }));
  return out;
}

absl::Status SqliteDirectoryStore::DecideGrant(Connection& c, const domain::Grant& decided) {
  RETURN_IF_ERROR(DecideGrantRow(c, decided));
  if (decided.status == domain::GrantStatus::kApproved) {
    for (domain::Role role : decided.roles) {
      ASSIGN_OR_RETURN(Statement st, c.Prepare(kInsertRole, "insert role"));
      st.Bind(1, decided.professional_id).Bind(2, domain::RoleName(role));
      RETURN_IF_ERROR(st.Run());
    }
    if (!decided.team.empty()) {
      RETURN_IF_ERROR(InsertMembership(c, decided.professional_id, decided.organisation_id,
                                       decided.team,
                                       decided.decide_time.value_or(absl::UnixEpoch())));
    }
  }
  return absl::OkStatus();
}

absl::Status SqliteDirectoryStore::AddGrant(Connection& c, const domain::Grant& grant) {
  ASSIGN_OR_RETURN(std::optional<Professional> p, ReadProfessional(c, grant.professional_id));
  if (!p) {
    return absl::NotFoundError(
        absl::StrCat("professional_id: no professional ", grant.professional_id));
  }
  RETURN_IF_ERROR(InsertGrant(c, grant));
  return absl::OkStatus();
}

absl::StatusOr<std::optional<EnrollmentCodeRow>> SqliteDirectoryStore::FindEnrollmentCode(
    const std::string& code_hash) {
  std::optional<EnrollmentCodeRow> found;
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(found, ReadEnrollmentCode(c, code_hash));
    return absl::OkStatus();
  }));
  return found;
}

absl::Status SqliteDirectoryStore::AddCertificate(Connection& c, const NewCertificate& r) {
  if (!r.code_hash.empty()) RETURN_IF_ERROR(UseEnrollmentCode(c, r.code_hash, r.now));
  RETURN_IF_ERROR(InsertCertificate(c, r.certificate, r.now, r.replaces_serial));
  return absl::OkStatus();
}

absl::Status SqliteDirectoryStore::LoadSeed(const domain::SeedData& seed) {
  return db_->Write([&](Connection& c) -> absl::Status {
    {
      ASSIGN_OR_RETURN(Statement st, c.Prepare(kCountOrganisations, "count organisations"));
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (row && st.ColumnInt(0) > 0) {
        return absl::FailedPreconditionError("the database is already seeded");
      }
    }
    auto insert = [&c](const char* sql, const char* what,
                       std::initializer_list<absl::string_view> values) -> absl::Status {
      ASSIGN_OR_RETURN(Statement st, c.Prepare(sql, what));
      int i = 1;
      for (absl::string_view v : values) st.Bind(i++, v);
      return st.Run();
    };
    for (const auto& o : seed.opgaven) {
      RETURN_IF_ERROR(insert(kInsertOpgave, "seed opgave", {o.code, o.label_nl, o.label_en}));
    }
    for (const auto& d : seed.doelen) {
      ASSIGN_OR_RETURN(Statement st, c.Prepare(kInsertDoel, "seed doel"));
      st.Bind(1, d.opgave).Bind(2, static_cast<int64_t>(d.number)).Bind(3, d.label_nl);
      st.Bind(4, d.label_en);
      RETURN_IF_ERROR(st.Run());
    }
    for (const auto& w : seed.wijken) {
      RETURN_IF_ERROR(insert(kInsertWijk, "seed wijk", {w.code, w.name}));
    }
    for (const auto& k : seed.categories) {
      RETURN_IF_ERROR(insert(kInsertCategory, "seed category",
                             {k.code, k.label_nl, k.label_en, k.opgave,
                              domain::SensitivityName(k.sensitivity)}));
    }
    for (const auto& o : seed.organisations) {
      RETURN_IF_ERROR(insert(kInsertOrganisation, "seed organisation", {o.id, o.name, o.sector}));
      for (const auto& g : o.opgaven) {
        RETURN_IF_ERROR(insert(kInsertOrganisationOpgave, "seed organisation opgave", {o.id, g}));
      }
    }
    // A database of a schema before teams (tests of earlier migrations)
    // gets its intake teams from migration 11 instead.
    // (PostgreSQL's schema is always the latest.)
    if (c.engine() == Engine::kSqlcipher) {
      ASSIGN_OR_RETURN(Statement has_teams, c.Prepare(kHasTeams, "check schema"));
      ASSIGN_OR_RETURN(bool teams_exist, has_teams.Step());
      if (!teams_exist) return absl::OkStatus();
    }
    for (const domain::Team& t : domain::SeedTeams(seed)) RETURN_IF_ERROR(InsertTeam(c, t));
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<domain::Team>> SqliteDirectoryStore::ListTeams(
    const std::string& organisation_id, int limit) {
  std::vector<domain::Team> out;
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(out, ReadTeams(c, organisation_id, limit));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::optional<domain::Team>> SqliteDirectoryStore::FindTeam(
    Connection& c, const std::string& organisation_id, const std::string& id) {
  return ReadTeam(c, organisation_id, id);
}

absl::StatusOr<domain::Team> SqliteDirectoryStore::IntakeTeam(Connection& c,
                                                              const std::string& organisation_id,
                                                              const std::string& field) {
  ASSIGN_OR_RETURN(std::optional<domain::Team> t, ReadIntakeTeam(c, organisation_id));
  if (!t) return absl::NotFoundError(absl::StrCat(field, ": no organisation ", organisation_id));
  return *std::move(t);
}

absl::Status SqliteDirectoryStore::AddTeam(Connection& c, const domain::Team& team) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectOrganisation, "check organisation"));
  st.Bind(1, team.organisation_id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) {
    return absl::NotFoundError(
        absl::StrCat("organisation_id: no organisation ", team.organisation_id));
  }
  return InsertTeam(c, team);
}

absl::StatusOr<Professional> SqliteDirectoryStore::RemoveFromTeam(
    Connection& c, const std::string& professional_id, const std::string& team) {
  ASSIGN_OR_RETURN(std::optional<Professional> p, ReadProfessional(c, professional_id));
  if (!p) {
    return absl::NotFoundError(absl::StrCat("professional_id: no professional ", professional_id));
  }
  if (!p->InTeam(team)) {
    return absl::NotFoundError(absl::StrCat("team: professional ", professional_id,
                                            " does not work in team ", team));
  }
  if (p->teams.size() == 1) {
    return absl::FailedPreconditionError(absl::StrCat(
        "team: ", team, " is the only team of professional ", professional_id,
        "; a professional keeps at least one (grant the new team first)"));
  }
  ASSIGN_OR_RETURN(bool removed, DeleteMembership(c, professional_id, team));
  if (!removed) return absl::AbortedError("team: the membership changed meanwhile; try again");
  ASSIGN_OR_RETURN(p, ReadProfessional(c, professional_id));
  return *std::move(p);
}

absl::StatusOr<PeoplePage> SqlitePeopleStore::ListPeople(const domain::PeopleQuery& q,
                                                          const std::string& after_id,
                                                          int limit) {
  PeoplePage page;
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    page = PeoplePage();
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectPeople, "list people"));
    st.Bind(1, after_id).Bind(2, q.organisation_id).Bind(3, q.team);
    // An empty text, not a null string_view (which would bind NULL).
    const std::string role = q.role ? std::string(domain::RoleName(*q.role)) : std::string();
    st.Bind(4, role);
    st.Bind(5, static_cast<int64_t>(q.include_disabled ? 1 : 0));
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      if (!q.name_key.empty() &&
          !domain::NameMatches(domain::NameKey(st.ColumnText(1)), q.name_key)) {
        continue;
      }
      // One match more than asked tells whether another page follows.
      if (static_cast<int>(page.people.size()) == limit) {
        page.more = true;
        break;
      }
      page.people.push_back(PersonFromRow(st));
    }
    for (domain::Person& p : page.people) RETURN_IF_ERROR(ReadPersonRelations(c, p));
    return absl::OkStatus();
  }));
  return page;
}

absl::StatusOr<WorkContactChange> SqlitePeopleStore::SetWorkContact(
    Connection& c, const std::string& professional_id, const domain::WorkContact& contact) {
  WorkContactChange change;
  {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectWorkContact, "read work contact"));
    st.Bind(1, professional_id);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) {
      return absl::NotFoundError(
          absl::StrCat("professional_id: no professional ", professional_id));
    }
    change.before = domain::WorkContact{st.ColumnText(0), st.ColumnText(1)};
  }
  {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kUpdateWorkContact, "set work contact"));
    st.Bind(1, professional_id).Bind(2, contact.phone).Bind(3, contact.email);
    RETURN_IF_ERROR(st.Run());
  }
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectPerson, "read person"));
  st.Bind(1, professional_id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return absl::InternalError("professional vanished");
  change.after = PersonFromRow(st);
  RETURN_IF_ERROR(ReadPersonRelations(c, change.after));
  return change;
}

absl::StatusOr<DirectoryNames> SqlitePeopleStore::Names(
    const std::vector<std::string>& professional_ids,
    const std::vector<std::string>& organisation_ids) {
  DirectoryNames names;
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    names = DirectoryNames();
    for (const std::string& id : professional_ids) {
      if (names.professionals.contains(id)) continue;
      ASSIGN_OR_RETURN(std::optional<std::string> name,
                       ReadOneText(c, kSelectDisplayName, "read professional name", id));
      if (name) names.professionals.emplace(id, *std::move(name));
    }
    for (const std::string& id : organisation_ids) {
      if (names.organisations.contains(id)) continue;
      ASSIGN_OR_RETURN(std::optional<std::string> name,
                       ReadOneText(c, kSelectOrganisationName, "read organisation name", id));
      if (name) names.organisations.emplace(id, *std::move(name));
    }
    return absl::OkStatus();
  }));
  return names;
}

}  // namespace schakel::store
