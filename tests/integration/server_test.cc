// The server over real TLS on loopback, with a real SQLCipher deployment.
#include "server/server.h"

#include <sys/stat.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include <map>

#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "schakel/v1/admin.grpc.pb.h"
#include "schakel/v1/directory.grpc.pb.h"
#include "server/app/directory_app.h"
#include "server/audit/audit_store.h"
#include "server/common/files.h"
#include "server/crypto/x509.h"
#include "server/deployment/deployment.h"
#include "server/deployment/init.h"
#include "server/store/directory_store.h"
#include "tests/support/deployment_support.h"
#include "tests/support/test_support.h"

namespace schakel {
namespace {

using ::schakel::testing::Identity;
using ::schakel::testing::IsOk;
using ::schakel::testing::LoadIdentity;
using ::schakel::testing::MakeChannel;
using ::schakel::testing::ReadFileOrDie;
using ::schakel::testing::StatusIs;
using ::schakel::testing::TempDir;
using ::testing::HasSubstr;

std::chrono::system_clock::time_point Deadline() {
  return std::chrono::system_clock::now() + std::chrono::seconds(10);
}

grpc::Status WhoAmI(const std::shared_ptr<grpc::Channel>& channel, v1::WhoAmIResponse* out,
                    const std::vector<std::pair<std::string, std::string>>& metadata = {}) {
  auto stub = v1::DirectoryService::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(Deadline());
  for (const auto& [k, v] : metadata) ctx.AddMetadata(k, v);
  return stub->WhoAmI(&ctx, v1::WhoAmIRequest(), out);
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    paths_ = testing::InitDemoDeployment(tmp_);
    ca_pem_ = ReadFileOrDie(paths_->ca_cert);
    RegisterMatrix();
    StartServer();
  }

  void StartServer() {
    ServerOptions options;
    options.deployment_dir = paths_->dir;
    options.listen = "127.0.0.1:0";
    options.health_interval = absl::Milliseconds(50);
    auto server = Server::Start(options);
    ASSERT_THAT(server, IsOk());
    server_ = std::move(server).value();
  }

  void RegisterMatrix() {
    auto db = deployment::OpenDatabase(*paths_, testing::DemoKek(*paths_));
    ASSERT_THAT(db, IsOk());
    store::SqliteDirectoryStore directory(db->get());
    auto ca = crypto::CertificateAuthority::Load(ca_pem_, ReadFileOrDie(paths_->ca_key));
    ASSERT_THAT(ca, IsOk());
    auto Register = [&db](const crypto::CertificateAuthority& issuer, const char* id,
                          absl::Time from, absl::Time to, std::string* serial = nullptr) {
      return testing::RegisterProfessional(**db, issuer, id, "woej", {domain::Role::kPartner},
                                           from, to, serial);
    };
    absl::Time now = absl::Now();
    valid_ = Register(*ca, "pvalidaaaaaaaaaaa", now - absl::Hours(1), now + absl::Hours(24));
    revocable_ = Register(*ca, "prevocableaaaaaaa", now - absl::Hours(1),
                          now + absl::Hours(24), &revocable_serial_);
    disabled_ = Register(*ca, "pdisabledaaaaaaaa", now - absl::Hours(1), now + absl::Hours(24));
    ASSERT_THAT((*db)->Write([&](store::Connection& c) {
      return directory.DisableProfessional(c, "pdisabledaaaaaaaa").status();
    }),
                IsOk());
    expired_ = Register(*ca, "pexpiredaaaaaaaaa", now - absl::Hours(48), now - absl::Hours(24));
    not_yet_valid_ =
        Register(*ca, "pfutureaaaaaaaaaa", now + absl::Hours(24), now + absl::Hours(48));
    // A certificate of another CA, even with a registered fingerprint.
    auto other = crypto::CertificateAuthority::Create("other CA", now, absl::Hours(24));
    ASSERT_THAT(other, IsOk());
    other_ca_ = Register(*other, "potheraaaaaaaaaaa", now - absl::Hours(1), now + absl::Hours(24));
    // Of our CA and naming a real professional, but never registered.
    auto key = crypto::GenerateEcKey();
    crypto::CertificateSpec spec;
    spec.common_name = "unregistered";
    spec.uris = {domain::ProfessionalUri("pvalidaaaaaaaaaaa")};
    spec.not_before = now - absl::Hours(1);
    spec.not_after = now + absl::Hours(24);
    spec.client_auth = true;
    auto cert = ca->Issue(spec, key->get());
    unregistered_ = Identity{crypto::CertificateToPem(cert->get()),
                             crypto::PrivateKeyToPem(key->get()), ca_pem_};
  }

  std::shared_ptr<grpc::Channel> Channel(const Identity& id) {
    Identity with_ca = id;
    with_ca.ca_pem = ca_pem_;  // every client trusts the deployment's CA
    return MakeChannel(server_->address(), with_ca);
  }
  std::shared_ptr<grpc::Channel> Demo(const std::string& name) {
    return Channel(LoadIdentity(paths_->UserDir(name)));
  }

  TempDir tmp_;
  std::unique_ptr<deployment::Paths> paths_;
  std::string ca_pem_;
  std::unique_ptr<Server> server_;
  Identity valid_, revocable_, disabled_, expired_, not_yet_valid_, other_ca_, unregistered_;
  std::string revocable_serial_;
};

TEST_F(ServerTest, TlsMatrixOnlyTheValidCertificateGetsAnAnswer) {
  v1::WhoAmIResponse out;
  // No client certificate: the handshake fails.
  Identity none{"", "", ca_pem_};
  EXPECT_EQ(WhoAmI(Channel(none), &out).error_code(), grpc::StatusCode::UNAVAILABLE);
  // Another CA, expired, not yet valid: the handshake fails.
  EXPECT_EQ(WhoAmI(Channel(other_ca_), &out).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(WhoAmI(Channel(expired_), &out).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(WhoAmI(Channel(not_yet_valid_), &out).error_code(), grpc::StatusCode::UNAVAILABLE);
  // Our CA but not registered, or of a disabled professional: UNAUTHENTICATED.
  grpc::Status s = WhoAmI(Channel(unregistered_), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(s.error_message(), HasSubstr("not registered"));
  s = WhoAmI(Channel(disabled_), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(s.error_message(), HasSubstr("disabled"));
  // The valid one.
  s = WhoAmI(Channel(valid_), &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.professional().id(), "pvalidaaaaaaaaaaa");
}

TEST_F(ServerTest, RevocationTakesEffectOnAnOpenConnection) {
  auto channel = Channel(revocable_);
  v1::WhoAmIResponse out;
  ASSERT_TRUE(WhoAmI(channel, &out).ok());
  EXPECT_EQ(out.certificate().serial(), revocable_serial_);

  auto admin = v1::AdminService::NewStub(Demo("admin"));
  grpc::ClientContext ctx;
  v1::RevokeCertificateRequest req;
  req.set_serial(absl::AsciiStrToLower(revocable_serial_));  // case does not matter
  v1::Certificate revoked;
  grpc::Status s = admin->RevokeCertificate(&ctx, req, &revoked);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(revoked.has_revoke_time());

  s = WhoAmI(channel, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(s.error_message(), HasSubstr("revoked"));
  EXPECT_EQ(channel->GetState(false), GRPC_CHANNEL_READY);  // the same connection
}

TEST_F(ServerTest, RefusedCertificatesAreAuditedAtMostOnceAMinute) {
  v1::WhoAmIResponse out;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(WhoAmI(Channel(disabled_), &out).error_code(), grpc::StatusCode::UNAUTHENTICATED);
    EXPECT_EQ(WhoAmI(Channel(unregistered_), &out).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  server_->Shutdown(absl::Seconds(1));
  server_.reset();
  auto db = deployment::OpenDatabase(*paths_, testing::DemoKek(*paths_));
  ASSERT_THAT(db, IsOk());
  std::map<std::string, int> refusals;
  ASSERT_THAT(audit::ForEachEntry(**db,
                                  [&](const audit::Entry& e) {
                                    if (e.action.rfind("auth.failure", 0) == 0) {
                                      EXPECT_EQ(e.outcome, audit::kDenied);
                                      EXPECT_FALSE(e.certificate.empty());
                                      ++refusals[e.professional_id + "/" + e.reason];
                                    }
                                    return absl::OkStatus();
                                  }),
              IsOk());
  EXPECT_EQ(refusals.size(), 2u);
  EXPECT_EQ(refusals["pdisabledaaaaaaaa/the professional is disabled"], 1);
  EXPECT_EQ(refusals["pvalidaaaaaaaaaaa/the client certificate is not registered"], 1);
}

TEST_F(ServerTest, DisablingTakesEffectOnTheNextRequest) {
  auto channel = Channel(valid_);
  v1::WhoAmIResponse out;
  ASSERT_TRUE(WhoAmI(channel, &out).ok());
  auto admin = v1::AdminService::NewStub(Demo("admin"));
  grpc::ClientContext ctx;
  v1::DisableProfessionalRequest req;
  req.set_professional_id("pvalidaaaaaaaaaaa");
  v1::Professional disabled;
  ASSERT_TRUE(admin->DisableProfessional(&ctx, req, &disabled).ok());
  EXPECT_TRUE(disabled.disabled());
  EXPECT_EQ(WhoAmI(channel, &out).error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(ServerTest, AnAdminCannotDisableThemselves) {
  auto channel = Demo("admin");
  v1::WhoAmIResponse me;
  ASSERT_TRUE(WhoAmI(channel, &me).ok());
  auto admin = v1::AdminService::NewStub(channel);
  grpc::ClientContext ctx;
  v1::DisableProfessionalRequest req;
  req.set_professional_id(me.professional().id());
  v1::Professional out;
  grpc::Status s = admin->DisableProfessional(&ctx, req, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("themselves"));
  EXPECT_TRUE(WhoAmI(channel, &me).ok());
}

TEST_F(ServerTest, WhoAmIAnswersEachDemoUser) {
  for (const auto& user : deployment::DemoUsers()) {
    v1::WhoAmIResponse out;
    grpc::Status s = WhoAmI(Demo(user.name), &out);
    ASSERT_TRUE(s.ok()) << user.name << ": " << s.error_message();
    EXPECT_EQ(out.organisation().id(), user.organisation) << user.name;
    EXPECT_EQ(out.professional().organisation_id(), user.organisation);
    ASSERT_EQ(out.professional().roles_size(), 1) << user.name;
    std::string role = v1::Role_Name(out.professional().roles(0));
    EXPECT_EQ(role, "ROLE_" + absl::AsciiStrToUpper(user.role)) << user.name;
    EXPECT_EQ(out.professional().display_name(), std::string("Demo ") + user.name);
    EXPECT_FALSE(out.certificate().fingerprint_sha256().empty());
  }
}

TEST_F(ServerTest, ForgedIdentityMetadataChangesNothing) {
  v1::WhoAmIResponse out;
  std::vector<std::pair<std::string, std::string>> forged = {
      {"x-user", "admin"}, {"x-role", "admin"}, {"x-professional", "pvalidaaaaaaaaaaa"},
      {"x-organisation", "gemeente-lv"}};
  ASSERT_TRUE(WhoAmI(Demo("partner-woej"), &out, forged).ok());
  EXPECT_EQ(out.organisation().id(), "woej");
  ASSERT_EQ(out.professional().roles_size(), 1);
  EXPECT_EQ(out.professional().roles(0), v1::ROLE_PARTNER);

  auto admin = v1::AdminService::NewStub(Demo("partner-woej"));
  grpc::ClientContext ctx;
  for (const auto& [k, v] : forged) ctx.AddMetadata(k, v);
  v1::DisableProfessionalRequest req;
  req.set_professional_id("pvalidaaaaaaaaaaa");
  v1::Professional p;
  grpc::Status s = admin->DisableProfessional(&ctx, req, &p);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(WhoAmI(Channel(valid_), &out).ok());  // still enabled
}

v1::AddProfessionalRequest NewProfessionalRequest(const crypto::PkeyPtr& key) {
  v1::AddProfessionalRequest req;
  req.set_request_id("req-add-0001");
  req.set_organisation_id("vidomes");
  req.set_display_name("Nieuwe Collega");
  req.add_roles(v1::ROLE_PARTNER);
  req.set_csr_pem(*crypto::MakeCsrPem(key.get()));
  return req;
}

TEST_F(ServerTest, AddedProfessionalCanCallWhoAmIAndRetriesAreSafe) {
  auto key = crypto::GenerateEcKey();
  ASSERT_THAT(key, IsOk());
  v1::AddProfessionalRequest req = NewProfessionalRequest(*key);
  auto admin = v1::AdminService::NewStub(Demo("admin"));
  v1::AddProfessionalResponse added;
  {
    grpc::ClientContext ctx;
    grpc::Status s = admin->AddProfessional(&ctx, req, &added);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  EXPECT_FALSE(added.professional().id().empty());
  EXPECT_EQ(added.ca_certificate_pem(), ca_pem_);

  Identity id{added.certificate_pem(), crypto::PrivateKeyToPem(key->get()), ca_pem_};
  v1::WhoAmIResponse me;
  grpc::Status s = WhoAmI(Channel(id), &me);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(me.professional().id(), added.professional().id());
  EXPECT_EQ(me.organisation().id(), "vidomes");
  EXPECT_EQ(me.professional().display_name(), "Nieuwe Collega");

  // The same request again answers the same professional and certificate.
  v1::AddProfessionalResponse replay;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(admin->AddProfessional(&ctx, req, &replay).ok());
  }
  EXPECT_EQ(replay.professional().id(), added.professional().id());
  EXPECT_EQ(replay.certificate_pem(), added.certificate_pem());

  // The same request id with other content is refused.
  req.set_display_name("Iemand Anders");
  grpc::ClientContext ctx;
  s = admin->AddProfessional(&ctx, req, &replay);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(s.error_message(), HasSubstr("request_id"));
}

TEST_F(ServerTest, AddProfessionalRejectsBadInputAndNonAdmins) {
  auto key = crypto::GenerateEcKey();
  auto call = [&](const std::string& who, const v1::AddProfessionalRequest& req) {
    auto stub = v1::AdminService::NewStub(Demo(who));
    grpc::ClientContext ctx;
    v1::AddProfessionalResponse out;
    return stub->AddProfessional(&ctx, req, &out);
  };
  v1::AddProfessionalRequest good = NewProfessionalRequest(*key);
  for (const char* who : {"regisseur", "auditor", "ggz", "partner-vidomes"}) {
    EXPECT_EQ(call(who, good).error_code(), grpc::StatusCode::PERMISSION_DENIED) << who;
  }
  struct Case {
    void (*mutate)(v1::AddProfessionalRequest&);
    grpc::StatusCode code;
    const char* field;
  };
  const Case cases[] = {
      {[](v1::AddProfessionalRequest& r) { r.set_request_id("x"); },
       grpc::StatusCode::INVALID_ARGUMENT, "request_id"},
      {[](v1::AddProfessionalRequest& r) { r.clear_roles(); }, grpc::StatusCode::INVALID_ARGUMENT,
       "roles"},
      {[](v1::AddProfessionalRequest& r) { r.add_roles(static_cast<v1::Role>(77)); },
       grpc::StatusCode::INVALID_ARGUMENT, "roles[1]"},
      {[](v1::AddProfessionalRequest& r) { r.set_csr_pem("garbage"); },
       grpc::StatusCode::INVALID_ARGUMENT, "csr_pem"},
      {[](v1::AddProfessionalRequest& r) { r.set_display_name(""); },
       grpc::StatusCode::INVALID_ARGUMENT, "display_name"},
      {[](v1::AddProfessionalRequest& r) { r.set_organisation_id("nowhere"); },
       grpc::StatusCode::NOT_FOUND, "organisation_id"},
  };
  int n = 0;
  for (const Case& c : cases) {
    v1::AddProfessionalRequest req = good;
    req.set_request_id(absl::StrCat("req-bad-", n++, "-xxxx"));
    c.mutate(req);
    grpc::Status s = call("admin", req);
    EXPECT_EQ(s.error_code(), c.code) << c.field << ": " << s.error_message();
    EXPECT_THAT(s.error_message(), HasSubstr(c.field));
  }
}

TEST_F(ServerTest, OrganisationsArePagedAndUnknownOnesAreNotFound) {
  auto stub = v1::DirectoryService::NewStub(Demo("regisseur"));
  std::vector<std::string> ids;
  std::string token;
  int pages = 0;
  do {
    grpc::ClientContext ctx;
    v1::ListOrganisationsRequest req;
    req.set_page_size(10);
    req.set_page_token(token);
    v1::ListOrganisationsResponse resp;
    ASSERT_TRUE(stub->ListOrganisations(&ctx, req, &resp).ok());
    for (const auto& o : resp.organisations()) ids.push_back(o.id());
    token = resp.next_page_token();
    ++pages;
  } while (!token.empty() && pages < 10);
  EXPECT_EQ(ids.size(), 34u);
  EXPECT_EQ(pages, 4);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));

  grpc::ClientContext ctx;
  v1::ListOrganisationsRequest bad;
  bad.set_page_token("forged");
  v1::ListOrganisationsResponse resp;
  grpc::Status s = stub->ListOrganisations(&ctx, bad, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("page_token"));

  grpc::ClientContext ctx2;
  v1::GetOrganisationRequest get;
  get.set_id("does-not-exist");
  v1::Organisation org;
  EXPECT_EQ(stub->GetOrganisation(&ctx2, get, &org).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(ServerTest, HealthReportsServingForEachService) {
  auto health = grpc::health::v1::Health::NewStub(Demo("auditor"));
  for (const char* service : {"", "schakel.v1.DirectoryService", "schakel.v1.AdminService"}) {
    grpc::ClientContext ctx;
    grpc::health::v1::HealthCheckRequest req;
    req.set_service(service);
    grpc::health::v1::HealthCheckResponse resp;
    grpc::Status s = health->Check(&ctx, req, &resp);
    ASSERT_TRUE(s.ok()) << service << ": " << s.error_message();
    EXPECT_EQ(resp.status(), grpc::health::v1::HealthCheckResponse::SERVING) << service;
  }
  grpc::ClientContext ctx;
  grpc::health::v1::HealthCheckRequest req;
  req.set_service("no.such.Service");
  grpc::health::v1::HealthCheckResponse resp;
  EXPECT_EQ(health->Check(&ctx, req, &resp).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(ServerTest, ASecondServerOnTheSameDeploymentIsRefused) {
  ServerOptions options;
  options.deployment_dir = paths_->dir;
  options.listen = "127.0.0.1:0";
  EXPECT_THAT(Server::Start(options),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("held by another process")));
}

TEST_F(ServerTest, RefusesToStartWithAGroupReadableSecretOrAWrongKek) {
  server_->Shutdown(absl::Seconds(1));
  server_.reset();
  ServerOptions options;
  options.deployment_dir = paths_->dir;
  options.listen = "127.0.0.1:0";

  ::chmod(paths_->ca_key.c_str(), 0640);
  EXPECT_THAT(Server::Start(options),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("ca.key")));
  ::chmod(paths_->ca_key.c_str(), 0600);

  std::string wrong = tmp_.File("wrong-kek");
  testing::WriteFileOrDie(wrong, "not the passphrase");
  ::chmod(wrong.c_str(), 0600);
  options.kek_file = wrong;
  EXPECT_THAT(Server::Start(options),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("does not unwrap")));
  options.kek_file.reset();
  EXPECT_THAT(Server::Start(options), IsOk());
}

}  // namespace
}  // namespace schakel
