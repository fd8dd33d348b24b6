// tests/support/smtp_sink.py as a child process: an SMTP relay on a free
// loopback port that keeps what it receives, for the mailer's tests.
#ifndef SCHAKEL_TESTS_SUPPORT_SMTP_SINK_H_
#define SCHAKEL_TESTS_SUPPORT_SMTP_SINK_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace schakel::testing {

struct SmtpSinkOptions {
  // PEM files of the sink's certificate and key: it offers STARTTLS with
  // them. Empty: no STARTTLS.
  std::string cert_file;
  std::string key_file;
  // Refuse MAIL before STARTTLS (530).
  bool require_starttls = false;
  // Answer 451 to the DATA of the first K messages.
  int tempfail_first = 0;
  // Answer 550 to RCPT TO of this address.
  std::string reject;
  // "USER:PASSWORD": offer AUTH after STARTTLS, and require it.
  std::string auth;
  // Offer STARTTLS and answer it with 454 (TLS not available for now).
  bool starttls_tempfail = false;
};

// One message the sink accepted.
struct SunkMail {
  std::string from;             // envelope sender
  std::vector<std::string> to;  // envelope recipients
  bool tls = false;             // STARTTLS was done
  std::string login;            // the AUTH login; empty without
  std::string data;             // the message as received (CRLF, dot-stuffing undone)
};

class SmtpSink {
 public:
  // Starts /usr/bin/python3 smtp_sink.py, keeping its messages and its
  // stderr under `work_dir`, and waits (at most 10 s) for its port. A sink
  // that does not start is a test failure (port() is 0 then).
  explicit SmtpSink(const std::string& work_dir, const SmtpSinkOptions& options = {});
  ~SmtpSink();
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  int port() const { return port_; }
  // "127.0.0.1:PORT".
  std::string address() const;
  // The accepted messages in the order they came.
  std::vector<SunkMail> Messages() const;
  // SIGTERM, then SIGKILL after 5 s; reaped. Idempotent.
  void Stop();
  std::string Stderr() const;

 private:
  pid_t pid_ = 0;
  int port_ = 0;
  std::string messages_dir_;
  std::string err_path_;
};

// A CA named `ca_name` and a server certificate of it for `ips`/`dns`, as
// PEM files written under `dir` with `prefix` (for a relay's STARTTLS).
struct TestPki {
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
};
TestPki MakePki(const TempDir& dir, const std::string& prefix, const std::string& ca_name,
                const std::vector<std::string>& ips, const std::vector<std::string>& dns);

// True when /usr/bin/python3 can import aiosmtpd (deploy/install-deps.sh
// installs python3-aiosmtpd).
bool SmtpSinkAvailable();

}  // namespace schakel::testing

#endif  // SCHAKEL_TESTS_SUPPORT_SMTP_SINK_H_
