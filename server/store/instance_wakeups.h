// Wake-ups across the schakeld instances on one PostgreSQL database, for
// what an instance's own wake-ups (app::NotificationHub) cannot reach: a
// notification that one instance wrote, for a stream another instance
// holds open (NotificationService.WatchNotifications).
//
// A wake-up carries nothing: the woken stream reads the rows from the
// database, and a missed wake-up costs only the stream's own look every
// app::NotificationApp::kWatchPoll. So LISTEN/NOTIFY serves here — it
// arrives a little after the commit, and is lost with a broken connection
// — where it would not for the caches (shared_generations.h: there a late
// notice is a wrong answer).
#ifndef SCHAKEL_SERVER_STORE_INSTANCE_WAKEUPS_H_
#define SCHAKEL_SERVER_STORE_INSTANCE_WAKEUPS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "server/store/database.h"

namespace schakel::store {

// The channel the instances LISTEN on; a payload is recipients' ids
// joined with ','.
inline constexpr char kNotificationsChannel[] = "schakel_notifications";

// Inside a write transaction that wrote notifications for `recipients`:
// every instance LISTENing hears of them when it commits, and nothing when
// it is taken back (sent pipelined). Nothing on SQLCipher, where one
// process holds the deployment.
absl::Status AnnounceNotifications(Connection& c, const std::vector<std::string>& recipients);

// The recipients a payload names.
std::vector<std::string> RecipientsOf(const std::string& payload);

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_INSTANCE_WAKEUPS_H_
