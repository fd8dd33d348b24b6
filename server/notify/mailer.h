// Sending one e-mail through the deployment's SMTP relay (the relay queues
// and delivers it onwards). No notification logic here: what to send, to
// whom and when to try again is the caller's; this sends one message once
// and says whether trying again can help.
#ifndef SCHAKEL_SERVER_NOTIFY_MAILER_H_
#define SCHAKEL_SERVER_NOTIFY_MAILER_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "server/common/clock.h"

namespace schakel::config {
class SmtpRelay;
}  // namespace schakel::config

namespace schakel::notify {

// One plain-text message to one recipient.
struct Mail {
  // The recipient's address, local@domain in ASCII (no display name, no
  // SMTPUTF8).
  std::string to;
  // One line of UTF-8, 1..200 bytes; RFC 2047-encoded when not ASCII.
  std::string subject;
  // UTF-8, 1..100,000 bytes, lines ending in LF or CRLF; sent
  // quoted-printable, so that any relay carries it unchanged.
  std::string text;
  // The Message-ID without angle brackets, "local@domain" (e.g.
  // "n-abc123.1@schakel.example.nl"). The caller derives it from what the
  // message is about, so that a retry of the same message carries the same
  // id and receiving systems can drop the duplicate when an attempt did
  // reach them after all.
  std::string message_id;
};

// INVALID_ARGUMENT naming the field and the rule unless `mail` can be sent
// as it is: CR or LF in `to` or `subject` (header injection), an address or
// Message-ID of the wrong shape, empty or invalid UTF-8 text.
absl::Status ValidateMail(const Mail& mail);

class Mailer {
 public:
  virtual ~Mailer();
  // Sends `mail`. OK: the relay accepted it. Otherwise:
  //   INVALID_ARGUMENT    ValidateMail refused it (nothing was sent);
  //   UNAVAILABLE         a transient failure: cannot connect, no answer in
  //                       time, connection lost, a 4xx answer (454 to
  //                       STARTTLS included) — try again;
  //   FAILED_PRECONDITION a permanent one: STARTTLS not offered while
  //                       required, the relay's certificate not trusted, the
  //                       login refused, a 5xx answer (recipient refused) —
  //                       trying again will not help.
  // The message is a short fixed text with the SMTP reply code at most:
  // never the relay's own words and never the recipient's address, so it
  // can be logged and stored as it is.
  virtual absl::Status Send(const Mail& mail) = 0;
};

// A Mailer over libcurl's SMTP client. Every Send opens its own connection
// (EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA, QUIT) with its own handle, so
// Send may be called from several threads; meant for one delivery thread.
class SmtpMailer final : public Mailer {
 public:
  // Checks `relay` (INVALID_ARGUMENT naming the field: smtp.address must be
  // HOST:PORT, smtp.from an address, a login needs STARTTLS, so
  // smtp.username with allow_plaintext is refused) and reads the password
  // file (NOT_FOUND; FAILED_PRECONDITION when readable by group or others).
  // Relative ca_file and password_file are relative to `deployment_dir`.
  // `clock` (for the Date header) must outlive the mailer.
  static absl::StatusOr<std::unique_ptr<SmtpMailer>> Create(const config::SmtpRelay& relay,
                                                            const std::string& deployment_dir,
                                                            const Clock* clock);

  absl::Status Send(const Mail& mail) override;

  // The text of `mail` as it goes to the relay: headers, an empty line and
  // the quoted-printable body, CRLF line ends (before SMTP dot-stuffing).
  // ValidateMail must accept `mail`.
  std::string Render(const Mail& mail) const;

 private:
  SmtpMailer() = default;

  std::string url_;  // smtp://HOST:PORT/EHLO-DOMAIN
  std::string from_;
  bool allow_plaintext_ = false;
  std::string ca_file_;  // empty: the system's CAs
  std::string username_;
  std::string password_;
  const Clock* clock_ = nullptr;
};

}  // namespace schakel::notify

#endif  // SCHAKEL_SERVER_NOTIFY_MAILER_H_
