#include "server/store/instance_wakeups.h"

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "server/common/status_macros.h"

namespace schakel::store {
namespace {

// PostgreSQL refuses a payload of 8000 bytes or more.
constexpr size_t kMaxPayload = 7000;

absl::Status Notify(Connection& c, const std::string& payload) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare("SELECT pg_notify(?1, ?2)", "announce notifications"));
  st.Bind(1, std::string(kNotificationsChannel));
  st.Bind(2, payload);
  return st.RunPipelined();
}

}  // namespace

absl::Status AnnounceNotifications(Connection& c, const std::vector<std::string>& recipients) {
  if (c.engine() != Engine::kPostgresql || recipients.empty()) return absl::OkStatus();
  std::string payload;
  for (const std::string& r : recipients) {
    if (!payload.empty() && payload.size() + 1 + r.size() > kMaxPayload) {
      RETURN_IF_ERROR(Notify(c, payload));
      payload.clear();
    }
    absl::StrAppend(&payload, payload.empty() ? "" : ",", r);
  }
  return Notify(c, payload);
}

std::vector<std::string> RecipientsOf(const std::string& payload) {
  return absl::StrSplit(payload, ',', absl::SkipEmpty());
}

}  // namespace schakel::store
