// Separation of duties over the real server (TLS on loopback, a real
// SQLCipher deployment, an injected clock): an administrator registers a
// professional but never holds their key, and the roles take effect only
// when a second administrator approves (issue 16).
#include <algorithm>
#include <cctype>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/admin.grpc.pb.h"
#include "schakel/v1/audit.grpc.pb.h"
#include "schakel/v1/directory.grpc.pb.h"
#include "schakel/v1/enrollment.grpc.pb.h"
#include "schakel/v1/privacy.grpc.pb.h"
#include "schakel/v1/residents.grpc.pb.h"
#include "schakel/v1/signals.grpc.pb.h"
#include "server/common/files.h"
#include "server/deployment/init.h"
#include "server/crypto/x509.h"
#include "tests/integration/case_fixture.h"
#include "tests/support/process.h"

namespace schakel::testing {
namespace {

using ::testing::HasSubstr;
using C = grpc::StatusCode;

// A professional's own key pair and the identity made from it.
struct Holder {
  crypto::PkeyPtr key;
  Identity identity;
};

class GrantsTest : public CasesTest {
 protected:
  void SetUp() override {
    CasesTest::SetUp();
    ca_pem_ = ReadFileOrDie(paths_->ca_cert);
  }

  std::unique_ptr<v1::AdminService::Stub> Admin(const std::string& name) {
    return v1::AdminService::NewStub(
        MakeChannel(server_->address(), LoadIdentity(paths_->UserDir(name))));
  }

  // `user add` through the API without a CSR: a pending grant and a code.
  v1::AddProfessionalResponse Register(const std::string& admin, const std::string& org,
                                       v1::Role role) {
    v1::AddProfessionalRequest req;
    req.set_request_id(Rid("add"));
    req.set_organisation_id(org);
    req.set_display_name("Nieuwe Collega");
    req.add_roles(role);
    v1::AddProfessionalResponse out;
    Ctx ctx;
    grpc::Status s = Admin(admin)->AddProfessional(ctx.get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  // EnrollmentService.Enroll on the enrollment listener, over TLS without
  // a client certificate, with a key made here (the professional's side).
  grpc::Status Enroll(const std::string& code, Holder* holder) {
    auto key = crypto::GenerateEcKey();
    EXPECT_THAT(key, IsOk());
    v1::EnrollRequest req;
    req.set_code(code);
    req.set_csr_pem(*crypto::MakeCsrPem(key->get()));
    auto stub = v1::EnrollmentService::NewStub(
        MakeChannel(server_->enrollment_address(), Identity{"", "", ca_pem_}));
    v1::EnrollResponse out;
    Ctx ctx;
    grpc::Status s = stub->Enroll(ctx.get(), req, &out);
    if (s.ok() && holder != nullptr) {
      holder->identity = Identity{out.certificate_pem(),
                                  crypto::PrivateKeyToPem(key->get()), out.ca_certificate_pem()};
      holder->key = std::move(*key);
    }
    return s;
  }

  grpc::Status Approve(const std::string& admin, const std::string& grant, v1::Grant* out) {
    v1::ApproveGrantRequest req;
    req.set_grant_id(grant);
    Ctx ctx;
    return Admin(admin)->ApproveGrant(ctx.get(), req, out);
  }

  grpc::Status GetSignal(const Identity& who, const std::string& id, v1::Signal* out) {
    auto stub = v1::SignalService::NewStub(MakeChannel(server_->address(), who));
    v1::GetSignalRequest req;
    req.set_id(id);
    Ctx ctx;
    return stub->GetSignal(ctx.get(), req, out);
  }

  grpc::Status WhoAmI(const Identity& who, v1::WhoAmIResponse* out) {
    auto stub = v1::DirectoryService::NewStub(MakeChannel(server_->address(), who));
    Ctx ctx;
    return stub->WhoAmI(ctx.get(), v1::WhoAmIRequest(), out);
  }

  std::vector<v1::AuditEntry> Entries(const std::string& action) {
    auto stub = v1::AuditService::NewStub(
        MakeChannel(server_->address(), LoadIdentity(paths_->UserDir("auditor"))));
    v1::QueryAuditRequest req;
    req.set_action(action);
    req.set_page_size(500);
    v1::QueryAuditResponse out;
    Ctx ctx;
    grpc::Status s = stub->QueryAudit(ctx.get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {out.entries().begin(), out.entries().end()};
  }

  v1::ListGrantsResponse Review(const std::string& professional = "") {
    auto stub = v1::AuditService::NewStub(
        MakeChannel(server_->address(), LoadIdentity(paths_->UserDir("auditor"))));
    v1::ListGrantsRequest req;
    req.set_professional_id(professional);
    v1::ListGrantsResponse out;
    Ctx ctx;
    grpc::Status s = stub->ListGrants(ctx.get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  std::string ProfessionalIdOf(const std::string& user) {
    v1::WhoAmIResponse me;
    EXPECT_TRUE(WhoAmI(LoadIdentity(paths_->UserDir(user)), &me).ok());
    return me.professional().id();
  }

  std::string ca_pem_;
};

// The attack of issue 16: one administrator makes a ggz identity in
// ggz-rivierduinen. It reads nothing until a second administrator
// approves, and the administrator never sees its private key.
TEST_F(GrantsTest, SockPuppetReadsNothingUntilASecondAdminApproves) {
  As ggz = Who("ggz");
  v1::Signal health = CreateSignal(ggz, "JO-VE-PLUS");
  ASSERT_FALSE(health.id().empty());

  v1::AddProfessionalResponse added = Register("admin", "ggz-rivierduinen", v1::ROLE_GGZ);
  ASSERT_FALSE(added.grant_id().empty());
  ASSERT_FALSE(added.enrollment_code().empty());
  // What the administrator receives holds no key and no certificate.
  EXPECT_FALSE(absl::StrContains(added.SerializeAsString(), "PRIVATE KEY"));
  EXPECT_TRUE(added.certificate_pem().empty());
  EXPECT_EQ(added.professional().roles_size(), 0);
  ASSERT_EQ(added.professional().pending_roles_size(), 1);

  Holder puppet;
  ASSERT_TRUE(Enroll(added.enrollment_code(), &puppet).ok());
  v1::WhoAmIResponse me;
  ASSERT_TRUE(WhoAmI(puppet.identity, &me).ok());
  EXPECT_EQ(me.professional().roles_size(), 0);
  EXPECT_EQ(me.professional().pending_roles(0), v1::ROLE_GGZ);

  // Authenticated, but every case read is NOT_FOUND and every write
  // PERMISSION_DENIED.
  v1::Signal read;
  EXPECT_EQ(GetSignal(puppet.identity, health.id(), &read).error_code(), C::NOT_FOUND);
  auto signals = v1::SignalService::NewStub(MakeChannel(server_->address(), puppet.identity));
  {
    Ctx ctx;
    v1::ListSignalsResponse list;
    EXPECT_EQ(signals->ListSignals(ctx.get(), v1::ListSignalsRequest(), &list).error_code(),
              C::NOT_FOUND);
  }
  {
    Ctx ctx;
    v1::CreateSignalRequest req;
    req.set_request_id(Rid("sig"));
    req.set_category("JO-VE-PLUS");
    req.set_wijk("prinsenhof");
    req.set_place("Schoolplein");
    req.set_description("Beschrijving");
    v1::Signal out;
    EXPECT_EQ(signals->CreateSignal(ctx.get(), req, &out).error_code(), C::PERMISSION_DENIED);
  }
  auto residents = v1::ResidentService::NewStub(MakeChannel(server_->address(), puppet.identity));
  {
    Ctx ctx;
    v1::FindResidentsRequest req;
    req.set_name("Jan Jansen");
    req.set_birth_date("1980-01-01");
    v1::FindResidentsResponse out;
    EXPECT_EQ(residents->FindResidents(ctx.get(), req, &out).error_code(), C::NOT_FOUND);
  }

  // The requester cannot approve their own request.
  v1::Grant grant;
  grpc::Status self = Approve("admin", added.grant_id(), &grant);
  EXPECT_EQ(self.error_code(), C::PERMISSION_DENIED);
  EXPECT_THAT(self.error_message(), HasSubstr("dual control"));
  EXPECT_EQ(GetSignal(puppet.identity, health.id(), &read).error_code(), C::NOT_FOUND);

  // A second administrator approves: from the next request on it reads.
  grpc::Status approved = Approve("admin2", added.grant_id(), &grant);
  ASSERT_TRUE(approved.ok()) << approved.error_message();
  EXPECT_EQ(grant.status(), v1::Grant::STATUS_APPROVED);
  ASSERT_TRUE(GetSignal(puppet.identity, health.id(), &read).ok());
  EXPECT_EQ(read.description(), "Beschrijving van het signaal");
  // Deciding twice is refused.
  EXPECT_EQ(Approve("admin2", added.grant_id(), &grant).error_code(), C::FAILED_PRECONDITION);
}

TEST_F(GrantsTest, RequestApprovalAndRefusalEntriesNameOrganisationTeamAndRoles) {
  v1::AddProfessionalResponse a = Register("admin", "ggz-rivierduinen", v1::ROLE_GGZ);
  v1::AddProfessionalResponse b = Register("admin", "woej", v1::ROLE_PARTNER);
  v1::Grant out;
  ASSERT_TRUE(Approve("admin2", a.grant_id(), &out).ok());
  {
    v1::RefuseGrantRequest req;
    req.set_grant_id(b.grant_id());
    req.set_reason("niet bekend bij woej");
    Ctx ctx;
    ASSERT_TRUE(Admin("admin2")->RefuseGrant(ctx.get(), req, &out).ok());
    EXPECT_EQ(out.status(), v1::Grant::STATUS_REFUSED);
    EXPECT_EQ(out.reason(), "niet bekend bij woej");
  }
  {
    v1::RefuseGrantRequest req;  // no reason
    req.set_grant_id(a.grant_id());
    Ctx ctx;
    grpc::Status s = Admin("admin2")->RefuseGrant(ctx.get(), req, &out);
    EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT);
    EXPECT_THAT(s.error_message(), HasSubstr("reason"));
  }
  auto reasons = [&](const std::string& action) {
    std::vector<std::string> out;
    for (const auto& e : Entries(action)) {
      if (e.outcome() == "allowed") out.push_back(e.reason());
    }
    return out;
  };
  EXPECT_THAT(reasons("AdminService.AddProfessional"),
              ::testing::UnorderedElementsAre(
                  AllOf(HasSubstr(a.grant_id()), HasSubstr("organisation ggz-rivierduinen"),
                        HasSubstr("team intake"), HasSubstr("roles ggz"),
                        HasSubstr("requested")),
                  AllOf(HasSubstr(b.grant_id()), HasSubstr("organisation woej"),
                        HasSubstr("roles partner"))));
  EXPECT_THAT(reasons("AdminService.ApproveGrant"),
              ::testing::ElementsAre(AllOf(HasSubstr(a.grant_id()), HasSubstr("approved"),
                                           HasSubstr("roles ggz"))));
  EXPECT_THAT(reasons("AdminService.RefuseGrant"),
              ::testing::ElementsAre(AllOf(HasSubstr(b.grant_id()), HasSubstr("refused"),
                                           HasSubstr("organisation woej"))));
  // The requester's own approval attempt is in the log, denied.
  v1::AddProfessionalResponse c = Register("admin", "woej", v1::ROLE_PARTNER);
  EXPECT_EQ(Approve("admin", c.grant_id(), &out).error_code(), C::PERMISSION_DENIED);
  int denied = 0;
  for (const auto& e : Entries("AdminService.ApproveGrant")) {
    if (e.outcome() == "denied" && e.resource_id() == c.grant_id()) ++denied;
  }
  EXPECT_EQ(denied, 1);
}

TEST_F(GrantsTest, EnrollmentCodesAreSingleUseExpireAndLeaveNothingHalfWritten) {
  v1::AddProfessionalResponse first = Register("admin", "woej", v1::ROLE_PARTNER);
  v1::AddProfessionalResponse late = Register("admin", "woej", v1::ROLE_PARTNER);

  Holder holder;
  ASSERT_TRUE(Enroll(first.enrollment_code(), &holder).ok());
  // Used once: a second use is refused, and its certificate was never made.
  grpc::Status again = Enroll(first.enrollment_code(), nullptr);
  EXPECT_EQ(again.error_code(), C::FAILED_PRECONDITION);
  EXPECT_THAT(again.error_message(), HasSubstr("used already"));
  // Lower case and without dashes is the same code.
  std::string typed = first.enrollment_code();
  typed.erase(std::remove(typed.begin(), typed.end(), '-'), typed.end());
  for (char& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(Enroll(typed, nullptr).error_code(), C::FAILED_PRECONDITION);

  clock_.Advance(absl::Hours(72) + absl::Seconds(1));
  grpc::Status expired = Enroll(late.enrollment_code(), nullptr);
  EXPECT_EQ(expired.error_code(), C::FAILED_PRECONDITION);
  EXPECT_THAT(expired.error_message(), HasSubstr("expired"));

  EXPECT_EQ(Enroll("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH", nullptr).error_code(),
            C::NOT_FOUND);
  grpc::Status malformed = Enroll("not a code!", nullptr);
  EXPECT_EQ(malformed.error_code(), C::INVALID_ARGUMENT);
  EXPECT_THAT(malformed.error_message(), HasSubstr("code:"));

  // Every attempt is audited; one succeeded.
  int allowed = 0, refused = 0;
  for (const auto& e : Entries("EnrollmentService.Enroll")) {
    (e.outcome() == "allowed" ? allowed : refused)++;
    EXPECT_FALSE(absl::StrContains(e.reason(), first.enrollment_code()));
  }
  EXPECT_EQ(allowed, 1);
  EXPECT_EQ(refused, 5);
  // The expired professional holds no certificate: nothing half-written.
  v1::ListGrantsResponse grants = Review(late.professional().id());
  ASSERT_EQ(grants.grants_size(), 1);
  EXPECT_EQ(grants.grants(0).status(), v1::Grant::STATUS_PENDING);
}

TEST_F(GrantsTest, TheEnrollmentListenerServesOnlyEnrollment) {
  // No client certificate: every other RPC is refused there.
  auto stub = v1::DirectoryService::NewStub(
      MakeChannel(server_->enrollment_address(), Identity{"", "", ca_pem_}));
  Ctx ctx;
  v1::WhoAmIResponse out;
  EXPECT_EQ(stub->WhoAmI(ctx.get(), v1::WhoAmIRequest(), &out).error_code(),
            C::UNAUTHENTICATED);
  // And the main port still requires one.
  auto main = v1::EnrollmentService::NewStub(
      MakeChannel(server_->address(), Identity{"", "", ca_pem_}));
  Ctx ctx2;
  v1::EnrollResponse enrolled;
  v1::EnrollRequest req;
  req.set_code("x");
  EXPECT_EQ(main->Enroll(ctx2.get(), req, &enrolled).error_code(), C::UNAVAILABLE);
  EXPECT_NE(server_->enrollment_port(), server_->port());
}

TEST(EnrollmentListenerTest, OffMeansNoSecondPort) {
  TempDir tmp;
  std::unique_ptr<deployment::Paths> paths = InitDemoDeployment(tmp);
  ServerOptions options;
  options.deployment_dir = paths->dir;
  options.listen = "127.0.0.1:0";
  options.enrollment_listen = "off";
  auto server = Server::Start(options);
  ASSERT_THAT(server, IsOk());
  EXPECT_EQ((*server)->enrollment_port(), 0);
  EXPECT_EQ((*server)->enrollment_address(), "");
  v1::WhoAmIResponse me;
  auto stub = v1::DirectoryService::NewStub(
      MakeChannel((*server)->address(), LoadIdentity(paths->UserDir("regisseur"))));
  Ctx ctx;
  EXPECT_TRUE(stub->WhoAmI(ctx.get(), v1::WhoAmIRequest(), &me).ok());
}

TEST_F(GrantsTest, TheAuditorListsGrantsAndFlagsQuickApprovalsAndEarlyReads) {
  As ggz = Who("ggz");
  v1::Signal health = CreateSignal(ggz, "JO-VE-PLUS");
  v1::AddProfessionalResponse quick = Register("admin", "ggz-rivierduinen", v1::ROLE_GGZ);
  v1::AddProfessionalResponse slow = Register("admin", "woej", v1::ROLE_PARTNER);
  Holder puppet;
  ASSERT_TRUE(Enroll(quick.enrollment_code(), &puppet).ok());
  v1::Grant out;
  ASSERT_TRUE(Approve("admin2", quick.grant_id(), &out).ok());  // at once
  clock_.Advance(absl::Minutes(2));
  ASSERT_TRUE(Approve("admin2", slow.grant_id(), &out).ok());  // after two minutes
  clock_.Advance(absl::Hours(3));
  v1::Signal read;
  ASSERT_TRUE(GetSignal(puppet.identity, health.id(), &read).ok());

  v1::ListGrantsResponse all = Review();
  // Every demo professional's init grant, and the two new ones.
  EXPECT_GE(all.grants_size(), static_cast<int>(deployment::DemoUsers().size()) + 2);
  bool listed = false;
  for (const auto& p : all.professionals()) {
    if (p.id() == quick.professional().id()) {
      listed = true;
      ASSERT_EQ(p.roles_size(), 1);
      EXPECT_EQ(p.roles(0), v1::ROLE_GGZ);
    }
  }
  EXPECT_TRUE(listed);
  std::vector<std::pair<v1::GrantAnomaly::Kind, std::string>> anomalies;
  for (const auto& a : all.anomalies()) {
    if (a.professional_id() == quick.professional().id() ||
        a.professional_id() == slow.professional().id()) {
      anomalies.emplace_back(a.kind(), a.grant_id());
    }
  }
  EXPECT_THAT(anomalies, ::testing::UnorderedElementsAre(
                             std::make_pair(v1::GrantAnomaly::KIND_QUICK_APPROVAL, quick.grant_id()),
                             std::make_pair(v1::GrantAnomaly::KIND_READ_SOON_AFTER_GRANT,
                                            quick.grant_id())));

  // One professional's history; and only the auditor sees this listing.
  v1::ListGrantsResponse one = Review(slow.professional().id());
  ASSERT_EQ(one.grants_size(), 1);
  EXPECT_EQ(one.grants(0).requested_by(), ProfessionalIdOf("admin"));
  EXPECT_EQ(one.grants(0).decided_by(), ProfessionalIdOf("admin2"));
  auto stub = v1::AuditService::NewStub(
      MakeChannel(server_->address(), LoadIdentity(paths_->UserDir("admin"))));
  Ctx ctx;
  v1::ListGrantsResponse denied;
  EXPECT_EQ(stub->ListGrants(ctx.get(), v1::ListGrantsRequest(), &denied).error_code(),
            C::PERMISSION_DENIED);
}

TEST_F(GrantsTest, ThePendingListShowsOnlyUndecidedGrants) {
  v1::AddProfessionalResponse a = Register("admin", "woej", v1::ROLE_PARTNER);
  v1::AddProfessionalResponse b = Register("admin2", "vidomes", v1::ROLE_PARTNER);
  v1::Grant out;
  ASSERT_TRUE(Approve("admin", b.grant_id(), &out).ok());
  v1::ListGrantsRequest req;
  req.set_pending_only(true);
  v1::ListGrantsResponse pending;
  Ctx ctx;
  ASSERT_TRUE(Admin("admin2")->ListGrants(ctx.get(), req, &pending).ok());
  ASSERT_EQ(pending.grants_size(), 1);
  EXPECT_EQ(pending.grants(0).id(), a.grant_id());
  EXPECT_EQ(pending.grants(0).requested_by(), ProfessionalIdOf("admin"));
  // Not for other roles.
  auto stub = v1::AdminService::NewStub(
      MakeChannel(server_->address(), LoadIdentity(paths_->UserDir("auditor"))));
  Ctx ctx2;
  EXPECT_EQ(stub->ListGrants(ctx2.get(), req, &pending).error_code(), C::PERMISSION_DENIED);
}

TEST_F(GrantsTest, ARenewedCertificateRevokesTheOldOneWhenFirstUsed) {
  v1::AddProfessionalResponse added = Register("admin", "woej", v1::ROLE_PARTNER);
  Holder holder;
  ASSERT_TRUE(Enroll(added.enrollment_code(), &holder).ok());
  auto key = crypto::GenerateEcKey();
  v1::RenewCertificateRequest req;
  req.set_csr_pem(*crypto::MakeCsrPem(key->get()));
  v1::RenewCertificateResponse renewed;
  {
    auto stub = v1::DirectoryService::NewStub(MakeChannel(server_->address(), holder.identity));
    Ctx ctx;
    ASSERT_TRUE(stub->RenewCertificate(ctx.get(), req, &renewed).ok());
  }
  Identity fresh{renewed.certificate_pem(), crypto::PrivateKeyToPem(key->get()), ca_pem_};
  v1::WhoAmIResponse me;
  // Until the new one is used, the old one still works.
  ASSERT_TRUE(WhoAmI(holder.identity, &me).ok());
  ASSERT_TRUE(WhoAmI(fresh, &me).ok());
  EXPECT_EQ(me.certificate().serial(), renewed.certificate().serial());
  grpc::Status old = WhoAmI(holder.identity, &me);
  EXPECT_EQ(old.error_code(), C::UNAUTHENTICATED);
  EXPECT_THAT(old.error_message(), HasSubstr("revoked"));
  EXPECT_TRUE(WhoAmI(fresh, &me).ok());
  EXPECT_EQ(Entries("renewal.retire").size(), 1u);
}

// A change of roles is a grant too: a partner asked to become ggz as well
// reads no health content until a second administrator approves.
TEST_F(GrantsTest, MoreRolesForAnExistingProfessionalWaitForASecondAdmin) {
  As ggz = Who("ggz");
  v1::Signal health = CreateSignal(ggz, "JO-VE-PLUS");
  v1::AddProfessionalResponse added = Register("admin", "ggz-rivierduinen", v1::ROLE_PARTNER);
  Holder holder;
  ASSERT_TRUE(Enroll(added.enrollment_code(), &holder).ok());
  v1::Grant grant;
  ASSERT_TRUE(Approve("admin2", added.grant_id(), &grant).ok());
  v1::Signal read;
  ASSERT_TRUE(GetSignal(holder.identity, health.id(), &read).ok());
  EXPECT_EQ(read.description(), "");  // health content: ggz only

  auto request = [&](const std::string& admin, std::vector<v1::Role> roles,
                     const std::string& professional, v1::Grant* out) {
    v1::RequestGrantRequest req;
    req.set_professional_id(professional);
    for (v1::Role r : roles) req.add_roles(r);
    Ctx ctx;
    return Admin(admin)->RequestGrant(ctx.get(), req, out);
  };
  v1::Grant more;
  ASSERT_TRUE(request("admin", {v1::ROLE_GGZ}, added.professional().id(), &more).ok());
  EXPECT_EQ(more.status(), v1::Grant::STATUS_PENDING);
  ASSERT_TRUE(GetSignal(holder.identity, health.id(), &read).ok());
  EXPECT_EQ(read.description(), "") << "a pending role gave health content";
  EXPECT_EQ(Approve("admin", more.id(), &grant).error_code(), C::PERMISSION_DENIED);
  ASSERT_TRUE(Approve("admin2", more.id(), &grant).ok());
  ASSERT_TRUE(GetSignal(holder.identity, health.id(), &read).ok());
  EXPECT_EQ(read.description(), "Beschrijving van het signaal");

  // Refused: one's own roles; roles held already; a combination that
  // breaks the separation of duties; an unknown professional.
  v1::Grant out;
  grpc::Status own = request("admin", {v1::ROLE_AUDITOR}, ProfessionalIdOf("admin"), &out);
  EXPECT_EQ(own.error_code(), C::PERMISSION_DENIED);
  grpc::Status held = request("admin", {v1::ROLE_GGZ}, added.professional().id(), &out);
  EXPECT_EQ(held.error_code(), C::INVALID_ARGUMENT);
  EXPECT_THAT(held.error_message(), HasSubstr("roles:"));
  grpc::Status mixed = request("admin", {v1::ROLE_ADMIN}, added.professional().id(), &out);
  EXPECT_EQ(mixed.error_code(), C::INVALID_ARGUMENT);
  EXPECT_THAT(mixed.error_message(), HasSubstr("separation of duties"));
  EXPECT_EQ(request("admin", {v1::ROLE_GGZ}, "pnobodyaaaaaaaaaa", &out).error_code(), C::NOT_FOUND);
  EXPECT_EQ(request("auditor", {v1::ROLE_GGZ}, added.professional().id(), &out).error_code(),
            C::PERMISSION_DENIED);
}

// Bad input names the field and the rule; nothing is decided or issued.
TEST_F(GrantsTest, BadInputNamesTheFieldAndTheRule) {
  v1::Grant out;
  struct Case {
    std::string grant;
    C code;
    const char* text;
  };
  for (const Case& c : {Case{"", C::INVALID_ARGUMENT, "grant_id: required"},
                        Case{std::string(65, 'g'), C::INVALID_ARGUMENT,
                             "grant_id: not an id of its kind ('g' and 16 characters"},
                        Case{"g-unknown", C::INVALID_ARGUMENT, "grant_id: not an id of its kind"},
                        Case{"gunknownaaaaaaaaa", C::NOT_FOUND, "grant_id: no grant gunknownaaaaaaaaa"}}) {
    grpc::Status s = Approve("admin2", c.grant, &out);
    EXPECT_EQ(s.error_code(), c.code) << c.grant;
    EXPECT_THAT(s.error_message(), HasSubstr(c.text));
  }
  v1::AddProfessionalResponse added = Register("admin", "woej", v1::ROLE_PARTNER);
  auto enroll = [&](const std::string& code, const std::string& csr) {
    v1::EnrollRequest req;
    req.set_code(code);
    req.set_csr_pem(csr);
    auto stub = v1::EnrollmentService::NewStub(
        MakeChannel(server_->enrollment_address(), Identity{"", "", ca_pem_}));
    v1::EnrollResponse resp;
    Ctx ctx;
    return stub->Enroll(ctx.get(), req, &resp);
  };
  grpc::Status no_csr = enroll(added.enrollment_code(), "");
  EXPECT_EQ(no_csr.error_code(), C::INVALID_ARGUMENT);
  EXPECT_THAT(no_csr.error_message(), HasSubstr("csr_pem: required"));
  grpc::Status bad_csr = enroll(added.enrollment_code(), "not a csr");
  EXPECT_EQ(bad_csr.error_code(), C::INVALID_ARGUMENT);
  EXPECT_THAT(bad_csr.error_message(), HasSubstr("csr_pem"));
  // The code survived the bad attempts: it is used only by a good one.
  EXPECT_TRUE(Enroll(added.enrollment_code(), nullptr).ok());
  v1::AddProfessionalRequest team;
  team.set_request_id(Rid("team"));
  team.set_organisation_id("gemeente-lv");
  team.set_display_name("Met team");
  team.add_roles(v1::ROLE_CONSULTANT);
  // A team the organisation does not have, and no team id at all.
  team.set_team("leerplicht");
  v1::AddProfessionalResponse resp;
  {
    Ctx ctx;
    grpc::Status s = Admin("admin")->AddProfessional(ctx.get(), team, &resp);
    EXPECT_EQ(s.error_code(), C::NOT_FOUND);
    EXPECT_THAT(s.error_message(), HasSubstr("team: organisation gemeente-lv has no team leerplicht"));
  }
  team.set_team("Werk & Inkomen");
  {
    Ctx ctx;
    grpc::Status s = Admin("admin")->AddProfessional(ctx.get(), team, &resp);
    EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT);
    EXPECT_THAT(s.error_message(), HasSubstr("team: only lower-case"));
  }
}

// Four eyes on the privacy officer: a second privacy officer (registered,
// enrolled and approved as every professional is) and the auditor list the
// export with its request reference; other roles may not.
TEST_F(GrantsTest, ASecondPrivacyOfficerAndTheAuditorSeeThePrivacyOfficersActs) {
  As bridge = Who("brugfunctionaris");
  const std::string resident = CasesTest::Register(bridge, "Fatima El Amrani");
  {
    auto privacy = v1::PrivacyService::NewStub(
        MakeChannel(server_->address(), LoadIdentity(paths_->UserDir("privacy"))));
    v1::PrivacyExportRequest req;
    req.set_resident_id(resident);
    req.set_request_ref("AVG-2026-0042");
    v1::PrivacyExportResponse out;
    Ctx ctx;
    grpc::Status s = privacy->Export(ctx.get(), req, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  v1::AddProfessionalResponse second =
      Register("admin", "gemeente-lv", v1::ROLE_PRIVACY_OFFICER);
  Holder officer;
  ASSERT_TRUE(Enroll(second.enrollment_code(), &officer).ok());
  auto list = [&](const Identity& who, v1::ListPrivacyActsResponse* out) {
    auto stub = v1::AuditService::NewStub(MakeChannel(server_->address(), who));
    Ctx ctx;
    return stub->ListPrivacyActs(ctx.get(), v1::ListPrivacyActsRequest(), out);
  };
  v1::ListPrivacyActsResponse acts;
  // Not before the second privacy officer's role is approved.
  EXPECT_EQ(list(officer.identity, &acts).error_code(), C::PERMISSION_DENIED);
  v1::Grant grant;
  ASSERT_TRUE(Approve("admin2", second.grant_id(), &grant).ok());
  for (const Identity& who : {officer.identity, LoadIdentity(paths_->UserDir("auditor"))}) {
    acts.Clear();
    grpc::Status s = list(who, &acts);
    ASSERT_TRUE(s.ok()) << s.error_message();
    ASSERT_EQ(acts.entries_size(), 1);
    EXPECT_EQ(acts.entries(0).action(), "PrivacyService.Export");
    EXPECT_EQ(acts.entries(0).privacy_request(), "AVG-2026-0042");
    EXPECT_EQ(acts.entries(0).professional_id(), ProfessionalIdOf("privacy"));
  }
  for (const char* other : {"admin", "regisseur", "analyst"}) {
    EXPECT_EQ(list(LoadIdentity(paths_->UserDir(other)), &acts).error_code(),
              C::PERMISSION_DENIED)
        << other;
  }
}

// The real `schakel enroll` against this server, whose clock the test
// moves: an expired code is refused and leaves no identity behind.
TEST_F(GrantsTest, TheEnrollBinaryRefusesAnExpiredCode) {
  v1::AddProfessionalResponse added = Register("admin", "woej", v1::ROLE_PARTNER);
  WriteFileOrDie(tmp_.File("p12-password"), "geheim-wachtwoord\n");
  clock_.Advance(absl::Hours(73));
  const std::string out = tmp_.File("me");
  Result r = RunCommand({Bin("schakel"), "enroll", "--server", server_->enrollment_address(),
                         "--ca", paths_->ca_cert, "--code", added.enrollment_code(), "--out", out,
                         "--p12-password-file", tmp_.File("p12-password")});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("FAILED_PRECONDITION"));
  EXPECT_THAT(r.err, HasSubstr("expired"));
  EXPECT_FALSE(PathExists(out + "/cert.pem"));
  EXPECT_FALSE(PathExists(out + "/key.pem"));
}

}  // namespace
}  // namespace schakel::testing
