// `schakel report` end to end: the real CLI against schakeld on a demo
// deployment, as the demo analyst.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/cli_support.h"
#include "tests/support/process.h"

namespace schakel {
namespace {

using ::schakel::testing::DemoCliTest;
using ::schakel::testing::FailsWith;
using ::schakel::testing::Result;
using ::testing::HasSubstr;

// A period of three days around today, whatever the time zone.
std::string Day(int offset) {
  return absl::FormatCivilTime(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) + offset);
}

class ReportCliTest : public DemoCliTest {
 protected:
  void CreateSignals(const std::string& category, int n) {
    for (int i = 0; i < n; ++i) {
      Create("regisseur", {"signal", "create", "--category", category, "--wijk", "prinsenhof",
                           "--place", "Winkelcentrum", "--description", "Gezien bij de ingang"});
    }
  }
};

// Seven debts signals (FZ) and one dumping spot (FVW): by opgave, the one
// FVW signal is "<5" and the total hidden as "x", or 8 - 7 would give it
// back (hiding the 7 instead would leave <5 = 8 - x <= 3). Labels are Dutch, from the seed data; quoted as CSV needs.
TEST_F(ReportCliTest, SignalReportAsCsv) {
  CreateSignals("FZ-SCHULDEN", 7);
  CreateSignals("FVW-AFVALDUMP", 1);
  Result r = Cli("analyst", {"report", "signals", "--from", Day(-1), "--to", Day(1), "--by",
                             "opgave", "--csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out,
            "key,label,opened,resolved,closed,median_days_to_resolve\n"
            "FVW,Fijn en veilig wonen,<5,0,0,.\n"
            "FZ,Financiële zelfredzaamheid,7,0,0,.\n"
            "total,totaal,x,0,0,.\n");

  // The same as a table, with the Dutch column labels.
  r = Cli("analyst", {"report", "signals", "--from", Day(-1), "--to", Day(1), "--by", "opgave"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("geopend"));
  EXPECT_THAT(r.out, HasSubstr("Financiële zelfredzaamheid"));
  EXPECT_THAT(r.out, HasSubstr("totaal"));

  // By category, with organisation names that need no quoting, and a
  // handover and participation report that have nothing yet.
  r = Cli("analyst", {"report", "handovers", "--from", Day(-1), "--to", Day(1), "--by",
                      "organisation", "--csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "key,label,proposed,accepted,declined,expired,cancelled,completed,helped,not_helped,"
            "referred_on,resident_declined,median_days_to_accept,answered_in_time\n"
            "total,totaal,0,0,0,0,0,0,0,0,0,0,.,.\n");
  r = Cli("analyst", {"report", "participation", "--from", Day(-1), "--to", Day(1), "--by",
                      "quarter", "--csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("key,label,clients,rung_1,"));
  EXPECT_THAT(r.out, HasSubstr("\ntotal,totaal,,,,,,,,,0,0,\n"));
}

TEST_F(ReportCliTest, OtherRolesAndBadFlagsAreRefused) {
  EXPECT_THAT(Cli("regisseur", {"report", "signals", "--from", Day(-1), "--to", Day(1), "--by",
                                "month", "--csv"}),
              FailsWith("PERMISSION_DENIED", HasSubstr("analyst")));
  EXPECT_THAT(Cli("analyst", {"report", "signals", "--from", Day(-1), "--to", Day(1), "--by",
                              "week"}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("--by")));
  EXPECT_THAT(Cli("analyst", {"report", "signals", "--from", "2026-02-30", "--to", Day(1),
                              "--by", "month"}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("--from")));
  EXPECT_THAT(Cli("analyst", {"report", "participation", "--from", Day(-1), "--to", Day(1),
                              "--by", "category"}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("by:")));
}

}  // namespace
}  // namespace schakel
