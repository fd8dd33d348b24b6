// gRPC adapter of schakel.v1.ResidentService. No state, no SQL.
#ifndef SCHAKEL_SERVER_API_RESIDENT_SERVICE_H_
#define SCHAKEL_SERVER_API_RESIDENT_SERVICE_H_

#include "schakel/v1/residents.grpc.pb.h"
#include "server/app/resident_app.h"
#include "server/api/handler.h"

namespace schakel::api {

class ResidentService final : public v1::ResidentService::Service {
 public:
  ResidentService(const Handler* handler, app::ResidentApp* app)
      : handler_(handler), app_(app) {}

  grpc::Status RegisterResident(grpc::ServerContext* context,
                                const v1::RegisterResidentRequest* request,
                                v1::RegisterResidentResponse* response) override;
  grpc::Status GetResident(grpc::ServerContext* context, const v1::GetResidentRequest* request,
                           v1::Resident* response) override;
  grpc::Status FindResidents(grpc::ServerContext* context, const v1::FindResidentsRequest* request,
                             v1::FindResidentsResponse* response) override;
  grpc::Status ListPossibleDuplicates(grpc::ServerContext* context,
                                      const v1::ListPossibleDuplicatesRequest* request,
                                      v1::ListPossibleDuplicatesResponse* response) override;
  grpc::Status MergeResidents(grpc::ServerContext* context,
                              const v1::MergeResidentsRequest* request,
                              v1::Resident* response) override;
  grpc::Status OpenBreakGlass(grpc::ServerContext* context,
                              const v1::OpenBreakGlassRequest* request,
                              v1::OpenBreakGlassResponse* response) override;

 private:
  const Handler* handler_;
  app::ResidentApp* app_;
};

}  // namespace schakel::api

#endif  // SCHAKEL_SERVER_API_RESIDENT_SERVICE_H_
