// On PostgreSQL, case text leaves schakeld only sealed: what a database
// administrator (or a pg_dump) sees of a signal and its notes, and that the
// professionals read them back as they wrote them.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/signals.grpc.pb.h"
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

class SealedFieldsTest : public CasesTest {
 protected:
  std::string DatabaseName() {
    auto cfg = deployment::LoadConfig(*paths_);
    EXPECT_THAT(cfg, IsOk());
    auto db = store::ConninfoValue(cfg->store().postgresql().conninfo(), "dbname");
    EXPECT_THAT(db, IsOk());
    return db.value_or("");
  }
};

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

}  // namespace
}  // namespace schakel::testing
