#include "tests/support/deployment_support.h"

#include "server/store/postgres_setup.h"
#include "tests/support/transaction.h"
#include "tests/support/postgres.h"
#include "tests/support/test_engine.h"

#include "server/audit/checkpoint.h"
#include "server/audit/verifier.h"
#include "server/deployment/init.h"
#include "server/store/directory_store.h"
#include "server/store/reference_store.h"

namespace schakel::testing {

std::unique_ptr<deployment::Paths> InitDemoDeployment(const TempDir& tmp, const Clock* clock) {
  deployment::InitOptions init;
  init.dir = tmp.File("deployment");
  init.demo = true;
  if (OnPostgres()) {
    absl::StatusOr<std::string> db = SharedTestPostgres().CreateUniqueDatabase("deploy");
    EXPECT_THAT(db, IsOk());
    if (db.ok()) init.postgresql_conninfo = SharedTestPostgres().owner_conninfo(*db);
  }
  SystemClock system_clock;
  RandomIdGenerator ids;
  EXPECT_THAT(deployment::InitDeployment(init, clock ? *clock : system_clock, ids), IsOk());
  return std::make_unique<deployment::Paths>(init.dir);
}

void TamperWithStore(const deployment::Paths& paths, const std::string& kek,
                     const std::string& sql) {
  absl::StatusOr<config::DeploymentConfig> cfg = deployment::LoadConfig(paths);
  ASSERT_THAT(cfg, IsOk());
  if (cfg->store().has_postgresql()) {
    absl::StatusOr<std::string> dbname =
        store::ConninfoValue(cfg->store().postgresql().conninfo(), "dbname");
    ASSERT_THAT(dbname, IsOk());
    ASSERT_THAT(SharedTestPostgres().Query(*dbname, sql), IsOk()) << sql;
    return;
  }
  auto db = deployment::OpenDatabase(paths, kek);
  ASSERT_THAT(db, IsOk());
  Tamper(**db, sql);
}

std::string DemoKek(const deployment::Paths& paths) {
  auto config = deployment::LoadConfig(paths);
  EXPECT_THAT(config, IsOk());
  auto kek = deployment::ReadKek(paths, config->kek(), std::nullopt);
  EXPECT_THAT(kek, IsOk());
  return kek.ok() ? *kek : "";
}

void ExpectAuditChainIntact(const deployment::Paths& paths) {
  auto db = deployment::OpenDatabase(paths, DemoKek(paths));
  ASSERT_THAT(db, IsOk());
  auto checkpoints = audit::ReadCheckpoints(paths.audit_checkpoints);
  ASSERT_THAT(checkpoints, IsOk());
  auto report = audit::VerifyChain(**db, *checkpoints, ReadFileOrDie(paths.audit_public_key),
                                   std::nullopt);
  ASSERT_THAT(report, IsOk());
  EXPECT_TRUE(report->intact) << report->problem;
}

crypto::CertificateAuthority LoadCa(const deployment::Paths& paths) {
  auto ca = crypto::CertificateAuthority::Load(ReadFileOrDie(paths.ca_cert),
                                               ReadFileOrDie(paths.ca_key));
  if (!ca.ok()) std::abort();  // a test deployment without its CA is unusable
  return *std::move(ca);
}

Identity RegisterProfessional(store::Database& db,
                              const crypto::CertificateAuthority& ca, const std::string& id,
                              const std::string& organisation, std::vector<domain::Role> roles,
                              absl::Time not_before, absl::Time not_after, std::string* serial,
                              std::vector<std::string> teams) {
  auto key = crypto::GenerateEcKey();
  crypto::CertificateSpec spec;
  spec.common_name = id;
  spec.uris = {domain::ProfessionalUri(id)};
  spec.not_before = not_before;
  spec.not_after = not_after;
  spec.client_auth = true;
  auto cert = ca.Issue(spec, key->get());
  auto info = crypto::InspectCertificate(cert->get());
  store::ProfessionalRecord rec;
  rec.professional.id = id;
  rec.professional.organisation_id = organisation;
  rec.professional.display_name = "Test " + id;
  rec.professional.roles = std::move(roles);
  rec.professional.create_time = absl::Now();
  rec.request_id = "test-" + id;
  rec.request_hash = "test";
  rec.certificate.fingerprint = info->fingerprint_sha256;
  rec.certificate.serial = info->serial_hex;
  rec.certificate.professional_id = id;
  rec.certificate.not_before = info->not_before;
  rec.certificate.not_after = info->not_after;
  rec.certificate.pem = crypto::CertificateToPem(cert->get());
  store::SqliteDirectoryStore directory(&db);
  EXPECT_THAT(db.Write([&](store::Connection& c) -> absl::Status {
    if (teams.empty()) {
      auto intake = store::ResolveTeam(c, "organisation", organisation, "team", "");
      if (!intake.ok()) return intake.status();
      teams = std::vector<std::string>{*intake};
    }
    rec.professional.teams = teams;
    return directory.AddProfessional(c, rec);
  }),
              IsOk());
  if (serial != nullptr) *serial = info->serial_hex;
  return Identity{rec.certificate.pem, crypto::PrivateKeyToPem(key->get()), ca.CertificatePem()};
}

}  // namespace schakel::testing
