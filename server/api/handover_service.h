// gRPC adapter of schakel.v1.HandoverService. No state, no SQL.
#ifndef SCHAKEL_SERVER_API_HANDOVER_SERVICE_H_
#define SCHAKEL_SERVER_API_HANDOVER_SERVICE_H_

#include "schakel/v1/handovers.grpc.pb.h"
#include "server/app/handover_app.h"
#include "server/api/handler.h"

namespace schakel::api {

class HandoverService final : public v1::HandoverService::Service {
 public:
  HandoverService(const Handler* handler, app::HandoverApp* app)
      : handler_(handler), app_(app) {}

  grpc::Status ProposeHandover(grpc::ServerContext* context,
                               const v1::ProposeHandoverRequest* request,
                               v1::Handover* response) override;
  grpc::Status GetHandover(grpc::ServerContext* context, const v1::GetHandoverRequest* request,
                           v1::Handover* response) override;
  grpc::Status ListInbox(grpc::ServerContext* context, const v1::ListHandoversRequest* request,
                         v1::ListHandoversResponse* response) override;
  grpc::Status ListOutbox(grpc::ServerContext* context, const v1::ListHandoversRequest* request,
                          v1::ListHandoversResponse* response) override;
  grpc::Status AcceptHandover(grpc::ServerContext* context,
                              const v1::HandoverActionRequest* request,
                              v1::Handover* response) override;
  grpc::Status DeclineHandover(grpc::ServerContext* context,
                               const v1::HandoverActionRequest* request,
                               v1::Handover* response) override;
  grpc::Status IntroduceHandover(grpc::ServerContext* context,
                                 const v1::HandoverActionRequest* request,
                                 v1::Handover* response) override;
  grpc::Status CompleteHandover(grpc::ServerContext* context,
                                const v1::HandoverActionRequest* request,
                                v1::Handover* response) override;
  grpc::Status CancelHandover(grpc::ServerContext* context,
                              const v1::HandoverActionRequest* request,
                              v1::Handover* response) override;
  grpc::Status WithdrawConsent(grpc::ServerContext* context,
                               const v1::HandoverActionRequest* request,
                               v1::Handover* response) override;
  grpc::Status ForwardHandover(grpc::ServerContext* context,
                               const v1::ForwardHandoverRequest* request,
                               v1::Handover* response) override;
  grpc::Status AddHandoverNote(grpc::ServerContext* context,
                               const v1::AddHandoverNoteRequest* request,
                               v1::Note* response) override;

 private:
  grpc::Status List(grpc::ServerContext* context, domain::HandoverBox box,
                    const v1::ListHandoversRequest* request, v1::ListHandoversResponse* response);
  grpc::Status Act(grpc::ServerContext* context, domain::HandoverAction action, const char* rpc,
                   const v1::HandoverActionRequest* request, v1::Handover* response);

  const Handler* handler_;
  app::HandoverApp* app_;
};

}  // namespace schakel::api

#endif  // SCHAKEL_SERVER_API_HANDOVER_SERVICE_H_
