// The notifications' store: the notifications themselves, each
// professional's delivery choices, and the e-mail outbox. All SQL of
// notifications lives in notification_store.cc. Who receives a notification
// is decided by the access module (auth::NotificationAudience) from the
// candidates this store loads; the store decides nothing.
#ifndef SCHAKEL_SERVER_STORE_NOTIFICATION_STORE_H_
#define SCHAKEL_SERVER_STORE_NOTIFICATION_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/domain/directory.h"
#include "server/domain/notification.h"
#include "server/store/database.h"

namespace schakel::store {

struct NotificationPage {
  std::vector<domain::Notification> notifications;
  bool more = false;
};

// One e-mail to send: a notification at once, or a digest (all pending rows
// of one professional's day; `seqs` lists them).
struct MailRow {
  int64_t seq = 0;  // the notification's (the first of a digest)
  std::string notification_id;
  std::string professional_id;
  domain::NotificationKind kind = domain::NotificationKind::kHandoverProposed;
  std::string digest_day;  // empty: at once
  int attempts = 0;
  std::optional<absl::Time> last_attempt_time;
  std::string last_error;
  // A digest: the kinds of its rows and their seqs.
  std::vector<domain::NotificationKind> digest_kinds;
  std::vector<int64_t> seqs;
  // The recipient's work e-mail address (professionals.work_email), read
  // when the mail is sent; empty when not set.
  std::string address;
};

struct DeadLetterPage {
  std::vector<MailRow> rows;
  bool more = false;
};

class NotificationStore {
 public:
  virtual ~NotificationStore() = default;

  // --- Inside a unit of work ---
  // The enabled professionals of these organisations, with the roles and
  // teams in effect: whom an event of theirs may concern.
  virtual absl::StatusOr<std::vector<domain::Professional>> Candidates(
      Connection& c, const std::vector<std::string>& organisation_ids) = 0;
  // Writes `n` (its seq set from the row) and, unless `mail` is empty, its
  // e-mail row, due at `mail_due`; a reminder whose once_key was made
  // before is not written again (false).
  virtual absl::StatusOr<bool> Insert(Connection& c, domain::Notification& n,
                                      std::optional<domain::Delivery> mail, absl::Time mail_due,
                                      const std::string& digest_day) = 0;
  virtual absl::StatusOr<domain::NotificationSettings> Settings(
      Connection& c, const std::string& professional_id) = 0;
  virtual absl::Status SetSettings(Connection& c, const std::string& professional_id,
                                   const domain::NotificationSettings& settings) = 0;
  // Marks read what is the professional's and unread: `ids`, and every one
  // up to `up_to_seq` when > 0; the number marked.
  virtual absl::StatusOr<int> MarkRead(Connection& c, const std::string& professional_id,
                                       const std::vector<std::string>& ids, int64_t up_to_seq,
                                       absl::Time now) = 0;
  // The outcome of an e-mail attempt for every row in `seqs`: sent, tried
  // again at `retry_at`, or dead (retry_at unset).
  virtual absl::Status RecordMailSent(Connection& c, const std::vector<int64_t>& seqs,
                                      absl::Time now) = 0;
  virtual absl::Status RecordMailFailed(Connection& c, const std::vector<int64_t>& seqs,
                                        absl::Time now, const std::string& error,
                                        std::optional<absl::Time> retry_at) = 0;

  // --- Reads of their own ---
  // The professional's notifications, newest first, with seq below
  // `before_seq` (0: from the newest).
  virtual absl::StatusOr<NotificationPage> List(const std::string& professional_id,
                                                bool unread_only, int64_t before_seq,
                                                int limit) = 0;
  // Oldest first, seq above `after_seq`; only unread ones when `unread_only`.
  virtual absl::StatusOr<std::vector<domain::Notification>> After(
      const std::string& professional_id, int64_t after_seq, bool unread_only, int limit) = 0;
  virtual absl::StatusOr<int> CountUnread(const std::string& professional_id) = 0;
  // Whether the professional may still be told anything: exists, enabled,
  // and the certificate `serial` they connected with is not revoked.
  virtual absl::StatusOr<bool> IsEnabled(const std::string& professional_id,
                                         const std::string& serial) = 0;
  // E-mails due at `now`: rows sent at once one by one, a digest's rows
  // together; at most `limit` e-mails.
  virtual absl::StatusOr<std::vector<MailRow>> DueMail(absl::Time now, int limit) = 0;
  // Dead-lettered e-mails, by seq after `after_seq`.
  virtual absl::StatusOr<DeadLetterPage> ListDeadLetters(int64_t after_seq, int limit) = 0;
};

class SqliteNotificationStore : public NotificationStore {
 public:
  explicit SqliteNotificationStore(Database* db) : db_(db) {}

  absl::StatusOr<std::vector<domain::Professional>> Candidates(
      Connection& c, const std::vector<std::string>& organisation_ids) override;
  absl::StatusOr<bool> Insert(Connection& c, domain::Notification& n,
                              std::optional<domain::Delivery> mail, absl::Time mail_due,
                              const std::string& digest_day) override;
  absl::StatusOr<domain::NotificationSettings> Settings(
      Connection& c, const std::string& professional_id) override;
  absl::Status SetSettings(Connection& c, const std::string& professional_id,
                           const domain::NotificationSettings& settings) override;
  absl::StatusOr<int> MarkRead(Connection& c, const std::string& professional_id,
                               const std::vector<std::string>& ids, int64_t up_to_seq,
                               absl::Time now) override;
  absl::Status RecordMailSent(Connection& c, const std::vector<int64_t>& seqs,
                              absl::Time now) override;
  absl::Status RecordMailFailed(Connection& c, const std::vector<int64_t>& seqs, absl::Time now,
                                const std::string& error,
                                std::optional<absl::Time> retry_at) override;
  absl::StatusOr<NotificationPage> List(const std::string& professional_id, bool unread_only,
                                        int64_t before_seq, int limit) override;
  absl::StatusOr<std::vector<domain::Notification>> After(const std::string& professional_id,
                                                          int64_t after_seq, bool unread_only,
                                                          int limit) override;
  absl::StatusOr<int> CountUnread(const std::string& professional_id) override;
  absl::StatusOr<bool> IsEnabled(const std::string& professional_id,
                                 const std::string& serial) override;
  absl::StatusOr<std::vector<MailRow>> DueMail(absl::Time now, int limit) override;
  absl::StatusOr<DeadLetterPage> ListDeadLetters(int64_t after_seq, int limit) override;

 private:
  Database* db_;
};

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_NOTIFICATION_STORE_H_
