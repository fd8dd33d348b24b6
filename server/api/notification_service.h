// gRPC adapter of schakel.v1.NotificationService. No state, no SQL.
#ifndef SCHAKEL_SERVER_API_NOTIFICATION_SERVICE_H_
#define SCHAKEL_SERVER_API_NOTIFICATION_SERVICE_H_

#include "schakel/v1/notifications.grpc.pb.h"
#include "server/api/handler.h"
#include "server/app/notification_app.h"

namespace schakel::api {

class NotificationService final : public v1::NotificationService::Service {
 public:
  NotificationService(const Handler* handler, app::NotificationApp* app)
      : handler_(handler), app_(app) {}

  grpc::Status ListNotifications(grpc::ServerContext* context,
                                 const v1::ListNotificationsRequest* request,
                                 v1::ListNotificationsResponse* response) override;
  grpc::Status MarkNotificationsRead(grpc::ServerContext* context,
                                     const v1::MarkNotificationsReadRequest* request,
                                     v1::MarkNotificationsReadResponse* response) override;
  // The request is authenticated and recorded like every other before the
  // first notification leaves; the stream then ends at the client's
  // deadline, at most after kMaxWatch (the client opens it again after the
  // last seq it saw), when the client goes, or when the server stops.
  grpc::Status WatchNotifications(grpc::ServerContext* context,
                                  const v1::WatchNotificationsRequest* request,
                                  grpc::ServerWriter<v1::Notification>* writer) override;
  // The same stream for any transport (the HTTPS port's Connect streaming
  // too): `write` sends one notification and answers false once the client
  // is gone.
  grpc::Status Watch(grpc::ServerContext* context, const v1::WatchNotificationsRequest& request,
                     const std::function<bool(const v1::Notification&)>& write);
  grpc::Status GetNotificationSettings(grpc::ServerContext* context,
                                       const v1::GetNotificationSettingsRequest* request,
                                       v1::NotificationSettings* response) override;
  grpc::Status SetNotificationSettings(grpc::ServerContext* context,
                                       const v1::NotificationSettings* request,
                                       v1::NotificationSettings* response) override;
  grpc::Status ListDeadLetters(grpc::ServerContext* context,
                               const v1::ListDeadLettersRequest* request,
                               v1::ListDeadLettersResponse* response) override;

  // A stream lasts at most this long: a disabled professional's is ended at
  // the next poll anyway, and a bounded stream frees its thread.
  static constexpr absl::Duration kMaxWatch = absl::Minutes(15);

 private:
  const Handler* handler_;
  app::NotificationApp* app_;
};

// proto ⇄ domain (the enum names agree: HANDOVER_PROPOSED is
// "handover_proposed").
v1::NotificationKind ToProto(domain::NotificationKind kind);
std::optional<domain::NotificationKind> FromProto(v1::NotificationKind kind);
void ToProto(const domain::Notification& n, v1::Notification* out);

}  // namespace schakel::api

#endif  // SCHAKEL_SERVER_API_NOTIFICATION_SERVICE_H_
