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
  // The body is a stream's end (EndStreamBody), for the end-of-stream
  // envelope of a 200 answer in `content_type`, after whatever messages
  // were sent; false: a whole HTTP answer (an unknown path, a method of
  // the other form), only ever before any message was sent.
  bool end_of_stream = false;
};

// The HTTPS port's call of a stream: an api::Call that also sends.
class StreamCall : public api::Call {
 public:
  // Sends one message of the stream as one envelope, flushed before it
  // returns; false once the client is gone, its deadline passed or the
  // server stops (nothing more is sent then).
  virtual bool Send(const std::string& message) const = 0;
};

class ConnectDispatcher {
 public:
  // FAILED_PRECONDITION when the table and the services' descriptors
  // disagree (a method missing or with other message types): schakeld
  // refuses to start rather than serve half an API.
  static absl::StatusOr<std::unique_ptr<ConnectDispatcher>> Create(const Services& services);

  // Runs the method at `path` with `body` in `codec` for `call`. An unknown
  // path answers 404 with Connect's `unimplemented`; a body that does not
  // decode, 400 `invalid_argument` naming the rule. When `call` is a
  // StreamCall, the request is in the streaming form: `path` must name a
  // server-streaming method (a unary one answers 415, as a stream's path
  // does in a unary call), `body` is its one envelope, and the reply the
  // end of the stream (a bad envelope or message: `invalid_argument`).
  ApiReply Invoke(const std::string& path, Codec codec, const std::string& body,
                  const api::Call& call) const;

  struct Method {
    const google::protobuf::Descriptor* request = nullptr;
    const google::protobuf::Descriptor* response = nullptr;
    std::function<grpc::Status(grpc::ServerContext*, const google::protobuf::Message&,
                               google::protobuf::Message*)>
        invoke;
  };
  // A server-streaming method, through its adapter's transport-neutral
  // form: `write` sends one message and answers false once the client is gone.
  struct StreamMethod {
    const google::protobuf::Descriptor* request = nullptr;
    const google::protobuf::Descriptor* response = nullptr;
    std::function<grpc::Status(grpc::ServerContext*, const google::protobuf::Message&,
                               const std::function<bool(const google::protobuf::Message&)>&)>
        invoke;
  };

 private:
  ConnectDispatcher() = default;
  ApiReply InvokeStream(const std::string& path, Codec codec, const std::string& body,
                        const StreamCall& call) const;
  absl::flat_hash_map<std::string, Method> methods_;
  absl::flat_hash_map<std::string, StreamMethod> streams_;
};

}  // namespace schakel::web

#endif  // SCHAKEL_SERVER_WEB_CONNECT_DISPATCHER_H_
