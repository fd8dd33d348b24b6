#include "server/store/notification_store.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/common/status_macros.h"

namespace schakel::store {
namespace {

using domain::Notification;
using domain::NotificationKind;

constexpr char kColumns[] =
    "seq, id, professional_id, kind, resource_id, due_date, create_time, read_time, "
    "once_key";
// At most the two organisations of a handover: ?1 and ?2 (the same when one).
constexpr char kSelectCandidates[] =
    "SELECT id, organisation_id, display_name, create_time FROM professionals"
    " WHERE organisation_id IN (?1, ?2) AND disabled = 0 ORDER BY id";
constexpr char kSelectCandidateRoles[] =
    "SELECT r.professional_id, r.role FROM professional_roles r"
    " JOIN professionals p ON p.id = r.professional_id"
    " WHERE p.organisation_id IN (?1, ?2) AND p.disabled = 0";
constexpr char kSelectCandidateTeams[] =
    "SELECT m.professional_id, m.team_id FROM team_members m"
    " JOIN professionals p ON p.id = m.professional_id"
    " WHERE p.organisation_id IN (?1, ?2) AND p.disabled = 0 ORDER BY m.team_id";
constexpr char kSelectOnce[] = "SELECT 1 FROM notifications WHERE once_key = ?1";
constexpr char kInsert[] =
    "INSERT INTO notifications (id, professional_id, kind, resource_id, due_date, create_time,"
    " read_time, once_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7)";
constexpr char kSelectSeq[] = "SELECT seq FROM notifications WHERE id = ?1";
constexpr char kInsertMail[] =
    "INSERT INTO notification_mail (notification_seq, professional_id, kind, digest_day, state,"
    " attempts, next_attempt_time) VALUES (?1, ?2, ?3, ?4, 'pending', 0, ?5)";
constexpr char kSelectSettings[] =
    "SELECT kind, delivery FROM notification_settings WHERE professional_id = ?1";
constexpr char kDeleteSetting[] =
    "DELETE FROM notification_settings WHERE professional_id = ?1 AND kind = ?2";
constexpr char kInsertSetting[] =
    "INSERT INTO notification_settings (professional_id, kind, delivery) VALUES (?1, ?2, ?3)";
constexpr char kMarkOne[] =
    "UPDATE notifications SET read_time = ?3"
    " WHERE id = ?1 AND professional_id = ?2 AND read_time IS NULL";
constexpr char kMarkUpTo[] =
    "UPDATE notifications SET read_time = ?3"
    " WHERE professional_id = ?1 AND seq <= ?2 AND read_time IS NULL";
constexpr char kMailSent[] =
    "UPDATE notification_mail SET state = 'sent', sent_time = ?2, last_attempt_time = ?2,"
    " attempts = attempts + 1 WHERE notification_seq = ?1 AND state = 'pending'";
constexpr char kMailRetry[] =
    "UPDATE notification_mail SET attempts = attempts + 1, last_attempt_time = ?2,"
    " last_error = ?3, next_attempt_time = ?4 WHERE notification_seq = ?1 AND state = 'pending'";
constexpr char kMailDead[] =
    "UPDATE notification_mail SET state = 'dead', attempts = attempts + 1,"
    " last_attempt_time = ?2, last_error = ?3 WHERE notification_seq = ?1 AND state = 'pending'";
constexpr char kCountUnread[] =
    "SELECT count(*) FROM notifications WHERE professional_id = ?1 AND read_time IS NULL";
constexpr char kSelectEnabled[] =
    "SELECT p.disabled, (SELECT count(*) FROM certificates c WHERE c.serial = ?2"
    " AND c.professional_id = p.id AND c.revoke_time IS NULL) FROM professionals p WHERE p.id = ?1";
constexpr char kSelectDueNow[] =
    "SELECT m.notification_seq, n.id, m.professional_id, m.kind, m.attempts,"
    "       m.last_attempt_time, m.last_error, p.work_email"
    " FROM notification_mail m JOIN notifications n ON n.seq = m.notification_seq"
    " JOIN professionals p ON p.id = m.professional_id"
    " WHERE m.state = 'pending' AND m.digest_day = '' AND m.next_attempt_time <= ?1"
    " AND p.disabled = 0"
    " ORDER BY m.next_attempt_time, m.notification_seq LIMIT ?2";
constexpr char kSelectDueDigests[] =
    "SELECT m.notification_seq, n.id, m.professional_id, m.kind, m.attempts,"
    "       m.last_attempt_time, m.last_error, p.work_email, m.digest_day"
    " FROM notification_mail m JOIN notifications n ON n.seq = m.notification_seq"
    " JOIN professionals p ON p.id = m.professional_id"
    " WHERE m.state = 'pending' AND m.digest_day <> '' AND m.next_attempt_time <= ?1"
    " AND p.disabled = 0"
    " ORDER BY m.professional_id, m.digest_day, m.notification_seq LIMIT ?2";
constexpr char kSelectDead[] =
    "SELECT m.notification_seq, n.id, m.professional_id, m.kind, m.attempts,"
    "       m.last_attempt_time, m.last_error"
    " FROM notification_mail m JOIN notifications n ON n.seq = m.notification_seq"
    " WHERE m.state = 'dead' AND m.notification_seq > ?1 ORDER BY m.notification_seq LIMIT ?2";
// A digest holds at most this many rows of one day (more stay for the next
// round, which sends them at once since they are due).
constexpr int kMaxDigestRows = 1000;

void BindOrganisations(Statement& st, const std::vector<std::string>& ids) {
  st.Bind(1, ids.empty() ? std::string() : ids[0]);
  st.Bind(2, ids.size() > 1 ? ids[1] : (ids.empty() ? std::string() : ids[0]));
}

absl::StatusOr<Notification> FromRow(const Statement& st) {
  Notification n;
  n.seq = st.ColumnInt(0);
  n.id = st.ColumnText(1);
  n.professional_id = st.ColumnText(2);
  std::optional<NotificationKind> kind = domain::NotificationKindFromName(st.ColumnView(3));
  if (!kind) return absl::DataLossError(absl::StrCat("notification ", n.id, ": unknown kind"));
  n.kind = *kind;
  n.resource_id = st.ColumnText(4);
  n.due_date = st.ColumnText(5);
  n.create_time = st.ColumnTime(6);
  if (!st.ColumnIsNull(7)) n.read_time = st.ColumnTime(7);
  if (!st.ColumnIsNull(8)) n.once_key = st.ColumnText(8);
  return n;
}

absl::StatusOr<MailRow> MailFromRow(const Statement& st, bool with_address) {
  MailRow m;
  m.seq = st.ColumnInt(0);
  m.notification_id = st.ColumnText(1);
  m.professional_id = st.ColumnText(2);
  std::optional<NotificationKind> kind = domain::NotificationKindFromName(st.ColumnView(3));
  if (!kind) return absl::DataLossError(absl::StrCat("mail ", m.seq, ": unknown kind"));
  m.kind = *kind;
  m.attempts = static_cast<int>(st.ColumnInt(4));
  if (!st.ColumnIsNull(5)) m.last_attempt_time = st.ColumnTime(5);
  m.last_error = st.ColumnText(6);
  if (with_address) m.address = st.ColumnText(7);
  m.seqs = {m.seq};
  return m;
}

absl::Status UpdateEach(Connection& c, const char* sql, const char* what,
                        const std::vector<int64_t>& seqs,
                        const std::function<void(Statement&)>& bind_rest) {
  for (int64_t seq : seqs) {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(sql, what));
    st.Bind(1, seq);
    bind_rest(st);
    RETURN_IF_ERROR(st.Run());
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<domain::Professional>> SqliteNotificationStore::Candidates(
    Connection& c, const std::vector<std::string>& organisation_ids) {
  std::vector<domain::Professional> out;
  std::map<std::string, size_t> index;
  {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectCandidates, "notification candidates"));
    BindOrganisations(st, organisation_ids);
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      domain::Professional p;
      p.id = st.ColumnText(0);
      p.organisation_id = st.ColumnText(1);
      p.display_name = st.ColumnText(2);
      p.create_time = st.ColumnTime(3);
      index[p.id] = out.size();
      out.push_back(std::move(p));
    }
  }
  {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectCandidateRoles, "candidate roles"));
    BindOrganisations(st, organisation_ids);
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      auto it = index.find(st.ColumnText(0));
      std::optional<domain::Role> role = domain::ParseRole(st.ColumnView(1));
      if (it != index.end() && role) out[it->second].roles.push_back(*role);
    }
  }
  {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectCandidateTeams, "candidate teams"));
    BindOrganisations(st, organisation_ids);
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      auto it = index.find(st.ColumnText(0));
      if (it != index.end()) out[it->second].teams.push_back(st.ColumnText(1));
    }
  }
  for (domain::Professional& p : out) std::sort(p.roles.begin(), p.roles.end());
  return out;
}

absl::StatusOr<bool> SqliteNotificationStore::Insert(Connection& c, Notification& n,
                                                     std::optional<domain::Delivery> mail,
                                                     absl::Time mail_due,
                                                     const std::string& digest_day) {
  if (!n.once_key.empty()) {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectOnce, "find reminder"));
    st.Bind(1, n.once_key);
    ASSIGN_OR_RETURN(bool made, st.Step());
    if (made) return false;
  }
  {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kInsert, "insert notification"));
    st.Bind(1, n.id).Bind(2, n.professional_id).Bind(3, domain::NotificationKindName(n.kind));
    st.Bind(4, n.resource_id).Bind(5, n.due_date).BindTime(6, n.create_time);
    st.BindOrNull(7, n.once_key);
    RETURN_IF_ERROR(st.Run());
  }
  {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectSeq, "notification seq"));
    st.Bind(1, n.id);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return absl::InternalError("notification: written row not found");
    n.seq = st.ColumnInt(0);
  }
  if (mail && *mail != domain::Delivery::kInApp) {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kInsertMail, "insert notification mail"));
    st.Bind(1, n.seq).Bind(2, n.professional_id).Bind(3, domain::NotificationKindName(n.kind));
    st.Bind(4, *mail == domain::Delivery::kDailyDigest ? digest_day : std::string());
    st.BindTime(5, mail_due);
    RETURN_IF_ERROR(st.Run());
  }
  return true;
}

absl::StatusOr<domain::NotificationSettings> SqliteNotificationStore::Settings(
    Connection& c, const std::string& professional_id) {
  domain::NotificationSettings out;
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectSettings, "notification settings"));
  st.Bind(1, professional_id);
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    std::optional<NotificationKind> kind = domain::NotificationKindFromName(st.ColumnView(0));
    std::optional<domain::Delivery> d = domain::DeliveryFromName(st.ColumnView(1));
    if (kind && d) out[*kind] = *d;
  }
  return out;
}

absl::Status SqliteNotificationStore::SetSettings(Connection& c,
                                                  const std::string& professional_id,
                                                  const domain::NotificationSettings& settings) {
  for (const auto& [kind, delivery] : settings) {
    {
      ASSIGN_OR_RETURN(Statement st, c.Prepare(kDeleteSetting, "clear notification setting"));
      st.Bind(1, professional_id).Bind(2, domain::NotificationKindName(kind));
      RETURN_IF_ERROR(st.Run());
    }
    if (delivery == domain::Delivery::kInApp) continue;  // the default: no row
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kInsertSetting, "set notification setting"));
    st.Bind(1, professional_id).Bind(2, domain::NotificationKindName(kind));
    st.Bind(3, domain::DeliveryName(delivery));
    RETURN_IF_ERROR(st.Run());
  }
  return absl::OkStatus();
}

absl::StatusOr<int> SqliteNotificationStore::MarkRead(Connection& c,
                                                      const std::string& professional_id,
                                                      const std::vector<std::string>& ids,
                                                      int64_t up_to_seq, absl::Time now) {
  int marked = 0;
  for (const std::string& id : ids) {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kMarkOne, "mark notification read"));
    st.Bind(1, id).Bind(2, professional_id).BindTime(3, now);
    RETURN_IF_ERROR(st.Run());
    marked += c.Changes();
  }
  if (up_to_seq > 0) {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kMarkUpTo, "mark notifications read"));
    st.Bind(1, professional_id).Bind(2, up_to_seq).BindTime(3, now);
    RETURN_IF_ERROR(st.Run());
    marked += c.Changes();
  }
  return marked;
}

absl::Status SqliteNotificationStore::RecordMailSent(Connection& c,
                                                     const std::vector<int64_t>& seqs,
                                                     absl::Time now) {
  return UpdateEach(c, kMailSent, "mail sent", seqs, [&](Statement& st) { st.BindTime(2, now); });
}

absl::Status SqliteNotificationStore::RecordMailFailed(Connection& c,
                                                       const std::vector<int64_t>& seqs,
                                                       absl::Time now, const std::string& error,
                                                       std::optional<absl::Time> retry_at) {
  if (retry_at) {
    return UpdateEach(c, kMailRetry, "mail retry", seqs, [&](Statement& st) {
      st.BindTime(2, now).Bind(3, error).BindTime(4, *retry_at);
    });
  }
  return UpdateEach(c, kMailDead, "mail dead", seqs,
                    [&](Statement& st) { st.BindTime(2, now).Bind(3, error); });
}

absl::StatusOr<NotificationPage> SqliteNotificationStore::List(const std::string& professional_id,
                                                               bool unread_only,
                                                               int64_t before_seq, int limit) {
  NotificationPage page;
  const std::string sql = absl::StrCat(
      "SELECT ", kColumns, " FROM notifications WHERE professional_id = ?1 AND seq < ?2",
      unread_only ? " AND read_time IS NULL" : "", " ORDER BY seq DESC LIMIT ?3");
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(sql, "list notifications"));
    st.Bind(1, professional_id);
    st.Bind(2, before_seq > 0 ? before_seq : INT64_MAX);
    st.Bind(3, static_cast<int64_t>(limit) + 1);
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      ASSIGN_OR_RETURN(Notification n, FromRow(st));
      page.notifications.push_back(std::move(n));
    }
    return absl::OkStatus();
  }));
  if (static_cast<int>(page.notifications.size()) > limit) {
    page.notifications.pop_back();
    page.more = true;
  }
  return page;
}

absl::StatusOr<std::vector<Notification>> SqliteNotificationStore::After(
    const std::string& professional_id, int64_t after_seq, bool unread_only, int limit) {
  std::vector<Notification> out;
  const std::string sql = absl::StrCat(
      "SELECT ", kColumns, " FROM notifications WHERE professional_id = ?1 AND seq > ?2",
      unread_only ? " AND read_time IS NULL" : "", " ORDER BY seq LIMIT ?3");
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(sql, "notifications after"));
    st.Bind(1, professional_id).Bind(2, after_seq).Bind(3, static_cast<int64_t>(limit));
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      ASSIGN_OR_RETURN(Notification n, FromRow(st));
      out.push_back(std::move(n));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<int> SqliteNotificationStore::CountUnread(const std::string& professional_id) {
  int count = 0;
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kCountUnread, "count unread notifications"));
    st.Bind(1, professional_id);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (row) count = static_cast<int>(st.ColumnInt(0));
    return absl::OkStatus();
  }));
  return count;
}

absl::StatusOr<bool> SqliteNotificationStore::IsEnabled(const std::string& professional_id,
                                                       const std::string& serial) {
  bool enabled = false;
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectEnabled, "professional enabled"));
    st.Bind(1, professional_id).Bind(2, serial);
    ASSIGN_OR_RETURN(bool row, st.Step());
    enabled = row && st.ColumnInt(0) == 0 && st.ColumnInt(1) > 0;
    return absl::OkStatus();
  }));
  return enabled;
}

absl::StatusOr<std::vector<MailRow>> SqliteNotificationStore::DueMail(absl::Time now, int limit) {
  std::vector<MailRow> out;
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    {
      ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectDueNow, "mail due"));
      st.BindTime(1, now).Bind(2, static_cast<int64_t>(limit));
      while (true) {
        ASSIGN_OR_RETURN(bool row, st.Step());
        if (!row) break;
        ASSIGN_OR_RETURN(MailRow m, MailFromRow(st, true));
        out.push_back(std::move(m));
      }
    }
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectDueDigests, "digests due"));
    st.BindTime(1, now).Bind(2, static_cast<int64_t>(kMaxDigestRows));
    const size_t first_digest = out.size();
    int rows = 0;
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      ++rows;
      ASSIGN_OR_RETURN(MailRow m, MailFromRow(st, true));
      m.digest_day = st.ColumnText(8);
      if (!out.empty() && !out.back().digest_day.empty() &&
          out.back().professional_id == m.professional_id &&
          out.back().digest_day == m.digest_day) {
        out.back().seqs.push_back(m.seq);
        out.back().digest_kinds.push_back(m.kind);
        continue;
      }
      if (static_cast<int>(out.size()) >= limit) break;
      m.digest_kinds = {m.kind};
      out.push_back(std::move(m));
    }
    // The rows ran out inside the last digest: it waits for the next round
    // whole (its Message-ID is the day's; two halves would be one message
    // twice), unless it is the only one, too large for one round.
    if (rows >= kMaxDigestRows && out.size() > first_digest + 1) out.pop_back();
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<DeadLetterPage> SqliteNotificationStore::ListDeadLetters(int64_t after_seq,
                                                                        int limit) {
  DeadLetterPage page;
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectDead, "dead letters"));
    st.Bind(1, after_seq).Bind(2, static_cast<int64_t>(limit) + 1);
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      ASSIGN_OR_RETURN(MailRow m, MailFromRow(st, false));
      page.rows.push_back(std::move(m));
    }
    return absl::OkStatus();
  }));
  if (static_cast<int>(page.rows.size()) > limit) {
    page.rows.pop_back();
    page.more = true;
  }
  return page;
}

}  // namespace schakel::store
