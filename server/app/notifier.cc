#include "server/app/notifier.h"

#include "server/common/status_macros.h"
#include "server/domain/calendar.h"
#include "server/store/instance_wakeups.h"

namespace schakel::app {

absl::Time Notifier::DigestTime(absl::Time now) const {
  const absl::CivilDay next = domain::DayOf(now) + 1;
  return absl::FromCivil(absl::CivilHour(next.year(), next.month(), next.day(),
                                         options_.digest_hour),
                         domain::ProgrammeTimeZone());
}

absl::StatusOr<std::vector<std::string>> Notifier::Notify(Transaction& tx,
                                                          const auth::NotificationEvent& event,
                                                          const std::string& resource_id,
                                                          const std::string& due_date,
                                                          absl::Time now, bool once) {
  std::vector<std::string> organisations;
  auto add = [&](const std::string& org) {
    if (org.empty()) return;
    for (const std::string& o : organisations) {
      if (o == org) return;
    }
    organisations.push_back(org);
  };
  if (event.handover) {
    add(event.handover->from.organisation_id);
    add(event.handover->to.organisation_id);
  }
  if (event.signal) add(event.signal->owner.organisation_id);
  if (event.trajectory) add(event.trajectory->team.organisation_id);
  std::vector<std::string> told;
  if (organisations.empty()) return told;
  ASSIGN_OR_RETURN(std::vector<domain::Professional> people,
                   store_->Candidates(tx, organisations));
  std::vector<auth::Principal> candidates;
  candidates.reserve(people.size());
  for (domain::Professional& p : people) {
    auth::Principal c;
    c.professional = std::move(p);
    c.now = now;
    candidates.push_back(std::move(c));
  }
  const std::vector<std::string> audience = auth::NotificationAudience(event, candidates);
  const std::string digest_day = domain::FormatDate(domain::DayOf(now));
  for (const std::string& recipient : audience) {
    domain::Notification n;
    n.id = ids_->NewId("nt");
    n.professional_id = recipient;
    n.kind = event.kind;
    n.resource_id = resource_id;
    n.due_date = due_date;
    n.create_time = now;
    if (once) n.once_key = domain::ReminderKey(event.kind, resource_id, recipient, due_date);
    std::optional<domain::Delivery> mail;
    if (options_.mail) {
      ASSIGN_OR_RETURN(domain::NotificationSettings settings, store_->Settings(tx, recipient));
      auto it = settings.find(event.kind);
      if (it != settings.end() && it->second != domain::Delivery::kInApp) mail = it->second;
    }
    const absl::Time due =
        mail == domain::Delivery::kDailyDigest ? DigestTime(now) : now;
    ASSIGN_OR_RETURN(bool written, store_->Insert(tx, n, mail, due, digest_day));
    if (written) told.push_back(recipient);
  }
  if (!told.empty()) {
    // This instance's streams at once; the other instances' when the
    // transaction commits (store/instance_wakeups.h).
    RETURN_IF_ERROR(store::AnnounceNotifications(tx, told));
    NotificationHub* hub = hub_;
    tx.AfterTransaction([hub, told] { hub->Published(told); });
  }
  return told;
}

absl::StatusOr<std::vector<std::string>> Notifier::Handover(Transaction& tx,
                                                            domain::NotificationKind kind,
                                                            const domain::Handover& h,
                                                            const std::string& actor_id,
                                                            absl::Time now, bool once) {
  auth::NotificationEvent e;
  e.kind = kind;
  e.actor_id = actor_id;
  e.handover = auth::FactsOf(h);
  e.sender_id = h.sender_id;
  e.receiver_id = h.receiver_id;
  // The response deadline is what a proposal, its reminder and its lapse
  // are about; the answers carry no date.
  const bool dated = kind == domain::NotificationKind::kHandoverProposed ||
                     kind == domain::NotificationKind::kHandoverDueSoon ||
                     kind == domain::NotificationKind::kHandoverOverdue;
  return Notify(tx, e, h.id, dated ? domain::FormatDate(h.deadline) : "", now, once);
}

absl::StatusOr<std::vector<std::string>> Notifier::SignalAssigned(Transaction& tx,
                                                                  const domain::Signal& s,
                                                                  const std::string& actor_id,
                                                                  absl::Time now) {
  auth::NotificationEvent e;
  e.kind = domain::NotificationKind::kSignalAssigned;
  e.actor_id = actor_id;
  e.signal = auth::FactsOf(s);
  return Notify(tx, e, s.id, "", now);
}

}  // namespace schakel::app
