// gRPC adapter of schakel.v1.SignalService. No state, no SQL.
#ifndef SCHAKEL_SERVER_API_SIGNAL_SERVICE_H_
#define SCHAKEL_SERVER_API_SIGNAL_SERVICE_H_

#include "schakel/v1/signals.grpc.pb.h"
#include "server/app/signal_app.h"
#include "server/api/handler.h"

namespace schakel::api {

class SignalService final : public v1::SignalService::Service {
 public:
  SignalService(const Handler* handler, app::SignalApp* app)
      : handler_(handler), app_(app) {}

  grpc::Status CreateSignal(grpc::ServerContext* context, const v1::CreateSignalRequest* request,
                            v1::Signal* response) override;
  grpc::Status GetSignal(grpc::ServerContext* context, const v1::GetSignalRequest* request,
                         v1::Signal* response) override;
  grpc::Status ListSignals(grpc::ServerContext* context, const v1::ListSignalsRequest* request,
                           v1::ListSignalsResponse* response) override;
  grpc::Status AssignSignal(grpc::ServerContext* context, const v1::AssignSignalRequest* request,
                            v1::Signal* response) override;
  grpc::Status ChangeSignalStatus(grpc::ServerContext* context,
                                  const v1::ChangeSignalStatusRequest* request,
                                  v1::Signal* response) override;
  grpc::Status AddSignalNote(grpc::ServerContext* context, const v1::AddSignalNoteRequest* request,
                             v1::Note* response) override;

 private:
  const Handler* handler_;
  app::SignalApp* app_;
};

}  // namespace schakel::api

#endif  // SCHAKEL_SERVER_API_SIGNAL_SERVICE_H_
