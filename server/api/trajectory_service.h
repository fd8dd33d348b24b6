// gRPC adapter of schakel.v1.TrajectoryService. No state, no SQL.
#ifndef SCHAKEL_SERVER_API_TRAJECTORY_SERVICE_H_
#define SCHAKEL_SERVER_API_TRAJECTORY_SERVICE_H_

#include "schakel/v1/trajectories.grpc.pb.h"
#include "server/api/handler.h"
#include "server/app/trajectory_app.h"

namespace schakel::api {

class TrajectoryService final : public v1::TrajectoryService::Service {
 public:
  TrajectoryService(const Handler* handler, app::TrajectoryApp* app)
      : handler_(handler), app_(app) {}

  grpc::Status StartTrajectory(grpc::ServerContext* context,
                               const v1::StartTrajectoryRequest* request,
                               v1::Trajectory* response) override;
  grpc::Status GetTrajectory(grpc::ServerContext* context, const v1::GetTrajectoryRequest* request,
                             v1::Trajectory* response) override;
  grpc::Status ListCaseload(grpc::ServerContext* context, const v1::ListCaseloadRequest* request,
                            v1::ListCaseloadResponse* response) override;
  grpc::Status RecordMeasurement(grpc::ServerContext* context,
                                 const v1::RecordMeasurementRequest* request,
                                 v1::Trajectory* response) override;
  grpc::Status AddStep(grpc::ServerContext* context, const v1::AddStepRequest* request,
                       v1::Step* response) override;
  grpc::Status UpdateStep(grpc::ServerContext* context, const v1::UpdateStepRequest* request,
                          v1::Step* response) override;
  grpc::Status ChangeTrajectoryStatus(grpc::ServerContext* context,
                                      const v1::ChangeTrajectoryStatusRequest* request,
                                      v1::Trajectory* response) override;
  grpc::Status TransferTrajectory(grpc::ServerContext* context,
                                  const v1::TransferTrajectoryRequest* request,
                                  v1::Trajectory* response) override;
  grpc::Status TransferCaseload(grpc::ServerContext* context,
                                const v1::TransferCaseloadRequest* request,
                                v1::TransferCaseloadResponse* response) override;
  grpc::Status ListResidentTrajectories(grpc::ServerContext* context,
                                        const v1::ListResidentTrajectoriesRequest* request,
                                        v1::ListResidentTrajectoriesResponse* response) override;

 private:
  const Handler* handler_;
  app::TrajectoryApp* app_;
};

}  // namespace schakel::api

#endif  // SCHAKEL_SERVER_API_TRAJECTORY_SERVICE_H_
