// End to end: the real binaries, as a user runs them. schakel-admin init
// makes a demo deployment, schakeld serves it on a free port, and the CLI
// calls it as every demo professional.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <google/protobuf/util/json_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/directory.pb.h"
#include "server/deployment/init.h"
#include "tests/support/process.h"
#include "tests/support/test_support.h"

namespace schakel {
namespace {

using ::schakel::testing::Bin;
using ::schakel::testing::Daemon;
using ::schakel::testing::Result;
using ::schakel::testing::RunCommand;
using ::schakel::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(EndToEndTest, DemoDeploymentAnswersEveryDemoUser) {
  TempDir tmp;
  std::string dir = tmp.File("demo");
  Result init = RunCommand({Bin("schakel-admin"), "init", dir, "--demo"});
  ASSERT_EQ(init.exit_code, 0) << init.err;

  // Every file in the deployment is private to its owner.
  for (const char* f : {"schakel.db", "key.wrapped", "demo-passphrase", "ca/ca.key",
                        "server/key.pem", "schakel.conf", "users/ggz/key.pem"}) {
    struct stat st;
    ASSERT_EQ(::stat((dir + "/" + f).c_str(), &st), 0) << f;
    EXPECT_EQ(st.st_mode & 077, 0u) << f;
  }

  Daemon daemon(dir);
  ASSERT_FALSE(daemon.address().empty()) << daemon.banner() << daemon.Stderr();
  EXPECT_THAT(daemon.address(), StartsWith("127.0.0.1:"));
  // The banner prints the exact CLI line for each demo professional.
  for (const auto& user : deployment::DemoUsers()) {
    EXPECT_THAT(daemon.banner(), HasSubstr(absl::StrCat("--server ", daemon.address(),
                                                        " --identity ", dir, "/users/",
                                                        user.name, " whoami")));
  }

  for (const auto& user : deployment::DemoUsers()) {
    Result r = RunCommand({Bin("schakel"), "--server", daemon.address(), "--identity",
                    dir + "/users/" + user.name, "whoami", "--json"});
    ASSERT_EQ(r.exit_code, 0) << user.name << ": " << r.err;
    EXPECT_TRUE(r.err.empty()) << r.err;
    v1::WhoAmIResponse parsed;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(r.out, &parsed).ok()) << r.out;
    EXPECT_EQ(parsed.organisation().id(), user.organisation);
    ASSERT_EQ(parsed.professional().roles_size(), 1);
    EXPECT_EQ(v1::Role_Name(parsed.professional().roles(0)),
              "ROLE_" + absl::AsciiStrToUpper(user.role));
  }

  Result orgs = RunCommand({Bin("schakel"), "--server", daemon.address(), "--identity",
                     dir + "/users/regisseur", "orgs"});
  ASSERT_EQ(orgs.exit_code, 0) << orgs.err;
  EXPECT_THAT(orgs.out, HasSubstr("GGZ Rivierduinen"));
  EXPECT_EQ(std::count(orgs.out.begin(), orgs.out.end(), '\n'), 35);  // header + 34

  // A professional added with `user add` makes their own key with the
  // one-time code, and gets their roles once a second admin approves.
  std::string out_dir = tmp.File("new-user");
  Result add = RunCommand({Bin("schakel-admin"), "user", "add", "--org", "woej", "--name", "Nieuw",
                    "--role", "partner", "--role", "ggz", "--server",
                    daemon.address(), "--identity", dir + "/users/admin"});
  ASSERT_EQ(add.exit_code, 0) << add.err;
  std::vector<std::string> lines = absl::StrSplit(add.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << add.out;
  ASSERT_THAT(lines[0], ::testing::MatchesRegex("grant [a-z0-9-]+ pending"));
  ASSERT_THAT(lines[1], ::testing::MatchesRegex("enrollment-code [0-9A-Z-]+"));
  const std::string grant = lines[0].substr(6, lines[0].size() - 6 - 8);
  const std::string code = lines[1].substr(16);
  std::string enrollment;
  {
    const std::string err = daemon.Stderr();
    size_t at = err.find("enrollment listener on ");
    ASSERT_NE(at, std::string::npos) << err;
    at += std::string("enrollment listener on ").size();
    enrollment = err.substr(at, err.find(' ', at) - at);
  }
  testing::WriteFileOrDie(tmp.File("p12-password"), "nieuw-wachtwoord\n");
  Result enroll = RunCommand({Bin("schakel"), "enroll", "--server", enrollment, "--ca",
                              dir + "/ca/ca.pem", "--code", code, "--out", out_dir,
                              "--p12-password-file", tmp.File("p12-password")});
  ASSERT_EQ(enroll.exit_code, 0) << enroll.err;
  Result approve = RunCommand({Bin("schakel-admin"), "grant", "approve", grant, "--server",
                               daemon.address(), "--identity", dir + "/users/admin2"});
  ASSERT_EQ(approve.exit_code, 0) << approve.err;
  EXPECT_EQ(approve.out, "grant " + grant + " approved\n");
  Result me = RunCommand({Bin("schakel"), "--server", daemon.address(), "--identity", out_dir, "whoami"});
  ASSERT_EQ(me.exit_code, 0) << me.err;
  EXPECT_THAT(me.out, HasSubstr("woej"));
  EXPECT_THAT(me.out, HasSubstr("ggz, partner"));

  // Revoke it with the CLI: refused on the next call, as one line on stderr.
  std::string serial;
  for (absl::string_view line : absl::StrSplit(me.out, '\n')) {
    if (absl::StartsWith(line, "certificate")) {
      std::vector<std::string> parts = absl::StrSplit(line, ' ', absl::SkipEmpty());
      serial = parts[1];
      serial.pop_back();  // trailing comma
    }
  }
  ASSERT_FALSE(serial.empty()) << me.out;
  Result revoke = RunCommand({Bin("schakel-admin"), "cert", "revoke", "--serial", serial, "--server",
                       daemon.address(), "--identity", dir + "/users/admin"});
  ASSERT_EQ(revoke.exit_code, 0) << revoke.err;
  Result denied =
      RunCommand({Bin("schakel"), "--server", daemon.address(), "--identity", out_dir, "whoami"});
  EXPECT_NE(denied.exit_code, 0);
  EXPECT_THAT(denied.err, StartsWith("schakel: UNAUTHENTICATED: "));
  EXPECT_EQ(std::count(denied.err.begin(), denied.err.end(), '\n'), 1) << denied.err;

  // A partner may not manage professionals.
  Result not_admin = RunCommand({Bin("schakel-admin"), "user", "disable", "pxyzaaaaaaaaaaaaa", "--server",
                          daemon.address(), "--identity", dir + "/users/partner-woej"});
  EXPECT_NE(not_admin.exit_code, 0);
  EXPECT_THAT(not_admin.err, StartsWith("schakel-admin: PERMISSION_DENIED: "));

  // SIGTERM shuts down in order.
  EXPECT_EQ(daemon.Stop(), 0) << daemon.Stderr();
  EXPECT_THAT(daemon.Stderr(), HasSubstr("stopped"));
}

TEST(EndToEndTest, ErrorsAreOneLineAndNonZero) {
  TempDir tmp;
  struct Case {
    std::vector<std::string> argv;
    const char* prefix;
  };
  const Case cases[] = {
      {{Bin("schakel"), "--bogus", "whoami"}, "schakel: INVALID_ARGUMENT: unknown flag --bogus"},
      {{Bin("schakel"), "frobnicate"}, "schakel: INVALID_ARGUMENT: unknown command"},
      {{Bin("schakel"), "--identity", tmp.File("none"), "whoami"},
       "schakel: NOT_FOUND: identity: cannot read"},
      {{Bin("schakel-admin"), "cert", "revoke"}, "schakel-admin: INVALID_ARGUMENT: "},
      {{Bin("schakeld"), "--deployment", tmp.File("none")}, "schakeld: cannot start: no deployment"},
  };
  for (const Case& c : cases) {
    Result r = RunCommand(c.argv);
    EXPECT_NE(r.exit_code, 0) << c.argv[1];
    EXPECT_THAT(r.err, StartsWith(c.prefix));
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

TEST(EndToEndTest, UnreachableServerIsOneLine) {
  TempDir tmp;
  std::string dir = tmp.File("demo");
  ASSERT_EQ(RunCommand({Bin("schakel-admin"), "init", dir, "--demo"}).exit_code, 0);
  // Port 1 on loopback: nothing listens there.
  Result r = RunCommand({Bin("schakel"), "--server", "127.0.0.1:1", "--identity",
                  dir + "/users/regisseur", "whoami"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, StartsWith("schakel: UNAVAILABLE: "));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

}  // namespace
}  // namespace schakel
