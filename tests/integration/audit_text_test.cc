// Nothing free-form gets into the audit log through an id or the purpose
// of use (issue 18, item 5), through a real server on loopback with TLS:
// free text sent where an id belongs is refused naming the field and its
// rule, and its entry records no trace of it; the purpose is a code of the
// deployment's list, "anders:<text>" only where the configuration allows
// it, bounded.
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "schakel/v1/audit.grpc.pb.h"
#include "schakel/v1/directory.grpc.pb.h"
#include "schakel/v1/reports.grpc.pb.h"
#include "tests/integration/case_fixture.h"

namespace schakel::testing {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kFreeText[] = "Fatima El Amrani 1985-03-02 depressie";

class AuditTextTest : public CasesTest {
 protected:
  // Every entry of the log, oldest first.
  std::vector<v1::AuditEntry> AllEntries() {
    auto audit = v1::AuditService::NewStub(Who("auditor").channel);
    std::vector<v1::AuditEntry> out;
    v1::QueryAuditRequest q;
    q.set_page_size(500);
    for (int page = 0; page < 100; ++page) {
      v1::QueryAuditResponse resp;
      Ctx ctx;
      grpc::Status s = audit->QueryAudit(&ctx, q, &resp);
      EXPECT_TRUE(s.ok()) << s.error_message();
      if (!s.ok()) break;
      out.insert(out.end(), resp.entries().begin(), resp.entries().end());
      if (resp.next_page_token().empty()) break;
      q.set_page_token(resp.next_page_token());
    }
    return out;
  }

  // The last entry of `action`.
  v1::AuditEntry LastOf(const std::string& action) {
    v1::AuditEntry last;
    for (const v1::AuditEntry& e : AllEntries()) {
      if (e.action() == action) last = e;
    }
    EXPECT_EQ(last.action(), action) << "no entry of " << action;
    return last;
  }

  // No field of any entry holds `text` or a telling part of it.
  void ExpectNowhereInTheLog(const std::string& text) {
    for (const v1::AuditEntry& e : AllEntries()) {
      const std::string all = e.DebugString();
      EXPECT_THAT(all, Not(HasSubstr(text))) << all;
      EXPECT_THAT(all, Not(HasSubstr("Fatima"))) << all;
      EXPECT_THAT(all, Not(HasSubstr("depressie"))) << all;
    }
  }

  grpc::Status GetOrganisation(As& who, const std::string& id, const std::string& purpose = "",
                               v1::Organisation* out = nullptr) {
    auto directory = v1::DirectoryService::NewStub(who.channel);
    v1::GetOrganisationRequest req;
    req.set_id(id);
    v1::Organisation org;
    Ctx ctx;
    if (!purpose.empty()) ctx.get()->AddMetadata("x-schakel-purpose", purpose);
    grpc::Status s = directory->GetOrganisation(&ctx, req, out != nullptr ? out : &org);
    return s;
  }
};

TEST_F(AuditTextTest, FreeTextAsAnOrganisationIdIsRefusedAndNotRecorded) {
  As regisseur = Who("regisseur");
  grpc::Status s = GetOrganisation(regisseur, kFreeText);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("id: not an organisation id (2 to 40 characters"));
  EXPECT_THAT(s.error_message(), Not(HasSubstr("Fatima")));

  v1::AuditEntry e = LastOf("DirectoryService.GetOrganisation");
  EXPECT_EQ(e.outcome(), "failed");
  EXPECT_EQ(e.resource_id(), "");
  EXPECT_THAT(e.reason(), HasSubstr("INVALID_ARGUMENT: id: not an organisation id"));
  EXPECT_EQ(e.purpose(), "zorgcoordinatie");
  EXPECT_FALSE(e.professional_id().empty());
  ExpectNowhereInTheLog(kFreeText);

  // A well-formed id still reads, and an unknown one of the right shape is
  // NOT_FOUND as before, its id recorded.
  v1::Organisation woej;
  ASSERT_TRUE(GetOrganisation(regisseur, "woej", "", &woej).ok());
  EXPECT_EQ(woej.id(), "woej");
  EXPECT_EQ(LastOf("DirectoryService.GetOrganisation").resource_id(), "woej");
  s = GetOrganisation(regisseur, "bestaat-niet");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND) << s.error_message();
  EXPECT_EQ(LastOf("DirectoryService.GetOrganisation").resource_id(), "bestaat-niet");
}

// One id field of each kind, in the services that take it: free text is
// refused naming that field, nothing is created, and the log stays clean.
TEST_F(AuditTextTest, FreeTextInAnyIdFieldIsRefusedNamingTheField) {
  As regisseur = Who("regisseur");
  const std::string resident = Register(regisseur, "Sanne Visser", "1979-04-11");
  const std::string signal = CreateSignal(regisseur, "FZ-SCHULDEN", resident).id();
  const std::string handover = Propose(regisseur, resident, "woej").id();

  struct Case {
    const char* action;
    const char* field;
    std::function<grpc::Status()> call;
  };
  const std::string text = kFreeText;
  std::vector<Case> cases = {
      {"SignalService.GetSignal", "id",
       [&] {
         v1::GetSignalRequest r;
         r.set_id(text);
         v1::Signal out;
         Ctx ctx;
         return regisseur.signals->GetSignal(&ctx, r, &out);
       }},
      // The letters of an id but not its format (a signal id is "s" and 16
      // base32 characters).
      {"SignalService.GetSignal", "id",
       [&] {
         v1::GetSignalRequest r;
         r.set_id("Fatima-El-Amrani-depressie");
         v1::Signal out;
         Ctx ctx;
         return regisseur.signals->GetSignal(&ctx, r, &out);
       }},
      // A resident's id given where a signal's belongs.
      {"SignalService.GetSignal", "id",
       [&] {
         v1::GetSignalRequest r;
         r.set_id(resident);
         v1::Signal out;
         Ctx ctx;
         return regisseur.signals->GetSignal(&ctx, r, &out);
       }},
      {"ResidentService.GetResident", "id",
       [&] {
         v1::GetResidentRequest r;
         r.set_id(text);
         v1::Resident out;
         Ctx ctx;
         return regisseur.residents->GetResident(&ctx, r, &out);
       }},
      {"SignalService.CreateSignal", "request_id",
       [&] {
         v1::CreateSignalRequest r;
         r.set_request_id(text);
         r.set_category("FZ-SCHULDEN");
         r.set_wijk("prinsenhof");
         r.set_place("Plein");
         r.set_description("Beschrijving");
         v1::Signal out;
         Ctx ctx;
         return regisseur.signals->CreateSignal(&ctx, r, &out);
       }},
      {"SignalService.CreateSignal", "resident_id",
       [&] {
         v1::CreateSignalRequest r;
         r.set_request_id(Rid("free-resident"));
         r.set_category("FZ-SCHULDEN");
         r.set_wijk("prinsenhof");
         r.set_place("Plein");
         r.set_description("Beschrijving");
         r.set_resident_id(text);
         v1::Signal out;
         Ctx ctx;
         return regisseur.signals->CreateSignal(&ctx, r, &out);
       }},
      {"SignalService.AddSignalNote", "signal_id",
       [&] {
         v1::AddSignalNoteRequest r;
         r.set_request_id(Rid("free-note"));
         r.set_signal_id(text);
         r.set_text("Notitie");
         v1::Note out;
         Ctx ctx;
         return regisseur.signals->AddSignalNote(&ctx, r, &out);
       }},
      {"HandoverService.ProposeHandover", "to_organisation_id",
       [&] {
         v1::ProposeHandoverRequest r;
         r.set_request_id(Rid("free-org"));
         r.set_resident_id(resident);
         r.set_to_organisation_id(text);
         r.set_reason("Ouder zoekt hulp bij formulieren");
         r.mutable_basis()->mutable_consent()->set_covers("doorverwijzing");
         v1::Handover out;
         Ctx ctx;
         return regisseur.handovers->ProposeHandover(&ctx, r, &out);
       }},
      {"HandoverService.AcceptHandover", "id",
       [&] {
         v1::HandoverActionRequest r;
         r.set_id(text);
         v1::Handover out;
         Ctx ctx;
         return regisseur.handovers->AcceptHandover(&ctx, r, &out);
       }},
      {"ResidentService.OpenBreakGlass", "resident_id",
       [&] {
         v1::OpenBreakGlassRequest r;
         r.set_resident_id(text);
         r.set_reason("Acute zorg nodig, bewoner niet aanspreekbaar");
         v1::OpenBreakGlassResponse out;
         Ctx ctx;
         return regisseur.residents->OpenBreakGlass(&ctx, r, &out);
       }},
      {"AuditService.QueryAudit", "resident_id",
       [&] {
         auto audit = v1::AuditService::NewStub(Who("auditor").channel);
         v1::QueryAuditRequest r;
         r.set_resident_id(text);
         v1::QueryAuditResponse out;
         Ctx ctx;
         return audit->QueryAudit(&ctx, r, &out);
       }},
  };
  for (const Case& c : cases) {
    grpc::Status s = c.call();
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.action;
    EXPECT_THAT(s.error_message(), HasSubstr(absl::StrCat(c.field, ": "))) << c.action;
    EXPECT_THAT(s.error_message(), Not(HasSubstr("Fatima"))) << c.action;
    v1::AuditEntry e = LastOf(c.action);
    EXPECT_EQ(e.outcome(), "failed") << c.action;
    EXPECT_EQ(e.resource_id(), "") << c.action;
    EXPECT_EQ(e.request_id(), "") << c.action;
    EXPECT_THAT(e.reason(), HasSubstr(absl::StrCat("INVALID_ARGUMENT: ", c.field, ": ")))
        << c.action;
  }
  // Refused before the application ran: nothing was created.
  for (const v1::AuditEntry& e : AllEntries()) {
    if (e.outcome() != "allowed") continue;
    EXPECT_NE(e.action(), "SignalService.AddSignalNote") << e.DebugString();
    EXPECT_NE(e.action(), "ResidentService.OpenBreakGlass") << e.DebugString();
    EXPECT_NE(e.action(), "HandoverService.AcceptHandover") << e.DebugString();
  }
  ExpectNowhereInTheLog(kFreeText);
  ExpectNowhereInTheLog("Fatima-El-Amrani-depressie");

  // The real ids of each kind still work.
  v1::GetSignalRequest get;
  get.set_id(signal);
  v1::Signal out;
  Ctx ctx;
  EXPECT_TRUE(regisseur.signals->GetSignal(&ctx, get, &out).ok());
  EXPECT_EQ(GetHandover(regisseur, handover).id(), handover);
}

TEST_F(AuditTextTest, AnUnknownPurposeCodeIsRefusedListingTheCodes) {
  As regisseur = Who("regisseur");
  for (const std::string purpose :
       {std::string("wijkoverleg"), std::string("Fatima El Amrani depressie"),
        std::string("zorgcoordinatie:Fatima"), std::string("ZORGCOORDINATIE"),
        std::string("anders:gesprek over Fatima")}) {
    grpc::Status s = GetOrganisation(regisseur, "woej", purpose);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << purpose;
    EXPECT_THAT(s.error_message(), HasSubstr("x-schakel-purpose: ")) << purpose;
    EXPECT_THAT(s.error_message(), AllOf(HasSubstr("zorgcoordinatie"), HasSubstr("signaalopvolging"),
                                         HasSubstr("monitor")))
        << purpose;
    EXPECT_THAT(s.error_message(), Not(HasSubstr("Fatima"))) << purpose;
    v1::AuditEntry e = LastOf("DirectoryService.GetOrganisation");
    EXPECT_EQ(e.outcome(), "failed") << purpose;
    EXPECT_EQ(e.purpose(), "[invalid]") << purpose;
    EXPECT_EQ(e.resource_id(), "") << purpose;
  }
  // "anders" is not allowed by the default configuration.
  grpc::Status s = GetOrganisation(regisseur, "woej", "anders:overleg wijkteam");
  EXPECT_THAT(s.error_message(), HasSubstr("\"anders\" (another purpose, with a text) is not "
                                           "allowed in this deployment"));
  ExpectNowhereInTheLog("wijkoverleg");
  ExpectNowhereInTheLog("overleg wijkteam");

  // A code of the list is recorded as it is; none sent: the default.
  ASSERT_TRUE(GetOrganisation(regisseur, "woej", "signaalopvolging").ok());
  EXPECT_EQ(LastOf("DirectoryService.GetOrganisation").purpose(), "signaalopvolging");
  ASSERT_TRUE(GetOrganisation(regisseur, "woej").ok());
  EXPECT_EQ(LastOf("DirectoryService.GetOrganisation").purpose(), "zorgcoordinatie");
}

// With allow_other in the configuration, "anders:<text>" is accepted,
// bounded to 80 printable characters, and recorded in the purpose only —
// never in the resource fields.
TEST_F(AuditTextTest, OtherPurposeOnlyWhereTheConfigurationAllowsItAndBounded) {
  server_.reset();
  auto config = deployment::LoadConfig(*paths_);
  ASSERT_THAT(config, IsOk());
  config->mutable_purposes()->set_allow_other(true);
  ASSERT_THAT(deployment::WriteConfig(*paths_, *config), IsOk());
  ServerOptions options;
  options.deployment_dir = paths_->dir;
  options.listen = "127.0.0.1:0";
  options.clock = &clock_;
  auto server = Server::Start(options);
  ASSERT_THAT(server, IsOk());
  server_ = std::move(server).value();

  As regisseur = Who("regisseur");
  ASSERT_TRUE(GetOrganisation(regisseur, "woej", "anders: overleg met het wijkteam").ok());
  v1::AuditEntry e = LastOf("DirectoryService.GetOrganisation");
  EXPECT_EQ(e.purpose(), "anders: overleg met het wijkteam");
  EXPECT_EQ(e.resource_type(), "organisation");
  EXPECT_EQ(e.resource_id(), "woej");

  const std::string longest = absl::StrCat("anders:", std::string(80, 'a'));
  EXPECT_TRUE(GetOrganisation(regisseur, "woej", longest).ok());
  const std::string too_long = absl::StrCat("anders:", std::string(81, 'a'));
  grpc::Status s = GetOrganisation(regisseur, "woej", too_long);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("x-schakel-purpose: the text after \"anders:\" is at "
                                           "most 80 characters"));
  EXPECT_EQ(LastOf("DirectoryService.GetOrganisation").purpose(), "[invalid]");
  for (const char* empty : {"anders", "anders:", "anders:   "}) {
    s = GetOrganisation(regisseur, "woej", empty);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << empty;
    EXPECT_THAT(s.error_message(), HasSubstr("needs a text")) << empty;
  }
  // The list's codes still work; others are still refused.
  EXPECT_TRUE(GetOrganisation(regisseur, "woej", "beheer").ok());
  s = GetOrganisation(regisseur, "woej", "wijkoverleg");
  EXPECT_THAT(s.error_message(), HasSubstr("anders:<text>"));
}

TEST_F(AuditTextTest, AnInvalidPurposeListKeepsTheServerFromStarting) {
  server_.reset();
  auto config = deployment::LoadConfig(*paths_);
  ASSERT_THAT(config, IsOk());
  auto* code = config->mutable_purposes()->add_codes();
  code->set_code("Zorg Coordinatie");
  code->set_label_nl("Zorg");
  ASSERT_THAT(deployment::WriteConfig(*paths_, *config), IsOk());
  ServerOptions options;
  options.deployment_dir = paths_->dir;
  options.listen = "127.0.0.1:0";
  options.clock = &clock_;
  EXPECT_THAT(Server::Start(options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("schakel.conf: purposes: code \"Zorg Coordinatie\" must be")));
}

}  // namespace
}  // namespace schakel::testing
