// End to end: the CLI with two teams of the municipality.
//
// The demo deployment seeds gemeente-lv with three teams: gebiedsregie (its
// intake team: the regisseur and the municipality's non-case demo users),
// werk-en-inkomen (the consultant) and vth (nobody); every other
// organisation has one team, `intake`, holding its demo users. Need-to-know
// follows the team: the consultant does not read what the regisseur wrote,
// the regisseur reads the consultant's signals only because a regisseur
// reads the area's signals, and a handover is seen by its two teams only.
// Each test makes its own deployment and drives the real binaries; values are
// read from --json output.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/common.pb.h"
#include "schakel/v1/directory.pb.h"
#include "schakel/v1/handovers.pb.h"
#include "schakel/v1/signals.pb.h"
#include "tests/support/cli_support.h"
#include "tests/support/process.h"

namespace schakel {
namespace {

using ::schakel::testing::DemoCliTest;
using ::schakel::testing::FailsWith;
using ::schakel::testing::Bin;
using ::schakel::testing::Result;
using ::schakel::testing::RunCommand;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Property;
using ::testing::StartsWith;

// The exit code of every refused request and every local error (one line on
// stderr; tools/common/cli.h Fail).
constexpr int kExitFailed = 1;

// The new flags and commands are checked before the CLI connects: no server
// is needed, and none listens on 127.0.0.1:1.
TEST(TeamsCliFlagsTest, BadTeamFlagsAreOneLineBeforeAnyConnection) {
  struct Case {
    std::vector<std::string> args;
    const char* err;
  };
  const Case cases[] = {
      {{"teams", "gemeente-lv"},
       "schakel: INVALID_ARGUMENT: teams: unexpected argument \"gemeente-lv\"\n"},
      {{"teams", "--to-team", "vth"},
       "schakel: INVALID_ARGUMENT: teams: flag --to-team does not apply\n"},
      {{"handover", "forward", "h1234567"},
       "schakel: INVALID_ARGUMENT: handover forward: --to-team is required\n"},
      {{"handover", "forward", "--to-team", "vth"},
       "schakel: INVALID_ARGUMENT: handover forward: expected ID\n"},
      {{"signal", "list", "--owner-team", "vth"},
       "schakel: INVALID_ARGUMENT: --owner-team: only with --owner ORG, its organisation\n"},
      {{"signal", "create", "--category", "FZ-SCHULDEN", "--wijk", "prinsenhof", "--place", "P",
        "--description", "D", "--owner-team", "vth"},
       "schakel: INVALID_ARGUMENT: --owner-team: only with --owner ORG, its organisation\n"},
      {{"signal", "show", "s1234567", "--team", "vth"},
       "schakel: INVALID_ARGUMENT: signal show: flag --team does not apply\n"},
      {{"handover", "accept", "h1234567", "--to-team", "vth"},
       "schakel: INVALID_ARGUMENT: handover accept: flag --to-team does not apply\n"},
      {{"report", "signals", "--period", "2026", "--by", "teams"},
       "schakel: INVALID_ARGUMENT: --by: unknown value \"teams\"; did you mean team? (month | "
       "quarter | opgave | "
       "category | wijk | organisation | team)\n"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> argv = {Bin("schakel"), "--server", "127.0.0.1:1"};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    Result r = RunCommand(argv);
    EXPECT_EQ(r.exit_code, kExitFailed) << c.args[0] << " " << c.args[1];
    EXPECT_EQ(r.err, c.err);
    EXPECT_THAT(r.out, IsEmpty());
  }

  const Case admin_cases[] = {
      {{"team", "add", "--org", "gemeente-lv", "--id", "leerplicht"},
       "schakel-admin: INVALID_ARGUMENT: team add: --name is required\n"},
      {{"team", "remove", "--professional", "p1234567"},
       "schakel-admin: INVALID_ARGUMENT: team remove: --professional ID and --team T are "
       "required\n"},
      {{"grant", "request", "--professional", "p1234567"},
       "schakel-admin: INVALID_ARGUMENT: grant request: --professional ID and --role ROLE or "
       "--team T are required\n"},
  };
  for (const Case& c : admin_cases) {
    std::vector<std::string> argv = {Bin("schakel-admin"), "--server", "127.0.0.1:1"};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    Result r = RunCommand(argv);
    EXPECT_EQ(r.exit_code, kExitFailed) << c.args[0] << " " << c.args[1];
    EXPECT_EQ(r.err, c.err);
    EXPECT_THAT(r.out, IsEmpty());
  }
}

TEST(TeamsCliFlagsTest, HelpListsTheTeamCommandsAndFlags) {
  Result cli = RunCommand({Bin("schakel"), "--help"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  for (const char* text :
       {"  teams    the teams of the organisations: teams [--org ORG]", "    forward ID --to-team T",
        "[--team T] [--to-team T]", "[--team T] [--owner-team T]", "--owner-team VALUE",
        "--to-team VALUE", "--team VALUE", "organisation|team"}) {
    EXPECT_THAT(cli.out, HasSubstr(text));
  }
  Result admin = RunCommand({Bin("schakel-admin"), "--help"});
  ASSERT_EQ(admin.exit_code, 0) << admin.err;
  for (const char* text :
       {"schakel-admin team add --org ORG --id ID --name NAME",
        "schakel-admin team remove --professional ID --team T",
        "schakel-admin grant request --professional ID [--role ROLE]... [--team T]",
        "the team of the organisation the professional will work in (default: the "
        "organisation's intake team)"}) {
    EXPECT_THAT(admin.out, HasSubstr(text));
  }
}

class TeamsCliTest : public DemoCliTest {
 protected:
  // A non-justice signal about `resident` by `user`; the new id or "".
  std::string CreateSignal(const std::string& user, const std::string& resident,
                           const std::string& description,
                           const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"signal", "create", "--category", "FZ-SCHULDEN", "--wijk",
                                     "prinsenhof", "--place", "Prinsenhoflaan", "--description",
                                     description, "--resident", resident};
    args.insert(args.end(), extra.begin(), extra.end());
    return Create(user, args);
  }

  // `handover propose` of `resident` to `to` (and --to-team when given) with
  // the resident's consent; the new id or "".
  std::string Propose(const std::string& user, const std::string& resident,
                      const std::string& to, const std::string& to_team = "") {
    std::vector<std::string> args = {"handover", "propose", "--resident", resident, "--to", to,
                                     "--reason", "hulp bij werk en schulden", "--basis",
                                     "consent", "--basis-note", "doorverwijzing besproken"};
    if (!to_team.empty()) {
      args.push_back("--to-team");
      args.push_back(to_team);
    }
    return Create(user, args);
  }

  // Whether handover `id` is in the inbox or outbox of `user` (every
  // status); `out` receives it when it is.
  bool InBox(const std::string& user, const char* box, const std::string& id,
             v1::Handover* out = nullptr) {
    v1::ListHandoversResponse list;
    if (!Json(user, {"handover", box, "--all"}, &list)) return false;
    for (const v1::Handover& h : list.handovers()) {
      if (h.id() != id) continue;
      if (out != nullptr) *out = h;
      return true;
    }
    return false;
  }

  // Whether signal `id` is in the signal list of `user`.
  bool Listed(const std::string& user, const std::string& id) {
    v1::ListSignalsResponse list;
    if (!Json(user, {"signal", "list", "--all"}, &list)) return false;
    for (const v1::Signal& s : list.signals()) {
      if (s.id() == id) return true;
    }
    return false;
  }
};

TEST_F(TeamsCliTest, TeamsListsTheMunicipalitysThreeTeamsOnePerJsonLine) {
  Result r = Cli("regisseur", {"teams", "--org", "gemeente-lv"}, /*json=*/true);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, IsEmpty());
  // Exactly one Team object per line, in the proto3 JSON mapping (field
  // order of the message), ordered by id.
  std::vector<std::string> lines = absl::StrSplit(r.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u) << r.out;
  EXPECT_TRUE(absl::EndsWith(r.out, "}\n")) << r.out;
  std::vector<v1::Team> teams;
  for (const std::string& line : lines) {
    v1::Team t;
    Result one;
    one.exit_code = 0;
    one.out = line;
    ASSERT_TRUE(ParseJson(one, line, &t));
    teams.push_back(t);
  }
  EXPECT_THAT(lines[0], StartsWith(R"({"organisationId":"gemeente-lv","id":"gebiedsregie",)"));
  EXPECT_THAT(lines[0], HasSubstr(R"("intake":true)"));
  EXPECT_THAT(lines[1], StartsWith(R"({"organisationId":"gemeente-lv","id":"vth",)"));
  EXPECT_THAT(lines[2], StartsWith(R"({"organisationId":"gemeente-lv","id":"werk-en-inkomen",)"));
  EXPECT_THAT(teams, ElementsAre(Property(&v1::Team::intake, true),
                                 Property(&v1::Team::intake, false),
                                 Property(&v1::Team::intake, false)));
  for (const v1::Team& t : teams) {
    EXPECT_EQ(t.organisation_id(), "gemeente-lv");
    EXPECT_THAT(t.name(), Not(IsEmpty()));
  }

  // The plain table; without --org every organisation, woej with its one
  // intake team.
  Result table = Cli("partner-woej", {"teams"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  std::vector<std::string> rows = absl::StrSplit(table.out, '\n', absl::SkipEmpty());
  ASSERT_FALSE(rows.empty());
  EXPECT_THAT(std::vector<std::string>(absl::StrSplit(rows[0], ' ', absl::SkipEmpty())),
              ElementsAre("ORGANISATION", "TEAM", "NAME", "INTAKE"));
  EXPECT_THAT(table.out, HasSubstr("werk-en-inkomen"));
  EXPECT_THAT(rows, Contains(AllOf(StartsWith("woej "), HasSubstr(" intake "),
                                   ::testing::EndsWith("  yes"))))
      << table.out;

  // An unknown organisation (refused with the valid ones, not an empty
  // table); an operand the command does not take.
  Result unknown = Cli("regisseur", {"teams", "--org", "nowhere"});
  EXPECT_THAT(unknown, FailsWith("INVALID_ARGUMENT",
                                 AllOf(HasSubstr("--org: unknown organisation \"nowhere\""),
                                       HasSubstr("gemeente-lv | ggd"))));
  EXPECT_EQ(unknown.exit_code, kExitFailed);
  Result operand = Cli("regisseur", {"teams", "gemeente-lv"});
  EXPECT_THAT(operand, FailsWith("INVALID_ARGUMENT", HasSubstr("unexpected argument")));
  EXPECT_EQ(operand.exit_code, kExitFailed);

  // whoami names the team one works in.
  Result who = Cli("consultant", {"whoami"});
  ASSERT_EQ(who.exit_code, 0) << who.err;
  EXPECT_THAT(who.out, HasSubstr("\nteams         werk-en-inkomen\n"));
  v1::WhoAmIResponse me;
  ASSERT_TRUE(Json("regisseur", {"whoami"}, &me));
  EXPECT_THAT(me.professional().teams(), ElementsAre("gebiedsregie"));
  EXPECT_THAT(me.professional().pending_teams(), IsEmpty());
}

TEST_F(TeamsCliTest, NeedToKnowFollowsTheTeamNotTheOrganisation) {
  // The regisseur's signal is not the consultant's business.
  std::string regisseur_resident = RegisterResident("regisseur", "Karim Aziz", "1979-06-11");
  ASSERT_FALSE(regisseur_resident.empty());
  std::string regisseur_signal =
      CreateSignal("regisseur", regisseur_resident, "huurachterstand, post stapelt zich op");
  ASSERT_FALSE(regisseur_signal.empty());
  Result hidden = Cli("consultant", {"signal", "show", regisseur_signal});
  EXPECT_THAT(hidden, FailsWith("NOT_FOUND", HasSubstr(regisseur_signal)));
  EXPECT_EQ(hidden.exit_code, kExitFailed);
  EXPECT_FALSE(Listed("consultant", regisseur_signal));

  // The consultant's signal (not justice): the regisseur reads the area's
  // signals, so this one too; it names the team it was written for.
  std::string client = RegisterResident("consultant", "Ilse Verbeek", "1990-02-27");
  ASSERT_FALSE(client.empty());
  std::string consultant_signal =
      CreateSignal("consultant", client, "schulden staan werk in de weg");
  ASSERT_FALSE(consultant_signal.empty());
  v1::Signal s;
  ASSERT_TRUE(Json("regisseur", {"signal", "show", consultant_signal}, &s));
  EXPECT_EQ(s.author_organisation_id(), "gemeente-lv");
  EXPECT_EQ(s.author_team(), "werk-en-inkomen");
  EXPECT_TRUE(Listed("regisseur", consultant_signal));
  Result shown = Cli("regisseur", {"signal", "show", consultant_signal});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("(gemeente-lv/werk-en-inkomen)"));

  // The consultant's handover to WOEJ: the two teams of it see it, the
  // regisseur of the same organisation does not.
  std::string handover = Propose("consultant", client, "woej");
  ASSERT_FALSE(handover.empty());
  v1::Handover h;
  ASSERT_TRUE(InBox("consultant", "outbox", handover, &h));
  EXPECT_EQ(h.from_team(), "werk-en-inkomen");
  EXPECT_EQ(h.to_team(), "intake");
  EXPECT_FALSE(InBox("regisseur", "outbox", handover));
  Result not_hers = Cli("regisseur", {"handover", "show", handover});
  EXPECT_THAT(not_hers, FailsWith("NOT_FOUND", HasSubstr(handover)));
  EXPECT_EQ(not_hers.exit_code, kExitFailed);
  ASSERT_TRUE(InBox("partner-woej", "inbox", handover, &h));
  EXPECT_EQ(h.from_organisation_id(), "gemeente-lv");
  EXPECT_EQ(h.from_team(), "werk-en-inkomen");
  Result woej_show = Cli("partner-woej", {"handover", "show", handover});
  ASSERT_EQ(woej_show.exit_code, 0) << woej_show.err;
  // The sending team, by name next to its id: "Gemeente ... (gemeente-lv/
  // werk-en-inkomen), sender Demo consultant (p...)".
  EXPECT_THAT(woej_show.out, HasSubstr("(gemeente-lv/werk-en-inkomen), sender "));
  EXPECT_THAT(woej_show.out, HasSubstr("woej/intake"));
}

TEST_F(TeamsCliTest, HandoversGoBetweenTeamsAndTheIntakeTeamForwardsThem) {
  // Cross-team work inside the municipality is a handover to the team.
  std::string resident = RegisterResident("regisseur", "Noor Hamdi", "1986-10-05");
  ASSERT_FALSE(resident.empty());
  std::string to_wi = Propose("regisseur", resident, "gemeente-lv", "werk-en-inkomen");
  ASSERT_FALSE(to_wi.empty());
  v1::Handover h;
  ASSERT_TRUE(InBox("consultant", "inbox", to_wi, &h));
  EXPECT_EQ(h.from_team(), "gebiedsregie");
  EXPECT_EQ(h.to_organisation_id(), "gemeente-lv");
  EXPECT_EQ(h.to_team(), "werk-en-inkomen");
  ASSERT_TRUE(Json("consultant", {"handover", "accept", to_wi}, &h));
  EXPECT_EQ(h.status(), v1::HANDOVER_STATUS_ACCEPTED);
  ASSERT_TRUE(InBox("regisseur", "outbox", to_wi, &h));
  EXPECT_EQ(h.status(), v1::HANDOVER_STATUS_ACCEPTED);

  // Addressed to the organisation: it lands at its intake team.
  std::string woej_resident = RegisterResident("partner-woej", "Bram Smit", "1975-01-19");
  ASSERT_FALSE(woej_resident.empty());
  std::string to_org = Propose("partner-woej", woej_resident, "gemeente-lv");
  ASSERT_FALSE(to_org.empty());
  ASSERT_TRUE(InBox("regisseur", "inbox", to_org, &h));
  EXPECT_EQ(h.to_team(), "gebiedsregie");
  EXPECT_EQ(h.status(), v1::HANDOVER_STATUS_PROPOSED);
  EXPECT_FALSE(InBox("consultant", "inbox", to_org));

  // Only the receiving team forwards: the consultant does not see it, the
  // sender is not the receiver.
  Result outsider =
      Cli("consultant", {"handover", "forward", to_org, "--to-team", "werk-en-inkomen"});
  EXPECT_THAT(outsider, FailsWith("NOT_FOUND", HasSubstr(to_org)));
  EXPECT_EQ(outsider.exit_code, kExitFailed);
  Result sender =
      Cli("partner-woej", {"handover", "forward", to_org, "--to-team", "werk-en-inkomen"});
  EXPECT_THAT(sender, FailsWith("PERMISSION_DENIED", Not(IsEmpty())));
  EXPECT_EQ(sender.exit_code, kExitFailed);

  // The intake team passes it on; from then on it is the new team's.
  ASSERT_TRUE(Json("regisseur",
                   {"handover", "forward", to_org, "--to-team", "werk-en-inkomen", "--etag",
                    h.etag()},
                   &h));
  EXPECT_EQ(h.to_organisation_id(), "gemeente-lv");
  EXPECT_EQ(h.to_team(), "werk-en-inkomen");
  EXPECT_EQ(h.status(), v1::HANDOVER_STATUS_PROPOSED);
  ASSERT_TRUE(InBox("consultant", "inbox", to_org, &h));
  EXPECT_EQ(h.to_team(), "werk-en-inkomen");
  EXPECT_FALSE(InBox("regisseur", "inbox", to_org));
  Result gone = Cli("regisseur", {"handover", "show", to_org});
  EXPECT_THAT(gone, FailsWith("NOT_FOUND", HasSubstr(to_org)));
  EXPECT_EQ(gone.exit_code, kExitFailed);
  Result shown = Cli("consultant", {"handover", "show", to_org});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("Woej (woej/intake), sender "));
  EXPECT_THAT(shown.out, HasSubstr("gemeente-lv/werk-en-inkomen"));
  ASSERT_TRUE(Json("consultant", {"handover", "accept", to_org}, &h));
  EXPECT_EQ(h.status(), v1::HANDOVER_STATUS_ACCEPTED);
}

TEST_F(TeamsCliTest, ASecondTeamComesByAnApprovedGrantAndThenTeamMustBeNamed) {
  const std::string regisseur = ProfessionalId("regisseur");
  ASSERT_FALSE(regisseur.empty());

  // A new team: it gives nobody access by itself.
  Result add = Admin("admin", {"team", "add", "--org", "gemeente-lv", "--id", "leerplicht",
                               "--name", "Leerplicht"});
  ASSERT_EQ(add.exit_code, 0) << add.err;
  EXPECT_THAT(add.out, StartsWith("team gemeente-lv/leerplicht \"Leerplicht\", created "));
  Result teams = Cli("regisseur", {"teams", "--org", "gemeente-lv"}, /*json=*/true);
  ASSERT_EQ(teams.exit_code, 0) << teams.err;
  EXPECT_EQ(std::count(teams.out.begin(), teams.out.end(), '\n'), 4) << teams.out;
  EXPECT_THAT(teams.out, HasSubstr(R"("id":"leerplicht","name":"Leerplicht")"));
  Result again = Admin("admin", {"team", "add", "--org", "gemeente-lv", "--id", "leerplicht",
                                 "--name", "Leerplicht"});
  EXPECT_EQ(again.exit_code, kExitFailed);
  EXPECT_THAT(again.err, StartsWith("schakel-admin: ALREADY_EXISTS: "));
  Result no_name = Admin("admin", {"team", "add", "--org", "gemeente-lv", "--id", "x1"});
  EXPECT_EQ(no_name.exit_code, kExitFailed);
  EXPECT_EQ(no_name.err, "schakel-admin: INVALID_ARGUMENT: team add: --name is required\n");

  // Membership is a grant without roles, approved by a second administrator.
  Result nothing = Admin("admin", {"grant", "request", "--professional", regisseur});
  EXPECT_EQ(nothing.exit_code, kExitFailed);
  EXPECT_THAT(nothing.err, StartsWith("schakel-admin: INVALID_ARGUMENT: grant request: "));
  Result request =
      Admin("admin", {"grant", "request", "--professional", regisseur, "--team", "leerplicht"});
  ASSERT_EQ(request.exit_code, 0) << request.err;
  ASSERT_THAT(request.out, StartsWith("grant "));
  ASSERT_TRUE(absl::EndsWith(request.out, " pending\n")) << request.out;
  const std::string grant = request.out.substr(6, request.out.size() - 6 - 9);
  v1::WhoAmIResponse me;
  ASSERT_TRUE(Json("regisseur", {"whoami"}, &me));
  EXPECT_THAT(me.professional().teams(), ElementsAre("gebiedsregie"));
  EXPECT_THAT(me.professional().pending_teams(), ElementsAre("leerplicht"));
  Result pending = Cli("regisseur", {"whoami"});
  ASSERT_EQ(pending.exit_code, 0) << pending.err;
  EXPECT_THAT(pending.out,
              HasSubstr("pending teams leerplicht (await a second administrator's approval)"));
  Result grants = Admin("admin2", {"grant", "list", "--pending"});
  ASSERT_EQ(grants.exit_code, 0) << grants.err;
  EXPECT_THAT(grants.out, HasSubstr("leerplicht"));
  Result self = Admin("admin", {"grant", "approve", grant});
  EXPECT_EQ(self.exit_code, kExitFailed);
  EXPECT_THAT(self.err, StartsWith("schakel-admin: PERMISSION_DENIED: "));
  Result approve = Admin("admin2", {"grant", "approve", grant});
  ASSERT_EQ(approve.exit_code, 0) << approve.err;
  EXPECT_EQ(approve.out, "grant " + grant + " approved\n");

  ASSERT_TRUE(Json("regisseur", {"whoami"}, &me));
  EXPECT_THAT(me.professional().teams(), ElementsAre("gebiedsregie", "leerplicht"));
  EXPECT_THAT(me.professional().pending_teams(), IsEmpty());
  Result who = Cli("regisseur", {"whoami"});
  ASSERT_EQ(who.exit_code, 0) << who.err;
  EXPECT_THAT(who.out, HasSubstr("\nteams         gebiedsregie, leerplicht\n"));

  // Working in two teams, the regisseur names the one they act for.
  Result unregistered =
      Cli("regisseur", {"resident", "register", "--name", "Sanne Dekker", "--birth-date",
                        "2011-03-14", "--address", "Prinsenhoflaan 3", "--wijk", "prinsenhof"});
  EXPECT_THAT(unregistered, FailsWith("INVALID_ARGUMENT", HasSubstr("team")));
  EXPECT_EQ(unregistered.exit_code, kExitFailed);
  Result unnamed = Cli("regisseur", {"signal", "create", "--category", "FZ-SCHULDEN", "--wijk",
                                     "prinsenhof", "--place", "Prinsenhoflaan", "--description",
                                     "gezin met betalingsachterstanden"});
  EXPECT_THAT(unnamed, FailsWith("INVALID_ARGUMENT", HasSubstr("team")));
  EXPECT_EQ(unnamed.exit_code, kExitFailed);
  std::string signal =
      Create("regisseur", {"signal", "create", "--category", "FZ-SCHULDEN", "--wijk",
                           "prinsenhof", "--place", "Prinsenhoflaan", "--description",
                           "gezin met betalingsachterstanden", "--team", "gebiedsregie"});
  ASSERT_FALSE(signal.empty());
  v1::Signal s;
  ASSERT_TRUE(Json("regisseur", {"signal", "show", signal}, &s));
  EXPECT_EQ(s.author_team(), "gebiedsregie");

  // Out of the new team again (one administrator narrows access); the last
  // team stays.
  Result removed =
      Admin("admin", {"team", "remove", "--professional", regisseur, "--team", "leerplicht"});
  ASSERT_EQ(removed.exit_code, 0) << removed.err;
  EXPECT_EQ(removed.out, "professional " + regisseur + " teams gebiedsregie\n");
  Result last =
      Admin("admin", {"team", "remove", "--professional", regisseur, "--team", "gebiedsregie"});
  EXPECT_EQ(last.exit_code, kExitFailed);
  EXPECT_THAT(last.err, StartsWith("schakel-admin: FAILED_PRECONDITION: "));
  ASSERT_TRUE(Json("regisseur", {"whoami"}, &me));
  EXPECT_THAT(me.professional().teams(), ElementsAre("gebiedsregie"));
  std::string resident = RegisterResident("regisseur", "Sanne Dekker", "2011-03-14");
  ASSERT_FALSE(resident.empty());
  EXPECT_FALSE(CreateSignal("regisseur", resident, "weer in één team").empty());
}

}  // namespace
}  // namespace schakel
