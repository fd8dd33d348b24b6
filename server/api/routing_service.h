// gRPC adapter of schakel.v1.RoutingService. No state, no SQL.
#ifndef SCHAKEL_SERVER_API_ROUTING_SERVICE_H_
#define SCHAKEL_SERVER_API_ROUTING_SERVICE_H_

#include "schakel/v1/routing.grpc.pb.h"
#include "server/api/handler.h"
#include "server/app/routing_app.h"

namespace schakel::api {

class RoutingService final : public v1::RoutingService::Service {
 public:
  RoutingService(const Handler* handler, app::RoutingApp* app) : handler_(handler), app_(app) {}

  grpc::Status ListRoutingRules(grpc::ServerContext* context,
                                const v1::ListRoutingRulesRequest* request,
                                v1::ListRoutingRulesResponse* response) override;
  grpc::Status AddRoutingRule(grpc::ServerContext* context,
                              const v1::AddRoutingRuleRequest* request,
                              v1::RoutingRule* response) override;
  grpc::Status MoveRoutingRule(grpc::ServerContext* context,
                               const v1::MoveRoutingRuleRequest* request,
                               v1::RoutingRule* response) override;
  grpc::Status RemoveRoutingRule(grpc::ServerContext* context,
                                 const v1::RemoveRoutingRuleRequest* request,
                                 v1::RoutingRule* response) override;
  grpc::Status DryRunRoutingRule(grpc::ServerContext* context,
                                 const v1::DryRunRoutingRuleRequest* request,
                                 v1::DryRunRoutingRuleResponse* response) override;

 private:
  const Handler* handler_;
  app::RoutingApp* app_;
};

}  // namespace schakel::api

#endif  // SCHAKEL_SERVER_API_ROUTING_SERVICE_H_
