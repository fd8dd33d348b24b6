// End to end: a resident's export and erasure with the real `schakel`
// binary, as the demo privacy officer (`privacy`, role privacy_officer);
// every other professional is refused.
#include <string>
#include <vector>

#include <google/protobuf/util/json_util.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/audit.pb.h"
#include "schakel/v1/privacy.pb.h"
#include "schakel/v1/signals.pb.h"
#include "tests/support/cli_support.h"
#include "tests/support/process.h"

namespace schakel {
namespace {

using ::schakel::testing::DemoCliTest;
using ::schakel::testing::FailsWith;
using ::schakel::testing::Result;
using ::testing::HasSubstr;
using ::testing::Not;

using PrivacyCliTest = DemoCliTest;

TEST_F(PrivacyCliTest, ExportAndEraseAResident) {
  std::string resident = RegisterResident("brugfunctionaris", "Ilse Wissebrug", "1988-08-08");
  ASSERT_FALSE(resident.empty());
  std::string signal = Create("brugfunctionaris",
                              {"signal", "create", "--category", "JO-ARMOEDE", "--wijk",
                               "prinsenhof", "--place", "Thuis", "--description",
                               "Ilse Wissebrug heeft geen geld voor schoolspullen", "--resident",
                               resident});
  ASSERT_FALSE(signal.empty());

  // The export is one JSON document on stdout.
  Result exported =
      Cli("privacy", {"privacy", "export", "--resident", resident, "--request", "AVG-2026-17"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  v1::ResidentExport doc;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(exported.out, &doc).ok())
      << exported.out;
  // Every field is printed, also "not under break-glass".
  EXPECT_THAT(exported.out, ::testing::HasSubstr("\"break_glass\": false"));
  EXPECT_EQ(doc.resident().name(), "Ilse Wissebrug");
  EXPECT_EQ(doc.request_ref(), "AVG-2026-17");
  ASSERT_EQ(doc.signals_size(), 1);
  EXPECT_EQ(doc.signals(0).id(), signal);
  EXPECT_GE(doc.accesses_size(), 2);

  // Refused to everyone else, and without a request reference.
  for (const char* user : {"regisseur", "auditor", "admin", "brugfunctionaris"}) {
    EXPECT_THAT(
        Cli(user, {"privacy", "erase", "--resident", resident, "--request", "AVG-1", "--yes"}),
                FailsWith("PERMISSION_DENIED", HasSubstr("privacy officer")))
        << user;
  }
  EXPECT_THAT(Cli("privacy", {"privacy", "erase", "--resident", resident}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("--request")));

  // A legal hold stops the erasure until it is released.
  Result hold =
      Cli("privacy", {"privacy", "hold", "--resident", resident, "--request", "AVG-2026-18"});
  ASSERT_EQ(hold.exit_code, 0) << hold.err;
  EXPECT_EQ(hold.out, "legal hold on " + resident + "\n");
  EXPECT_THAT(Cli("privacy", {"privacy", "erase", "--resident", resident, "--request",
                              "AVG-2026-17", "--yes"}),
      FailsWith("FAILED_PRECONDITION", HasSubstr("legal hold")));
  ASSERT_EQ(
      Cli("privacy", {"privacy", "release", "--resident", resident, "--request", "AVG-2026-18"})
          .exit_code,
      0);

  Result erased = Cli("privacy", {"privacy", "erase", "--resident", resident, "--request",
                                  "AVG-2026-17", "--yes"});
  ASSERT_EQ(erased.exit_code, 0) << erased.err;
  EXPECT_THAT(erased.out, HasSubstr("erased " + resident + ": 1 signals withdrawn"));

  // Afterwards the professionals see an anonymised record and a withdrawn
  // signal; the export holds no name; the audit log verifies.
  Result shown = Cli("brugfunctionaris", {"resident", "show", resident});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(shown.out, Not(HasSubstr("Wissebrug")));
  v1::Signal s;
  ASSERT_TRUE(Json("brugfunctionaris", {"signal", "show", signal}, &s));
  EXPECT_EQ(s.status(), v1::SIGNAL_STATUS_WITHDRAWN);
  EXPECT_THAT(s.description(), Not(HasSubstr("Wissebrug")));
  Result again =
      Cli("privacy", {"privacy", "export", "--resident", resident, "--request", "AVG-2026-17"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, Not(HasSubstr("Wissebrug")));
  EXPECT_THAT(again.out, HasSubstr("\"privacy_request\": \"AVG-2026-17\""));
  Result verify = Cli("auditor", {"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_THAT(verify.out, HasSubstr("intact"));
}

TEST_F(PrivacyCliTest, RectifyShowsTheHistory) {
  std::string resident = RegisterResident("brugfunctionaris", "Ton Tikfout", "1966-06-16");
  ASSERT_FALSE(resident.empty());
  Result r = Cli("privacy", {"privacy", "rectify", "--resident", resident, "--request", "AVG-3",
                             "--name", "Ton Tikgoed"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Ton Tikfout -> Ton Tikgoed"));
  EXPECT_THAT(r.out, HasSubstr("request AVG-3"));
  EXPECT_THAT(Cli("privacy", {"privacy", "rectify", "--resident", resident, "--request", "AVG-3"}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("at least one")));
}

}  // namespace
}  // namespace schakel
