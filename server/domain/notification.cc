#include "server/domain/notification.h"

#include "absl/strings/str_cat.h"
#include "server/domain/calendar.h"

namespace schakel::domain {
namespace {

using K = NotificationKind;

struct KindRow {
  K kind;
  const char* name;
  const char* resource_type;
  // The subject of its e-mail, and the line of the day's digest (with the
  // count in front).
  const char* subject;
  const char* digest_line;
};

constexpr KindRow kKinds[] = {
    {K::kHandoverProposed, "handover_proposed", "handover",
     "Er staat een nieuwe warme overdracht voor uw team klaar",
     "nieuwe warme overdracht(en) voor uw team"},
    {K::kHandoverAccepted, "handover_accepted", "handover",
     "Een warme overdracht van u is geaccepteerd", "overdracht(en) van u geaccepteerd"},
    {K::kHandoverDeclined, "handover_declined", "handover",
     "Een warme overdracht van u is afgewezen", "overdracht(en) van u afgewezen"},
    {K::kHandoverIntroduced, "handover_introduced", "handover",
     "Bij een warme overdracht is de kennismaking vastgelegd",
     "kennismaking(en) vastgelegd bij een overdracht"},
    {K::kHandoverCompleted, "handover_completed", "handover",
     "Een warme overdracht van u is afgerond", "overdracht(en) van u afgerond"},
    {K::kHandoverCancelled, "handover_cancelled", "handover",
     "Een warme overdracht aan u is ingetrokken", "overdracht(en) aan u ingetrokken"},
    {K::kHandoverExpired, "handover_expired", "handover",
     "Een warme overdracht van u is verlopen zonder antwoord",
     "overdracht(en) van u verlopen zonder antwoord"},
    {K::kHandoverDueSoon, "handover_due_soon", "handover",
     "Een warme overdracht voor uw team moet morgen beantwoord zijn",
     "overdracht(en) die morgen beantwoord moeten zijn"},
    {K::kHandoverOverdue, "handover_overdue", "handover",
     "Een warme overdracht is niet op tijd beantwoord",
     "overdracht(en) niet op tijd beantwoord"},
    {K::kSignalAssigned, "signal_assigned", "signal",
     "Er is een signaal aan uw team toegewezen", "signaal/signalen aan uw team toegewezen"},
    {K::kMeasurementDue, "measurement_due", "trajectory",
     "Een meting op de participatieladder is aan de beurt",
     "meting(en) op de participatieladder aan de beurt"},
};

const KindRow& Row(K kind) {
  for (const KindRow& r : kKinds) {
    if (r.kind == kind) return r;
  }
  return kKinds[0];
}

constexpr const char* kDeliveryNames[] = {"in_app", "email_now", "daily_digest"};

std::string Footer(absl::string_view console_url) {
  return absl::StrCat(
      "\nOpen schakel om te zien waar het om gaat:\n", console_url,
      "meldingen\n\n"
      "Deze e-mail bevat bewust geen gegevens over inwoners of de zaak. U kunt in\n"
      "schakel onder Meldingen kiezen welke meldingen u per e-mail ontvangt.\n");
}

}  // namespace

const std::vector<NotificationKind>& AllNotificationKinds() {
  static const auto* all = [] {
    auto* v = new std::vector<NotificationKind>;
    for (const KindRow& r : kKinds) v->push_back(r.kind);
    return v;
  }();
  return *all;
}

absl::string_view NotificationKindName(NotificationKind kind) { return Row(kind).name; }

std::optional<NotificationKind> NotificationKindFromName(absl::string_view name) {
  for (const KindRow& r : kKinds) {
    if (name == r.name) return r.kind;
  }
  return std::nullopt;
}

absl::string_view NotificationResourceType(NotificationKind kind) {
  return Row(kind).resource_type;
}

std::optional<NotificationKind> NotificationForAction(HandoverAction action) {
  switch (action) {
    case HandoverAction::kAccept: return K::kHandoverAccepted;
    case HandoverAction::kDecline: return K::kHandoverDeclined;
    case HandoverAction::kIntroduce: return K::kHandoverIntroduced;
    case HandoverAction::kComplete: return K::kHandoverCompleted;
    case HandoverAction::kCancel:
    case HandoverAction::kWithdrawConsent: return K::kHandoverCancelled;
    case HandoverAction::kExpire: return K::kHandoverExpired;
  }
  return std::nullopt;
}

absl::string_view DeliveryName(Delivery d) { return kDeliveryNames[static_cast<int>(d)]; }

std::optional<Delivery> DeliveryFromName(absl::string_view name) {
  for (int i = 0; i < 3; ++i) {
    if (name == kDeliveryNames[i]) return static_cast<Delivery>(i);
  }
  return std::nullopt;
}

std::string ReminderKey(NotificationKind kind, absl::string_view resource_id,
                        absl::string_view professional_id, absl::string_view due_date) {
  return absl::StrCat(NotificationKindName(kind), "/", resource_id, "/", professional_id, "/",
                      due_date);
}

MailText NotificationMail(NotificationKind kind, absl::string_view console_url) {
  const KindRow& r = Row(kind);
  return MailText{absl::StrCat("schakel: ", r.subject),
                  absl::StrCat("Goedendag,\n\n", r.subject, ".\n", Footer(console_url))};
}

MailText DigestMail(const std::map<NotificationKind, int>& counts, absl::CivilDay day,
                    absl::string_view console_url) {
  std::string lines;
  int total = 0;
  for (const KindRow& r : kKinds) {
    auto it = counts.find(r.kind);
    if (it == counts.end() || it->second == 0) continue;
    absl::StrAppend(&lines, "- ", it->second, " ", r.digest_line, "\n");
    total += it->second;
  }
  return MailText{absl::StrCat("schakel: ", total, " nieuwe melding", total == 1 ? "" : "en",
                               " op ", FormatDate(day)),
                  absl::StrCat("Goedendag,\n\nIn schakel kwamen op ", FormatDate(day),
                               " deze meldingen voor u binnen:\n\n", lines,
                               Footer(console_url))};
}

}  // namespace schakel::domain
