// schakel's C++ client library.
//
// A `Client` is a cheap value type over a `Connection`; the default
// connection speaks gRPC over mutual TLS with the identity of one
// professional (a directory with cert.pem, key.pem and ca.pem). Every call
// has a deadline and returns absl::StatusOr; nothing throws. Tests of code
// that uses the library can pass their own Connection.
#ifndef SCHAKEL_CLIENT_LIB_INCLUDE_SCHAKEL_CLIENT_H_
#define SCHAKEL_CLIENT_LIB_INCLUDE_SCHAKEL_CLIENT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "schakel/v1/admin.pb.h"
#include "schakel/v1/directory.pb.h"

namespace schakel {

struct ClientOptions {
  // HOST:PORT of schakeld.
  std::string server;
  // Directory holding cert.pem, key.pem and ca.pem.
  std::string identity_dir;
  // Deadline of each call.
  absl::Duration timeout = absl::Seconds(10);
};

// The RPCs, one virtual method each; implemented over gRPC by
// MakeGrpcConnection and by test doubles.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual absl::StatusOr<v1::WhoAmIResponse> WhoAmI(const v1::WhoAmIRequest& request) = 0;
  virtual absl::StatusOr<v1::ListOrganisationsResponse> ListOrganisations(
      const v1::ListOrganisationsRequest& request) = 0;
  virtual absl::StatusOr<v1::Organisation> GetOrganisation(
      const v1::GetOrganisationRequest& request) = 0;
  virtual absl::StatusOr<v1::AddProfessionalResponse> AddProfessional(
      const v1::AddProfessionalRequest& request) = 0;
  virtual absl::StatusOr<v1::Professional> DisableProfessional(
      const v1::DisableProfessionalRequest& request) = 0;
  virtual absl::StatusOr<v1::Certificate> RevokeCertificate(
      const v1::RevokeCertificateRequest& request) = 0;
};

// A gRPC connection with the identity in `options.identity_dir`.
// INVALID_ARGUMENT / NOT_FOUND naming the file when the identity cannot be
// read. The channel connects lazily; an unreachable server shows as
// UNAVAILABLE on the first call.
absl::StatusOr<std::shared_ptr<Connection>> MakeGrpcConnection(const ClientOptions& options);

class Client {
 public:
  explicit Client(std::shared_ptr<Connection> connection) : connection_(std::move(connection)) {}

  // Connects with MakeGrpcConnection.
  static absl::StatusOr<Client> Connect(const ClientOptions& options);

  absl::StatusOr<v1::WhoAmIResponse> WhoAmI();
  absl::StatusOr<v1::ListOrganisationsResponse> ListOrganisations(int page_size,
                                                                  const std::string& page_token);
  // Every organisation, following the page tokens.
  absl::StatusOr<std::vector<v1::Organisation>> ListAllOrganisations();
  absl::StatusOr<v1::Organisation> GetOrganisation(const std::string& id);

  absl::StatusOr<v1::AddProfessionalResponse> AddProfessional(
      const v1::AddProfessionalRequest& request);
  absl::StatusOr<v1::Professional> DisableProfessional(const std::string& professional_id);
  absl::StatusOr<v1::Certificate> RevokeCertificate(const std::string& serial);

 private:
  std::shared_ptr<Connection> connection_;
};

}  // namespace schakel

#endif  // SCHAKEL_CLIENT_LIB_INCLUDE_SCHAKEL_CLIENT_H_
