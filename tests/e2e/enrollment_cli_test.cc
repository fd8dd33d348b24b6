// Enrollment, dual control and renewal with the real binaries: schakel-admin
// registers, the professional enrolls with `schakel enroll` (their own key),
// a second administrator approves, the auditor lists the grants, and the
// professional renews their certificate.
#include <sys/stat.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/directory.pb.h"
#include "schakel/v1/grants.pb.h"
#include "schakel/v1/signals.pb.h"
#include "server/common/files.h"
#include "server/store/directory_store.h"
#include "tests/support/cli_support.h"
#include "tests/support/deployment_support.h"
#include "tests/support/pkcs12_support.h"
#include "tests/support/process.h"

namespace schakel::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::StartsWith;

class EnrollmentCliTest : public DemoCliTest {
 protected:
  // `schakel-admin user add`, checked to print exactly its two lines.
  bool UserAdd(const std::vector<std::string>& flags, std::string* grant, std::string* code) {
    std::vector<std::string> args = {"user", "add"};
    args.insert(args.end(), flags.begin(), flags.end());
    Result add = Admin("admin", args);
    EXPECT_EQ(add.exit_code, 0) << add.err;
    EXPECT_EQ(add.err, "");
    std::vector<std::string> lines = absl::StrSplit(add.out, '\n');
    EXPECT_EQ(lines.size(), 3u) << add.out;  // two lines and the empty rest
    if (lines.size() != 3 || !lines[2].empty()) return false;
    EXPECT_THAT(lines[0], MatchesRegex("grant g[a-z0-9-]+ pending"));
    EXPECT_THAT(lines[1], MatchesRegex("enrollment-code [0-9A-Z]{4}(-[0-9A-Z]{4}){7}"));
    *grant = lines[0].substr(6, lines[0].size() - 6 - 8);
    *code = lines[1].substr(16);
    return true;
  }

  Result Enroll(const std::string& code, const std::string& out) {
    WriteFileOrDie(tmp_.File("p12"), "een-lang-wachtwoord\n");
    return RunCommand({Bin("schakel"), "enroll", "--server", EnrollmentAddress(), "--ca",
                       dir_ + "/ca/ca.pem", "--code", code, "--out", out,
                       "--p12-password-file", tmp_.File("p12")});
  }
};

TEST_F(EnrollmentCliTest, RegisterEnrollApproveAndReadWithTheRealBinaries) {
  ASSERT_FALSE(EnrollmentAddress().empty()) << daemon_->Stderr();
  const std::string health = Create("ggz", {"signal", "create", "--category", "JO-VE-PLUS",
                                            "--wijk", "prinsenhof", "--place", "Consultatiebureau",
                                            "--description", "Zorg om ontwikkeling"});
  ASSERT_FALSE(health.empty());
  std::string grant, code;
  ASSERT_TRUE(UserAdd({"--org", "ggz-rivierduinen", "--name", "Nieuwe GGZ", "--role", "ggz"},
                      &grant, &code));

  Result enrolled = Enroll(code, Identity("nieuw"));
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.err;
  EXPECT_THAT(enrolled.out, StartsWith("enrolled professional "));
  for (const char* f : {"cert.pem", "key.pem", "ca.pem", "identity.p12"}) {
    struct stat st;
    ASSERT_EQ(::stat((Identity("nieuw") + "/" + f).c_str(), &st), 0) << f;
    EXPECT_EQ(st.st_mode & 077, 0u) << f << " is readable by others";
  }
  // The password given is the one of identity.p12, and is not copied.
  ExpectIdentityP12(Identity("nieuw"), tmp_.File("p12"));
  EXPECT_FALSE(PathExists(Identity("nieuw") + "/p12-password"));
  EXPECT_THAT(enrolled.out, HasSubstr("for your browser: import " + Identity("nieuw") +
                                      "/identity.p12; its password is in " + tmp_.File("p12")));

  // Authenticated, roles pending: reads NOT_FOUND, writes PERMISSION_DENIED.
  Result who = Cli("nieuw", {"whoami"});
  ASSERT_EQ(who.exit_code, 0) << who.err;
  EXPECT_THAT(who.out, HasSubstr("ggz (await a second administrator's approval)"));
  EXPECT_THAT(Cli("nieuw", {"signal", "show", health}), FailsWith("NOT_FOUND", HasSubstr("")));
  EXPECT_THAT(Cli("nieuw", {"signal", "create", "--category", "JO-VE-PLUS", "--wijk", "prinsenhof",
                            "--place", "X", "--description", "Y"}),
              FailsWith("PERMISSION_DENIED", HasSubstr("second administrator")));

  // Pending grants for the admins; the requester cannot approve.
  Result pending = Admin("admin2", {"grant", "list", "--pending"});
  ASSERT_EQ(pending.exit_code, 0) << pending.err;
  EXPECT_THAT(pending.out, HasSubstr(grant));
  EXPECT_THAT(pending.out, HasSubstr("ggz-rivierduinen"));
  Result self = Admin("admin", {"grant", "approve", grant});
  EXPECT_NE(self.exit_code, 0);
  EXPECT_THAT(self.err, StartsWith("schakel-admin: PERMISSION_DENIED: "));
  EXPECT_THAT(self.err, HasSubstr("dual control"));
  Result approved = Admin("admin2", {"grant", "approve", grant});
  ASSERT_EQ(approved.exit_code, 0) << approved.err;
  EXPECT_EQ(approved.out, "grant " + grant + " approved\n");
  EXPECT_THAT(Admin("admin2", {"grant", "list", "--pending"}).out, Not(HasSubstr(grant)));

  Result read = Cli("nieuw", {"signal", "show", health});
  ASSERT_EQ(read.exit_code, 0) << read.err;
  EXPECT_THAT(read.out, HasSubstr("Zorg om ontwikkeling"));

  // The code was used: a second enrollment with it is refused and writes
  // nothing.
  Result reused = Enroll(code, tmp_.File("tweede"));
  EXPECT_THAT(reused, FailsWith("FAILED_PRECONDITION", HasSubstr("used already")));
  EXPECT_FALSE(absl::StrContains(daemon_->Stderr(), code));

  // The auditor's listing, with the quick approval flagged.
  const std::string id = ProfessionalId("nieuw");
  Result grants = Cli("auditor", {"audit", "grants", "--professional", id});
  ASSERT_EQ(grants.exit_code, 0) << grants.err;
  EXPECT_THAT(grants.out, HasSubstr(grant));
  EXPECT_THAT(grants.out, HasSubstr("approved"));
  EXPECT_THAT(grants.out, HasSubstr("quick_approval"));
  EXPECT_THAT(grants.out, HasSubstr("read_soon_after_grant"));
  EXPECT_THAT(Cli("admin", {"audit", "grants"}), FailsWith("PERMISSION_DENIED", HasSubstr("")));

  // A refusal needs a reason.
  std::string other_grant, other_code;
  ASSERT_TRUE(UserAdd({"--org", "woej", "--name", "Onbekend", "--role", "partner"}, &other_grant,
                      &other_code));
  Result no_reason = Admin("admin2", {"grant", "refuse", other_grant});
  EXPECT_NE(no_reason.exit_code, 0);
  EXPECT_THAT(no_reason.err, HasSubstr("--reason"));
  Result refused = Admin("admin2", {"grant", "refuse", other_grant, "--reason", "onbekend"});
  ASSERT_EQ(refused.exit_code, 0) << refused.err;
  EXPECT_EQ(refused.out, "grant " + other_grant + " refused\n");
}

// `openssl pkcs12` stands in for the browser: it must open identity.p12 with
// p12-password (and only with it), and find the modern algorithms NSS and
// OpenSSL 3 import without a legacy provider.
void ExpectOpensslOpens(const std::string& dir) {
  const std::string p12 = dir + "/identity.p12";
  Result opened = RunCommand({"/usr/bin/openssl", "pkcs12", "-in", p12, "-passin",
                              "file:" + dir + "/p12-password", "-noout", "-info"});
  EXPECT_EQ(opened.exit_code, 0) << dir << ": " << opened.err;
  EXPECT_THAT(opened.err, HasSubstr("MAC: sha256, Iteration 2048"));
  EXPECT_THAT(opened.err, HasSubstr("Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration "
                                    "2048, PRF hmacWithSHA256"));
  EXPECT_THAT(opened.err, HasSubstr("PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, "
                                    "Iteration 2048, PRF hmacWithSHA256"));
  Result wrong = RunCommand({"/usr/bin/openssl", "pkcs12", "-in", p12, "-passin",
                             "pass:not-the-password", "-noout"});
  EXPECT_NE(wrong.exit_code, 0) << dir;
}

// Without --p12-password-file, enroll makes a random password and writes it
// beside identity.p12, and says where both are.
TEST_F(EnrollmentCliTest, EnrollWithoutAPasswordFileWritesP12PasswordBesideIdentityP12) {
  ASSERT_FALSE(EnrollmentAddress().empty()) << daemon_->Stderr();
  std::string grant, code;
  ASSERT_TRUE(UserAdd({"--org", "woej", "--name", "Browser", "--role", "partner"}, &grant, &code));
  const std::string out = Identity("browser");
  Result enrolled = RunCommand({Bin("schakel"), "enroll", "--server", EnrollmentAddress(), "--ca",
                                dir_ + "/ca/ca.pem", "--code", code, "--out", out});
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.err;
  EXPECT_THAT(enrolled.out, HasSubstr("for your browser: import " + out +
                                      "/identity.p12; its password is in " + out +
                                      "/p12-password\n"));
  ExpectIdentityP12(out, out + "/p12-password");
  ExpectOpensslOpens(out);
  Result who = Cli("browser", {"whoami"});
  EXPECT_EQ(who.exit_code, 0) << who.err;
}

// `schakel-admin init --demo` (the binary, with its umask) writes the same
// two files for every demo identity.
TEST_F(EnrollmentCliTest, DemoIdentityP12OpensWithTheOpensslCommand) {
  for (const char* user : {"regisseur", "admin", "partner-woej"}) {
    ExpectIdentityP12(Identity(user), Identity(user) + "/p12-password");
    ExpectOpensslOpens(Identity(user));
  }
}

TEST_F(EnrollmentCliTest, RenewalMakesANewKeyAndRevokesTheOldCertificate) {
  ASSERT_FALSE(AddApprovedProfessional("renewer", "woej", {"partner"}).empty());
  Result before = Cli("renewer", {"whoami"});
  ASSERT_EQ(before.exit_code, 0) << before.err;
  WriteFileOrDie(tmp_.File("p12"), "een-lang-wachtwoord\n");
  const std::string fresh = tmp_.File("renewed");
  Result renew = Cli("renewer", {"cert", "renew", "--out", fresh, "--p12-password-file",
                                 tmp_.File("p12")});
  ASSERT_EQ(renew.exit_code, 0) << renew.err;
  EXPECT_THAT(renew.out, HasSubstr("the old certificate is revoked"));
  ExpectIdentityP12(fresh, tmp_.File("p12"));
  EXPECT_NE(ReadFileOrDie(fresh + "/key.pem"), ReadFileOrDie(Identity("renewer") + "/key.pem"));
  EXPECT_THAT(Cli("renewer", {"whoami"}), FailsWith("UNAUTHENTICATED", HasSubstr("revoked")));
  Result after = RunCommand({Bin("schakel"), "--server", daemon_->address(), "--identity", fresh,
                             "whoami"});
  EXPECT_EQ(after.exit_code, 0) << after.err;
  // Renewal into a directory that holds an identity is refused.
  EXPECT_THAT(RunCommand({Bin("schakel"), "--server", daemon_->address(), "--identity", fresh,
                          "cert", "renew", "--out", fresh, "--p12-password-file",
                          tmp_.File("p12")}),
              FailsWith("ALREADY_EXISTS", HasSubstr("--out")));
}

}  // namespace
}  // namespace schakel::testing

namespace schakel::testing {
namespace {

// A real (non-demo) deployment from its first day: init makes no key and
// prints the first two administrators' codes; each enrolls, and the first
// registers a professional whom only the second can approve.
TEST(ProductionBootstrapTest, TheFirstTwoAdminsEnrollAndDualControlHoldsFromTheStart) {
  TempDir tmp;
  const std::string dir = tmp.File("prod");
  const std::string kek = tmp.File("kek");
  WriteFileOrDie(kek, "a long enough production passphrase\n");
  ::chmod(kek.c_str(), 0600);
  Result init = RunCommand({Bin("schakel-admin"), "init", dir, "--kek-file", kek});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  EXPECT_THAT(init.out, Not(HasSubstr("demo")));
  std::vector<std::pair<std::string, std::string>> codes;  // name, code
  for (absl::string_view line : absl::StrSplit(init.out, '\n', absl::SkipEmpty())) {
    std::vector<std::string> words = absl::StrSplit(line, ' ');
    if (words.size() == 4 && words[0] == "enrollment-code") codes.emplace_back(words[1], words[3]);
  }
  ASSERT_EQ(codes.size(), 2u) << init.out;
  EXPECT_EQ(codes[0].first, "admin");
  EXPECT_EQ(codes[1].first, "admin2");
  struct stat st;
  EXPECT_NE(::stat((dir + "/users/admin/key.pem").c_str(), &st), 0) << "init made a key";

  Daemon daemon(dir);
  ASSERT_FALSE(daemon.address().empty()) << daemon.Stderr();
  const std::string err = daemon.Stderr();
  const std::string marker = "enrollment listener on ";
  size_t at = err.find(marker);
  ASSERT_NE(at, std::string::npos) << err;
  at += marker.size();
  const std::string enrollment = err.substr(at, err.find(' ', at) - at);
  WriteFileOrDie(tmp.File("p12"), "een-lang-wachtwoord\n");
  for (const auto& [name, code] : codes) {
    Result enrolled = RunCommand({Bin("schakel"), "enroll", "--server", enrollment, "--ca",
                                  dir + "/ca/ca.pem", "--code", code, "--out", tmp.File(name),
                                  "--p12-password-file", tmp.File("p12")});
    ASSERT_EQ(enrolled.exit_code, 0) << enrolled.err;
  }
  auto admin = [&](const std::string& who, std::vector<std::string> args) {
    std::vector<std::string> argv = {Bin("schakel-admin")};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--server", daemon.address(), "--identity", tmp.File(who)});
    return RunCommand(argv);
  };
  Result add = admin("admin", {"user", "add", "--org", "woej", "--name", "Eerste", "--role",
                               "partner"});
  ASSERT_EQ(add.exit_code, 0) << add.err;
  const std::string grant = add.out.substr(6, add.out.find(" pending") - 6);
  EXPECT_THAT(admin("admin", {"grant", "approve", grant}).err, HasSubstr("PERMISSION_DENIED"));
  Result approved = admin("admin2", {"grant", "approve", grant});
  EXPECT_EQ(approved.exit_code, 0) << approved.err;
  EXPECT_EQ(daemon.Stop(), 0) << daemon.Stderr();
}

}  // namespace
}  // namespace schakel::testing

namespace schakel::testing {
namespace {

// A certificate in its last 30 days: `whoami` tells its holder to renew,
// and the server log says so too (once a day per certificate).
TEST(ExpiryWarningTest, WhoAmIAndTheServerLogWarnThirtyDaysBeforeTheEnd) {
  TempDir tmp;
  std::unique_ptr<deployment::Paths> paths = InitDemoDeployment(tmp);
  const std::string id_dir = tmp.File("expiring");
  {
    auto db = deployment::OpenDatabase(*paths, DemoKek(*paths));
    ASSERT_THAT(db, IsOk());
    store::SqliteDirectoryStore directory(db->get());
    const absl::Time now = absl::Now();
    Identity id = RegisterProfessional(**db, LoadCa(*paths), "pexpiringaaaaaaaa", "woej",
                                       {domain::Role::kPartner}, now - absl::Hours(1),
                                       now + absl::Hours(24 * 10));
    ASSERT_EQ(::mkdir(id_dir.c_str(), 0700), 0);
    WriteFileOrDie(id_dir + "/cert.pem", id.cert_pem);
    WriteFileOrDie(id_dir + "/key.pem", id.key_pem);
    WriteFileOrDie(id_dir + "/ca.pem", id.ca_pem);
  }
  Daemon daemon(paths->dir);
  ASSERT_FALSE(daemon.address().empty()) << daemon.Stderr();
  for (int i = 0; i < 2; ++i) {
    Result who = RunCommand(
        {Bin("schakel"), "--server", daemon.address(), "--identity", id_dir, "whoami"});
    ASSERT_EQ(who.exit_code, 0) << who.err;
    EXPECT_THAT(who.out, HasSubstr("renew it now with `schakel cert renew --out DIR`"));
  }
  Result fresh = RunCommand({Bin("schakel"), "--server", daemon.address(), "--identity",
                             paths->UserDir("regisseur"), "whoami"});
  EXPECT_THAT(fresh.out, Not(HasSubstr("renew")));
  EXPECT_EQ(daemon.Stop(), 0);
  const std::string log = daemon.Stderr();
  const std::string line = "of professional pexpiringaaaaaaaa ends on";
  ASSERT_NE(log.find(line), std::string::npos) << log;
  EXPECT_EQ(log.find(line), log.rfind(line)) << "warned more than once a day";
}

}  // namespace
}  // namespace schakel::testing
