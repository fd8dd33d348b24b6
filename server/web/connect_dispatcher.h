// Every RPC of every schakel service, reachable by its Connect path
// ("/schakel.v1.SignalService/CreateSignal"): decodes the body (proto3
// JSON or binary protobuf), hands it to the very same service adapter the
// gRPC port runs (through a TransportContext carrying the HTTPS call, see
// server/api/call.h), and encodes the answer or the Connect error.
//
// Thread-safe once constructed (the table is read-only). The Services must
// outlive it.
#ifndef SCHAKEL_SERVER_WEB_CONNECT_DISPATCHER_H_
#define SCHAKEL_SERVER_WEB_CONNECT_DISPATCHER_H_

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>

#include <functional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "server/api/call.h"
#include "server/web/connect_protocol.h"

namespace schakel {
struct Services;
}

namespace schakel::web {

struct ApiReply {
  int http_status = 200;
  std::string content_type;
  std::string body;
};

class ConnectDispatcher {
 public:
  // FAILED_PRECONDITION when the table and the services' descriptors
  // disagree (a method missing or with other message types): schakeld
  // refuses to start rather than serve half an API.
  static absl::StatusOr<std::unique_ptr<ConnectDispatcher>> Create(const Services& services);

  // Runs the method at `path` with `body` in `codec` for `call`. An unknown
  // path answers 404 with Connect's `unimplemented`; a body that does not
  // decode, 400 `invalid_argument` naming the rule.
  ApiReply Invoke(const std::string& path, Codec codec, const std::string& body,
                  const api::Call& call) const;

  struct Method {
    const google::protobuf::Descriptor* request = nullptr;
    const google::protobuf::Descriptor* response = nullptr;
    std::function<grpc::Status(grpc::ServerContext*, const google::protobuf::Message&,
                               google::protobuf::Message*)>
        invoke;
  };

 private:
  ConnectDispatcher() = default;
  absl::flat_hash_map<std::string, Method> methods_;
};

}  // namespace schakel::web

#endif  // SCHAKEL_SERVER_WEB_CONNECT_DISPATCHER_H_
