#include "server/api/routing_service.h"

#include "server/api/convert.h"
#include "server/common/status_macros.h"

namespace schakel::api {
namespace {

void ToProto(const domain::RoutingRule& in, v1::RoutingRule* out) {
  out->set_id(in.id);
  out->set_position(in.position);
  out->set_version(in.version);
  out->set_category(in.criteria.category);
  out->set_opgave(in.criteria.opgave);
  out->set_wijk(in.criteria.wijk);
  out->set_owner_organisation_id(in.owner_organisation_id);
  out->set_owner_team(in.owner_team);
  SetTime(in.create_time, out->mutable_create_time());
  SetTime(in.update_time, out->mutable_update_time());
  out->set_etag(domain::RoutingRuleEtag(in.version));
  out->set_removed(in.removed());
  if (in.remove_time) SetTime(*in.remove_time, out->mutable_remove_time());
}

}  // namespace

grpc::Status RoutingService::ListRoutingRules(grpc::ServerContext* context,
                                              const v1::ListRoutingRulesRequest* request,
                                              v1::ListRoutingRulesResponse* response) {
  return handler_->Handle(
      context, "RoutingService.ListRoutingRules", *request,
      [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
        ASSIGN_OR_RETURN(std::vector<domain::RoutingRule> rules,
                         app_->List(caller, request->include_removed(), trail));
        for (const domain::RoutingRule& r : rules) ToProto(r, response->add_rules());
        return absl::OkStatus();
      });
}

grpc::Status RoutingService::AddRoutingRule(grpc::ServerContext* context,
                                            const v1::AddRoutingRuleRequest* request,
                                            v1::RoutingRule* response) {
  return handler_->Handle(
      context, "RoutingService.AddRoutingRule", *request,
      [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
        domain::NewRoutingRule in;
        in.request_id = request->request_id();
        in.criteria.category = request->category();
        in.criteria.opgave = request->opgave();
        in.criteria.wijk = request->wijk();
        in.owner_organisation_id = request->owner_organisation_id();
        in.owner_team = request->owner_team();
        in.position = request->position();
        ASSIGN_OR_RETURN(domain::RoutingRule added, app_->Add(caller, in, trail));
        ToProto(added, response);
        return absl::OkStatus();
      });
}

grpc::Status RoutingService::MoveRoutingRule(grpc::ServerContext* context,
                                             const v1::MoveRoutingRuleRequest* request,
                                             v1::RoutingRule* response) {
  return handler_->Handle(
      context, "RoutingService.MoveRoutingRule", *request,
      [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
        ASSIGN_OR_RETURN(domain::RoutingRule moved,
                         app_->Move(caller, request->id(), request->etag(), request->position(),
                                    trail));
        ToProto(moved, response);
        return absl::OkStatus();
      });
}

grpc::Status RoutingService::RemoveRoutingRule(grpc::ServerContext* context,
                                               const v1::RemoveRoutingRuleRequest* request,
                                               v1::RoutingRule* response) {
  return handler_->Handle(
      context, "RoutingService.RemoveRoutingRule", *request,
      [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
        ASSIGN_OR_RETURN(domain::RoutingRule removed,
                         app_->Remove(caller, request->id(), request->etag(), trail));
        ToProto(removed, response);
        return absl::OkStatus();
      });
}

grpc::Status RoutingService::DryRunRoutingRule(grpc::ServerContext* context,
                                               const v1::DryRunRoutingRuleRequest* request,
                                               v1::DryRunRoutingRuleResponse* response) {
  return handler_->Handle(
      context, "RoutingService.DryRunRoutingRule", *request,
      [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
        app::DryRunRequest in;
        in.rule_id = request->rule_id();
        in.criteria.category = request->category();
        in.criteria.opgave = request->opgave();
        in.criteria.wijk = request->wijk();
        in.position = request->position();
        in.days = request->days();
        ASSIGN_OR_RETURN(app::DryRunResult r, app_->DryRun(caller, in, trail));
        response->set_matched(r.run.matched);
        response->set_taken_earlier(r.run.taken_earlier);
        for (const std::string& id : r.run.signal_ids) response->add_signal_ids(id);
        SetTime(r.since, response->mutable_since());
        return absl::OkStatus();
      });
}

}  // namespace schakel::api
