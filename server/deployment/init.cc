#include "server/deployment/init.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include <google/protobuf/text_format.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "server/app/directory_app.h"
#include "server/app/enrollment_code.h"
#include "server/domain/grant.h"
#include "server/audit/audit_store.h"
#include "server/common/files.h"
#include "server/common/log.h"
#include "server/common/status_macros.h"
#include "server/crypto/openssl_util.h"
#include "server/crypto/key_wrap.h"
#include "server/crypto/x509.h"
#include "server/deployment/deployment.h"
#include "server/deployment/field_keys.h"
#include "server/domain/listen_address.h"
#include "server/domain/seed.h"
#include "server/store/reference_store.h"
#include "server/store/directory_store.h"
#include "server/store/migrations.h"
#include "server/store/postgres_database.h"
#include "server/store/postgres_setup.h"

namespace schakel::deployment {
namespace {

constexpr char kAdminOrganisation[] = "gemeente-lv";
constexpr char kCredentialName[] = "schakel-kek";
constexpr char kDemoWebListen[] = "127.0.0.1:7445";
// scrypt slows guessing down, but a short passphrase stays guessable.
constexpr size_t kMinimumKekLength = 16;

bool IsIpAddress(const std::string& s) {
  unsigned char buf[16];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

bool IsEmptyDirectory(const std::string& path) {
  DIR* d = opendir(path.c_str());
  if (d == nullptr) return false;
  bool empty = true;
  while (dirent* e = readdir(d)) {
    std::string n = e->d_name;
    if (n != "." && n != "..") {
      empty = false;
      break;
    }
  }
  closedir(d);
  return empty;
}

// Decides the KEK source and the passphrase for a new deployment.
absl::Status ChooseKek(const InitOptions& options, const Paths& paths,
                       config::KekSource* source, std::string* passphrase) {
  if (options.demo) {
    ASSIGN_OR_RETURN(std::string random, crypto::RandomBytes(32));
    *passphrase = absl::WebSafeBase64Escape(random);
    RETURN_IF_ERROR(WriteFileDurably(paths.demo_passphrase, *passphrase + "\n"));
    source->set_file("demo-passphrase");
    return absl::OkStatus();
  }
  if (options.kek_file) {
    std::string absolute = std::filesystem::absolute(*options.kek_file).string();
    source->set_file(absolute);
  } else if (std::getenv(kKekEnvironmentVariable) != nullptr) {
    source->set_environment(true);
  } else if (std::getenv("CREDENTIALS_DIRECTORY") != nullptr) {
    source->set_credential(kCredentialName);
  } else {
    return absl::FailedPreconditionError(
        "no key-encryption key: give --kek-file FILE, set SCHAKEL_KEK, or run under systemd "
        "with the credential schakel-kek (or use --demo)");
  }
  ASSIGN_OR_RETURN(*passphrase, ReadKek(paths, *source, std::nullopt));
  if (passphrase->size() < kMinimumKekLength) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the key-encryption key must be at least ", kMinimumKekLength, " characters"));
  }
  return absl::OkStatus();
}

// A demo identity's files. identity.p12 holds the same key and certificate
// for a browser to import, and its random password lies beside it in
// p12-password: a demo convenience, like DIR/demo-passphrase, so that trying
// the web console asks for nothing. (On this disk the password adds no
// secrecy anyway: key.pem lies beside it in the clear.)
absl::Status WriteIdentity(const std::string& dir, const std::string& name, EVP_PKEY* key,
                           const std::string& cert_pem, const std::string& ca_pem) {
  RETURN_IF_ERROR(MakeDirectory(dir));
  RETURN_IF_ERROR(WriteFileDurably(JoinPath(dir, "cert.pem"), cert_pem));
  RETURN_IF_ERROR(WriteFileDurably(JoinPath(dir, "key.pem"), crypto::PrivateKeyToPem(key)));
  RETURN_IF_ERROR(WriteFileDurably(JoinPath(dir, "ca.pem"), ca_pem));
  ASSIGN_OR_RETURN(std::string password, crypto::NewPkcs12Password());
  absl::StatusOr<std::string> p12 =
      crypto::MakePkcs12(key, cert_pem, ca_pem, absl::StrCat("schakel demo ", name), password);
  absl::Status written =
      p12.ok() ? WriteFileDurably(JoinPath(dir, "p12-password"), password + "\n") : p12.status();
  crypto::Cleanse(password);
  RETURN_IF_ERROR(written);
  return WriteFileDurably(JoinPath(dir, "identity.p12"), *p12);
}

// A professional registered by init itself (no server runs, and there is no
// administrator yet to ask or approve): the role is in effect at once, and
// an approved grant decided by "init" records it, so the auditor's grant
// history is complete. Either init makes the key pair (demo) or it makes an
// enrollment code (the first administrators of a real deployment).
store::ProfessionalRecord InitRecord(const std::string& name, domain::Role role,
                                     const std::string& organisation,
                                     const std::string& display_name, absl::Time now,
                                     IdGenerator& ids) {
  store::ProfessionalRecord rec;
  rec.professional.id = ids.NewId("p");
  rec.professional.organisation_id = organisation;
  rec.professional.display_name = display_name;
  rec.professional.roles = {role};
  rec.professional.create_time = now;
  rec.request_id = absl::StrCat("init-", name);
  rec.request_hash = "init";
  domain::Grant grant;
  grant.id = ids.NewId("g");
  grant.professional_id = rec.professional.id;
  grant.organisation_id = organisation;
  grant.roles = {role};
  grant.status = domain::GrantStatus::kApproved;
  grant.requested_by = "init";
  grant.request_time = now;
  grant.decided_by = "init";
  grant.decide_time = now;
  rec.grant = grant;
  return rec;
}

// Adds the professional and records it like every change to the directory,
// by the tool that made it, in one transaction.
// The grant puts the professional in `rec.grant->team`, or when that is
// empty in their organisation's intake team.
absl::Status AddRecorded(store::Database& db, store::DirectoryStore& directory,
                         store::ProfessionalRecord rec, absl::Time now, const std::string& how) {
  return db.Write([&](store::Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(rec.grant->team,
                     store::ResolveTeam(c, "organisation", rec.professional.organisation_id,
                                        "team", rec.grant->team));
    RETURN_IF_ERROR(directory.AddProfessional(c, rec));
    audit::Entry e;
    e.time = now;
    e.action = "schakel-admin.init";
    e.resource_type = "professional";
    e.resource_id = rec.professional.id;
    e.outcome = audit::kAllowed;
    e.purpose = "deployment";
    e.reason = absl::StrCat(domain::GrantAuditText(*rec.grant), " approved by init, ", how);
    return audit::AppendEntry(c, e);
  });
}

// A demo identity: init makes its key pair and writes it under DIR/users.
absl::Status AddDemoIdentity(store::Database& db, store::DirectoryStore& directory,
                             const crypto::CertificateAuthority& ca, const Paths& paths,
                             const std::string& name, domain::Role role,
                             const std::string& organisation, const std::string& team,
                             const std::string& display_name, const Clock& clock,
                             IdGenerator& ids) {
  ASSIGN_OR_RETURN(crypto::PkeyPtr key, crypto::GenerateEcKey());
  const absl::Time now = clock.Now();
  store::ProfessionalRecord rec = InitRecord(name, role, organisation, display_name, now, ids);
  rec.grant->team = team;
  ASSIGN_OR_RETURN(rec.certificate,
                   app::IssueClientCertificate(ca, key.get(), rec.professional.id, now));
  RETURN_IF_ERROR(AddRecorded(db, directory, rec, now, "demo key made by init"));
  return WriteIdentity(paths.UserDir(name), name, key.get(), rec.certificate.pem,
                       ca.CertificatePem());
}

// One of the first administrators: an enrollment code, no key.
absl::StatusOr<InitResult::FirstAdmin> AddFirstAdmin(store::Database& db,
                                                     store::DirectoryStore& directory,
                                                     const std::string& name,
                                                     const std::string& display_name,
                                                     const Clock& clock, IdGenerator& ids) {
  const absl::Time now = clock.Now();
  store::ProfessionalRecord rec =
      InitRecord(name, domain::Role::kAdmin, kAdminOrganisation, display_name, now, ids);
  ASSIGN_OR_RETURN(app::EnrollmentCode code, app::NewEnrollmentCode());
  rec.enrollment_code_hash = code.hash;
  rec.enrollment_expire_time = now + domain::kEnrollmentCodeValidity;
  RETURN_IF_ERROR(AddRecorded(db, directory, rec, now, "enrollment code made"));
  return InitResult::FirstAdmin{name, rec.professional.id, code.code};
}

// A random password for a database role: 32 hex characters, nothing a
// pgpass line would need to escape.
absl::StatusOr<std::string> RolePassword() {
  ASSIGN_OR_RETURN(std::string raw, crypto::RandomBytes(16));
  return crypto::HexEncode(raw);
}

// The PostgreSQL part of init: the roles, schema, grants and field keys
// (store::CreatePostgresDeployment, as the owner), DIR/pgpass with the
// roles' passwords, and the config's connection strings, which name the
// deployment's final directory. Returns the store, connected as the
// service role; `made` is set once there is something to undo.
absl::StatusOr<std::unique_ptr<store::Database>> SetUpPostgres(
    const InitOptions& options, const Paths& paths, const std::string& root_key, absl::Time now,
    config::DeploymentConfig& cfg, std::optional<store::PostgresRoles>& made) {
  const std::string& owner = options.postgresql_conninfo;
  ASSIGN_OR_RETURN(std::string dbname, store::ConninfoValue(owner, "dbname"));
  if (dbname.empty()) {
    return absl::InvalidArgumentError("--postgresql: name the database (dbname=...)");
  }
  ASSIGN_OR_RETURN(store::PostgresRoles roles, store::RolesForDatabase(dbname));
  store::PostgresSetup setup;
  setup.owner_conninfo = owner;
  setup.roles = roles;
  ASSIGN_OR_RETURN(setup.service_password, RolePassword());
  ASSIGN_OR_RETURN(setup.maintenance_password, RolePassword());
  ASSIGN_OR_RETURN(setup.field_keys, NewFieldKeyRows(root_key, now));
  RETURN_IF_ERROR(WriteFileDurably(
      paths.pgpass, absl::StrCat("*:*:*:", roles.service, ":", setup.service_password, "\n",
                                 "*:*:*:", roles.maintenance, ":", setup.maintenance_password,
                                 "\n")));
  absl::Status created = store::CreatePostgresDeployment(setup);
  crypto::Cleanse(setup.service_password);
  crypto::Cleanse(setup.maintenance_password);
  RETURN_IF_ERROR(created);
  made = roles;

  const Paths final_paths(std::filesystem::absolute(options.dir).lexically_normal().string());
  config::PostgresqlStore& pg = *cfg.mutable_store()->mutable_postgresql();
  ASSIGN_OR_RETURN(*pg.mutable_conninfo(),
                   store::ConninfoAs(owner, roles.service, final_paths.pgpass));
  ASSIGN_OR_RETURN(*pg.mutable_maintenance_conninfo(),
                   store::ConninfoAs(owner, roles.maintenance, final_paths.pgpass));
  store::PostgresDatabase::Options db_options;
  ASSIGN_OR_RETURN(db_options.conninfo, store::ConninfoAs(owner, roles.service, paths.pgpass));
  ASSIGN_OR_RETURN(db_options.keyring, KeyringFromRows(root_key, setup.field_keys, now));
  ASSIGN_OR_RETURN(std::unique_ptr<store::PostgresDatabase> db,
                   store::PostgresDatabase::Open(db_options));
  return std::unique_ptr<store::Database>(std::move(db));
}

absl::Status Build(const InitOptions& options, const Paths& paths, const Clock& clock,
                   IdGenerator& ids, InitResult& result,
                   std::optional<store::PostgresRoles>& made_postgres) {
  config::DeploymentConfig cfg;
  cfg.set_listen(options.listen);
  cfg.set_demo(options.demo);
  // The demo opens the HTTPS port (the web console) beside the gRPC port; a
  // real deployment opens it only when its operator configures it.
  if (options.demo) cfg.mutable_web()->set_listen(kDemoWebListen);
  if (!options.audit_export_path.empty()) {
    cfg.mutable_audit()->set_export_path(options.audit_export_path);
  }
  for (const auto& n : options.server_names) cfg.add_server_names(n);

  std::string passphrase;
  RETURN_IF_ERROR(ChooseKek(options, paths, cfg.mutable_kek(), &passphrase));

  ASSIGN_OR_RETURN(std::string db_key, crypto::NewDatabaseKey());
  ASSIGN_OR_RETURN(config::WrappedKey wrapped, crypto::WrapKey(db_key, passphrase));
  crypto::Cleanse(passphrase);
  std::string wrapped_text;
  google::protobuf::TextFormat::PrintToString(wrapped, &wrapped_text);
  RETURN_IF_ERROR(WriteFileDurably(paths.wrapped_key, wrapped_text));

  const absl::Time now = clock.Now();
  ASSIGN_OR_RETURN(auto ca, crypto::CertificateAuthority::Create(
                                "schakel deployment CA", now, absl::Hours(24 * 365 * 10)));
  RETURN_IF_ERROR(MakeDirectory(JoinPath(paths.dir, "ca")));
  RETURN_IF_ERROR(WriteFileDurably(paths.ca_cert, ca.CertificatePem()));
  RETURN_IF_ERROR(WriteFileDurably(paths.ca_key, ca.KeyPem()));

  ASSIGN_OR_RETURN(crypto::PkeyPtr server_key, crypto::GenerateEcKey());
  crypto::CertificateSpec spec;
  spec.common_name = "schakel server";
  spec.dns_names = {"localhost"};
  spec.ip_addresses = {"127.0.0.1", "::1"};
  for (const auto& n : options.server_names) {
    (IsIpAddress(n) ? spec.ip_addresses : spec.dns_names).push_back(n);
  }
  spec.not_before = now - absl::Hours(1);
  spec.not_after = now + absl::Hours(24 * 825);
  spec.server_auth = true;
  ASSIGN_OR_RETURN(crypto::X509Ptr server_cert, ca.Issue(spec, server_key.get()));
  RETURN_IF_ERROR(CreateAuditSigningKey(paths));
  RETURN_IF_ERROR(MakeDirectory(JoinPath(paths.dir, "server")));
  RETURN_IF_ERROR(WriteFileDurably(paths.server_cert, crypto::CertificateToPem(server_cert.get())));
  RETURN_IF_ERROR(WriteFileDurably(paths.server_key, crypto::PrivateKeyToPem(server_key.get())));

  {
    std::unique_ptr<store::Database> db;
    if (options.postgresql_conninfo.empty()) {
      ASSIGN_OR_RETURN(db, store::SqliteDatabase::Open(paths.database, db_key, /*create=*/true));
      RETURN_IF_ERROR(store::ApplyMigrations(*db));
    } else {
      ASSIGN_OR_RETURN(db, SetUpPostgres(options, paths, db_key, now, cfg, made_postgres));
    }
    crypto::Cleanse(db_key);
    ASSIGN_OR_RETURN(domain::SeedData seed, domain::EmbeddedSeed());
    store::SqliteDirectoryStore directory(db.get());
    RETURN_IF_ERROR(directory.LoadSeed(seed));
    RETURN_IF_ERROR(MakeDirectory(paths.users));
    if (options.demo) {
      for (const DemoUser& u : DemoUsers()) {
        RETURN_IF_ERROR(AddDemoIdentity(*db, directory, ca, paths, u.name,
                                        *domain::ParseRole(u.role), u.organisation, u.team,
                                        absl::StrCat("Demo ", u.name), clock, ids));
      }
    } else {
      // Two, so that every later grant has a second administrator to
      // approve it (dual control from the first day).
      for (const auto& [name, display] :
           {std::pair<const char*, const char*>{"admin", "Administrator 1"},
            {"admin2", "Administrator 2"}}) {
        ASSIGN_OR_RETURN(InitResult::FirstAdmin admin,
                         AddFirstAdmin(*db, directory, name, display, clock, ids));
        result.first_admins.push_back(std::move(admin));
      }
    }
    // The init entries are vouched for by a checkpoint from the start.
    RETURN_IF_ERROR(SignAuditHead(paths, *db, clock, options.audit_export_path));
  }
  // Written last: a directory without a config is not a deployment.
  return WriteConfig(paths, cfg);
}

}  // namespace

const std::vector<DemoUser>& DemoUsers() {
  static const std::vector<DemoUser>* users = new std::vector<DemoUser>{
      // The municipality's teams come from deploy/seed/teams.csv; an empty
      // team is the organisation's intake team (gebiedsregie for the
      // municipality).
      {"regisseur", "regisseur", "gemeente-lv", "gebiedsregie"},
      {"consultant", "consultant", "gemeente-lv", "werk-en-inkomen"},
      // A colleague in the same team: a trajectory or a caseload is
      // transferred to them.
      {"consultant-2", "consultant", "gemeente-lv", "werk-en-inkomen"},
      {"admin", "admin", "gemeente-lv", ""},
      {"admin2", "admin", "gemeente-lv", ""},
      {"auditor", "auditor", "gemeente-lv", ""},
      {"analyst", "analyst", "gemeente-lv", ""},
      {"privacy", "privacy_officer", "gemeente-lv", ""},
      {"brugfunctionaris", "bridge_officer", "kwadraad", ""},
      {"ggz", "ggz", "ggz-rivierduinen", ""},
      {"partner-woej", "partner", "woej", ""},
      {"partner-vidomes", "partner", "vidomes", ""},
  };
  return *users;
}

absl::Status InitDeployment(const InitOptions& options, const Clock& clock, IdGenerator& ids,
                            InitResult* result) {
  InitResult local;
  if (result == nullptr) result = &local;
  *result = InitResult();
  if (options.dir.empty()) return absl::InvalidArgumentError("DIR: required");
  RETURN_IF_ERROR(domain::ParseListenAddress("--listen", options.listen).status());
  Paths target(std::filesystem::absolute(options.dir).lexically_normal().string());
  if (PathExists(target.dir) && !IsEmptyDirectory(target.dir)) {
    return absl::AlreadyExistsError(
        absl::StrCat(target.dir, " exists and is not empty; init never overwrites a deployment"));
  }
  Paths staging(absl::StrCat(target.dir, ".init-", ::getpid()));
  std::error_code ec;
  std::filesystem::remove_all(staging.dir, ec);
  RETURN_IF_ERROR(MakeDirectory(staging.dir, 0700));
  std::optional<store::PostgresRoles> made_postgres;
  absl::Status built = Build(options, staging, clock, ids, *result, made_postgres);
  if (!built.ok() && made_postgres.has_value()) {
    // Nothing of a failed init stays behind, in PostgreSQL neither.
    absl::Status dropped =
        store::DropPostgresDeployment(options.postgresql_conninfo, *made_postgres);
    if (!dropped.ok()) {
      LogError(absl::StrCat("init failed and could not drop the roles ", made_postgres->service,
                            " and ", made_postgres->maintenance, ": ", dropped.message()));
    }
  }
  if (built.ok()) {
    if (PathExists(target.dir)) ::rmdir(target.dir.c_str());
    if (::rename(staging.dir.c_str(), target.dir.c_str()) != 0) {
      built = absl::UnavailableError(absl::StrCat("cannot move the deployment into ", target.dir));
    } else {
      ::chmod(target.dir.c_str(), 0700);
    }
  }
  if (!built.ok()) {
    std::filesystem::remove_all(staging.dir, ec);
    *result = InitResult();
  }
  return built;
}

}  // namespace schakel::deployment
