// "A professional's working day" with the real CLI: the colleagues'
// directory (people, with the work contact an administrator sets), the
// reference data (categories, wijken), names next to ids in the tables,
// and filters with an unknown value refused with the valid ones instead of
// an empty table.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/common.pb.h"
#include "schakel/v1/directory.pb.h"
#include "schakel/v1/handovers.pb.h"
#include "tests/support/cli_support.h"
#include "tests/support/process.h"

namespace schakel {
namespace {

using ::schakel::testing::DemoCliTest;
using ::schakel::testing::FailsWith;
using ::schakel::testing::Result;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// The directory, the reference data and the names next to ids, as a
// professional meets them in the CLI.
class WorkingDayCliTest : public DemoCliTest {};

TEST_F(WorkingDayCliTest, PeopleShowsColleaguesWithTheirWorkContact) {
  const std::string consultant = ProfessionalId("consultant");
  ASSERT_FALSE(consultant.empty());
  Result set = Admin("admin", {"user", "contact", consultant, "--phone", "+31 70 300 1234",
                               "--email", "w.consulent@lv.nl"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  EXPECT_EQ(set.out, "professional " + consultant + " phone +31 70 300 1234 e-mail "
                     "w.consulent@lv.nl\n");

  Result people = Cli("partner-woej", {"people", "--org", "gemeente-lv", "--role", "consultant"});
  ASSERT_EQ(people.exit_code, 0) << people.err;
  std::vector<std::string> lines = absl::StrSplit(people.out, '\n', absl::SkipEmpty());
  // The two demo consultants (in the directory's order); only the one
  // whose contact was set shows it.
  ASSERT_EQ(lines.size(), 3u) << people.out;
  EXPECT_THAT(lines[0], ::testing::MatchesRegex(
                            "NAME +ORGANISATION +TEAMS +ROLES +PHONE +E-MAIL +ID"));
  EXPECT_THAT(std::vector<std::string>(lines.begin() + 1, lines.end()),
              ::testing::UnorderedElementsAre(
                  AllOf(StartsWith("Demo consultant "),
                        HasSubstr("Gemeente Leidschendam-Voorburg (gemeente-lv)"),
                        HasSubstr("werk-en-inkomen"), HasSubstr("+31 70 300 1234"),
                        HasSubstr("w.consulent@lv.nl"), HasSubstr(consultant)),
                  AllOf(StartsWith("Demo consultant-2 "), Not(HasSubstr("w.consulent@lv.nl")))));

  // By name prefix and team; as CSV and JSON.
  Result csv = Cli("partner-woej", {"-o", "csv", "--no-headers", "people", "--name", "demo cons"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_THAT(csv.out, ::testing::ContainsRegex(
                           "(^|\n)Demo consultant,Gemeente Leidschendam-Voorburg \\(gemeente-lv\\),"));
  v1::ListPeopleResponse json;
  ASSERT_TRUE(Json("ggz", {"people", "--org", "gemeente-lv", "--team", "gebiedsregie", "--role",
                           "regisseur"},
                   &json));
  ASSERT_EQ(json.people_size(), 1) << json.DebugString();
  EXPECT_EQ(json.people(0).display_name(), "Demo regisseur");

  // A flag left out keeps its value; an empty one clears it.
  Result cleared = Admin("admin", {"user", "contact", consultant, "--phone", ""});
  ASSERT_EQ(cleared.exit_code, 0) << cleared.err;
  EXPECT_EQ(cleared.out, "professional " + consultant + " phone - e-mail w.consulent@lv.nl\n");

  // Unknown filters are refused, with the valid ones.
  EXPECT_THAT(Cli("ggz", {"people", "--org", "gemeente-vl"}),
              FailsWith("INVALID_ARGUMENT",
                        AllOf(HasSubstr("--org"), HasSubstr("did you mean gemeente-lv?"))));
  EXPECT_THAT(Cli("ggz", {"people", "--role", "consulent"}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("did you mean consultant?")));
  // Only an administrator sets the work contact.
  Result denied = Admin("partner-woej", {"user", "contact", consultant, "--phone", "0"});
  EXPECT_NE(denied.exit_code, 0);
  EXPECT_THAT(denied.err, StartsWith("schakel-admin: PERMISSION_DENIED: "));
}

TEST_F(WorkingDayCliTest, CategoriesAndWijkenShowTheReferenceData) {
  Result fz = Cli("partner-woej", {"categories", "--opgave", "FZ"});
  ASSERT_EQ(fz.exit_code, 0) << fz.err;
  EXPECT_THAT(fz.out, StartsWith("CODE"));
  EXPECT_THAT(fz.out, ::testing::ContainsRegex(
                          "FZ-SCHULDEN +\\(Problematische\\) schulden +FZ +sensitive\n"));
  EXPECT_THAT(fz.out, Not(HasSubstr("FVW-")));
  Result wijken = Cli("partner-woej", {"wijken"});
  ASSERT_EQ(wijken.exit_code, 0) << wijken.err;
  EXPECT_THAT(wijken.out, AllOf(HasSubstr("prinsenhof"), HasSubstr("De Heuvel/Amstelwijk")));
  EXPECT_THAT(Cli("partner-woej", {"categories", "--opgave", "ZF"}),
              FailsWith("INVALID_ARGUMENT", AllOf(HasSubstr("--opgave"), HasSubstr("FZ"))));
}

TEST_F(WorkingDayCliTest, UnknownFilterValuesAreRefusedWithTheValidList) {
  EXPECT_THAT(Cli("regisseur", {"signal", "list", "--wijk", "prinsenhf"}),
              FailsWith("INVALID_ARGUMENT",
                        AllOf(HasSubstr("--wijk: unknown wijk \"prinsenhf\"; did you mean "
                                        "prinsenhof?"),
                              HasSubstr("heuvel-amstelwijk"))));
  EXPECT_THAT(Cli("regisseur", {"signal", "list", "--category", "FZ-SCHULDN"}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("did you mean FZ-SCHULDEN?")));
  EXPECT_THAT(Cli("regisseur", {"signal", "list", "--owner", "woej2"}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("did you mean woej?")));
  EXPECT_THAT(Cli("regisseur", {"teams", "--org", "gemeente"}),
              FailsWith("INVALID_ARGUMENT", HasSubstr("--org: unknown organisation")));
}

// The inbox shows the resident, the sender and the organisations by name.
TEST_F(WorkingDayCliTest, InboxAndSignalListShowNamesNextToIds) {
  const std::string resident =
      RegisterResident("brugfunctionaris", "Fatima El Amrani", "1985-03-02");
  ASSERT_FALSE(resident.empty());
  const std::string handover =
      Create("brugfunctionaris", {"handover", "propose", "--resident", resident, "--to", "woej",
                                  "--reason", "Hulp bij formulieren", "--basis", "consent",
                                  "--basis-note", "taalhuis"});
  ASSERT_FALSE(handover.empty());
  v1::ListHandoversResponse names;
  ASSERT_TRUE(Json("partner-woej", {"handover", "inbox"}, &names));
  ASSERT_EQ(names.handovers_size(), 1);
  EXPECT_FALSE(names.handovers(0).resident_name().empty());
  Result inbox = Cli("partner-woej", {"handover", "inbox"});
  ASSERT_EQ(inbox.exit_code, 0) << inbox.err;
  EXPECT_THAT(inbox.out, AllOf(HasSubstr("Fatima El Amrani (" + resident + ")"),
                               HasSubstr("Demo brugfunctionaris"),
                               HasSubstr("Kwadraad (brugfunctionarissen)"), HasSubstr("Woej")));
  // The action reads the current etag when --etag is not given.
  Result accepted = Cli("partner-woej", {"handover", "accept", handover});
  ASSERT_EQ(accepted.exit_code, 0) << accepted.err;
  EXPECT_THAT(accepted.out, HasSubstr("Demo partner-woej"));

  // The brugfunctionaris registered the resident and may write about her.
  const std::string signal = Create(
      "brugfunctionaris", {"signal", "create", "--category", "FZ-SCHULDEN", "--wijk", "prinsenhof",
                    "--place", "Winkelcentrum", "--description", "Gezien", "--resident", resident,
                    "--owner", "woej"});
  ASSERT_FALSE(signal.empty());
  Result list = Cli("partner-woej", {"signal", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, AllOf(HasSubstr(signal), HasSubstr("Woej")));

  // The auditor sees professionals and organisations by name, never a
  // resident's.
  Result audit = Cli("auditor", {"audit", "query", "--action", "ProposeHandover"});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  EXPECT_THAT(audit.out, AllOf(HasSubstr("Demo brugfunctionaris"),
                               HasSubstr("Kwadraad (brugfunctionarissen) (kwadraad)"),
                               Not(HasSubstr("Fatima"))));
}

}  // namespace
}  // namespace schakel
