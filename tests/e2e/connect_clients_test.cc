// The HTTPS port with clients nobody here wrote: curl, and a Python script on
// the standard library only (connect_client.py). Both speak the Connect
// protocol's unary JSON form to the real schakeld on a demo deployment, with
// the demo professionals' certificates.
#include <google/protobuf/util/json_util.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "schakel/v1/directory.pb.h"
#include "schakel/v1/signals.pb.h"
#include "tests/support/cli_support.h"
#include "tests/support/process.h"

namespace schakel::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kCurl[] = "/usr/bin/curl";
constexpr char kPython[] = "/usr/bin/python3";
// A signal id of the right form (s and 16 characters of base32) never issued.
constexpr char kUnknownSignal[] = "saaaaaaaaaaaaaaaa";

// An HTTP answer: the status curl reports and the body before it.
struct Answer {
  int exit_code = -1;
  int http_status = 0;
  std::string body;
  std::string err;
};

class ConnectClientsTest : public DemoCliTest {
 protected:
  void SetUp() override {
    // deploy/install-deps.sh installs both: a missing one is a failure,
    // not a reason to skip.
    for (const char* program : {kCurl, kPython}) {
      ASSERT_EQ(::access(program, X_OK), 0) << program << " is not installed";
    }
    DemoCliTest::SetUp();
    if (HasFatalFailure()) return;
    // The demo configuration opens an HTTPS port; on a free one beside the
    // free gRPC port.
    ASSERT_FALSE(daemon_->web_address().empty()) << daemon_->banner() << daemon_->Stderr();
  }

  std::string Url(const std::string& method) const {
    return absl::StrCat("https://", daemon_->web_address(), "/schakel.v1.", method);
  }

  // curl -d BODY as `user` (no certificate when `user` is empty).
  Answer Curl(const std::string& user, const std::string& method, const std::string& body) {
    std::vector<std::string> argv = {kCurl, "-sS", "--max-time", "20", "-H",
                                     "Content-Type: application/json", "-w", "\n%{http_code}",
                                     "-d", body};
    const std::string id = Identity(user.empty() ? "regisseur" : user);
    argv.insert(argv.end(), {"--cacert", absl::StrCat(id, "/ca.pem")});
    if (!user.empty()) {
      argv.insert(argv.end(), {"--cert", absl::StrCat(id, "/cert.pem"), "--key",
                               absl::StrCat(id, "/key.pem")});
    }
    argv.push_back(Url(method));
    Result r = RunCommand(argv);
    Answer a;
    a.exit_code = r.exit_code;
    a.err = r.err;
    size_t nl = r.out.rfind('\n');
    if (nl == std::string::npos) return a;
    a.body = r.out.substr(0, nl);
    a.http_status = std::atoi(r.out.c_str() + nl + 1);
    return a;
  }

  // A successful call whose JSON answer parses into `out`.
  bool CurlOk(const std::string& user, const std::string& method, const std::string& body,
              google::protobuf::Message* out) {
    Answer a = Curl(user, method, body);
    EXPECT_EQ(a.exit_code, 0) << a.err;
    EXPECT_EQ(a.http_status, 200) << a.body;
    if (a.exit_code != 0 || a.http_status != 200) return false;
    auto s = google::protobuf::util::JsonStringToMessage(a.body, out);
    EXPECT_TRUE(s.ok()) << s.message() << ": " << a.body;
    return s.ok();
  }
};

TEST_F(ConnectClientsTest, CurlWorksTheSignalStory) {
  v1::WhoAmIResponse me;
  ASSERT_TRUE(CurlOk("regisseur", "DirectoryService/WhoAmI", "{}", &me));
  EXPECT_EQ(me.professional().id(), ProfessionalId("regisseur"));
  EXPECT_FALSE(me.professional().id().empty());

  const std::string create =
      R"({"requestId":"curl-create-0001","category":"FZ-SCHULDEN","wijk":"prinsenhof",)"
      R"("place":"Winkelcentrum","description":"gezien door curl"})";
  v1::Signal created;
  ASSERT_TRUE(CurlOk("regisseur", "SignalService/CreateSignal", create, &created));
  ASSERT_FALSE(created.id().empty());
  EXPECT_EQ(created.category(), "FZ-SCHULDEN");
  EXPECT_EQ(created.place(), "Winkelcentrum");

  v1::Signal retried;
  ASSERT_TRUE(CurlOk("regisseur", "SignalService/CreateSignal", create, &retried));
  EXPECT_EQ(retried.id(), created.id());

  v1::Signal got;
  ASSERT_TRUE(CurlOk("regisseur", "SignalService/GetSignal",
                     absl::StrCat(R"({"id":")", created.id(), R"("})"), &got));
  EXPECT_EQ(got.id(), created.id());
  EXPECT_EQ(got.description(), "gezien door curl");

  v1::ListSignalsResponse list;
  ASSERT_TRUE(CurlOk("regisseur", "SignalService/ListSignals", R"({"pageSize":100})", &list));
  int found = 0;
  for (const v1::Signal& s : list.signals()) found += s.id() == created.id();
  EXPECT_EQ(found, 1) << "the retry must not have made a second signal";

  // The same signal through the gRPC port: one API, two transports.
  Result shown = Cli("regisseur", {"signal", "show", created.id()});
  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("Winkelcentrum"));
}

TEST_F(ConnectClientsTest, CurlGetsTheConnectErrorOfAnUnknownSignal) {
  Answer a = Curl("regisseur", "SignalService/GetSignal",
                  absl::StrCat(R"({"id":")", kUnknownSignal, R"("})"));
  EXPECT_EQ(a.exit_code, 0) << a.err;  // without --fail curl prints the answer
  EXPECT_EQ(a.http_status, 404) << a.body;
  EXPECT_THAT(a.body, HasSubstr(R"("code":"not_found")"));
  EXPECT_THAT(a.body, HasSubstr(R"("message":")"));
}

TEST_F(ConnectClientsTest, CurlWithoutACertificateFailsTheHandshake) {
  Answer a = Curl("", "DirectoryService/WhoAmI", "{}");
  EXPECT_NE(a.exit_code, 0) << a.body;
  EXPECT_NE(a.http_status, 200);
  EXPECT_THAT(a.body, Not(HasSubstr("professional")));
}

TEST_F(ConnectClientsTest, PythonStandardLibraryClientWorksTheSignalStory) {
  Result r = RunCommand({kPython, SCHAKEL_CONNECT_CLIENT_PY,
                         absl::StrCat("https://", daemon_->web_address(), "/"),
                         Identity("regisseur")});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  // One line per step: {"step": ..., "status": ..., "body": {...}}.
  std::vector<std::string> lines = absl::StrSplit(r.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 5u) << r.out;
  auto step = [&](size_t i, const std::string& name, int status, google::protobuf::Message* body) {
    const std::string& line = lines[i];
    EXPECT_THAT(line, HasSubstr(absl::StrCat(R"("step": ")", name, R"(")"))) << line;
    EXPECT_THAT(line, HasSubstr(absl::StrCat(R"("status": )", status, ","))) << line;
    if (body == nullptr) return;
    size_t at = line.find(R"("body": )");
    ASSERT_NE(at, std::string::npos) << line;
    std::string json = line.substr(at + 8, line.size() - at - 8 - 1);  // up to the final }
    google::protobuf::util::JsonParseOptions lenient;
    lenient.ignore_unknown_fields = true;
    auto s = google::protobuf::util::JsonStringToMessage(json, body, lenient);
    EXPECT_TRUE(s.ok()) << s.message() << ": " << json;
  };
  v1::Signal created, retried, got;
  v1::ListSignalsResponse list;
  step(0, "create", 200, &created);
  step(1, "retry", 200, &retried);
  step(2, "get", 200, &got);
  step(3, "list", 200, &list);
  step(4, "unknown", 404, nullptr);
  EXPECT_THAT(lines[4], HasSubstr(R"("code": "not_found")"));

  ASSERT_FALSE(created.id().empty()) << lines[0];
  EXPECT_EQ(retried.id(), created.id());
  EXPECT_EQ(got.id(), created.id());
  EXPECT_EQ(got.description(), "vanuit een Python-script");
  int found = 0;
  for (const v1::Signal& s : list.signals()) found += s.id() == created.id();
  EXPECT_EQ(found, 1);
}

}  // namespace
}  // namespace schakel::testing
