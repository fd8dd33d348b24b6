// The shape of every RPC: authenticate the caller, open the request's audit
// trail, run the body, and make sure the trail is written before the
// response leaves — a change's entry in the change's own transaction, any
// other outcome (reads, denials, failures) in its own durable transaction.
// If a read's entry cannot be written, the read fails (fail closed).
#ifndef SCHAKEL_SERVER_API_HANDLER_H_
#define SCHAKEL_SERVER_API_HANDLER_H_

#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <exception>
#include <functional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "server/api/call.h"
#include "server/api/convert.h"
#include "server/api/limits.h"
#include "server/audit/audit_log.h"
#include "server/audit/trail.h"
#include "server/auth/authenticator.h"
#include "server/common/clock.h"
#include "server/common/log.h"
#include "server/common/read_stop.h"
#include "server/domain/purpose.h"

namespace schakel::api {

struct HandlerOptions {
  // The purposes of use a request may send (metadata x-schakel-purpose),
  // from the deployment's configuration.
  domain::PurposePolicy purposes = domain::DefaultPurposePolicy();
  // A request without a deadline, or with a later one, gets this one.
  absl::Duration max_request_deadline = Limits().max_request_deadline;
  // Tests only: called at every stop check (when a request starts, and
  // between the rows of a long operation), before the check, to slow the
  // work down and count how far it got.
  std::function<void()> stop_check_hook_for_testing;
};

class Handler {
 public:
  Handler(const auth::Authenticator* authenticator, audit::AuditLog* audit, const Clock* clock,
          HandlerOptions options = {})
      : authenticator_(authenticator), audit_(audit), clock_(clock), options_(std::move(options)) {}

  // `action` names the RPC in the audit log, e.g. "SignalService.GetSignal".
  // `body(principal, trail)` returns the status of the work; it runs only
  // when the request's purpose of use and every id in `request` are valid
  // (CheckRequest), else the request is refused with INVALID_ARGUMENT and
  // its entry records neither. Exceptions never escape: they become
  // INTERNAL with a generic message.
  template <typename Body>
  grpc::Status Handle(grpc::ServerContext* context, const char* action,
                      const google::protobuf::Message& request, Body body) const {
    Running running(this);
    std::optional<GrpcCall> grpc_call;
    const Call& call = CallOf(context, grpc_call);
    audit::Trail trail = Open(call, action);
    absl::Status status;
    try {
      // A request overdue while it waited for a thread does not start
      // (cancellation is asked at most every 20 ms: see Handler::Open).
      if (absl::Status stop = trail.CheckStop(); !stop.ok()) {
        LogRefusal(call, stop, trail);
        return ToGrpcStatus(stop);
      }
      absl::StatusOr<auth::Principal> caller = Authenticate(call, trail);
      if (!caller.ok()) {
        LogRefusal(call, caller.status(), trail);
        return ToGrpcStatus(caller.status());
      }
      status = CheckRequest(call, request, trail);
      if (status.ok()) {
        // Long reads check the same stop between their steps.
        ScopedReadStop stop_reads([&trail] { return trail.CheckStop(); });
        status = body(*caller, trail);
      }
    } catch (const std::exception& e) {
      status = absl::InternalError(e.what());
    } catch (...) {
      status = absl::InternalError("unknown exception");
    }
    status = Finish(status, trail);
    LogRefusal(call, status, trail);
    return ToGrpcStatus(status);
  }

  // For the one RPC whose caller has no certificate yet
  // (EnrollmentService.Enroll, on the enrollment listener): no
  // authentication; `body(trail)` runs and the trail is written as for any
  // request (a change's entry in its transaction, a refusal on its own).
  template <typename Body>
  grpc::Status HandleAnonymous(grpc::ServerContext* context, const char* action,
                               const google::protobuf::Message& request, Body body) const {
    Running running(this);
    std::optional<GrpcCall> grpc_call;
    const Call& call = CallOf(context, grpc_call);
    audit::Trail trail = Open(call, action);
    absl::Status status;
    try {
      if (absl::Status stop = trail.CheckStop(); !stop.ok()) return ToGrpcStatus(stop);
      status = CheckRequest(call, request, trail);
      if (status.ok()) status = body(trail);
    } catch (const std::exception& e) {
      status = absl::InternalError(e.what());
    } catch (...) {
      status = absl::InternalError("unknown exception");
    }
    status = Finish(status, trail);
    LogRefusal(call, status, trail);
    return ToGrpcStatus(status);
  }

  // What to do on the first request made with a renewed certificate while
  // the one it replaced is still valid: revoke that one (set once, by
  // Services, before serving).
  using RetireReplaced = std::function<absl::Status(const auth::Principal& caller,
                                                    const std::string& serial,
                                                    audit::Trail& trail)>;
  void SetRetireReplaced(RetireReplaced retire) { retire_replaced_ = std::move(retire); }

  // For the one RPC that reads no case data and no directory data and
  // changes nothing (DirectoryService.Ping): authenticates like every RPC
  // (an attributable refusal is still recorded), runs `body(principal)`,
  // and writes no audit entry — the audit log records requests that read
  // or change case data or the directory, and a ping does neither.
  template <typename Body>
  grpc::Status HandleUnaudited(grpc::ServerContext* context, const char* action,
                               Body body) const {
    Running running(this);
    std::optional<GrpcCall> grpc_call;
    const Call& call = CallOf(context, grpc_call);
    audit::Trail trail = Open(call, action);
    absl::Status status;
    try {
      absl::StatusOr<auth::Principal> caller = Authenticate(call, trail);
      if (!caller.ok()) return ToGrpcStatus(caller.status());
      status = body(*caller);
    } catch (const std::exception& e) {
      status = absl::InternalError(e.what());
    } catch (...) {
      status = absl::InternalError("unknown exception");
    }
    return ToGrpcStatus(status);
  }

  // The purposes of use requests may send (ReferenceService.ListPurposes).
  const domain::PurposePolicy& purposes() const { return options_.purposes; }

  // Waits until no request is inside Handle (at most `timeout`); true when
  // none is. For an orderly shutdown: once gRPC takes no new calls, the
  // requests still running are the ones worth waiting for. (It polls: only
  // shutdown waits, and the count stays one atomic add per request.)
  bool WaitUntilIdle(absl::Duration timeout) const;

 private:
  // Counts a request as running for as long as it lives.
  class Running {
   public:
    explicit Running(const Handler* h) : h_(h) { h_->running_.fetch_add(1); }
    ~Running() { h_->running_.fetch_sub(1); }
    Running(const Running&) = delete;
    Running& operator=(const Running&) = delete;

   private:
    const Handler* h_;
  };

  audit::Trail Open(const Call& call, const char* action) const;
  // INVALID_ARGUMENT naming x-schakel-purpose when the purpose of use is not
  // one of the deployment's (domain/purpose.h), or naming the first id
  // field of `request` that is not an id of its kind (request_ids.h).
  absl::Status CheckRequest(const Call& call, const google::protobuf::Message& request,
                            const audit::Trail& trail) const;
  // Authenticates and fills in who; records an attributable refusal
  // (rate-limited per certificate).
  absl::StatusOr<auth::Principal> Authenticate(const Call& call,
                                               audit::Trail& trail) const;
  absl::Status Finish(absl::Status status, audit::Trail& trail) const;
  // A line in the server log, once a day per certificate, from 30 days
  // before the caller's certificate ends.
  void WarnIfExpiring(const auth::Principal& caller) const;
  // A request refused for what it sent (bad input, no access, too big,
  // too slow) is a line in the server log, rate-limited.
  void LogRefusal(const Call& call, const absl::Status& status,
                  const audit::Trail& trail) const;

  const auth::Authenticator* authenticator_;
  RetireReplaced retire_replaced_;
  audit::AuditLog* audit_;
  const Clock* clock_;
  const HandlerOptions options_;
  mutable absl::Mutex mu_;
  // When each certificate close to its end was last warned about.
  mutable absl::flat_hash_map<std::string, absl::Time> expiry_warned_ ABSL_GUARDED_BY(mu_);
  // When each refused certificate was last recorded.
  mutable absl::flat_hash_map<std::string, absl::Time> refusals_ ABSL_GUARDED_BY(mu_);
  // At most 20 refusal lines at once, then 5 a second.
  mutable LogRateLimiter refusal_lines_{20, absl::Milliseconds(200)};
  mutable std::atomic<int> running_{0};
};

}  // namespace schakel::api

#endif  // SCHAKEL_SERVER_API_HANDLER_H_
