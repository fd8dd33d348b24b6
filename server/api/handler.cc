#include "server/api/handler.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/api/request_ids.h"
#include "server/common/log.h"
#include "server/crypto/x509.h"

namespace schakel::api {
namespace {

// How often a running request asks whether its call was cancelled.
constexpr absl::Duration kCancelCheckEvery = absl::Milliseconds(20);

constexpr size_t kMaxReason = 300;
constexpr absl::Duration kRefusalInterval = absl::Minutes(1);
constexpr size_t kMaxRefusalsTracked = 10000;
// From this long before a certificate ends, its use is warned about.
constexpr absl::Duration kExpiryWarning = absl::Hours(24 * 30);
constexpr absl::Duration kExpiryWarningEvery = absl::Hours(24);
// What of a client's request id goes into a log line.
constexpr size_t kMaxLoggedRequestId = 100;

// What the client sent as its purpose of use; nullopt when nothing.
// The purpose of use the call names (x-schakel-purpose), resolved against
// the deployment's list.
absl::StatusOr<std::string> PurposeOf(const Call& call, const domain::PurposePolicy& purposes) {
  std::optional<std::string> sent = call.Header(domain::kPurposeMetadata);
  return domain::ResolvePurpose(
      purposes, sent ? std::optional<absl::string_view>(*sent) : std::nullopt);
}

const char* OutcomeOf(const absl::Status& s) {
  if (s.ok()) return audit::kAllowed;
  switch (s.code()) {
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kUnauthenticated:
      return audit::kDenied;
    default:
      return audit::kFailed;
  }
}

}  // namespace

audit::Trail Handler::Open(const Call& call, const char* action) const {
  audit::Trail trail;
  trail.entry.time = clock_->Now();
  trail.entry.action = action;
  // A refused purpose is never recorded as sent (CheckRequest refuses the
  // request).
  absl::StatusOr<std::string> purpose = PurposeOf(call, options_.purposes);
  trail.entry.purpose = purpose.ok() ? *std::move(purpose) : domain::kInvalidPurposeMarker;
  trail.entry.peer = call.Peer();
  // The server's cap on the client's deadline. Real time, not the injected
  // clock: the injected clock is business time (and stands still in tests),
  // a deadline is about how long a thread and the database are held.
  absl::Time start = absl::Now();
  absl::Time deadline = start + options_.max_request_deadline;
  deadline = std::min(deadline, call.Deadline());
  absl::Duration cap = options_.max_request_deadline;
  const std::function<void()>* hook =
      options_.stop_check_hook_for_testing ? &options_.stop_check_hook_for_testing : nullptr;
  // Asking gRPC's synchronous server whether the call was cancelled plucks
  // its completion queue (a lock and often a futex wait: ~11 % of the server
  // at 64 get-signals in flight when asked once per request). So the
  // deadline is checked on every ask, cancellation at most every
  // kCancelCheckEvery — a request shorter than that never asks, and a
  // cancelled long one stops within it. Safe to ask from several threads.
  auto last_cancel_check = std::make_shared<std::atomic<int64_t>>(absl::ToUnixNanos(start));
  trail.stop = [&call, deadline, cap, hook, last_cancel_check]() -> absl::Status {
    if (hook != nullptr) (*hook)();
    const absl::Time now = absl::Now();
    int64_t last = last_cancel_check->load(std::memory_order_relaxed);
    if (absl::ToUnixNanos(now) - last >= absl::ToInt64Nanoseconds(kCancelCheckEvery) &&
        last_cancel_check->compare_exchange_strong(last, absl::ToUnixNanos(now))) {
      if (call.IsCancelled()) return absl::CancelledError("the request was cancelled");
    }
    if (now >= deadline) {
      return absl::DeadlineExceededError(absl::StrCat(
          "the request ran past its deadline (the server allows at most ",
          absl::FormatDuration(cap), ")"));
    }
    return absl::OkStatus();
  };
  return trail;
}

absl::Status Handler::CheckRequest(const Call& call, const google::protobuf::Message& request,
                                   const audit::Trail& trail) const {
  absl::StatusOr<std::string> purpose = PurposeOf(call, options_.purposes);
  if (!purpose.ok()) return purpose.status();
  return ValidateRequestIds(trail.entry.action, request);
}

absl::StatusOr<auth::Principal> Handler::Authenticate(const Call& call,
                                                      audit::Trail& trail) const {
  std::string pem = call.PeerCertificatePem();
  absl::StatusOr<auth::Principal> caller = authenticator_->Authenticate(pem, trail.entry.time);
  if (caller.ok()) {
    const domain::Professional& p = caller->professional;
    trail.entry.professional_id = p.id;
    trail.entry.organisation_id = p.organisation_id;
    std::vector<std::string> roles;
    for (domain::Role r : p.roles) roles.emplace_back(domain::RoleName(r));
    trail.entry.roles = absl::StrJoin(roles, ",");
    trail.entry.certificate = caller->certificate.fingerprint;
    WarnIfExpiring(*caller);
    if (!caller->replaces_active_serial.empty() && retire_replaced_) {
      // The renewed certificate works: the old one stops working now.
      absl::Status retired = retire_replaced_(*caller, caller->replaces_active_serial, trail);
      if (!retired.ok()) {
        LogError(absl::StrCat("cannot revoke the renewed certificate ",
                              caller->replaces_active_serial, ": ", retired.ToString()));
        return absl::UnavailableError("the renewal cannot be completed; retry");
      }
    }
    trail.break_glass_residents = caller->break_glass_residents;
    return caller;
  }
  if (caller.status().code() != absl::StatusCode::kUnauthenticated) return caller.status();
  // A certificate of our CA (TLS verified the chain) that schakel refuses:
  // attributable, so recorded — at most once a minute per certificate.
  auto cert = crypto::ParseCertificatePem(pem);
  if (!cert.ok()) return caller.status();
  auto info = crypto::InspectCertificate(cert->get());
  if (!info.ok()) return caller.status();
  {
    absl::MutexLock lock(&mu_);
    auto it = refusals_.find(info->fingerprint_sha256);
    if (it != refusals_.end() && trail.entry.time - it->second < kRefusalInterval) {
      return caller.status();
    }
    if (refusals_.size() >= kMaxRefusalsTracked) refusals_.clear();
    refusals_[info->fingerprint_sha256] = trail.entry.time;
  }
  for (const std::string& uri : info->uris) {
    if (auto id = domain::ProfessionalIdFromUri(uri)) trail.entry.professional_id = *id;
  }
  trail.entry.certificate = info->fingerprint_sha256;
  trail.entry.action = absl::StrCat("auth.failure ", trail.entry.action);
  trail.entry.outcome = audit::kDenied;
  trail.entry.reason = std::string(caller.status().message());
  absl::Status recorded = audit_->Record(trail.entry);
  if (!recorded.ok()) LogError(absl::StrCat("cannot record an authentication failure: ", recorded.message()));
  return caller.status();
}

void Handler::WarnIfExpiring(const auth::Principal& caller) const {
  const domain::CertificateRecord& cert = caller.certificate;
  if (cert.not_after - caller.now >= kExpiryWarning) return;
  {
    absl::MutexLock lock(&mu_);
    auto it = expiry_warned_.find(cert.fingerprint);
    if (it != expiry_warned_.end() && caller.now - it->second < kExpiryWarningEvery) return;
    if (expiry_warned_.size() >= kMaxRefusalsTracked) expiry_warned_.clear();
    expiry_warned_[cert.fingerprint] = caller.now;
  }
  LogWarning(absl::StrCat("certificate ", cert.serial, " of professional ",
                          caller.professional.id, " ends on ",
                          absl::FormatTime("%Y-%m-%d", cert.not_after, absl::UTCTimeZone()),
                          ": its holder renews it with `schakel cert renew`"));
}

absl::Status Handler::Finish(absl::Status status, audit::Trail& trail) const {
  if (status.ok() && trail.appended) return status;
  trail.entry.outcome = OutcomeOf(status);
  // A bug's message stays in the server log (ToGrpcStatus); the entry only
  // says that it happened.
  bool bug = status.code() == absl::StatusCode::kInternal ||
             status.code() == absl::StatusCode::kUnknown;
  trail.entry.reason =
      status.ok() ? trail.entry.reason
      : bug       ? "INTERNAL"
                  : absl::StrCat(absl::StatusCodeToString(status.code()), ": ",
                                 status.message().substr(0, kMaxReason));
  trail.MarkBreakGlass();
  absl::Status recorded = audit_->Record(trail.entry);
  if (recorded.ok()) return status;
  LogError(absl::StrCat("cannot write the audit entry of ", trail.entry.action, ": ",
                        recorded.ToString()));
  if (!status.ok()) return status;
  // Fail closed: what cannot be recorded is not returned.
  if (recorded.code() == absl::StatusCode::kResourceExhausted) {
    return absl::ResourceExhaustedError(
        "the server's disk is full: the access could not be recorded in the audit log, so "
        "nothing is returned; retry later");
  }
  return absl::UnavailableError(
      "the access could not be recorded in the audit log, so nothing is returned; retry");
}

void Handler::LogRefusal(const Call& call, const absl::Status& status,
                         const audit::Trail& trail) const {
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kUnauthenticated:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kCancelled:
      break;
    default:
      return;
  }
  int64_t suppressed = 0;
  if (!refusal_lines_.Allow(absl::Now(), &suppressed)) return;
  // Ids and codes only: status messages name a field and a rule, never a
  // value (house rule), and the request id is the client's own opaque
  // token. Log() escapes whatever a client put in it.
  std::string who = trail.entry.professional_id.empty()
                        ? std::string("unauthenticated")
                        : absl::StrCat("professional ", trail.entry.professional_id);
  std::string request_id =
      trail.entry.request_id.empty()
          ? std::string()
          : absl::StrCat(", request id \"",
                         trail.entry.request_id.substr(0, kMaxLoggedRequestId), "\"");
  LogWarning(absl::StrCat("refused ", trail.entry.action, " from ", call.Peer(), " (", who,
                          request_id, "): ", absl::StatusCodeToString(status.code()), ": ",
                          status.message().substr(0, kMaxReason),
                          suppressed > 0 ? absl::StrCat(" (", suppressed, " refusals not logged)")
                                         : ""));
}

bool Handler::WaitUntilIdle(absl::Duration timeout) const {
  const absl::Time until = absl::Now() + timeout;
  while (running_.load() > 0) {
    if (absl::Now() >= until) return false;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return true;
}

}  // namespace schakel::api
