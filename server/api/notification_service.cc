#include "server/api/notification_service.h"

#include <chrono>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/api/call.h"
#include "server/api/convert.h"
#include "server/common/status_macros.h"

namespace schakel::api {

v1::NotificationKind ToProto(domain::NotificationKind kind) {
  v1::NotificationKind out = v1::NOTIFICATION_KIND_UNSPECIFIED;
  v1::NotificationKind_Parse(absl::AsciiStrToUpper(domain::NotificationKindName(kind)), &out);
  return out;
}

std::optional<domain::NotificationKind> FromProto(v1::NotificationKind kind) {
  if (kind == v1::NOTIFICATION_KIND_UNSPECIFIED) return std::nullopt;
  return domain::NotificationKindFromName(absl::AsciiStrToLower(v1::NotificationKind_Name(kind)));
}

void ToProto(const domain::Notification& n, v1::Notification* out) {
  out->set_id(n.id);
  out->set_seq(n.seq);
  out->set_kind(ToProto(n.kind));
  out->set_resource_type(std::string(domain::NotificationResourceType(n.kind)));
  out->set_resource_id(n.resource_id);
  SetTime(n.create_time, out->mutable_create_time());
  out->set_due_date(n.due_date);
  if (n.read_time) SetTime(*n.read_time, out->mutable_read_time());
}

namespace {

v1::Delivery DeliveryToProto(domain::Delivery d) {
  switch (d) {
    case domain::Delivery::kInApp: return v1::IN_APP;
    case domain::Delivery::kEmailNow: return v1::EMAIL_NOW;
    case domain::Delivery::kDailyDigest: return v1::DAILY_DIGEST;
  }
  return v1::DELIVERY_UNSPECIFIED;
}

void SettingsToProto(const domain::NotificationSettings& s, v1::NotificationSettings* out) {
  for (const auto& [kind, delivery] : s) {
    v1::NotificationSettings::Choice* c = out->add_choices();
    c->set_kind(ToProto(kind));
    c->set_delivery(DeliveryToProto(delivery));
  }
}

absl::StatusOr<domain::NotificationSettings> SettingsFromProto(const v1::NotificationSettings& in) {
  domain::NotificationSettings out;
  for (int i = 0; i < in.choices_size(); ++i) {
    const v1::NotificationSettings::Choice& c = in.choices(i);
    const std::string field = absl::StrCat("choices[", i, "]");
    std::optional<domain::NotificationKind> kind = FromProto(c.kind());
    if (!kind) return absl::InvalidArgumentError(absl::StrCat(field, ".kind: required"));
    if (out.count(*kind)) {
      return absl::InvalidArgumentError(absl::StrCat(field, ".kind: named twice"));
    }
    switch (c.delivery()) {
      case v1::IN_APP: out[*kind] = domain::Delivery::kInApp; break;
      case v1::EMAIL_NOW: out[*kind] = domain::Delivery::kEmailNow; break;
      case v1::DAILY_DIGEST: out[*kind] = domain::Delivery::kDailyDigest; break;
      default:
        return absl::InvalidArgumentError(
            absl::StrCat(field, ".delivery: IN_APP, EMAIL_NOW or DAILY_DIGEST"));
    }
  }
  return out;
}

}  // namespace

grpc::Status NotificationService::ListNotifications(grpc::ServerContext* context,
                                                    const v1::ListNotificationsRequest* request,
                                                    v1::ListNotificationsResponse* response) {
  return handler_->Handle(
      context, "NotificationService.ListNotifications", *request,
      [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
        ASSIGN_OR_RETURN(app::NotificationList list,
                         app_->List(caller, request->unread_only(), request->page_size(),
                                    request->page_token(), trail));
        for (const domain::Notification& n : list.notifications) {
          ToProto(n, response->add_notifications());
        }
        response->set_next_page_token(list.next_page_token);
        response->set_unread_count(list.unread_count);
        return absl::OkStatus();
      });
}

grpc::Status NotificationService::MarkNotificationsRead(
    grpc::ServerContext* context, const v1::MarkNotificationsReadRequest* request,
    v1::MarkNotificationsReadResponse* response) {
  return handler_->Handle(
      context, "NotificationService.MarkNotificationsRead", *request,
      [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
        const std::vector<std::string> ids(request->ids().begin(), request->ids().end());
        ASSIGN_OR_RETURN(app::NotificationApp::Marked m,
                         app_->MarkRead(caller, ids, request->up_to_seq(), trail));
        response->set_marked(m.marked);
        response->set_unread_count(m.unread_count);
        return absl::OkStatus();
      });
}

grpc::Status NotificationService::WatchNotifications(
    grpc::ServerContext* context, const v1::WatchNotificationsRequest* request,
    grpc::ServerWriter<v1::Notification>* writer) {
  return Watch(context, *request,
               [writer](const v1::Notification& n) { return writer->Write(n); });
}

grpc::Status NotificationService::Watch(
    grpc::ServerContext* context, const v1::WatchNotificationsRequest& request,
    const std::function<bool(const v1::Notification&)>& write) {
  std::optional<auth::Principal> watcher;
  grpc::Status opened = handler_->Handle(
      context, "NotificationService.WatchNotifications", request,
      [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
        trail.Concerns("notification", "");
        if (request.after_seq() < 0) {
          return absl::InvalidArgumentError("after_seq: must not be negative");
        }
        watcher = caller;
        return absl::OkStatus();
      });
  if (!opened.ok() || !watcher) return opened;
  // The call's own deadline and cancellation, whichever transport carries
  // it (an HTTPS stream's are not the bare ServerContext's).
  std::optional<GrpcCall> storage;
  const Call& call = CallOf(context, storage);
  const absl::Time end = std::min(call.Deadline(), absl::Now() + kMaxWatch);
  absl::Status s = app_->Watch(
      *watcher, request.after_seq(),
      [&](const domain::Notification& n) {
        v1::Notification out;
        ToProto(n, &out);
        return write(out);
      },
      [&] { return call.IsCancelled() || absl::Now() >= end; });
  return ToGrpcStatus(s);
}

grpc::Status NotificationService::GetNotificationSettings(
    grpc::ServerContext* context, const v1::GetNotificationSettingsRequest* request,
    v1::NotificationSettings* response) {
  return handler_->Handle(
      context, "NotificationService.GetNotificationSettings", *request,
      [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
        ASSIGN_OR_RETURN(domain::NotificationSettings s, app_->Settings(caller, trail));
        SettingsToProto(s, response);
        return absl::OkStatus();
      });
}

grpc::Status NotificationService::SetNotificationSettings(grpc::ServerContext* context,
                                                          const v1::NotificationSettings* request,
                                                          v1::NotificationSettings* response) {
  return handler_->Handle(
      context, "NotificationService.SetNotificationSettings", *request,
      [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
        ASSIGN_OR_RETURN(domain::NotificationSettings changes, SettingsFromProto(*request));
        ASSIGN_OR_RETURN(domain::NotificationSettings s,
                         app_->SetSettings(caller, changes, trail));
        SettingsToProto(s, response);
        return absl::OkStatus();
      });
}

grpc::Status NotificationService::ListDeadLetters(grpc::ServerContext* context,
                                                  const v1::ListDeadLettersRequest* request,
                                                  v1::ListDeadLettersResponse* response) {
  return handler_->Handle(
      context, "NotificationService.ListDeadLetters", *request,
      [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
        ASSIGN_OR_RETURN(app::DeadLetterList list,
                         app_->DeadLetters(caller, request->page_size(), request->page_token(),
                                           trail));
        for (const domain::DeadLetter& m : list.dead_letters) {
          v1::DeadLetter* d = response->add_dead_letters();
          d->set_notification_id(m.notification_id);
          d->set_professional_id(m.professional_id);
          d->set_kind(ToProto(m.kind));
          d->set_attempts(m.attempts);
          if (m.last_attempt_time) SetTime(*m.last_attempt_time, d->mutable_last_attempt_time());
          d->set_last_error(m.last_error);
        }
        response->set_next_page_token(list.next_page_token);
        return absl::OkStatus();
      });
}

}  // namespace schakel::api
