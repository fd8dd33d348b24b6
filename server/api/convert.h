// Proto ⇄ domain conversions and the one place an absl::Status becomes a
// grpc::Status. Proto types stop at the api/ layer.
#ifndef SCHAKEL_SERVER_API_CONVERT_H_
#define SCHAKEL_SERVER_API_CONVERT_H_

#include <grpcpp/grpcpp.h>

#include <optional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "schakel/v1/audit.pb.h"
#include "schakel/v1/common.pb.h"
#include "server/audit/entry.h"
#include "server/auth/authenticator.h"
#include "server/domain/directory.h"

namespace schakel::api {

// Same code and message; INTERNAL and UNKNOWN become a generic message and
// the detail goes to the server log only.
grpc::Status ToGrpcStatus(const absl::Status& status);

// Microseconds, as every time the API gives.
void SetTime(absl::Time t, google::protobuf::Timestamp* out);

v1::Role RoleToProto(domain::Role role);
std::optional<domain::Role> RoleFromProto(v1::Role role);

void ToProto(const audit::Entry& in, v1::AuditEntry* out);
void ToProto(const domain::Organisation& in, v1::Organisation* out);
void ToProto(const domain::Professional& in, v1::Professional* out);
void ToProto(const domain::Team& in, v1::Team* out);
void ToProto(const domain::CertificateRecord& in, v1::Certificate* out);

}  // namespace schakel::api

#endif  // SCHAKEL_SERVER_API_CONVERT_H_
