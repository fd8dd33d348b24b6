#include "server/api/enrollment_service.h"

#include "server/api/call.h"
#include "server/api/convert.h"
#include "server/common/status_macros.h"

namespace schakel::api {

grpc::Status EnrollmentService::Enroll(grpc::ServerContext* context,
                                       const v1::EnrollRequest* request,
                                       v1::EnrollResponse* response) {
  // Refused before anything is written: a flood of attempts must not
  // become a flood of audit entries (the attempts let through are audited).
  std::optional<GrpcCall> grpc_call;
  if (!limiter_.Allow(CallOf(context, grpc_call).Peer(), absl::Now())) {
    return ToGrpcStatus(absl::ResourceExhaustedError(
        "too many enrollment attempts from this address; wait a minute"));
  }
  return handler_->HandleAnonymous(context, "EnrollmentService.Enroll", *request,
                                   [&](audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(app::IssuedCertificate issued,
                     app_->Enroll(request->code(), request->csr_pem(), trail));
    ToProto(issued.professional, response->mutable_professional());
    ToProto(issued.certificate, response->mutable_certificate());
    response->set_certificate_pem(issued.certificate.pem);
    response->set_ca_certificate_pem(issued.ca_certificate_pem);
    return absl::OkStatus();
  });
}

}  // namespace schakel::api
