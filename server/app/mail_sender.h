// Delivers the e-mail outbox (notification_mail) through the SMTP relay:
// each due e-mail once, a failure retried with backoff until the relay
// takes it or the attempts run out (dead letter, listed for the admin).
// An e-mail carries no personal data at all: the kind's fixed Dutch text
// and a link to the console (domain::NotificationMail).
//
// One sender per deployment. Each row is marked sent in its own
// transaction after the relay accepted it: a crash in between sends that
// one again after the restart, with the same Message-ID, so a receiving
// system can drop the duplicate; a crash before the relay accepted it
// loses nothing.
#ifndef SCHAKEL_SERVER_APP_MAIL_SENDER_H_
#define SCHAKEL_SERVER_APP_MAIL_SENDER_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "server/app/unit_of_work.h"
#include "server/common/clock.h"
#include "server/notify/mailer.h"
#include "server/store/notification_store.h"

namespace schakel::app {

struct MailSenderOptions {
  // The console's address every e-mail links to.
  std::string console_url;
  // The domain of the Message-IDs (the sender address's).
  std::string message_domain = "schakel.invalid";
  // Attempts before an e-mail is dead-lettered.
  int max_attempts = 8;
  // E-mails per round.
  int batch = 50;
};

class MailSender {
 public:
  MailSender(store::NotificationStore* store, UnitOfWork* uow, notify::Mailer* mailer,
             const Clock* clock, MailSenderOptions options)
      : store_(store), uow_(uow), mailer_(mailer), clock_(clock), options_(std::move(options)) {}

  // Sends what is due now, until `stopping()` (checked before each
  // e-mail: a stop waits for one SMTP session at most); the number the
  // relay took.
  absl::StatusOr<int> SendDue(const std::function<bool()>& stopping = [] { return false; });

 private:
  store::NotificationStore* store_;
  UnitOfWork* uow_;
  notify::Mailer* mailer_;
  const Clock* clock_;
  const MailSenderOptions options_;
};

}  // namespace schakel::app

#endif  // SCHAKEL_SERVER_APP_MAIL_SENDER_H_
