#include "server/api/call.h"

#include <chrono>

namespace schakel::api {

std::string GrpcCall::PeerCertificatePem() const {
  std::shared_ptr<const grpc::AuthContext> auth = context_->auth_context();
  if (auth == nullptr) return "";
  std::vector<grpc::string_ref> values = auth->FindPropertyValues("x509_pem_cert");
  if (values.empty()) return "";
  return std::string(values.front().data(), values.front().size());
}

std::optional<std::string> GrpcCall::Header(absl::string_view name) const {
  auto it = context_->client_metadata().find(grpc::string_ref(name.data(), name.size()));
  if (it == context_->client_metadata().end()) return std::nullopt;
  return std::string(it->second.data(), it->second.size());
}

absl::Time GrpcCall::Deadline() const {
  if (context_->deadline() == std::chrono::system_clock::time_point::max()) {
    return absl::InfiniteFuture();
  }
  return absl::FromChrono(context_->deadline());
}

const Call& CallOf(grpc::ServerContext* context, std::optional<GrpcCall>& storage) {
  if (const auto* other = dynamic_cast<const TransportContext*>(context)) return other->call();
  storage.emplace(context);
  return *storage;
}

}  // namespace schakel::api
