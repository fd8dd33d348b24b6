#include "schakel/client.h"

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "schakel/v1/admin.grpc.pb.h"
#include "schakel/v1/directory.grpc.pb.h"

namespace schakel {
namespace {

absl::StatusOr<std::string> ReadIdentityFile(const std::string& dir, const std::string& name) {
  std::string path = dir.empty() ? name : absl::StrCat(dir, "/", name);
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("identity: cannot read ", path));
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

absl::Status FromGrpc(const grpc::Status& s) {
  if (s.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()), s.error_message());
}

class GrpcConnection final : public Connection {
 public:
  GrpcConnection(const std::shared_ptr<grpc::Channel>& channel, absl::Duration timeout)
      : directory_(v1::DirectoryService::NewStub(channel)),
        admin_(v1::AdminService::NewStub(channel)),
        timeout_(timeout) {}

  absl::StatusOr<v1::WhoAmIResponse> WhoAmI(const v1::WhoAmIRequest& r) override {
    return Call<v1::WhoAmIResponse>(
        [&](grpc::ClientContext* c, auto* out) { return directory_->WhoAmI(c, r, out); });
  }
  absl::StatusOr<v1::ListOrganisationsResponse> ListOrganisations(
      const v1::ListOrganisationsRequest& r) override {
    return Call<v1::ListOrganisationsResponse>(
        [&](grpc::ClientContext* c, auto* out) { return directory_->ListOrganisations(c, r, out); });
  }
  absl::StatusOr<v1::Organisation> GetOrganisation(const v1::GetOrganisationRequest& r) override {
    return Call<v1::Organisation>(
        [&](grpc::ClientContext* c, auto* out) { return directory_->GetOrganisation(c, r, out); });
  }
  absl::StatusOr<v1::AddProfessionalResponse> AddProfessional(
      const v1::AddProfessionalRequest& r) override {
    return Call<v1::AddProfessionalResponse>(
        [&](grpc::ClientContext* c, auto* out) { return admin_->AddProfessional(c, r, out); });
  }
  absl::StatusOr<v1::Professional> DisableProfessional(
      const v1::DisableProfessionalRequest& r) override {
    return Call<v1::Professional>(
        [&](grpc::ClientContext* c, auto* out) { return admin_->DisableProfessional(c, r, out); });
  }
  absl::StatusOr<v1::Certificate> RevokeCertificate(
      const v1::RevokeCertificateRequest& r) override {
    return Call<v1::Certificate>(
        [&](grpc::ClientContext* c, auto* out) { return admin_->RevokeCertificate(c, r, out); });
  }

 private:
  // One unary call with the deadline.
  template <typename Response, typename Fn>
  absl::StatusOr<Response> Call(Fn fn) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::microseconds(absl::ToInt64Microseconds(timeout_)));
    Response response;
    grpc::Status status = fn(&context, &response);
    if (!status.ok()) return FromGrpc(status);
    return response;
  }

  std::unique_ptr<v1::DirectoryService::Stub> directory_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
  absl::Duration timeout_;
};

}  // namespace

absl::StatusOr<std::shared_ptr<Connection>> MakeGrpcConnection(const ClientOptions& options) {
  if (options.server.empty()) return absl::InvalidArgumentError("server: required (HOST:PORT)");
  if (options.identity_dir.empty()) {
    return absl::InvalidArgumentError("identity: required (a directory with cert.pem, key.pem, ca.pem)");
  }
  grpc::SslCredentialsOptions ssl;
  absl::StatusOr<std::string> ca = ReadIdentityFile(options.identity_dir, "ca.pem");
  if (!ca.ok()) return ca.status();
  absl::StatusOr<std::string> cert = ReadIdentityFile(options.identity_dir, "cert.pem");
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = ReadIdentityFile(options.identity_dir, "key.pem");
  if (!key.ok()) return key.status();
  ssl.pem_root_certs = *std::move(ca);
  ssl.pem_cert_chain = *std::move(cert);
  ssl.pem_private_key = *std::move(key);
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(4 << 20);
  auto channel =
      grpc::CreateCustomChannel(options.server, grpc::SslCredentials(ssl), args);
  return std::shared_ptr<Connection>(std::make_shared<GrpcConnection>(channel, options.timeout));
}

absl::StatusOr<Client> Client::Connect(const ClientOptions& options) {
  absl::StatusOr<std::shared_ptr<Connection>> connection = MakeGrpcConnection(options);
  if (!connection.ok()) return connection.status();
  return Client(*std::move(connection));
}

absl::StatusOr<v1::WhoAmIResponse> Client::WhoAmI() {
  return connection_->WhoAmI(v1::WhoAmIRequest());
}

absl::StatusOr<v1::ListOrganisationsResponse> Client::ListOrganisations(
    int page_size, const std::string& page_token) {
  v1::ListOrganisationsRequest r;
  r.set_page_size(page_size);
  r.set_page_token(page_token);
  return connection_->ListOrganisations(r);
}

absl::StatusOr<std::vector<v1::Organisation>> Client::ListAllOrganisations() {
  std::vector<v1::Organisation> out;
  std::string token;
  do {
    absl::StatusOr<v1::ListOrganisationsResponse> page = ListOrganisations(100, token);
    if (!page.ok()) return page.status();
    for (const auto& o : page->organisations()) out.push_back(o);
    token = page->next_page_token();
  } while (!token.empty());
  return out;
}

absl::StatusOr<v1::Organisation> Client::GetOrganisation(const std::string& id) {
  v1::GetOrganisationRequest r;
  r.set_id(id);
  return connection_->GetOrganisation(r);
}

absl::StatusOr<v1::AddProfessionalResponse> Client::AddProfessional(
    const v1::AddProfessionalRequest& request) {
  return connection_->AddProfessional(request);
}

absl::StatusOr<v1::Professional> Client::DisableProfessional(const std::string& professional_id) {
  v1::DisableProfessionalRequest r;
  r.set_professional_id(professional_id);
  return connection_->DisableProfessional(r);
}

absl::StatusOr<v1::Certificate> Client::RevokeCertificate(const std::string& serial) {
  v1::RevokeCertificateRequest r;
  r.set_serial(serial);
  return connection_->RevokeCertificate(r);
}

}  // namespace schakel
