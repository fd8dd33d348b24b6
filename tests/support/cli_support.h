// Shared helpers of the end-to-end CLI tests: a demo deployment served by
// schakeld, the `schakel` CLI run as its professionals, and a matcher for the
// CLI's one-line failures.
#ifndef SCHAKEL_TESTS_SUPPORT_CLI_SUPPORT_H_
#define SCHAKEL_TESTS_SUPPORT_CLI_SUPPORT_H_

#include <google/protobuf/message.h>

#include <algorithm>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/process.h"
#include "tests/support/test_support.h"

namespace schakel::testing {

// How gtest prints a Result in a failure message (found by ADL).
void PrintTo(const Result& r, std::ostream* os);

// The CLI failed as designed: a non-zero exit code, nothing on stdout and
// exactly one line on stderr, "schakel: CODE: message", with the message
// matching `message_matcher`.
MATCHER_P2(FailsWith, code, message_matcher,
           absl::StrCat("fails with one line \"schakel: ", code, ": \" and a message that ",
                        ::testing::DescribeMatcher<std::string>(message_matcher))) {
  const Result& r = arg;
  const std::string prefix = absl::StrCat("schakel: ", code, ": ");
  if (r.exit_code == 0) {
    *result_listener << "exit code 0";
    return false;
  }
  if (!r.out.empty()) {
    *result_listener << "stdout is not empty";
    return false;
  }
  if (std::count(r.err.begin(), r.err.end(), '\n') != 1 || !absl::EndsWith(r.err, "\n")) {
    *result_listener << "stderr is not exactly one line";
    return false;
  }
  if (!absl::StartsWith(r.err, prefix)) {
    *result_listener << "stderr does not start with \"" << prefix << "\"";
    return false;
  }
  std::string message = r.err.substr(prefix.size(), r.err.size() - prefix.size() - 1);
  *result_listener << "message \"" << message << "\" ";
  return ::testing::ExplainMatchResult(message_matcher, message, result_listener);
}

// Runs argv to completion with a pseudo-terminal as its stdin, stdout and
// stderr, as a user at a terminal runs it, typing `input` (after a short
// pause, so a prompt is up). Everything written to the terminal, stdout
// and stderr together (and the echoed input), is in `out`; `err` is empty.
Result RunOnTerminal(const std::vector<std::string>& argv, const std::string& input = "");

// Columns a test expects `text` to take on a terminal: one per code point,
// two for the CJK ideographs (U+4E00..U+9FFF) the tests use.
size_t ColumnsOf(const std::string& text);

// A demo deployment (`schakel-admin init DIR --demo`) served by schakeld, and
// the CLI as its professionals. Test files derive their own fixture from it.
class DemoCliTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // The identity directory of a demo user, or of one added by a test.
  std::string Identity(const std::string& user) const;

  // `schakel --server ADDRESS --identity DIR/users/USER [--purpose P] [--json]
  // ARGS...`.
  Result Cli(const std::string& user, const std::vector<std::string>& args, bool json = false,
             const std::string& purpose = "");

  // A creating command in plain mode: it must succeed and print the new id
  // alone on one line. Returns the id, or "" after recording a failure.
  std::string Create(const std::string& user, const std::vector<std::string>& args);

  // `out` parsed from the output of a successful --json run; false after
  // recording a failure.
  static bool ParseJson(const Result& r, const std::string& what,
                        google::protobuf::Message* out);

  // A command with --json that must succeed; its output parsed into `out`.
  // Returns false after recording a failure.
  bool Json(const std::string& user, const std::vector<std::string>& args,
            google::protobuf::Message* out);

  // The professional id of a user, from `schakel whoami --json`; "" after
  // recording a failure.
  std::string ProfessionalId(const std::string& user);

  // The address of the daemon's enrollment listener (from its log).
  std::string EnrollmentAddress() const;

  // The whole flow of a new professional with the real binaries: the demo
  // `admin` runs `schakel-admin user add` (a pending grant and a code), the
  // professional runs `schakel enroll` into users/USER (their own key), and
  // `admin2` approves. The professional works in `team` (empty: the
  // organisation's intake team). The grant id, or "" after recording a
  // failure.
  std::string AddApprovedProfessional(const std::string& user, const std::string& org,
                                      const std::vector<std::string>& roles,
                                      const std::string& name = "", const std::string& team = "");

  // `schakel-admin ARGS... --server ADDRESS --identity users/ADMIN`.
  Result Admin(const std::string& admin, const std::vector<std::string>& args);

  // `resident register` as `user`, in wijk prinsenhof; the new id or "".
  std::string RegisterResident(const std::string& user, const std::string& name,
                               const std::string& birth_date,
                               const std::string& address = "Prinsenhoflaan 12");

  TempDir tmp_;
  std::string dir_;
  std::unique_ptr<Daemon> daemon_;
};

}  // namespace schakel::testing

#endif  // SCHAKEL_TESTS_SUPPORT_CLI_SUPPORT_H_
