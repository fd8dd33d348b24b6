// The CLI's habits, end to end with the real binaries: help per command,
// --version, shell completion, -o csv and --no-headers, columns by display
// width, "did you mean", confirmation, progress on a terminal, times in
// Europe/Amsterdam, the audit query's short --action and inclusive --to.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/audit.pb.h"
#include "schakel/v1/residents.pb.h"
#include "tests/support/cli_support.h"
#include "tests/support/process.h"
#include "tests/support/test_support.h"

namespace schakel {
namespace {

using ::schakel::testing::Bin;
using ::schakel::testing::ColumnsOf;
using ::schakel::testing::DemoCliTest;
using ::schakel::testing::FailsWith;
using ::schakel::testing::Result;
using ::schakel::testing::RunCommand;
using ::schakel::testing::RunOnTerminal;
using ::schakel::testing::TempDir;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

// Nothing listens on port 1: every refusal below is local.
Result Offline(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {Bin("schakel"), "--server", "127.0.0.1:1"};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv);
}

TEST(CliHelpTest, CommandHelpShowsItsFlagsAndAnExample) {
  Result help = RunCommand({Bin("schakel"), "signal", "create", "--help"});
  ASSERT_EQ(help.exit_code, 0) << help.err;
  EXPECT_THAT(help.out, StartsWith("usage: schakel signal create --category CODE"));
  for (const char* text : {"  --category VALUE\n", "  --wijk VALUE\n", "  --urgency VALUE\n",
                           "  --owner-team VALUE\n", "example:\n  schakel signal create "
                           "--category FZ-SCHULDEN"}) {
    EXPECT_THAT(help.out, HasSubstr(text));
  }
  // Only its own flags, not every flag of the binary.
  EXPECT_THAT(help.out, Not(HasSubstr("--basis VALUE")));
  // `schakel help signal create` is the same text.
  Result same = RunCommand({Bin("schakel"), "help", "signal", "create"});
  ASSERT_EQ(same.exit_code, 0) << same.err;
  EXPECT_EQ(same.out, help.out);
  // A group lists its commands; a table command says how to shape it.
  Result group = RunCommand({Bin("schakel"), "handover", "--help"});
  EXPECT_THAT(group.out, AllOf(HasSubstr("  inbox"), HasSubstr("  withdraw-consent ID")));
  Result list = RunCommand({Bin("schakel"), "help", "audit", "query"});
  EXPECT_THAT(list.out, AllOf(HasSubstr("-o csv"), HasSubstr("--to VALUE"),
                              HasSubstr("inclusive: D includes all of D")));
}

TEST(CliHelpTest, EveryBinaryPrintsItsVersion) {
  for (const char* binary : {"schakel", "schakel-admin", "schakeld", "schakel-bench",
                             "schakel-crash-harness", "schakel-cipher-bench"}) {
    Result r = RunCommand({Bin(binary), "--version"});
    EXPECT_EQ(r.exit_code, 0) << binary << ": " << r.err;
    EXPECT_THAT(r.out, ::testing::MatchesRegex(absl::StrCat(
                           binary, " [0-9]+\\.[0-9]+\\.[0-9]+ \\(commit [0-9a-z]+\\)\n")))
        << binary;
  }
}

TEST(CliHelpTest, BashCompletionCompletesCommandsVerbsAndFlags) {
  TempDir tmp;
  Result script = RunCommand({Bin("schakel"), "completion", "bash"});
  ASSERT_EQ(script.exit_code, 0) << script.err;
  const std::string file = tmp.File("schakel.bash");
  testing::WriteFileOrDie(file, script.out);
  Result syntax = RunCommand({"/bin/bash", "-n", file});
  EXPECT_EQ(syntax.exit_code, 0) << syntax.err;
  auto complete = [&](const std::string& words, int cword) {
    Result r = RunCommand({"/bin/bash", "-c",
                           absl::StrCat("source ", file, "; COMP_WORDS=(", words,
                                        "); COMP_CWORD=", cword,
                                        "; _schakel; echo \"${COMPREPLY[*]}\"")});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  };
  EXPECT_EQ(complete("schakel sig", 1), "signal\n");
  EXPECT_EQ(complete("schakel signal cr", 2), "create\n");
  EXPECT_EQ(complete("schakel signal create --cat", 3), "--category\n");
  EXPECT_EQ(complete("schakel --identity dir signal create --urgency a", 6), "acute\n");
  EXPECT_EQ(complete("schakel -o c", 2), "csv\n");
  EXPECT_THAT(complete("schakel pe", 1), HasSubstr("people"));
}

TEST(CliSuggestionTest, AMisspelledValueCommandOrFlagNamesTheNearestOne) {
  EXPECT_THAT(Offline({"handover", "inbox", "--status", "acepted"}),
              FailsWith("INVALID_ARGUMENT",
                        StartsWith("--status: unknown value \"acepted\"; did you mean accepted? "
                                   "(proposed | accepted |")));
  EXPECT_THAT(Offline({"signal", "lsit"}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("unknown command signal lsit; did you mean "
                                                      "list?")));
  EXPECT_THAT(Offline({"signal", "list", "--stauts", "open"}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("unknown flag --stauts; did you mean "
                                                      "--status?")));
  EXPECT_THAT(Offline({"-o", "cvs", "orgs"}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("did you mean csv?")));
  EXPECT_THAT(Offline({"-o", "csv", "signal", "show", "s1234567"}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("signal show prints no table")));
  // The words the tables and JSON show are what the flags take.
  EXPECT_THAT(Offline({"signal", "status", "s1234567", "--to", "SIGNAL_STATUS_IN_PROGRESS",
                       "--identity", "/nonexistent"}),
              FailsWith("NOT_FOUND", HasSubstr("identity")));
}

TEST(CliConfirmationTest, EraseAndMergeNeedYesWithoutATerminal) {
  EXPECT_THAT(Offline({"privacy", "erase", "--resident", "r1234567", "--request", "AVG-1"}),
              FailsWith("FAILED_PRECONDITION",
                        AllOf(StartsWith("privacy erase: "), HasSubstr("confirm with --yes"))));
  EXPECT_THAT(Offline({"resident", "merge", "--keep", "r1234567", "--merge", "r7654321"}),
              FailsWith("FAILED_PRECONDITION",
                        AllOf(StartsWith("resident merge: "), HasSubstr("--yes"))));
  // On a terminal it asks; anything but yes changes nothing.
  Result asked = RunOnTerminal({Bin("schakel"), "--server", "127.0.0.1:1", "privacy", "erase",
                                "--resident", "r1234567", "--request", "AVG-1"},
                               "n\n");
  EXPECT_NE(asked.exit_code, 0);
  EXPECT_THAT(asked.out, HasSubstr("erase resident r1234567 under request AVG-1? This cannot be "
                                   "undone. [y/N]"));
  EXPECT_THAT(asked.out, HasSubstr("schakel: ABORTED: privacy erase: not confirmed"));
}

// Offline verification of a fresh demo deployment: a progress line on a
// terminal (rewritten with \r, cleared before the result), nothing on a
// pipe.
TEST(CliProgressTest, ProgressLineOnATerminalOnlyNotWhenPiped) {
  TempDir tmp;
  const std::string dir = tmp.File("demo");
  ASSERT_EQ(RunCommand({Bin("schakel-admin"), "init", dir, "--demo"}).exit_code, 0);
  Result piped = RunCommand({Bin("schakel-admin"), "audit", "verify", "--deployment", dir});
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_THAT(piped.out, StartsWith("intact: "));
  EXPECT_THAT(piped.err, IsEmpty());
  EXPECT_THAT(piped.out, Not(HasSubstr("\r")));

  Result tty = RunOnTerminal({Bin("schakel-admin"), "audit", "verify", "--deployment", dir});
  ASSERT_EQ(tty.exit_code, 0) << tty.out;
  EXPECT_THAT(tty.out, HasSubstr("\r\033[Kaudit verify: "));
  EXPECT_THAT(tty.out, HasSubstr("entries checked"));
  EXPECT_THAT(tty.out, HasSubstr("\r\033[Kintact: "));

  // Seeding, the server stopped: the same.
  Result seeded = RunOnTerminal({Bin("schakel-admin"), "seed", "--deployment", dir,
                                 "--residents", "20", "--signals", "20", "--handovers", "5"});
  ASSERT_EQ(seeded.exit_code, 0) << seeded.out;
  EXPECT_THAT(seeded.out, HasSubstr("\r\033[Kseed: "));
  EXPECT_THAT(seeded.out, HasSubstr("\r\033[Kseeded 20 residents"));
}

class CliOutputTest : public DemoCliTest {};

// A name with ë, Ü, CJK ideographs and Ge'ez letters; an address with a
// comma (quoted in CSV).
constexpr char kName[] = "Zo\xc3\xab \xc3\x9cnal \xe6\x9d\x8e\xe6\x98\x8e \xe1\x88\xb0\xe1\x88\x8b";
constexpr char kAddress[] = "Prinsenhoflaan 12, 2e verdieping";

TEST_F(CliOutputTest, TablesAlignByDisplayWidthAndCsvParsesBack) {
  const std::string id = RegisterResident("brugfunctionaris", kName, "1990-04-05", kAddress);
  ASSERT_FALSE(id.empty());
  const std::vector<std::string> find = {"resident", "find", "--name", kName, "--birth-date",
                                         "1990-04-05"};
  Result table = Cli("brugfunctionaris", find);
  ASSERT_EQ(table.exit_code, 0) << table.err;
  std::vector<std::string> lines = absl::StrSplit(table.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << table.out;
  // BIRTH DATE starts at the same column on screen in the header and the row.
  size_t header_at = lines[0].find("BIRTH DATE");
  size_t row_at = lines[1].find("1990-04-05");
  ASSERT_NE(header_at, std::string::npos);
  ASSERT_NE(row_at, std::string::npos);
  EXPECT_EQ(ColumnsOf(lines[0].substr(0, header_at)), ColumnsOf(lines[1].substr(0, row_at)))
      << table.out;

  // --no-headers: the row alone.
  std::vector<std::string> bare_args = find;
  bare_args.push_back("--no-headers");
  Result bare = Cli("brugfunctionaris", bare_args);
  ASSERT_EQ(bare.exit_code, 0) << bare.err;
  EXPECT_THAT(bare.out, StartsWith(id));
  EXPECT_EQ(std::count(bare.out.begin(), bare.out.end(), '\n'), 1);

  // -o csv: RFC 4180, the address quoted; parsed back field by field.
  std::vector<std::string> csv_args = {"-o", "csv"};
  csv_args.insert(csv_args.end(), find.begin(), find.end());
  Result csv = Cli("brugfunctionaris", csv_args);
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  std::vector<std::string> rows = absl::StrSplit(csv.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(rows.size(), 2u) << csv.out;
  EXPECT_EQ(rows[0], "ID,NAME,BIRTH DATE,WIJK,ADDRESS");
  // Fields: split on commas outside quotes, quotes undone.
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < rows[1].size(); ++i) {
    char c = rows[1][i];
    if (quoted && c == '"' && i + 1 < rows[1].size() && rows[1][i + 1] == '"') {
      field.push_back('"');
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      fields.push_back(field);
      field.clear();
    } else {
      field.push_back(c);
    }
  }
  fields.push_back(field);
  EXPECT_EQ(fields, (std::vector<std::string>{id, kName, "1990-04-05", "prinsenhof", kAddress}));
  EXPECT_THAT(rows[1], HasSubstr("\"Prinsenhoflaan 12, 2e verdieping\""));
}

TEST_F(CliOutputTest, TimesInTablesAreAmsterdamAndJsonStaysUtc) {
  const std::string signal =
      Create("regisseur", {"signal", "create", "--category", "FZ-SCHULDEN", "--wijk", "prinsenhof",
                           "--place", "Winkelcentrum", "--description", "Gezien"});
  ASSERT_FALSE(signal.empty());
  Result shown = Cli("regisseur", {"signal", "show", signal});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(shown.out, ::testing::ContainsRegex("created +[0-9-]+ [0-9:]+ CES?T\n"));
  Result json = Cli("regisseur", {"signal", "show", signal}, /*json=*/true);
  EXPECT_THAT(json.out, ::testing::ContainsRegex("\"createTime\": \"[0-9T:.-]+Z\""));
}

TEST_F(CliOutputTest, AuditQueryTakesTheMethodAloneAndAnInclusiveTo) {
  const std::string id = RegisterResident("brugfunctionaris", "Ilse Wissebrug", "1970-01-02");
  ASSERT_FALSE(id.empty());
  ASSERT_EQ(Cli("brugfunctionaris", {"resident", "show", id}).exit_code, 0);
  absl::TimeZone amsterdam;
  ASSERT_TRUE(absl::LoadTimeZone("Europe/Amsterdam", &amsterdam));
  const std::string today = absl::FormatCivilTime(absl::ToCivilDay(absl::Now(), amsterdam));
  v1::QueryAuditResponse r;
  ASSERT_TRUE(Json("auditor", {"audit", "query", "--action", "GetResident", "--from", today,
                               "--to", today},
                   &r));
  ASSERT_GE(r.entries_size(), 1);  // today, although --to names today
  for (const auto& e : r.entries()) EXPECT_EQ(e.action(), "ResidentService.GetResident");
  EXPECT_THAT(Cli("auditor", {"audit", "query", "--action", "ListGrants"}),
              FailsWith("INVALID_ARGUMENT", AllOf(HasSubstr("AdminService.ListGrants"),
                                                  HasSubstr("AuditService.ListGrants"))));
  EXPECT_THAT(Cli("auditor", {"audit", "query", "--action", "GetResidnt"}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("did you mean GetResident?")));
  EXPECT_THAT(Cli("auditor", {"audit", "query", "--from", today, "--to", "2020-01-01"}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("--from: must not be after --to")));
}

}  // namespace
}  // namespace schakel
