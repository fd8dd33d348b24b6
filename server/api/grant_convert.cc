#include "server/api/grant_convert.h"

#include <google/protobuf/util/time_util.h>

#include "server/api/convert.h"

namespace schakel::api {
namespace {

v1::Grant::Status StatusToProto(domain::GrantStatus s) {
  switch (s) {
    case domain::GrantStatus::kPending: return v1::Grant::STATUS_PENDING;
    case domain::GrantStatus::kApproved: return v1::Grant::STATUS_APPROVED;
    case domain::GrantStatus::kRefused: return v1::Grant::STATUS_REFUSED;
  }
  return v1::Grant::STATUS_UNSPECIFIED;
}

v1::GrantAnomaly::Kind KindToProto(domain::GrantAnomalyKind k) {
  switch (k) {
    case domain::GrantAnomalyKind::kQuickApproval: return v1::GrantAnomaly::KIND_QUICK_APPROVAL;
    case domain::GrantAnomalyKind::kReadSoonAfterGrant:
      return v1::GrantAnomaly::KIND_READ_SOON_AFTER_GRANT;
  }
  return v1::GrantAnomaly::KIND_UNSPECIFIED;
}

}  // namespace

void ToProto(const domain::Grant& in, v1::Grant* out) {
  out->set_id(in.id);
  out->set_professional_id(in.professional_id);
  out->set_organisation_id(in.organisation_id);
  out->set_team(in.team);
  for (domain::Role r : in.roles) out->add_roles(RoleToProto(r));
  out->set_status(StatusToProto(in.status));
  out->set_requested_by(in.requested_by);
  SetTime(in.request_time, out->mutable_request_time());
  out->set_decided_by(in.decided_by);
  if (in.decide_time) SetTime(*in.decide_time, out->mutable_decide_time());
  out->set_reason(in.reason);
}

void ToProto(const app::GrantListing& in, v1::ListGrantsResponse* out) {
  for (const domain::Grant& g : in.grants) ToProto(g, out->add_grants());
  for (const domain::Professional& p : in.professionals) ToProto(p, out->add_professionals());
  for (const domain::GrantAnomaly& a : in.anomalies) {
    v1::GrantAnomaly* pa = out->add_anomalies();
    pa->set_kind(KindToProto(a.kind));
    pa->set_grant_id(a.grant_id);
    pa->set_professional_id(a.professional_id);
    SetTime(a.time, pa->mutable_time());
    pa->set_detail(a.detail);
  }
}

}  // namespace schakel::api
