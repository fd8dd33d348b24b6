// Notifications (design.md, "Nothing waits unseen"): what a professional is
// told of, as data. A notification names its kind, the resource and the date
// it is about — never a name or any text — so that it holds nothing its
// recipient could not read in the resource itself; opening it is the audited
// read of that resource. Who receives one is the access module's decision
// (auth::NotificationAudience); the texts of an e-mail, which carries no
// personal data at all, are here.
#ifndef SCHAKEL_SERVER_DOMAIN_NOTIFICATION_H_
#define SCHAKEL_SERVER_DOMAIN_NOTIFICATION_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "server/domain/handover.h"

namespace schakel::domain {

enum class NotificationKind {
  kHandoverProposed,
  kHandoverAccepted,
  kHandoverDeclined,
  kHandoverIntroduced,
  kHandoverCompleted,
  kHandoverCancelled,
  kHandoverExpired,
  kHandoverDueSoon,
  kHandoverOverdue,
  kSignalAssigned,
  kMeasurementDue,
};
// Every kind, in the order above.
const std::vector<NotificationKind>& AllNotificationKinds();
// "handover_proposed" …: the stored and audited name.
absl::string_view NotificationKindName(NotificationKind kind);
std::optional<NotificationKind> NotificationKindFromName(absl::string_view name);
// "handover", "signal" or "trajectory".
absl::string_view NotificationResourceType(NotificationKind kind);

// What a handover's change tells, and to whom of its sides: the kind of an
// action recorded (nullopt: an action nobody needs to hear of).
std::optional<NotificationKind> NotificationForAction(HandoverAction action);

// How a professional receives a kind.
enum class Delivery { kInApp, kEmailNow, kDailyDigest };
absl::string_view DeliveryName(Delivery d);
std::optional<Delivery> DeliveryFromName(absl::string_view name);
// Each kind's choice; a kind not in the map is kInApp.
using NotificationSettings = std::map<NotificationKind, Delivery>;

struct Notification {
  std::string id;
  int64_t seq = 0;  // set by the store; increasing per deployment
  std::string professional_id;
  NotificationKind kind = NotificationKind::kHandoverProposed;
  std::string resource_id;
  // The date it is about (a deadline, a due measurement); empty when none.
  std::string due_date;
  absl::Time create_time;
  std::optional<absl::Time> read_time;
  // Reminders the clock makes are made once: the same key is not made
  // again (empty for notifications of an event, which happens once).
  std::string once_key;
};

// The key that makes a reminder once per recipient, resource and date.
std::string ReminderKey(NotificationKind kind, absl::string_view resource_id,
                        absl::string_view professional_id, absl::string_view due_date);

// --- E-mail ---------------------------------------------------------------
// Texts in Dutch; nothing about the resident or the case, not even the
// resource's id: the link leads to the console, where the professional
// signs in with their certificate and opens the notification.

struct MailText {
  std::string subject;
  std::string body;
};
// One notification of `kind`, at once.
MailText NotificationMail(NotificationKind kind, absl::string_view console_url);
// The day's digest: how many of each kind arrived (kinds with 0 left out).
MailText DigestMail(const std::map<NotificationKind, int>& counts, absl::CivilDay day,
                    absl::string_view console_url);

}  // namespace schakel::domain

#endif  // SCHAKEL_SERVER_DOMAIN_NOTIFICATION_H_
