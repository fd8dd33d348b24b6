#include "server/app/mail_sender.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/crypto/openssl_util.h"
#include "server/domain/calendar.h"
#include "server/domain/notification.h"
#include "server/notify/retry.h"

namespace schakel::app {
namespace {

// A digest's Message-ID names neither the professional nor the day.
std::string DigestId(const store::MailRow& m, const std::string& domain) {
  return absl::StrCat(
      "digest-",
      crypto::HexEncode(crypto::Sha256(absl::StrCat(m.professional_id, "/", m.digest_day)))
          .substr(0, 32),
      "@", domain);
}

}  // namespace

absl::StatusOr<int> MailSender::SendDue(const std::function<bool()>& stopping) {
  ASSIGN_OR_RETURN(std::vector<store::MailRow> due, store_->DueMail(clock_->Now(), options_.batch));
  int sent = 0;
  for (const store::MailRow& m : due) {
    if (stopping()) break;
    notify::Mail mail;
    mail.to = m.address;
    domain::MailText text;
    if (m.digest_day.empty()) {
      text = domain::NotificationMail(m.kind, options_.console_url);
      mail.message_id = absl::StrCat(m.notification_id, "@", options_.message_domain);
    } else {
      std::map<domain::NotificationKind, int> counts;
      for (domain::NotificationKind k : m.digest_kinds) ++counts[k];
      absl::StatusOr<absl::CivilDay> day = domain::ParseDate("digest_day", m.digest_day);
      text = domain::DigestMail(counts, day.ok() ? *day : domain::DayOf(clock_->Now()),
                                options_.console_url);
      mail.message_id = DigestId(m, options_.message_domain);
    }
    mail.subject = std::move(text.subject);
    mail.text = std::move(text.body);
    absl::Status result = m.address.empty()
                              ? absl::FailedPreconditionError("no work e-mail address set")
                              : mailer_->Send(mail);
    const absl::Time now = clock_->Now();
    absl::Status recorded;
    if (result.ok()) {
      recorded = uow_->RunUnaudited(
          [&](Transaction& tx) { return store_->RecordMailSent(tx, m.seqs, now); });
      ++sent;
    } else {
      // Only a passing failure is tried again; what the relay refused for
      // good (or a missing address) waits for the admin.
      const int attempt = m.attempts + 1;
      std::optional<absl::Time> retry;
      if (result.code() == absl::StatusCode::kUnavailable && attempt < options_.max_attempts) {
        retry = now + notify::RetryDelay(attempt);
      }
      recorded = uow_->RunUnaudited([&](Transaction& tx) {
        return store_->RecordMailFailed(tx, m.seqs, now, std::string(result.message()), retry);
      });
    }
    RETURN_IF_ERROR(recorded);
  }
  return sent;
}

}  // namespace schakel::app
