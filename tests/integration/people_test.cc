// The professionals' directory over the real server (TLS on loopback, a
// real SQLCipher deployment, an injected clock): DirectoryService.ListPeople
// with its filters and pages, the work contact data an administrator sets
// (AdminService.SetWorkContact), what the audit log records of both, and
// the names the auditor reads beside the ids (issue 20, items 1 and 2).
#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/admin.grpc.pb.h"
#include "schakel/v1/audit.grpc.pb.h"
#include "schakel/v1/directory.grpc.pb.h"
#include "server/crypto/x509.h"
#include "server/deployment/deployment.h"
#include "server/deployment/init.h"
#include "server/domain/directory.h"
#include "tests/integration/case_fixture.h"
#include "tests/support/transaction.h"

namespace schakel::testing {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using C = grpc::StatusCode;

constexpr char kPhone[] = "+31 71 555 12 34";
constexpr char kEmail[] = "zoe.devries@ggz-rivierduinen.nl";

class PeopleTest : public CasesTest {
 protected:
  std::shared_ptr<grpc::Channel> Channel(const std::string& user) {
    return MakeChannel(server_->address(), LoadIdentity(paths_->UserDir(user)));
  }

  // A colleague registered by `admin` with their own CSR and approved by
  // `admin2`: in the directory from then on. Returns their id.
  std::string AddColleague(const std::string& name, const std::string& org, v1::Role role,
                           const std::string& team = "", bool approve = true) {
    auto key = crypto::GenerateEcKey();
    EXPECT_THAT(key, IsOk());
    v1::AddProfessionalRequest req;
    req.set_request_id(Rid("add"));
    req.set_organisation_id(org);
    req.set_display_name(name);
    req.add_roles(role);
    req.set_team(team);
    req.set_csr_pem(*crypto::MakeCsrPem(key->get()));
    v1::AddProfessionalResponse added;
    {
      Ctx ctx;
      grpc::Status s = v1::AdminService::NewStub(Channel("admin"))
                           ->AddProfessional(ctx.get(), req, &added);
      EXPECT_TRUE(s.ok()) << s.error_message();
    }
    if (approve) {
      v1::ApproveGrantRequest ok;
      ok.set_grant_id(added.grant_id());
      v1::Grant grant;
      Ctx ctx;
      grpc::Status s =
          v1::AdminService::NewStub(Channel("admin2"))->ApproveGrant(ctx.get(), ok, &grant);
      EXPECT_TRUE(s.ok()) << s.error_message();
    }
    return added.professional().id();
  }

  grpc::Status List(const std::string& user, const v1::ListPeopleRequest& req,
                    v1::ListPeopleResponse* out) {
    Ctx ctx;
    return v1::DirectoryService::NewStub(Channel(user))->ListPeople(ctx.get(), req, out);
  }

  // Every page of a list, by `page_size`.
  std::vector<v1::Person> ListAll(const std::string& user, v1::ListPeopleRequest req,
                                  int page_size = 100) {
    std::vector<v1::Person> out;
    req.set_page_size(page_size);
    for (int page = 0; page < 100; ++page) {
      v1::ListPeopleResponse resp;
      grpc::Status s = List(user, req, &resp);
      EXPECT_TRUE(s.ok()) << s.error_message();
      if (!s.ok()) break;
      out.insert(out.end(), resp.people().begin(), resp.people().end());
      if (resp.next_page_token().empty()) break;
      req.set_page_token(resp.next_page_token());
    }
    return out;
  }

  static std::vector<std::string> Names(const std::vector<v1::Person>& people) {
    std::vector<std::string> out;
    for (const v1::Person& p : people) out.push_back(p.display_name());
    return out;
  }

  const v1::Person* Find(const std::vector<v1::Person>& people, const std::string& name) {
    for (const v1::Person& p : people) {
      if (p.display_name() == name) return &p;
    }
    return nullptr;
  }

  grpc::Status SetContact(const std::string& user, const std::string& id,
                          const std::string& phone, const std::string& email, v1::Person* out) {
    v1::SetWorkContactRequest req;
    req.set_professional_id(id);
    req.set_work_phone(phone);
    req.set_work_email(email);
    Ctx ctx;
    return v1::AdminService::NewStub(Channel(user))->SetWorkContact(ctx.get(), req, out);
  }

  std::vector<v1::AuditEntry> Entries(const std::string& action) {
    v1::QueryAuditRequest req;
    req.set_action(action);
    req.set_page_size(500);
    v1::QueryAuditResponse out;
    Ctx ctx;
    grpc::Status s = v1::AuditService::NewStub(Channel("auditor"))->QueryAudit(ctx.get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {out.entries().begin(), out.entries().end()};
  }

  std::string IdOf(const std::string& user) {
    v1::WhoAmIResponse me;
    Ctx ctx;
    EXPECT_TRUE(v1::DirectoryService::NewStub(Channel(user))
                    ->WhoAmI(ctx.get(), v1::WhoAmIRequest(), &me)
                    .ok());
    return me.professional().id();
  }
};

// Every role reads the whole directory, across organisations, and sees of
// each colleague the work data only; a professional whose first grant
// awaits approval is not in it yet.
TEST_F(PeopleTest, EveryRoleListsEveryColleagueWithWorkDataOnly) {
  AddColleague("Nog Niet Goedgekeurd", "woej", v1::ROLE_PARTNER, "", /*approve=*/false);
  const std::vector<std::string> users = {"regisseur", "consultant", "admin",  "auditor",
                                          "analyst",   "privacy",    "ggz",    "brugfunctionaris",
                                          "partner-woej"};
  for (const std::string& user : users) {
    std::vector<v1::Person> people = ListAll(user, {});
    EXPECT_EQ(people.size(), deployment::DemoUsers().size()) << user;
    EXPECT_EQ(Find(people, "Nog Niet Goedgekeurd"), nullptr) << user;
  }
  std::vector<v1::Person> people = ListAll("partner-woej", {});
  const v1::Person* ggz = Find(people, "Demo ggz");
  ASSERT_NE(ggz, nullptr);
  EXPECT_EQ(ggz->organisation_id(), "ggz-rivierduinen");
  EXPECT_EQ(ggz->organisation_name(), "GGZ Rivierduinen (Wijk-GGZ)");
  EXPECT_THAT(ggz->teams(), ElementsAre("intake"));
  EXPECT_THAT(ggz->roles(), ElementsAre(v1::ROLE_GGZ));
  EXPECT_TRUE(ggz->work_phone().empty());
  EXPECT_FALSE(ggz->disabled());
  const v1::Person* consultant = Find(people, "Demo consultant");
  ASSERT_NE(consultant, nullptr);
  EXPECT_THAT(consultant->teams(), ElementsAre("werk-en-inkomen"));
  // Ordered by id.
  for (size_t i = 1; i < people.size(); ++i) EXPECT_LT(people[i - 1].id(), people[i].id());
  // Nothing of a certificate or a grant travels: the message has no such
  // field, and no PEM or serial turns up in the bytes.
  v1::ListPeopleResponse raw;
  ASSERT_TRUE(List("partner-woej", {}, &raw).ok());
  EXPECT_FALSE(absl::StrContains(raw.SerializeAsString(), "CERTIFICATE"));
}

TEST_F(PeopleTest, FiltersByOrganisationTeamRoleAndNamePrefix) {
  AddColleague("Zoë de Vries", "ggz-rivierduinen", v1::ROLE_GGZ);
  AddColleague("Jan Jansen", "woej", v1::ROLE_PARTNER);
  AddColleague("Anne-Marie Jongbloed", "woej", v1::ROLE_PARTNER);
  AddColleague("Els Verhoeven", "gemeente-lv", v1::ROLE_CONSULTANT, "werk-en-inkomen");

  v1::ListPeopleRequest by_org;
  by_org.set_organisation_id("woej");
  EXPECT_THAT(Names(ListAll("regisseur", by_org)),
              ::testing::UnorderedElementsAre("Demo partner-woej", "Jan Jansen",
                                              "Anne-Marie Jongbloed"));
  v1::ListPeopleRequest by_team;
  by_team.set_organisation_id("gemeente-lv");
  by_team.set_team("werk-en-inkomen");
  EXPECT_THAT(Names(ListAll("ggz", by_team)),
              ::testing::UnorderedElementsAre("Demo consultant", "Demo consultant-2",
                                              "Els Verhoeven"));
  v1::ListPeopleRequest by_role;
  by_role.set_role("bridge_officer");
  EXPECT_THAT(Names(ListAll("ggz", by_role)), ElementsAre("Demo brugfunctionaris"));
  by_role.set_role("ggz");
  EXPECT_THAT(Names(ListAll("ggz", by_role)),
              ::testing::UnorderedElementsAre("Demo ggz", "Zoë de Vries"));

  auto named = [&](const std::string& name) {
    v1::ListPeopleRequest req;
    req.set_name(name);
    return Names(ListAll("partner-vidomes", req));
  };
  EXPECT_THAT(named("JAN"), ElementsAre("Jan Jansen"));
  EXPECT_THAT(named("jansen"), ElementsAre("Jan Jansen"));
  EXPECT_THAT(named("ansen"), IsEmpty());
  EXPECT_THAT(named("dE vR"), ElementsAre("Zoë de Vries"));
  // Every word asked for begins a word of the name, in any order.
  EXPECT_THAT(named("vries zo"), ElementsAre("Zoë de Vries"));
  EXPECT_THAT(named("zoë"), ElementsAre("Zoë de Vries"));
  EXPECT_THAT(named("MARIE"), ElementsAre("Anne-Marie Jongbloed"));
  EXPECT_THAT(named("j"), ::testing::UnorderedElementsAre("Jan Jansen", "Anne-Marie Jongbloed"));
  // Filters hold together.
  v1::ListPeopleRequest both;
  both.set_organisation_id("gemeente-lv");
  both.set_name("els");
  EXPECT_THAT(Names(ListAll("regisseur", both)), ElementsAre("Els Verhoeven"));
  both.set_role("regisseur");
  EXPECT_THAT(Names(ListAll("regisseur", both)), IsEmpty());
}

TEST_F(PeopleTest, UnknownFilterValuesNameTheFieldAndTheRule) {
  struct Case {
    const char* org;
    const char* team;
    const char* role;
    const char* name;
    std::vector<const char*> expect;
  };
  const Case kCases[] = {
      {"nergens", "", "", "", {"organisation_id: no organisation nergens"}},
      {"Not An Id", "", "", "", {"organisation_id:"}},
      {"", "intake", "", "", {"team: needs organisation_id"}},
      {"gemeente-lv", "leerplicht", "", "",
       {"team: organisation gemeente-lv has no team leerplicht", "werk-en-inkomen"}},
      {"", "", "brugfunctionaris", "",
       {"role: not a role", "bridge_officer", "privacy_officer", "regisseur"}},
      {"", "", "", "   ", {"name: must not be only white space"}},
      {"", "", "", "\x01", {"name:"}},
  };
  for (const Case& c : kCases) {
    v1::ListPeopleRequest req;
    req.set_organisation_id(c.org);
    req.set_team(c.team);
    req.set_role(c.role);
    req.set_name(c.name);
    v1::ListPeopleResponse out;
    grpc::Status s = List("regisseur", req, &out);
    EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT) << c.org << c.team << c.role << c.name;
    for (const char* part : c.expect) EXPECT_THAT(s.error_message(), HasSubstr(part));
  }
}

TEST_F(PeopleTest, PagesFollowEachOtherAndTokensStayWithTheirCallerAndFilter) {
  for (int i = 0; i < 6; ++i) {
    AddColleague(absl::StrCat("Collega ", i), "vidomes", v1::ROLE_PARTNER);
  }
  const std::vector<v1::Person> whole = ListAll("regisseur", {}, 100);
  ASSERT_EQ(whole.size(), deployment::DemoUsers().size() + 6);
  for (int size : {1, 3, 5}) {
    std::vector<v1::Person> paged = ListAll("regisseur", {}, size);
    ASSERT_EQ(paged.size(), whole.size()) << size;
    for (size_t i = 0; i < whole.size(); ++i) EXPECT_EQ(paged[i].id(), whole[i].id());
  }
  // Paging under a name filter: the page counts the matches only.
  v1::ListPeopleRequest named;
  named.set_name("COLLEGA");
  named.set_page_size(4);
  v1::ListPeopleResponse first;
  ASSERT_TRUE(List("regisseur", named, &first).ok());
  EXPECT_EQ(first.people_size(), 4);
  ASSERT_FALSE(first.next_page_token().empty());
  v1::ListPeopleRequest next = named;
  next.set_page_token(first.next_page_token());
  v1::ListPeopleResponse second;
  ASSERT_TRUE(List("regisseur", next, &second).ok());
  EXPECT_EQ(second.people_size(), 2);
  EXPECT_TRUE(second.next_page_token().empty());
  // The same filter in another case continues the pages.
  next.set_name("collega");
  ASSERT_TRUE(List("regisseur", next, &second).ok());
  EXPECT_EQ(second.people_size(), 2);
  // Another caller, or another filter, cannot use the token.
  v1::ListPeopleResponse refused;
  grpc::Status s = List("ggz", next, &refused);
  EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("page_token"));
  next.set_organisation_id("vidomes");
  EXPECT_EQ(List("regisseur", next, &refused).error_code(), C::INVALID_ARGUMENT);
}

TEST_F(PeopleTest, DisabledColleaguesAreLeftOutUnlessAskedFor) {
  const std::string gone = AddColleague("Vertrokken Collega", "woej", v1::ROLE_PARTNER);
  {
    v1::DisableProfessionalRequest req;
    req.set_professional_id(gone);
    v1::Professional out;
    Ctx ctx;
    ASSERT_TRUE(
        v1::AdminService::NewStub(Channel("admin"))->DisableProfessional(ctx.get(), req, &out).ok());
  }
  EXPECT_EQ(Find(ListAll("regisseur", {}), "Vertrokken Collega"), nullptr);
  v1::ListPeopleRequest with;
  with.set_include_disabled(true);
  std::vector<v1::Person> all = ListAll("regisseur", with);
  const v1::Person* p = Find(all, "Vertrokken Collega");
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(p->disabled());
  EXPECT_EQ(all.size(), deployment::DemoUsers().size() + 1);
}

TEST_F(PeopleTest, WorkContactRoundTripsThroughTheDirectory) {
  const std::string zoe = AddColleague("Zoë de Vries", "ggz-rivierduinen", v1::ROLE_GGZ);
  v1::Person set;
  grpc::Status s = SetContact("admin", zoe, kPhone, kEmail, &set);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(set.id(), zoe);
  EXPECT_EQ(set.work_phone(), kPhone);
  EXPECT_EQ(set.work_email(), kEmail);
  EXPECT_THAT(set.roles(), ElementsAre(v1::ROLE_GGZ));

  v1::ListPeopleRequest req;
  req.set_name("zoë");
  std::vector<v1::Person> seen = ListAll("partner-woej", req);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].work_phone(), kPhone);
  EXPECT_EQ(seen[0].work_email(), kEmail);

  // An empty field clears its value; the other is written as sent.
  ASSERT_TRUE(SetContact("admin2", zoe, "", kEmail, &set).ok());
  seen = ListAll("regisseur", req);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].work_phone(), "");
  EXPECT_EQ(seen[0].work_email(), kEmail);
}

TEST_F(PeopleTest, OnlyAnAdminSetsValidContactDataOfAKnownProfessional) {
  const std::string ggz = IdOf("ggz");
  v1::Person out;
  for (const char* user : {"regisseur", "auditor", "ggz", "privacy"}) {
    EXPECT_EQ(SetContact(user, ggz, kPhone, kEmail, &out).error_code(), C::PERMISSION_DENIED)
        << user;
  }
  grpc::Status s = SetContact("admin", ggz, "071 555 1234 ext. 5", kEmail, &out);
  EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("work_phone:"));
  s = SetContact("admin", ggz, std::string(31, '1'), "", &out);
  EXPECT_THAT(s.error_message(), AllOf(HasSubstr("work_phone:"), HasSubstr("30")));
  s = SetContact("admin", ggz, kPhone, "zoe.devries@@ggz.nl", &out);
  EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("work_email:"));
  s = SetContact("admin", ggz, kPhone, "zoe devries@ggz.nl", &out);
  EXPECT_THAT(s.error_message(), HasSubstr("work_email:"));
  s = SetContact("admin", ggz, kPhone, "zoe@localhost", &out);
  EXPECT_THAT(s.error_message(), HasSubstr("work_email:"));
  s = SetContact("admin", "paaaaaaaaaaaaaaaa", kPhone, kEmail, &out);
  EXPECT_EQ(s.error_code(), C::NOT_FOUND);
  EXPECT_THAT(s.error_message(), HasSubstr("professional_id"));
  s = SetContact("admin", "", kPhone, kEmail, &out);
  EXPECT_EQ(s.error_code(), C::INVALID_ARGUMENT);
  // Nothing was written by any refusal.
  v1::ListPeopleRequest req;
  req.set_name("Demo ggz");
  std::vector<v1::Person> seen = ListAll("regisseur", req);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_TRUE(seen[0].work_phone().empty());
  EXPECT_TRUE(seen[0].work_email().empty());
}

// Both RPCs leave their entries; the contact change names what changed,
// and no contact value is anywhere in the audit table, also not from the
// refused attempts.
TEST_F(PeopleTest, TheAuditLogRecordsListsAndChangesButNoContactValue) {
  const std::string ggz = IdOf("ggz");
  v1::ListPeopleRequest req;
  req.set_organisation_id("woej");
  v1::ListPeopleResponse listed;
  ASSERT_TRUE(List("brugfunctionaris", req, &listed).ok());
  v1::Person out;
  ASSERT_TRUE(SetContact("admin", ggz, kPhone, kEmail, &out).ok());
  ASSERT_TRUE(SetContact("admin", ggz, kPhone, "", &out).ok());
  EXPECT_FALSE(SetContact("regisseur", ggz, "+31 6 9999 0000", "nee@ggz.nl", &out).ok());
  EXPECT_FALSE(SetContact("admin", ggz, "+31 6 9999 0000", "fout@@ggz.nl", &out).ok());

  const std::string brug = IdOf("brugfunctionaris");
  bool list_seen = false;
  for (const v1::AuditEntry& e : Entries("DirectoryService.ListPeople")) {
    if (e.professional_id() != brug) continue;
    list_seen = true;
    EXPECT_EQ(e.outcome(), "allowed");
    EXPECT_EQ(e.resource_type(), "professional");
  }
  EXPECT_TRUE(list_seen);
  std::vector<std::string> reasons;
  int denied = 0;
  for (const v1::AuditEntry& e : Entries("AdminService.SetWorkContact")) {
    EXPECT_EQ(e.resource_id(), ggz);
    if (e.outcome() == "allowed") reasons.push_back(e.reason());
    if (e.outcome() == "denied") ++denied;
  }
  EXPECT_THAT(reasons,
              ElementsAre(absl::StrCat("work contact of professional ", ggz,
                                       ": work_phone set, work_email set"),
                          absl::StrCat("work contact of professional ", ggz,
                                       ": work_phone unchanged, work_email cleared")));
  EXPECT_GE(denied, 1);

  server_->Shutdown(absl::Seconds(1));
  server_.reset();
  auto db = deployment::OpenDatabase(*paths_, DemoKek(*paths_));
  ASSERT_THAT(db, IsOk());
  const bool pg = (*db)->engine() == store::Engine::kPostgresql;
  const std::string all = QueryText(
      **db,
      absl::StrCat(pg ? "SELECT string_agg(" : "SELECT group_concat(", "seq || '|' || time || '|' || professional_id || '|' || organisation_id"
      " || '|' || roles || '|' || certificate || '|' || action || '|' || resource_type || '|' ||"
      " resource_id || '|' || residents || '|' || outcome || '|' || reason || '|' || purpose ||"
      " '|' || break_glass || '|' || request_id || '|' || peer || '|' || privacy_request || '|'"
      " || version || '|' || session_commitment || '|' || prev_hash || '|' || hash, ",
                   pg ? "chr(10))" : "char(10))", " FROM audit_log"));
  ASSERT_THAT(all, HasSubstr("AdminService.SetWorkContact"));
  for (const std::string& value :
       {std::string(kPhone), std::string(kEmail), std::string("+31 6 9999 0000"),
        std::string("nee@ggz.nl"), std::string("fout@@ggz.nl"), std::string("555 12 34"),
        std::string("zoe.devries")}) {
    EXPECT_THAT(all, ::testing::Not(HasSubstr(value))) << value;
  }
}

// The auditor reads names beside the ids, from the directory: of the
// professional and the organisation, in the query and in a resident's
// access report — never a resident's name; an id that names nobody (the
// tools' own entries, a certificate of our CA for a professional never
// registered) has empty names.
TEST_F(PeopleTest, TheAuditorsEntriesCarryTheDirectorysNames) {
  As regisseur = Who("regisseur");
  const std::string resident = Register(regisseur, "Fatima Bakker");
  ASSERT_FALSE(resident.empty());
  v1::ListPeopleResponse listed;
  ASSERT_TRUE(List("ggz", {}, &listed).ok());

  // A certificate of the deployment's CA for an id that is nobody.
  crypto::CertificateAuthority ca = LoadCa(*paths_);
  auto key = crypto::GenerateEcKey();
  ASSERT_THAT(key, IsOk());
  crypto::CertificateSpec spec;
  spec.common_name = "nobody";
  spec.uris = {domain::ProfessionalUri("pnobodyaaaaaaaaaa")};
  spec.not_before = std::min(Monday(), absl::Now()) - absl::Hours(1);
  spec.not_after = std::max(Monday(), absl::Now()) + absl::Hours(24);
  spec.client_auth = true;
  auto cert = ca.Issue(spec, key->get());
  ASSERT_THAT(cert, IsOk());
  Identity nobody{crypto::CertificateToPem(cert->get()), crypto::PrivateKeyToPem(key->get()),
                  ReadFileOrDie(paths_->ca_cert)};
  {
    v1::WhoAmIResponse me;
    Ctx ctx;
    EXPECT_EQ(v1::DirectoryService::NewStub(MakeChannel(server_->address(), nobody))
                  ->WhoAmI(ctx.get(), v1::WhoAmIRequest(), &me)
                  .error_code(),
              C::UNAUTHENTICATED);
  }

  auto auditor = v1::AuditService::NewStub(Channel("auditor"));
  v1::QueryAuditRequest query;
  query.set_page_size(500);
  v1::QueryAuditResponse all;
  {
    Ctx ctx;
    ASSERT_TRUE(auditor->QueryAudit(ctx.get(), query, &all).ok());
  }
  const std::string ggz = IdOf("ggz");
  int named = 0, nobody_seen = 0, init_seen = 0;
  for (const v1::AuditEntry& e : all.entries()) {
    EXPECT_THAT(e.professional_name(), ::testing::Not(HasSubstr("Fatima")));
    EXPECT_THAT(e.organisation_name(), ::testing::Not(HasSubstr("Fatima")));
    if (e.professional_id() == ggz && e.action() == "DirectoryService.ListPeople") {
      EXPECT_EQ(e.professional_name(), "Demo ggz");
      EXPECT_EQ(e.organisation_name(), "GGZ Rivierduinen (Wijk-GGZ)");
      ++named;
    }
    if (e.professional_id() == "pnobodyaaaaaaaaaa") {
      EXPECT_EQ(e.professional_name(), "");
      ++nobody_seen;
    }
    if (e.action() == "schakel-admin.init") {
      EXPECT_EQ(e.professional_name(), "");
      EXPECT_EQ(e.organisation_name(), "");
      ++init_seen;
    }
  }
  EXPECT_EQ(named, 1);
  EXPECT_EQ(nobody_seen, 1);
  EXPECT_GT(init_seen, 0);

  v1::ResidentAccessReportRequest report;
  report.set_resident_id(resident);
  v1::ResidentAccessReportResponse accesses;
  {
    Ctx ctx;
    grpc::Status s = auditor->ResidentAccessReport(ctx.get(), report, &accesses);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  ASSERT_GT(accesses.accesses_size(), 0);
  for (const v1::AuditEntry& e : accesses.accesses()) {
    EXPECT_EQ(e.professional_name(), "Demo regisseur") << e.action();
    EXPECT_EQ(e.organisation_name(), "Gemeente Leidschendam-Voorburg") << e.action();
  }
}

}  // namespace
}  // namespace schakel::testing
