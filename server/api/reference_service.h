// gRPC adapter of schakel.v1.ReferenceService: authenticate, call the app,
// convert. No state, no SQL.
#ifndef SCHAKEL_SERVER_API_REFERENCE_SERVICE_H_
#define SCHAKEL_SERVER_API_REFERENCE_SERVICE_H_

#include "absl/status/status.h"
#include "schakel/v1/reference.grpc.pb.h"
#include "server/api/handler.h"
#include "server/app/reference_app.h"
#include "server/domain/reference.h"

namespace schakel::api {

class ReferenceService final : public v1::ReferenceService::Service {
 public:
  ReferenceService(const Handler* handler, app::ReferenceApp* app)
      : handler_(handler), app_(app) {}

  grpc::Status ListCategories(grpc::ServerContext* context,
                              const v1::ListCategoriesRequest* request,
                              v1::ListCategoriesResponse* response) override;
  grpc::Status ListWijken(grpc::ServerContext* context, const v1::ListWijkenRequest* request,
                          v1::ListWijkenResponse* response) override;
  grpc::Status ListOpgaven(grpc::ServerContext* context, const v1::ListOpgavenRequest* request,
                           v1::ListOpgavenResponse* response) override;
  grpc::Status ListVocabularies(grpc::ServerContext* context,
                                const v1::ListVocabulariesRequest* request,
                                v1::ListVocabulariesResponse* response) override;

  grpc::Status ListPurposes(grpc::ServerContext* context, const v1::ListPurposesRequest* request,
                            v1::ListPurposesResponse* response) override;

 private:
  const Handler* handler_;
  app::ReferenceApp* app_;
};

// A domain vocabulary with the API's names of its terms: each code's value
// in the API's enum (its name as the JSON mapping prints it, and number),
// found from the enum's descriptor by the rule every enum of the API
// follows (PREFIX_ + the code in upper case, PREFIX_ from its UNSPECIFIED
// value). INTERNAL naming the code when the API has no such value, or the
// vocabulary is unknown here: a domain word without an API counterpart is
// a bug, and tests/unit/reference_test.cc calls this for every one.
absl::Status VocabularyToProto(const domain::Vocabulary& in, v1::Vocabulary* out);

}  // namespace schakel::api

#endif  // SCHAKEL_SERVER_API_REFERENCE_SERVICE_H_
