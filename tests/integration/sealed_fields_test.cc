// On PostgreSQL, case text leaves schakeld only sealed: what a database
// administrator (or a pg_dump) sees of a signal and its notes, and that the
// professionals read them back as they wrote them.
#include <string>

#include "absl/strings/match.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/residents.grpc.pb.h"
#include "schakel/v1/signals.grpc.pb.h"
#include "schakel/v1/trajectories.grpc.pb.h"
#include "server/deployment/deployment.h"
#include "server/store/postgres_setup.h"
#include "tests/integration/case_fixture.h"
#include "tests/support/postgres.h"
#include "tests/support/test_engine.h"
#include "tests/support/test_support.h"

namespace schakel::testing {
namespace {


using ::testing::HasSubstr;
using ::testing::Not;

using SealedFieldsTest = CasesTest;

TEST_F(SealedFieldsTest, APgDumpHoldsNoSignalPlaceDescriptionOrNoteText) {
  SCHAKEL_POSTGRES_ONLY("SQLCipher encrypts its whole file (StoreTest)");
  As regisseur = Who("regisseur");
  v1::CreateSignalRequest req;
  req.set_request_id(Rid("sig"));
  req.set_category("FVW-OVERLAST");
  req.set_wijk("prinsenhof");
  req.set_place("Speeltuin Vlietrand 7b");
  req.set_description("Zorgen om de buurvrouw op nummer 12, ze slaapt slecht");
  req.set_owner_organisation_id("vidomes");
  v1::Signal created;
  {
    Ctx ctx;
    ASSERT_TRUE(regisseur.signals->CreateSignal(&ctx, req, &created).ok());
  }
  v1::AddSignalNoteRequest note;
  note.set_request_id(Rid("note"));
  note.set_signal_id(created.id());
  note.set_text("Wilgenhof gebeld, huisbezoek volgende week");
  {
    Ctx ctx;
    v1::Note out;
    grpc::Status s = regisseur.signals->AddSignalNote(&ctx, note, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  v1::GetSignalRequest get;
  get.set_id(created.id());
  v1::Signal detail;
  {
    Ctx ctx;
    grpc::Status s = regisseur.signals->GetSignal(&ctx, get, &detail);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  EXPECT_EQ(detail.place(), "Speeltuin Vlietrand 7b");
  EXPECT_EQ(detail.description(), req.description());
  ASSERT_EQ(detail.notes_size(), 1);
  EXPECT_EQ(detail.notes(0).text(), note.text());

  absl::StatusOr<std::string> dump = SharedTestPostgres().Dump(DatabaseName());
  ASSERT_THAT(dump, IsOk());
  // The categories, the wijk and the statuses are there, in the clear...
  EXPECT_THAT(*dump, HasSubstr("FVW-OVERLAST"));
  EXPECT_THAT(*dump, HasSubstr(created.id()));
  // ... and nothing of what was written about the case.
  for (const char* text : {"Vlietrand", "buurvrouw", "slaapt", "Wilgenhof", "huisbezoek"}) {
    EXPECT_THAT(*dump, Not(HasSubstr(text))) << text;
  }
  EXPECT_THAT(*dump, HasSubstr("f1.1."));
}

TEST_F(SealedFieldsTest, AResidentIsFoundByBirthDateAndNameWhileThePgDumpHoldsNeither) {
  SCHAKEL_POSTGRES_ONLY("SQLCipher encrypts its whole file (StoreTest)");
  As regisseur = Who("regisseur");
  const std::string id =
      Register(regisseur, "Yasmina Oudshoorn-Vlietman", "1979-05-17");
  ASSERT_FALSE(id.empty());
  // The same person registered again by whoever may read her: the
  // duplicate check finds her by the blind index of name and birth date.
  {
    v1::RegisterResidentRequest again;
    again.set_request_id(Rid("res"));
    again.set_name("yasmina oudshoorn-vlietman");
    again.set_birth_date("1979-05-17");
    again.set_address("Prinsenhoflaan 1");
    again.set_wijk("prinsenhof");
    v1::RegisterResidentResponse resp;
    Ctx ctx;
    grpc::Status s = regisseur.residents->RegisterResident(&ctx, again, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(resp.outcome(), v1::RegisterResidentResponse::OUTCOME_POSSIBLE_MATCH);
  }
  auto find = [&](const std::string& name, const std::string& birth, const std::string& address,
                  v1::FindResidentsResponse* out) {
    v1::FindResidentsRequest req;
    req.set_name(name);
    req.set_birth_date(birth);
    req.set_address(address);
    Ctx ctx;
    return regisseur.residents->FindResidents(&ctx, req, out);
  };
  v1::FindResidentsResponse found;
  ASSERT_TRUE(find("yasm oud", "1979-05-17", "", &found).ok());
  ASSERT_EQ(found.residents_size(), 1);
  EXPECT_EQ(found.residents(0).id(), id);
  EXPECT_EQ(found.residents(0).name(), "Yasmina Oudshoorn-Vlietman");
  v1::FindResidentsResponse none;
  ASSERT_TRUE(find("yasm oud", "1979-05-18", "", &none).ok());
  EXPECT_EQ(none.residents_size(), 0);
  ASSERT_TRUE(find("yasm", "1979-05-17", "prinsenhof", &found).ok());
  EXPECT_EQ(found.residents_size(), 1);
  ASSERT_TRUE(find("yasm", "1979-05-17", "heuvel", &none).ok());
  EXPECT_EQ(none.residents_size(), 0);
  // An address alone is no search where addresses are sealed.
  grpc::Status by_address = find("yasm", "", "prinsenhoflaan", &none);
  EXPECT_EQ(by_address.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(by_address.error_message(), HasSubstr("birth_date"));

  absl::StatusOr<std::string> dump = SharedTestPostgres().Dump(DatabaseName());
  ASSERT_THAT(dump, IsOk());
  EXPECT_THAT(*dump, HasSubstr(id));
  for (const char* text : {"Oudshoorn", "oudshoorn", "Vlietman", "Prinsenhoflaan",
                           "prinsenhoflaan", "1979-05-17"}) {
    EXPECT_THAT(*dump, Not(HasSubstr(text))) << text;
  }
}

// The stories of a warm handover (proposed with consent, introduced,
// completed; another declined) and of a participation trajectory: each
// professional reads back what was written, and a pg_dump holds none of it.
TEST_F(SealedFieldsTest, APgDumpHoldsNoHandoverOrTrajectoryText) {
  SCHAKEL_POSTGRES_ONLY("SQLCipher encrypts its whole file (StoreTest)");
  As bridge = Who("brugfunctionaris"), woej = Who("partner-woej");
  std::string parent = Register(bridge, "Fatima El Amrani", "1984-02-29");
  v1::Handover loop = Propose(bridge, parent, "woej");
  v1::Handover h;
  ASSERT_TRUE(Act(woej, &v1::HandoverService::Stub::AcceptHandover, loop.id(), &h).ok());
  ASSERT_TRUE(Act(woej, &v1::HandoverService::Stub::IntroduceHandover, loop.id(), &h,
                  [](v1::HandoverActionRequest& r) { r.set_with("mevrouw Ouwehand van het Taalhuis"); })
                  .ok());
  grpc::Status s = Act(woej, &v1::HandoverService::Stub::CompleteHandover, loop.id(), &h,
                       [](v1::HandoverActionRequest& r) {
                         r.set_outcome(v1::OUTCOME_HELPED);
                         r.set_text("Aangemeld bij het Taalhuis, schuldhulp loopt");
                       });
  ASSERT_TRUE(s.ok()) << s.error_message();
  v1::Handover declined = Propose(bridge, parent, "woej");
  ASSERT_TRUE(Act(woej, &v1::HandoverService::Stub::DeclineHandover, declined.id(), &h,
                  [](v1::HandoverActionRequest& r) { r.set_reason("Geen plek tot januari"); })
                  .ok());

  v1::Handover read = GetHandover(bridge, loop.id());
  EXPECT_EQ(read.reason(), "Ouder zoekt hulp bij formulieren en taal");
  EXPECT_EQ(read.basis().consent().covers(), "doorverwijzing naar taalhuis en schuldhulp");
  EXPECT_EQ(read.introduced_with(), "mevrouw Ouwehand van het Taalhuis");
  EXPECT_EQ(read.outcome_text(), "Aangemeld bij het Taalhuis, schuldhulp loopt");
  EXPECT_EQ(read.decline_reason(), "");
  EXPECT_EQ(GetHandover(bridge, declined.id()).decline_reason(), "Geen plek tot januari");

  As consultant = Who("consultant");
  std::string client = Register(consultant, "Trudy Trajectvrouw", "1972-03-03");
  auto trajectories = v1::TrajectoryService::NewStub(consultant.channel);
  v1::Trajectory t = StartTrajectoryWithHistory(consultant, client);
  v1::GetTrajectoryRequest get;
  get.set_id(t.id());
  v1::Trajectory detail;
  {
    Ctx ctx;
    s = trajectories->GetTrajectory(&ctx, get, &detail);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  EXPECT_EQ(detail.goal(), "Trudy wil werken in de zorg");
  ASSERT_EQ(detail.measurements_size(), 1);
  EXPECT_EQ(detail.measurements(0).note(), "Trudy vertelde over haar schulden");
  ASSERT_EQ(detail.steps_size(), 1);
  EXPECT_EQ(detail.steps(0).description(), "Trudy helpt in het buurthuis");

  absl::StatusOr<std::string> dump = SharedTestPostgres().Dump(DatabaseName());
  ASSERT_THAT(dump, IsOk());
  EXPECT_THAT(*dump, HasSubstr(loop.id()));
  EXPECT_THAT(*dump, HasSubstr(t.id()));
  // (Whole phrases where a word is also reference data: "Taalhuis" is a
  // partner's name, "schulden" an opgave's.)
  for (const char* text : {"Fatima", "Amrani", "1984-02-29", "Trudy", "Trajectvrouw",
                           "Ouder zoekt hulp", "doorverwijzing naar", "Ouwehand", "Aangemeld bij",
                           "schuldhulp", "januari", "wil werken in de", "vertelde over haar",
                           "buurthuis"}) {
    // Not the dump itself in the message: it is long, and this is its text.
    EXPECT_FALSE(absl::StrContains(*dump, text)) << text;
  }
}

}  // namespace
}  // namespace schakel::testing
