// End to end: a deployment made before organisations had teams
// (tests/fixtures/pre-teams-deployment, made by make_pre_teams_deployment.sh
// with the binaries of ede055c, the commit before issue 19) is upgraded by
// today's schakeld, which applies migration 11 at start: every organisation
// gets one intake team holding all its professionals, and until teams are
// added everyone sees exactly what they saw before, the audit chain stays
// intact and the data set can still be worked on.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/crypto/x509.h"
#include "server/deployment/init.h"
#include "tests/support/process.h"
#include "tests/support/test_support.h"

namespace schakel {
namespace {

using ::google::protobuf::Struct;
using ::google::protobuf::Value;
using ::schakel::testing::Bin;
using ::schakel::testing::Daemon;
using ::schakel::testing::IsOk;
using ::schakel::testing::ReadFileOrDie;
using ::schakel::testing::Result;
using ::schakel::testing::RunCommand;
using ::schakel::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;

// The demo users whose view of the data set expected-visibility.txt holds.
const std::vector<std::string>& CaseUsers() {
  static const std::vector<std::string>* users = new std::vector<std::string>{
      "regisseur", "consultant", "brugfunctionaris", "ggz", "partner-woej", "partner-vidomes"};
  return *users;
}

// The output of a `--json` command as a generic JSON object, so that the
// test reads the field names the CLI prints (the proto3 JSON mapping)
// whatever the messages carry besides.
Struct ParseObject(const std::string& json, const std::string& what) {
  Struct out;
  auto parsed = google::protobuf::util::JsonStringToMessage(json, &out);
  EXPECT_TRUE(parsed.ok()) << what << ": " << parsed.ToString() << "\n" << json;
  return out;
}

const Value* FieldOf(const Struct& s, const std::string& name) {
  auto it = s.fields().find(name);
  return it == s.fields().end() ? nullptr : &it->second;
}

// A string field; "" when absent (proto3 JSON leaves out default values).
std::string Text(const Struct& s, const std::string& name) {
  const Value* v = FieldOf(s, name);
  return v != nullptr && v->has_string_value() ? v->string_value() : "";
}

// A bool field; false when absent.
bool Flag(const Struct& s, const std::string& name) {
  const Value* v = FieldOf(s, name);
  return v != nullptr && v->has_bool_value() && v->bool_value();
}

// The objects of a repeated message field; none when absent.
std::vector<Struct> Objects(const Struct& s, const std::string& name) {
  std::vector<Struct> out;
  const Value* v = FieldOf(s, name);
  if (v == nullptr || !v->has_list_value()) return out;
  for (const Value& item : v->list_value().values()) {
    if (item.has_struct_value()) out.push_back(item.struct_value());
  }
  return out;
}

// The strings of a repeated string field; none when absent.
std::vector<std::string> Strings(const Struct& s, const std::string& name) {
  std::vector<std::string> out;
  const Value* v = FieldOf(s, name);
  if (v == nullptr || !v->has_list_value()) return out;
  for (const Value& item : v->list_value().values()) out.push_back(item.string_value());
  return out;
}

// The top-level JSON objects of an output that prints several, one after
// the other (on one line each, or spread over lines).
std::vector<std::string> SplitObjects(const std::string& text) {
  std::vector<std::string> out;
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      if (depth++ == 0) start = i;
    } else if (c == '}') {
      if (--depth == 0) out.push_back(text.substr(start, i - start + 1));
    }
  }
  return out;
}

// The status code of the CLI's one-line failure, "schakel: CODE: message".
std::string CodeOf(const Result& r) {
  const std::string prefix = "schakel: ";
  if (!absl::StartsWith(r.err, prefix)) return "UNKNOWN";
  const std::string rest = r.err.substr(prefix.size());
  return rest.substr(0, rest.find(':'));
}

// The lines of `a` that `b` lacks.
std::vector<std::string> Minus(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::vector<std::string> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

// The demo professionals the fixture was made with: those of today's demo
// that existed then (a demo user added later has no directory in it).
std::vector<deployment::DemoUser> FixtureUsers() {
  std::vector<deployment::DemoUser> out;
  for (const auto& user : deployment::DemoUsers()) {
    if (std::filesystem::exists(
            absl::StrCat(SCHAKEL_FIXTURE_DIR, "/pre-teams-deployment/users/", user.name))) {
      out.push_back(user);
    }
  }
  return out;
}

class TeamsMigrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = tmp_.File("deployment");
    std::filesystem::copy(SCHAKEL_FIXTURE_DIR "/pre-teams-deployment", dir_,
                          std::filesystem::copy_options::recursive);
    // git keeps no modes: the secrets must be private again.
    std::filesystem::permissions(dir_, std::filesystem::perms::owner_all);
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_)) {
      std::filesystem::permissions(entry.path(), entry.is_directory()
                                                     ? std::filesystem::perms::owner_all
                                                     : std::filesystem::perms::owner_read |
                                                           std::filesystem::perms::owner_write);
    }
    // The demo certificates were issued when the fixture was made and last
    // a year: say so instead of failing with UNAUTHENTICATED.
    for (const auto& user : FixtureUsers()) {
      auto cert = crypto::ParseCertificatePem(
          ReadFileOrDie(absl::StrCat(dir_, "/users/", user.name, "/cert.pem")));
      ASSERT_THAT(cert, IsOk()) << user.name;
      auto info = crypto::InspectCertificate(cert->get());
      ASSERT_THAT(info, IsOk()) << user.name;
      ASSERT_GT(info->not_after, absl::Now())
          << "the certificate of demo user " << user.name << " in the fixture ended on "
          << absl::FormatTime(info->not_after)
          << ": make the fixture again with tests/fixtures/make_pre_teams_deployment.sh "
             "(see tests/fixtures/pre-teams-deployment/README)";
    }
    for (absl::string_view line :
         absl::StrSplit(ReadFileOrDie(dir_ + "/ids"), '\n', absl::SkipEmpty())) {
      std::vector<std::string> parts = absl::StrSplit(line, ' ');
      ASSERT_EQ(parts.size(), 2u) << line;
      ids_[parts[0]] = parts[1];
    }
    for (absl::string_view line : absl::StrSplit(ReadFileOrDie(dir_ + "/expected-visibility.txt"),
                                                 '\n', absl::SkipEmpty())) {
      std::vector<std::string> parts = absl::StrSplit(line, ' ');
      ASSERT_GE(parts.size(), 3u) << line;
      expected_[parts[0]].insert(std::string(line));
      // Every user has a show line for every record: these are all of them.
      if (parts[1] == "signal") signals_.insert(parts[2]);
      if (parts[1] == "handover") handovers_.insert(parts[2]);
      if (parts[1] == "trajectory") trajectories_.insert(parts[2]);
      if (parts[1] == "resident") residents_.insert(parts[2]);
    }
    ASSERT_EQ(expected_.size(), CaseUsers().size());
    daemon_ = std::make_unique<Daemon>(dir_);
    ASSERT_FALSE(daemon_->address().empty()) << daemon_->banner() << daemon_->Stderr();
  }

  void TearDown() override {
    if (daemon_ != nullptr) {
      EXPECT_EQ(daemon_->Stop(), 0) << daemon_->Stderr();
    }
  }

  // `schakel --server ADDRESS --identity DIR/users/USER [--json] ARGS...`.
  Result Cli(const std::string& user, const std::vector<std::string>& args, bool json = false) {
    std::vector<std::string> argv = {Bin("schakel"), "--server", daemon_->address(), "--identity",
                                     absl::StrCat(dir_, "/users/", user)};
    if (json) argv.push_back("--json");
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv);
  }

  // A --json command that must succeed, its output as one object.
  Struct Json(const std::string& user, const std::vector<std::string>& args) {
    Result r = Cli(user, args, /*json=*/true);
    const std::string what = absl::StrCat(user, ": ", absl::StrJoin(args, " "));
    EXPECT_EQ(r.exit_code, 0) << what << ": " << r.err;
    EXPECT_THAT(r.err, IsEmpty()) << what;
    if (r.exit_code != 0) return Struct();
    return ParseObject(r.out, what);
  }

  // The ids a list shows as `USER KIND ID`, or `USER KIND - CODE` when it is
  // refused (make_pre_teams_deployment.sh writes the same lines).
  void List(const std::string& user, const std::string& kind, const std::string& field,
            const std::vector<std::string>& args, std::set<std::string>* lines) {
    Result r = Cli(user, args, /*json=*/true);
    if (r.exit_code != 0) {
      lines->insert(absl::StrCat(user, " ", kind, " - ", CodeOf(r)));
      return;
    }
    for (const Struct& item : Objects(ParseObject(r.out, kind), field)) {
      lines->insert(absl::StrCat(user, " ", kind, " ", Text(item, "id")));
    }
  }

  // A show: true with its object when found; false when NOT_FOUND; any other
  // failure is a line of its own that the expected view lacks.
  bool Show(const std::string& user, const std::string& kind, const std::string& id,
            Struct* out, std::set<std::string>* lines) {
    Result r = Cli(user, {kind, "show", id}, /*json=*/true);
    if (r.exit_code == 0) {
      *out = ParseObject(r.out, absl::StrCat(kind, " show ", id));
      return true;
    }
    const std::string code = CodeOf(r);
    if (code != "NOT_FOUND") {
      lines->insert(absl::StrCat(user, " ", kind, " ", id, " failed with ", code, ": ", r.err));
    }
    return false;
  }

  // What `user` sees of the data set, as the lines of expected-visibility.txt.
  std::set<std::string> Observe(const std::string& user) {
    std::set<std::string> lines;
    List(user, "signal-list", "signals", {"signal", "list", "--all"}, &lines);
    List(user, "inbox", "handovers", {"handover", "inbox", "--all"}, &lines);
    List(user, "outbox", "handovers", {"handover", "outbox", "--all"}, &lines);
    List(user, "caseload", "trajectories", {"trajectory", "list", "--all"}, &lines);
    auto notes = [&](const Struct& parent, const std::string& id) {
      for (const Struct& n : Objects(parent, "notes")) {
        lines.insert(absl::StrCat(user, " note ", Text(n, "id"), " ", id));
      }
    };
    Struct s;
    for (const std::string& id : signals_) {
      if (Show(user, "signal", id, &s, &lines)) {
        lines.insert(absl::StrCat(user, " signal ", id,
                                  Flag(s, "contentWithheld") ? " withheld" : " description"));
        notes(s, id);
      } else {
        lines.insert(absl::StrCat(user, " signal ", id, " not-found"));
      }
    }
    for (const std::string& id : handovers_) {
      if (Show(user, "handover", id, &s, &lines)) {
        lines.insert(absl::StrCat(user, " handover ", id, " found"));
        notes(s, id);
      } else {
        lines.insert(absl::StrCat(user, " handover ", id, " not-found"));
      }
    }
    for (const std::string& id : trajectories_) {
      if (Show(user, "trajectory", id, &s, &lines)) {
        lines.insert(absl::StrCat(user, " trajectory ", id,
                                  Flag(s, "summaryOnly") ? " summary" : " full"));
        for (const Struct& step : Objects(s, "steps")) {
          lines.insert(absl::StrCat(user, " step ", Text(step, "id"), " ", id));
        }
        for (const Struct& m : Objects(s, "measurements")) {
          lines.insert(absl::StrCat(user, " measurement ", Text(m, "id"), " ", id));
        }
      } else {
        lines.insert(absl::StrCat(user, " trajectory ", id, " not-found"));
      }
    }
    for (const std::string& id : residents_) {
      if (Show(user, "resident", id, &s, &lines)) {
        lines.insert(absl::StrCat(user, " resident ", id,
                                  Flag(s, "contentWithheld") ? " withheld" : " found"));
      } else {
        lines.insert(absl::StrCat(user, " resident ", id, " not-found"));
      }
    }
    return lines;
  }

  // "SEQ:HASH" of the last checkpoint the old schakeld signed.
  static std::string LastCheckpoint(const std::string& checkpoints) {
    std::string seq, head;
    for (absl::string_view line : absl::StrSplit(checkpoints, '\n', absl::SkipEmpty())) {
      for (absl::string_view word : absl::StrSplit(line, ' ')) {
        if (absl::StartsWith(word, "seq=")) seq = std::string(word.substr(4));
        if (absl::StartsWith(word, "head=")) head = std::string(word.substr(5));
      }
    }
    return absl::StrCat(seq, ":", head);
  }

  TempDir tmp_;
  std::string dir_;
  std::unique_ptr<Daemon> daemon_;
  std::map<std::string, std::string> ids_;
  std::map<std::string, std::set<std::string>> expected_;
  std::set<std::string> signals_, handovers_, trajectories_, residents_;
};

// Signal and handover lists, the caseload, each signal (with its health
// content or without), handover, trajectory (full or summary) and resident,
// and the notes, steps and measurements shown on them: the same sets as the
// old binaries showed, nothing missing and nothing more. Statuses are not
// compared: the proposed handover's deadline has passed since.
TEST_F(TeamsMigrationTest, EveryProfessionalSeesExactlyWhatTheySawBeforeTheUpgrade) {
  for (const std::string& user : CaseUsers()) {
    const std::set<std::string> seen = Observe(user);
    const std::set<std::string>& before = expected_[user];
    EXPECT_THAT(Minus(before, seen), IsEmpty()) << user << " no longer sees";
    EXPECT_THAT(Minus(seen, before), IsEmpty()) << user << " now sees more";
  }
}

TEST_F(TeamsMigrationTest, EveryOrganisationHasExactlyOneIntakeTeam) {
  std::set<std::string> organisations;
  for (const Struct& o : Objects(Json("regisseur", {"orgs"}), "organisations")) {
    organisations.insert(Text(o, "id"));
  }
  ASSERT_EQ(organisations.size(), 34u);

  Result r = Cli("regisseur", {"teams"}, /*json=*/true);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, IsEmpty());
  std::map<std::string, int> teams_of;
  for (const std::string& json : SplitObjects(r.out)) {
    Struct team = ParseObject(json, "teams");
    EXPECT_EQ(Text(team, "id"), "intake") << json;
    EXPECT_TRUE(Flag(team, "intake")) << json;
    EXPECT_FALSE(Text(team, "name").empty()) << json;
    EXPECT_FALSE(Text(team, "createTime").empty()) << json;
    ++teams_of[Text(team, "organisationId")];
  }
  std::set<std::string> with_teams;
  for (const auto& [organisation, count] : teams_of) {
    EXPECT_EQ(count, 1) << organisation;
    with_teams.insert(organisation);
  }
  EXPECT_EQ(with_teams, organisations);

  // Asked for one organisation: that organisation's intake team alone.
  for (const char* organisation :
       {"gemeente-lv", "kwadraad", "ggz-rivierduinen", "woej", "vidomes"}) {
    Result one = Cli("regisseur", {"teams", "--org", organisation}, /*json=*/true);
    ASSERT_EQ(one.exit_code, 0) << organisation << ": " << one.err;
    std::vector<std::string> objects = SplitObjects(one.out);
    ASSERT_EQ(objects.size(), 1u) << organisation << ": " << one.out;
    Struct team = ParseObject(objects[0], "teams --org");
    EXPECT_EQ(Text(team, "organisationId"), organisation);
    EXPECT_EQ(Text(team, "id"), "intake");
    EXPECT_TRUE(Flag(team, "intake"));
  }
}

TEST_F(TeamsMigrationTest, EveryExistingProfessionalIsInTheirOrganisationsIntakeTeam) {
  for (const auto& user : FixtureUsers()) {
    Struct me = Json(user.name, {"whoami"});
    const Value* organisation = FieldOf(me, "organisation");
    ASSERT_NE(organisation, nullptr) << user.name;
    EXPECT_EQ(Text(organisation->struct_value(), "id"), user.organisation);
    const Value* professional = FieldOf(me, "professional");
    ASSERT_NE(professional, nullptr) << user.name;
    EXPECT_THAT(Strings(professional->struct_value(), "teams"), ElementsAre("intake"))
        << user.name;
  }
}

// Through the API while the new server serves, and offline after it stopped;
// the chain still holds the head the old server signed last.
TEST_F(TeamsMigrationTest, TheAuditChainIsIntactAfterTheUpgrade) {
  const std::string old_head = LastCheckpoint(ReadFileOrDie(dir_ + "/audit-checkpoints"));
  ASSERT_THAT(old_head, MatchesRegex("[0-9]+:[0-9a-f]+"));
  const std::string intact = "intact: [0-9]+ entries, head [0-9]+:[0-9a-f]+, [0-9]+ checkpoints\n";

  Result online = Cli("auditor", {"audit", "verify", "--expect", old_head});
  EXPECT_EQ(online.exit_code, 0) << online.err;
  EXPECT_THAT(online.err, IsEmpty());
  EXPECT_THAT(online.out, MatchesRegex(intact));

  ASSERT_EQ(daemon_->Stop(), 0) << daemon_->Stderr();
  daemon_.reset();
  Result offline = RunCommand(
      {Bin("schakel-admin"), "audit", "verify", "--deployment", dir_, "--expect", old_head});
  EXPECT_EQ(offline.exit_code, 0) << offline.err;
  EXPECT_THAT(offline.err, IsEmpty());
  EXPECT_THAT(offline.out, MatchesRegex(intact));
}

TEST_F(TeamsMigrationTest, TheConsultantMeasuresTheirTrajectoryAgain) {
  const std::string trajectory = ids_["trajectory"];
  ASSERT_FALSE(trajectory.empty());
  Result r = Cli("consultant", {"trajectory", "measure", trajectory, "--rung", "3", "--note",
                                "na de upgrade", "--request-id", "upgrade-measure-1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Struct t = Json("consultant", {"trajectory", "show", trajectory});
  EXPECT_EQ(Objects(t, "measurements").size(), 2u);
  const Value* latest = FieldOf(t, "latestRung");
  ASSERT_NE(latest, nullptr);
  EXPECT_EQ(latest->number_value(), 3);
}

// The receiver completes the handover it accepted before the upgrade; the
// referral step of the consultant's trajectory shows the outcome.
TEST_F(TeamsMigrationTest, TheReceiverCompletesAHandoverAcceptedBeforeTheUpgrade) {
  const std::string handover = ids_["handover-accepted-by-woej"];
  ASSERT_FALSE(handover.empty());
  EXPECT_EQ(Text(Json("partner-woej", {"handover", "show", handover}), "status"),
            "HANDOVER_STATUS_ACCEPTED");
  Result r = Cli("partner-woej", {"handover", "complete", handover, "--outcome", "helped",
                                  "--text", "vrijwilligerswerk gevonden"});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  Struct h = Json("consultant", {"handover", "show", handover});
  EXPECT_EQ(Text(h, "status"), "HANDOVER_STATUS_COMPLETED");
  EXPECT_EQ(Text(h, "outcome"), "OUTCOME_HELPED");
  int referrals = 0;
  for (const Struct& step :
       Objects(Json("consultant", {"trajectory", "show", ids_["trajectory"]}), "steps")) {
    if (Text(step, "handoverId") != handover) continue;
    ++referrals;
    EXPECT_EQ(Text(step, "handoverStatus"), "HANDOVER_STATUS_COMPLETED");
    EXPECT_EQ(Text(step, "handoverOutcome"), "OUTCOME_HELPED");
  }
  EXPECT_EQ(referrals, 1);
}

}  // namespace
}  // namespace schakel
