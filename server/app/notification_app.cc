#include "server/app/notification_app.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "server/auth/policy.h"
#include "server/common/status_macros.h"
#include "server/domain/ids.h"
#include "server/domain/page_token.h"

namespace schakel::app {
namespace {

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 200;
constexpr int kMaxMarkIds = 200;
constexpr int kWatchBatch = 100;

absl::StatusOr<int64_t> SeqOf(const std::string& key) {
  int64_t seq = 0;
  if (!absl::SimpleAtoi(key, &seq) || seq <= 0) {
    return absl::InvalidArgumentError("page_token: not a token from this list");
  }
  return seq;
}

}  // namespace

absl::StatusOr<domain::NotificationSettings> NotificationApp::ReadSettings(
    const std::string& professional_id) {
  domain::NotificationSettings out;
  RETURN_IF_ERROR(uow_->Read([&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(out, store_->Settings(tx, professional_id));
    return absl::OkStatus();
  }));
  for (domain::NotificationKind k : domain::AllNotificationKinds()) {
    out.emplace(k, domain::Delivery::kInApp);
  }
  return out;
}

absl::StatusOr<NotificationList> NotificationApp::List(const auth::Principal& caller,
                                                       bool unread_only, int page_size,
                                                       const std::string& page_token,
                                                       audit::Trail& trail) {
  trail.Concerns("notification", "");
  // Everyone reads their own: what they were told was decided when it
  // happened, and shows a kind, an id and dates.
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kReadDirectory).ToStatus());
  ASSIGN_OR_RETURN(int limit, domain::ResolvePageSize(page_size, kDefaultPageSize, kMaxPageSize));
  const PageScope scope{"notifications", caller.professional.id,
                        FilterText({unread_only ? "unread" : "all"})};
  ASSIGN_OR_RETURN(std::string key, tokens_->Open(scope, page_token));
  int64_t before = 0;
  if (!key.empty()) {
    ASSIGN_OR_RETURN(before, SeqOf(key));
  }
  ASSIGN_OR_RETURN(store::NotificationPage page,
                   store_->List(caller.professional.id, unread_only, before, limit));
  NotificationList out;
  ASSIGN_OR_RETURN(out.unread_count, store_->CountUnread(caller.professional.id));
  if (page.more && !page.notifications.empty()) {
    ASSIGN_OR_RETURN(out.next_page_token,
                     tokens_->Seal(scope, absl::StrCat(page.notifications.back().seq)));
  }
  out.notifications = std::move(page.notifications);
  return out;
}

absl::StatusOr<NotificationApp::Marked> NotificationApp::MarkRead(
    const auth::Principal& caller, const std::vector<std::string>& ids, int64_t up_to_seq,
    audit::Trail& trail) {
  trail.Concerns("notification", ids.size() == 1 && domain::IsIdOf(domain::IdKind::kNotification,
                                                                     ids[0])
                                     ? ids[0]
                                     : "");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kReadDirectory).ToStatus());
  if (ids.empty() && up_to_seq <= 0) {
    return absl::InvalidArgumentError("ids: name at least one notification, or up_to_seq");
  }
  if (up_to_seq < 0) return absl::InvalidArgumentError("up_to_seq: must not be negative");
  if (static_cast<int>(ids.size()) > kMaxMarkIds) {
    return absl::InvalidArgumentError(absl::StrCat("ids: at most ", kMaxMarkIds));
  }
  for (size_t i = 0; i < ids.size(); ++i) {
    RETURN_IF_ERROR(
        domain::ValidateIdOf(domain::IdKind::kNotification, absl::StrCat("ids[", i, "]"), ids[i]));
  }
  const absl::Time now = clock_->Now();
  Marked out;
  RETURN_IF_ERROR(uow_->Run(trail, [&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(out.marked,
                     store_->MarkRead(tx, caller.professional.id, ids, up_to_seq, now));
    return absl::OkStatus();
  }));
  ASSIGN_OR_RETURN(out.unread_count, store_->CountUnread(caller.professional.id));
  return out;
}

absl::Status NotificationApp::Watch(
    const auth::Principal& caller, int64_t after_seq,
    const std::function<bool(const domain::Notification&)>& write,
    const std::function<bool()>& done) {
  const std::string& who = caller.professional.id;
  {
    absl::MutexLock lock(&watches_mu_);
    if (watches_ >= kMaxWatches || watches_of_[who] >= kMaxWatchesPerProfessional) {
      return absl::ResourceExhaustedError(
          "too many open notification streams; list the notifications instead");
    }
    ++watches_;
    ++watches_of_[who];
  }
  struct Release {
    NotificationApp* app;
    const std::string& who;
    ~Release() {
      absl::MutexLock lock(&app->watches_mu_);
      --app->watches_;
      if (--app->watches_of_[who] == 0) app->watches_of_.erase(who);
    }
  } release{this, who};
  int64_t last = after_seq < 0 ? 0 : after_seq;
  while (!done() && !hub_->closed()) {
    // Taken before the read: a commit after it wakes the wait below at once.
    const int64_t seen = hub_->generation(caller.professional.id);
    ASSIGN_OR_RETURN(bool enabled,
                     store_->IsEnabled(caller.professional.id, caller.certificate.serial));
    if (!enabled) {
      return absl::UnauthenticatedError(
          "the professional was disabled or the certificate revoked");
    }
    // New notifications are unread; one read elsewhere before the stream
    // got to it was seen already.
    ASSIGN_OR_RETURN(std::vector<domain::Notification> batch,
                     store_->After(caller.professional.id, last, /*unread_only=*/true,
                                   kWatchBatch));
    for (const domain::Notification& n : batch) {
      if (!write(n)) return absl::OkStatus();
      last = n.seq;
    }
    if (static_cast<int>(batch.size()) == kWatchBatch) continue;
    hub_->WaitAfter(seen, kWatchPoll, caller.professional.id);
  }
  return absl::OkStatus();
}

absl::StatusOr<domain::NotificationSettings> NotificationApp::Settings(
    const auth::Principal& caller, audit::Trail& trail) {
  trail.Concerns("professional", caller.professional.id);
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kReadDirectory).ToStatus());
  return ReadSettings(caller.professional.id);
}

absl::StatusOr<domain::NotificationSettings> NotificationApp::SetSettings(
    const auth::Principal& caller, const domain::NotificationSettings& changes,
    audit::Trail& trail) {
  trail.Concerns("professional", caller.professional.id);
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kReadDirectory).ToStatus());
  if (changes.empty()) return absl::InvalidArgumentError("choices: name at least one kind");
  RETURN_IF_ERROR(uow_->Run(trail, [&](Transaction& tx) {
    return store_->SetSettings(tx, caller.professional.id, changes);
  }));
  return ReadSettings(caller.professional.id);
}

absl::StatusOr<DeadLetterList> NotificationApp::DeadLetters(const auth::Principal& caller,
                                                            int page_size,
                                                            const std::string& page_token,
                                                            audit::Trail& trail) {
  trail.Concerns("notification", "");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kManageProfessionals).ToStatus());
  ASSIGN_OR_RETURN(int limit, domain::ResolvePageSize(page_size, kDefaultPageSize, kMaxPageSize));
  const PageScope scope{"dead letters", caller.professional.id, FilterText({})};
  ASSIGN_OR_RETURN(std::string key, tokens_->Open(scope, page_token));
  int64_t after = 0;
  if (!key.empty()) {
    ASSIGN_OR_RETURN(after, SeqOf(key));
  }
  ASSIGN_OR_RETURN(store::DeadLetterPage page, store_->ListDeadLetters(after, limit));
  DeadLetterList out;
  if (page.more && !page.rows.empty()) {
    ASSIGN_OR_RETURN(out.next_page_token, tokens_->Seal(scope, absl::StrCat(page.rows.back().seq)));
  }
  for (const store::MailRow& m : page.rows) {
    out.dead_letters.push_back(domain::DeadLetter{m.notification_id, m.professional_id, m.kind,
                                                  m.attempts, m.last_attempt_time, m.last_error});
  }
  return out;
}

}  // namespace schakel::app
