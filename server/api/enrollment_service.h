// gRPC adapter of schakel.v1.EnrollmentService, served on the enrollment
// listener (TLS without a client certificate: the caller has none yet).
// Every attempt is audited; attempts are rate-limited per client address,
// so that guessing codes (160 random bits) is also slow.
#ifndef SCHAKEL_SERVER_API_ENROLLMENT_SERVICE_H_
#define SCHAKEL_SERVER_API_ENROLLMENT_SERVICE_H_

#include "schakel/v1/enrollment.grpc.pb.h"
#include "server/api/handler.h"
#include "server/api/peer_rate_limiter.h"
#include "server/app/enrollment_app.h"

namespace schakel::api {

class EnrollmentService final : public v1::EnrollmentService::Service {
 public:
  EnrollmentService(const Handler* handler, app::EnrollmentApp* app)
      : handler_(handler), app_(app) {}

  grpc::Status Enroll(grpc::ServerContext* context, const v1::EnrollRequest* request,
                      v1::EnrollResponse* response) override;

 private:
  const Handler* handler_;
  app::EnrollmentApp* app_;
  // 10 attempts at once per address, then one every 6 seconds.
  PeerRateLimiter limiter_{10, absl::Seconds(6)};
};

}  // namespace schakel::api

#endif  // SCHAKEL_SERVER_API_ENROLLMENT_SERVICE_H_
