#include "tests/support/cli_support.h"

#include <google/protobuf/util/json_util.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/directory.pb.h"
#include "tests/support/process.h"

namespace schakel::testing {

void PrintTo(const Result& r, std::ostream* os) {
  *os << "exit code " << r.exit_code << ", stdout \"" << r.out << "\", stderr \"" << r.err
      << "\"";
}

Result RunOnTerminal(const std::vector<std::string>& argv, const std::string& input) {
  Result result;
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  int master = -1;
  pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
  if (pid < 0) {
    result.err = "forkpty failed";
    return result;
  }
  if (pid == 0) {
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  if (!input.empty()) {
    ::usleep(300 * 1000);
    ssize_t written = ::write(master, input.data(), input.size());
    (void)written;
  }
  char buf[4096];
  while (true) {
    pollfd p = {master, POLLIN, 0};
    if (::poll(&p, 1, 30000) <= 0) break;
    ssize_t n = ::read(master, buf, sizeof buf);
    if (n <= 0) break;  // EIO once the child closed the terminal
    result.out.append(buf, static_cast<size_t>(n));
  }
  ::close(master);
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

size_t ColumnsOf(const std::string& text) {
  size_t columns = 0;
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t length = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
    uint32_t cp = c;
    if (length == 3) {
      cp = ((c & 0x0f) << 12) | ((static_cast<unsigned char>(text[i + 1]) & 0x3f) << 6) |
           (static_cast<unsigned char>(text[i + 2]) & 0x3f);
    }
    columns += cp >= 0x4e00 && cp <= 0x9fff ? 2 : 1;
    i += length;
  }
  return columns;
}

void DemoCliTest::SetUp() {
  dir_ = tmp_.File("demo");
  Result init = RunCommand({Bin("schakel-admin"), "init", dir_, "--demo"});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  daemon_ = std::make_unique<Daemon>(dir_);
  ASSERT_FALSE(daemon_->address().empty()) << daemon_->banner() << daemon_->Stderr();
}

void DemoCliTest::TearDown() {
  if (daemon_ != nullptr) {
    EXPECT_EQ(daemon_->Stop(), 0) << daemon_->Stderr();
  }
}

std::string DemoCliTest::EnrollmentAddress() const {
  const std::string err = daemon_->Stderr();
  const std::string marker = "enrollment listener on ";
  size_t at = err.find(marker);
  if (at == std::string::npos) return "";
  at += marker.size();
  return err.substr(at, err.find(' ', at) - at);
}

Result DemoCliTest::Admin(const std::string& admin, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {Bin("schakel-admin")};
  argv.insert(argv.end(), args.begin(), args.end());
  for (const std::string& a : {std::string("--server"), daemon_->address(),
                               std::string("--identity"), Identity(admin)}) {
    argv.push_back(a);
  }
  return RunCommand(argv);
}

std::string DemoCliTest::AddApprovedProfessional(const std::string& user, const std::string& org,
                                                 const std::vector<std::string>& roles,
                                                 const std::string& name,
                                                 const std::string& team) {
  std::vector<std::string> args = {"user", "add", "--org", org, "--name",
                                   name.empty() ? "Nieuwe " + user : name};
  if (!team.empty()) {
    args.push_back("--team");
    args.push_back(team);
  }
  for (const std::string& r : roles) {
    args.push_back("--role");
    args.push_back(r);
  }
  Result add = Admin("admin", args);
  EXPECT_EQ(add.exit_code, 0) << add.err;
  std::vector<std::string> lines = absl::StrSplit(add.out, '\n', absl::SkipEmpty());
  if (lines.size() != 2 || !absl::StartsWith(lines[0], "grant ") ||
      !absl::EndsWith(lines[0], " pending") || !absl::StartsWith(lines[1], "enrollment-code ")) {
    ADD_FAILURE() << "user add printed: " << add.out;
    return "";
  }
  const std::string grant = lines[0].substr(6, lines[0].size() - 6 - 8);
  const std::string code = lines[1].substr(16);
  const std::string password = tmp_.File("p12-password");
  WriteFileOrDie(password, "demo-wachtwoord\n");
  Result enroll = RunCommand({Bin("schakel"), "enroll", "--server", EnrollmentAddress(), "--ca",
                              dir_ + "/ca/ca.pem", "--code", code, "--out", Identity(user),
                              "--p12-password-file", password});
  EXPECT_EQ(enroll.exit_code, 0) << enroll.err;
  Result approve = Admin("admin2", {"grant", "approve", grant});
  EXPECT_EQ(approve.exit_code, 0) << approve.err;
  return enroll.exit_code == 0 && approve.exit_code == 0 ? grant : "";
}

std::string DemoCliTest::Identity(const std::string& user) const {
  return absl::StrCat(dir_, "/users/", user);
}

Result DemoCliTest::Cli(const std::string& user, const std::vector<std::string>& args, bool json,
                        const std::string& purpose) {
  std::vector<std::string> argv = {Bin("schakel"), "--server", daemon_->address(), "--identity",
                                   Identity(user)};
  if (!purpose.empty()) {
    argv.push_back("--purpose");
    argv.push_back(purpose);
  }
  if (json) argv.push_back("--json");
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv);
}

std::string DemoCliTest::Create(const std::string& user, const std::vector<std::string>& args) {
  Result r = Cli(user, args);
  EXPECT_EQ(r.exit_code, 0) << absl::StrJoin(args, " ") << ": " << r.err;
  EXPECT_THAT(r.err, ::testing::IsEmpty());
  std::string id(absl::StripTrailingAsciiWhitespace(r.out));
  bool one_token = !id.empty() && r.out == id + "\n" &&
                   std::none_of(id.begin(), id.end(), [](char c) {
                     return absl::ascii_isspace(static_cast<unsigned char>(c));
                   });
  EXPECT_TRUE(one_token) << "expected the new id alone on one line, got: \"" << r.out << "\"";
  return r.exit_code == 0 && one_token ? id : "";
}

bool DemoCliTest::ParseJson(const Result& r, const std::string& what,
                            google::protobuf::Message* out) {
  EXPECT_EQ(r.exit_code, 0) << what << ": " << r.err;
  EXPECT_THAT(r.err, ::testing::IsEmpty()) << what;
  if (r.exit_code != 0) return false;
  auto parsed = google::protobuf::util::JsonStringToMessage(r.out, out);
  EXPECT_TRUE(parsed.ok()) << what << ": " << parsed.ToString() << "\n" << r.out;
  return parsed.ok();
}

bool DemoCliTest::Json(const std::string& user, const std::vector<std::string>& args,
                       google::protobuf::Message* out) {
  return ParseJson(Cli(user, args, /*json=*/true), absl::StrJoin(args, " "), out);
}

std::string DemoCliTest::ProfessionalId(const std::string& user) {
  v1::WhoAmIResponse me;
  if (!Json(user, {"whoami"}, &me)) return "";
  return me.professional().id();
}

std::string DemoCliTest::RegisterResident(const std::string& user, const std::string& name,
                                          const std::string& birth_date,
                                          const std::string& address) {
  return Create(user, {"resident", "register", "--name", name, "--birth-date", birth_date,
                       "--address", address, "--wijk", "prinsenhof"});
}

}  // namespace schakel::testing
