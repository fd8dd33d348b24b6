#include "tests/support/smtp_sink.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "server/crypto/x509.h"
#include "tests/support/process.h"
#include "tests/support/test_support.h"

namespace schakel::testing {

namespace {
constexpr char kPython[] = "/usr/bin/python3";
}  // namespace

bool SmtpSinkAvailable() {
  if (::access(kPython, X_OK) != 0) return false;
  return RunCommand({kPython, "-c", "import aiosmtpd"}).exit_code == 0;
}

SmtpSink::SmtpSink(const std::string& work_dir, const SmtpSinkOptions& options)
    : messages_dir_(work_dir + "/messages"), err_path_(work_dir + "/smtp_sink.stderr") {
  std::filesystem::create_directories(messages_dir_);
  std::vector<std::string> args = {kPython, SCHAKEL_SMTP_SINK_PY, messages_dir_};
  if (!options.cert_file.empty()) {
    args.insert(args.end(), {"--cert", options.cert_file, "--key", options.key_file});
  }
  if (options.require_starttls) args.push_back("--require-starttls");
  if (options.tempfail_first > 0) {
    args.insert(args.end(), {"--tempfail-first", absl::StrCat(options.tempfail_first)});
  }
  if (!options.reject.empty()) args.insert(args.end(), {"--reject", options.reject});
  if (!options.auth.empty()) args.insert(args.end(), {"--auth", options.auth});
  if (options.starttls_tempfail) args.push_back("--starttls-tempfail");
  const int out = Spawn(args, err_path_, &pid_);
  if (out < 0) {
    ADD_FAILURE() << "smtp sink: pipe failed";
    return;
  }
  // The first line on stdout is the port.
  std::string line;
  const absl::Time until = absl::Now() + absl::Seconds(10);
  while (line.find('\n') == std::string::npos && absl::Now() < until) {
    pollfd p{out, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char buf[256];
    ssize_t n = ::read(out, buf, sizeof(buf));
    if (n <= 0) break;
    line.append(buf, static_cast<size_t>(n));
  }
  ::close(out);
  if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(line.substr(0, line.find('\n'))), &port_) ||
      port_ <= 0) {
    port_ = 0;
    ADD_FAILURE() << "smtp sink did not start: " << Stderr();
  }
}

SmtpSink::~SmtpSink() { Stop(); }

std::string SmtpSink::address() const { return absl::StrCat("127.0.0.1:", port_); }

void SmtpSink::Stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  for (int i = 0; i < 100; ++i) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = 0;
      return;
    }
    ::usleep(50 * 1000);
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, &status, 0);
  pid_ = 0;
}

std::string SmtpSink::Stderr() const {
  if (!std::filesystem::exists(err_path_)) return "";
  return ReadFileOrDie(err_path_);
}

std::vector<SunkMail> SmtpSink::Messages() const {
  // The sink writes NNNN.msg.tmp and renames it: a .msg is complete.
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(messages_dir_)) {
    if (e.path().extension() == ".msg") names.push_back(e.path().string());
  }
  std::sort(names.begin(), names.end());
  std::vector<SunkMail> out;
  for (const std::string& name : names) {
    const std::string file = ReadFileOrDie(name);
    const size_t head_end = file.find("\n\n");
    if (head_end == std::string::npos) {
      ADD_FAILURE() << name << ": no envelope";
      continue;
    }
    SunkMail m;
    for (absl::string_view l : absl::StrSplit(file.substr(0, head_end), '\n')) {
      if (absl::ConsumePrefix(&l, "from "))
        m.from = std::string(l);
      else if (absl::ConsumePrefix(&l, "to "))
        m.to.emplace_back(l);
      else if (absl::ConsumePrefix(&l, "tls "))
        m.tls = l == "yes";
      else if (absl::ConsumePrefix(&l, "auth "))
        m.login = l == "-" ? "" : std::string(l);
    }
    m.data = file.substr(head_end + 2);
    out.push_back(std::move(m));
  }
  return out;
}

TestPki MakePki(const TempDir& dir, const std::string& prefix, const std::string& ca_name,
                const std::vector<std::string>& ips, const std::vector<std::string>& dns) {
  const absl::Time now = absl::Now();
  auto ca = crypto::CertificateAuthority::Create(ca_name, now - absl::Hours(1), absl::Hours(24));
  EXPECT_THAT(ca, IsOk());
  auto key = crypto::GenerateEcKey();
  EXPECT_THAT(key, IsOk());
  crypto::CertificateSpec spec;
  spec.common_name = dns.empty() ? ips.front() : dns.front();
  spec.dns_names = dns;
  spec.ip_addresses = ips;
  spec.not_before = now - absl::Hours(1);
  spec.not_after = now + absl::Hours(23);
  spec.server_auth = true;
  auto cert = ca->Issue(spec, key->get());
  EXPECT_THAT(cert, IsOk());
  TestPki pki{dir.File(prefix + "-ca.pem"), dir.File(prefix + "-cert.pem"),
              dir.File(prefix + "-key.pem")};
  testing::WriteFileOrDie(pki.ca_file, ca->CertificatePem());
  testing::WriteFileOrDie(pki.cert_file, crypto::CertificateToPem(cert->get()));
  testing::WriteFileOrDie(pki.key_file, crypto::PrivateKeyToPem(key->get()));
  return pki;
}


}  // namespace schakel::testing
