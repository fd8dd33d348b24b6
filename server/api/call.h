// What a handler knows of the call it serves, whichever transport carried
// it: the client certificate TLS verified, the peer, the request headers,
// the deadline and whether the client gave up. The gRPC port fills it from
// grpc::ServerContext (GrpcCall); the HTTPS port (server/web) from its own
// connection (a TransportContext handed to the same service adapters).
//
// Why the identity cannot be forged over HTTPS: the adapters take a
// grpc::ServerContext* (their generated signature). CallOf() reads another
// transport's call only from a TransportContext, a type that only the HTTPS
// port constructs (after its TLS handshake verified the certificate); a
// call arriving at the gRPC port always has gRPC's own ServerContext, whose
// certificate is gRPC's AuthContext. No header is ever read as an identity.
#ifndef SCHAKEL_SERVER_API_CALL_H_
#define SCHAKEL_SERVER_API_CALL_H_

#include <grpcpp/grpcpp.h>

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace schakel::api {

class Call {
 public:
  virtual ~Call() = default;
  // The client certificate the TLS handshake verified, PEM; empty when the
  // connection presented none (the enrollment listener).
  virtual std::string PeerCertificatePem() const = 0;
  // Where the call came from, as "ipv4:127.0.0.1:5123" (gRPC's form).
  virtual std::string Peer() const = 0;
  // A request header (gRPC metadata), by its lower-case name; nullopt when
  // absent.
  virtual std::optional<std::string> Header(absl::string_view name) const = 0;
  // The client's deadline; absl::InfiniteFuture() when it sent none.
  virtual absl::Time Deadline() const = 0;
  // Whether the client went away (cancelled, or closed its connection).
  virtual bool IsCancelled() const = 0;
};

// A call that arrived at the gRPC port.
class GrpcCall final : public Call {
 public:
  explicit GrpcCall(grpc::ServerContext* context) : context_(context) {}
  std::string PeerCertificatePem() const override;
  std::string Peer() const override { return context_->peer(); }
  std::optional<std::string> Header(absl::string_view name) const override;
  absl::Time Deadline() const override;
  bool IsCancelled() const override { return context_->IsCancelled(); }

 private:
  grpc::ServerContext* context_;
};

// The ServerContext another transport hands to a service adapter: it
// carries that transport's Call. Constructed only by the HTTPS port
// (server/web/connect_dispatcher.cc), which is its friend.
class TransportContext final : public grpc::ServerContext {
 public:
  const Call& call() const { return *call_; }

 private:
  friend class TransportContextFactory;
  explicit TransportContext(const Call* call) : call_(call) {}
  const Call* call_;
};

// The one way to make a TransportContext (kept out of reach of every other
// code path by being a friend, not a public constructor).
class TransportContextFactory {
 public:
  static std::unique_ptr<TransportContext> Make(const Call* call) {
    return std::unique_ptr<TransportContext>(new TransportContext(call));
  }
};

// The call behind `context`: its TransportContext's when another transport
// made it, else the gRPC call itself. `storage` holds the GrpcCall for as
// long as the returned reference is used.
const Call& CallOf(grpc::ServerContext* context, std::optional<GrpcCall>& storage);

}  // namespace schakel::api

#endif  // SCHAKEL_SERVER_API_CALL_H_
