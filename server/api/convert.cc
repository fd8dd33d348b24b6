#include "server/api/convert.h"

#include <google/protobuf/util/time_util.h>

#include "absl/strings/str_cat.h"
#include "server/common/log.h"

namespace schakel::api {

void SetTime(absl::Time t, google::protobuf::Timestamp* out) {
  *out = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  if (status.code() == absl::StatusCode::kInternal || status.code() == absl::StatusCode::kUnknown) {
    LogError(absl::StrCat("internal error answered to a client: ", status.ToString()));
    return grpc::Status(grpc::StatusCode::INTERNAL, "internal error");
  }
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

v1::Role RoleToProto(domain::Role role) {
  switch (role) {
    case domain::Role::kRegisseur: return v1::ROLE_REGISSEUR;
    case domain::Role::kConsultant: return v1::ROLE_CONSULTANT;
    case domain::Role::kBridgeOfficer: return v1::ROLE_BRIDGE_OFFICER;
    case domain::Role::kGgz: return v1::ROLE_GGZ;
    case domain::Role::kPartner: return v1::ROLE_PARTNER;
    case domain::Role::kAuditor: return v1::ROLE_AUDITOR;
    case domain::Role::kAdmin: return v1::ROLE_ADMIN;
    case domain::Role::kAnalyst: return v1::ROLE_ANALYST;
    case domain::Role::kPrivacyOfficer: return v1::ROLE_PRIVACY_OFFICER;
  }
  return v1::ROLE_UNSPECIFIED;
}

std::optional<domain::Role> RoleFromProto(v1::Role role) {
  for (domain::Role r : domain::AllRoles()) {
    if (RoleToProto(r) == role) return r;
  }
  return std::nullopt;
}

void ToProto(const domain::Organisation& in, v1::Organisation* out) {
  out->set_id(in.id);
  out->set_name(in.name);
  out->set_sector(in.sector);
  for (const auto& g : in.opgaven) out->add_opgaven(g);
}

void ToProto(const domain::Professional& in, v1::Professional* out) {
  out->set_id(in.id);
  out->set_organisation_id(in.organisation_id);
  out->set_display_name(in.display_name);
  for (domain::Role r : in.roles) out->add_roles(RoleToProto(r));
  for (domain::Role r : in.pending_roles) out->add_pending_roles(RoleToProto(r));
  out->set_disabled(in.disabled);
  SetTime(in.create_time, out->mutable_create_time());
  for (const std::string& t : in.teams) out->add_teams(t);
  for (const std::string& t : in.pending_teams) out->add_pending_teams(t);
}

void ToProto(const domain::Team& in, v1::Team* out) {
  out->set_organisation_id(in.organisation_id);
  out->set_id(in.id);
  out->set_name(in.name);
  out->set_intake(in.intake);
  SetTime(in.create_time, out->mutable_create_time());
}

void ToProto(const domain::CertificateRecord& in, v1::Certificate* out) {
  out->set_serial(in.serial);
  out->set_fingerprint_sha256(in.fingerprint);
  out->set_professional_id(in.professional_id);
  SetTime(in.not_before, out->mutable_not_before());
  SetTime(in.not_after, out->mutable_not_after());
  if (in.revoke_time) SetTime(*in.revoke_time, out->mutable_revoke_time());
}

void ToProto(const audit::Entry& e, v1::AuditEntry* out) {
  out->set_seq(e.seq);
  SetTime(e.time, out->mutable_time());
  out->set_professional_id(e.professional_id);
  out->set_organisation_id(e.organisation_id);
  out->set_roles(e.roles);
  out->set_certificate(e.certificate);
  out->set_action(e.action);
  out->set_resource_type(e.resource_type);
  out->set_resource_id(e.resource_id);
  for (const auto& r : e.residents) out->add_resident_ids(r);
  out->set_outcome(e.outcome);
  out->set_reason(e.reason);
  out->set_purpose(e.purpose);
  out->set_break_glass(e.break_glass);
  out->set_request_id(e.request_id);
  out->set_peer(e.peer);
  out->set_hash(e.hash);
  out->set_privacy_request(e.privacy_request);
}

}  // namespace schakel::api
