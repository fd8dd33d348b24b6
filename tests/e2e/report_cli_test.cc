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

// This month and this quarter in the programme's time zone, where the
// signals created now are counted.
absl::CivilMonth ThisMonth() {
  absl::TimeZone amsterdam;
  EXPECT_TRUE(absl::LoadTimeZone("Europe/Amsterdam", &amsterdam));
  return absl::ToCivilMonth(absl::Now(), amsterdam);
}
std::string Month() { return absl::FormatCivilTime(ThisMonth()); }
std::string Quarter() {
  absl::CivilMonth m = ThisMonth();
  return absl::StrCat(m.year(), "-Q", (m.month() - 1) / 3 + 1);
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
// back (hiding the 7 instead would leave <5 = 8 - x <= 3); the 7 shows
// rounded to the nearest 5. Labels are Dutch, from the seed data; quoted
// as CSV needs.
TEST_F(ReportCliTest, SignalReportAsCsv) {
  CreateSignals("FZ-SCHULDEN", 7);
  CreateSignals("FVW-AFVALDUMP", 1);
  Result r = Cli("analyst", {"report", "signals", "--period", Month(), "--by", "opgave", "--csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out,
            "key,label,opened,resolved,closed,median_days_to_resolve\n"
            "FVW,Fijn en veilig wonen,<5,0,0,.\n"
            "FZ,Financiële zelfredzaamheid,5,0,0,.\n"
            "total,totaal,x,0,0,.\n");

  // The same as a table, with the Dutch column labels.
  r = Cli("analyst", {"report", "signals", "--period", Month(), "--by", "opgave"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("geopend"));
  EXPECT_THAT(r.out, HasSubstr("Financiële zelfredzaamheid"));
  EXPECT_THAT(r.out, HasSubstr("totaal"));

  // By category, with organisation names that need no quoting, and a
  // handover and participation report that have nothing yet.
  r = Cli("analyst", {"report", "handovers", "--period", Month(), "--by", "organisation", "--csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "key,label,proposed,accepted,declined,expired,cancelled,completed,helped,not_helped,"
            "referred_on,resident_declined,median_days_to_accept,answered_in_time,"
            "median_hours_to_first_answer\n"
            "total,totaal,0,0,0,0,0,0,0,0,0,0,.,.,.\n");
  r = Cli("analyst", {"report", "participation", "--period", Quarter(), "--by", "quarter",
                      "--csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("key,label,clients,rung_1,"));
  EXPECT_THAT(r.out, HasSubstr("\ntotal,totaal,,,,,,,,,0,0,\n"));
}

TEST_F(ReportCliTest, OtherRolesAndBadFlagsAreRefused) {
  EXPECT_THAT(Cli("regisseur", {"report", "signals", "--period", Month(), "--by", "month", "--csv"}),
              FailsWith("PERMISSION_DENIED", HasSubstr("analyst")));
  EXPECT_THAT(Cli("analyst", {"report", "signals", "--period", Month(), "--by", "week"}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("--by")));
  EXPECT_THAT(Cli("analyst", {"report", "signals", "--period", "2026-11-01", "--by", "month"}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("period: a month YYYY-MM")));
  EXPECT_THAT(Cli("analyst", {"report", "signals", "--by", "month"}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("--period")));
  EXPECT_THAT(Cli("analyst", {"report", "participation", "--period", Month(), "--by", "category"}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("by:")));
}

// The command forms: a month, a quarter and a year, for each report.
TEST_F(ReportCliTest, EveryReportTakesAMonthAQuarterOrAYear) {
  CreateSignals("FZ-SCHULDEN", 1);
  const std::string year = absl::StrCat(ThisMonth().year());
  for (const char* which : {"signals", "handovers", "participation"}) {
    for (const std::string& period : {Month(), Quarter(), year}) {
      Result r = Cli("analyst", {"report", which, "--period", period, "--by", "wijk", "--csv"});
      ASSERT_EQ(r.exit_code, 0) << which << " " << period << ": " << r.err;
      EXPECT_THAT(r.out, HasSubstr("\ntotal,totaal,")) << which << " " << period;
    }
  }
  Result json = Cli("analyst", {"report", "signals", "--period", Quarter(), "--by", "month"},
                    /*json=*/true);
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_THAT(json.out, HasSubstr(absl::StrCat("\"period\": \"", Quarter(), "\"")));
}

// --from and --to, the flags of before, are refused before anything is
// sent, with a message naming --period — alone, together or beside it.
TEST_F(ReportCliTest, TheOldFromAndToFlagsNamePeriod) {
  const std::vector<std::vector<std::string>> forms = {
      {"--from", "2026-11-01", "--to", "2026-11-30", "--by", "wijk"},
      {"--from", "2026-11-01", "--by", "wijk"},
      {"--to", "2026-11-29", "--by", "wijk"},
      {"--from", "2026-11-01", "--to", "2026-11-29", "--period", "2026-11", "--by", "wijk"},
  };
  for (const char* which : {"signals", "handovers", "participation"}) {
    for (const auto& flags : forms) {
      std::vector<std::string> argv = {"report", which};
      argv.insert(argv.end(), flags.begin(), flags.end());
      Result r = Cli("analyst", argv);
      EXPECT_NE(r.exit_code, 0) << which;
      EXPECT_EQ(r.out, "") << which;
      EXPECT_THAT(r.err, HasSubstr("INVALID_ARGUMENT")) << which;
      EXPECT_THAT(r.err, HasSubstr("use --period with a month (2026-11), a quarter (2026-Q4) or "
                                   "a year (2026)"))
          << which << ": " << r.err;
    }
  }
}

}  // namespace
}  // namespace schakel
