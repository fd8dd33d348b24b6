#include "server/app/grant_app.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "server/audit/audit_store.h"
#include "server/auth/policy.h"
#include "server/common/status_macros.h"
#include "server/domain/text.h"

namespace schakel::app {
namespace {

absl::Status ValidateGrantId(const std::string& id) {
  if (id.empty()) return absl::InvalidArgumentError("grant_id: required");
  if (id.size() > 64) return absl::InvalidArgumentError("grant_id: at most 64 characters");
  return absl::OkStatus();
}

absl::Status ValidateProfessionalFilter(const std::string& id) {
  if (id.size() > 64) {
    return absl::InvalidArgumentError("professional_id: at most 64 characters");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<GrantListing> GrantApp::Load(bool pending_only,
                                            const std::string& professional_id) {
  GrantListing out;
  ASSIGN_OR_RETURN(out.grants, store_->ListGrants(pending_only, professional_id, kMaxGrantsListed));
  std::set<std::string> seen;
  for (const domain::Grant& g : out.grants) {
    if (!seen.insert(g.professional_id).second) continue;
    ASSIGN_OR_RETURN(domain::Professional p, store_->GetProfessional(g.professional_id));
    out.professionals.push_back(std::move(p));
  }
  return out;
}

absl::StatusOr<GrantListing> GrantApp::List(const auth::Principal& caller, bool pending_only,
                                            const std::string& professional_id,
                                            audit::Trail& trail) {
  trail.Concerns("grant", "");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kManageProfessionals).ToStatus());
  RETURN_IF_ERROR(ValidateProfessionalFilter(professional_id));
  return Load(pending_only, professional_id);
}

absl::StatusOr<GrantListing> GrantApp::Review(const auth::Principal& caller,
                                              const std::string& professional_id,
                                              audit::Trail& trail) {
  trail.Concerns("grant", "");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kReadAudit).ToStatus());
  RETURN_IF_ERROR(ValidateProfessionalFilter(professional_id));
  ASSIGN_OR_RETURN(GrantListing out, Load(/*pending_only=*/false, professional_id));
  if (professional_id.empty()) {
    // Every professional, also one with roles and no grant (put straight
    // into the database: design.md, "Granting access").
    ASSIGN_OR_RETURN(out.professionals, store_->ListProfessionals(kMaxGrantsListed));
  }
  std::vector<domain::FirstCaseRead> reads;
  for (const domain::Grant& g : out.grants) {
    if (g.status != domain::GrantStatus::kApproved || !g.decide_time) continue;
    ASSIGN_OR_RETURN(std::optional<absl::Time> first,
                     audit::FirstCaseRequest(*db_, g.professional_id, *g.decide_time,
                                             *g.decide_time + domain::kReadSoonAfterGrant));
    if (first) reads.push_back({g.id, *first});
  }
  out.anomalies = domain::FindGrantAnomalies(out.grants, reads);
  return out;
}

absl::StatusOr<domain::Grant> GrantApp::Decide(const auth::Principal& caller,
                                               const std::string& id, domain::GrantStatus to,
                                               const std::string& reason,
                                               audit::Trail& trail) {
  trail.Concerns("grant", id.size() <= 64 ? id : "");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kManageProfessionals).ToStatus());
  RETURN_IF_ERROR(ValidateGrantId(id));
  if (to == domain::GrantStatus::kRefused) RETURN_IF_ERROR(domain::ValidateRefusalReason(reason));
  ASSIGN_OR_RETURN(domain::Grant grant, store_->GetGrant(id));
  RETURN_IF_ERROR(domain::CheckDecision(grant, caller.professional.id,
                                        to == domain::GrantStatus::kApproved));
  grant.status = to;
  grant.decided_by = caller.professional.id;
  grant.decide_time = clock_->Now();
  grant.reason = reason;
  // The entry names what was granted, never the refusal's free text.
  trail.entry.reason = absl::StrCat(domain::GrantAuditText(grant), " ",
                                    domain::GrantStatusName(to), " (requested by ",
                                    grant.requested_by, ", professional ",
                                    grant.professional_id, ")");
  RETURN_IF_ERROR(
      uow_->Run(trail, [&](Transaction& tx) { return store_->DecideGrant(tx, grant); }));
  return grant;
}

absl::StatusOr<domain::Grant> GrantApp::Request(const auth::Principal& caller,
                                                const std::string& professional_id,
                                                const std::vector<domain::Role>& roles,
                                                const std::string& team, audit::Trail& trail) {
  trail.Concerns("professional", professional_id.size() <= 64 ? professional_id : "");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kManageProfessionals).ToStatus());
  if (professional_id.empty()) return absl::InvalidArgumentError("professional_id: required");
  if (professional_id.size() > 64) {
    return absl::InvalidArgumentError("professional_id: at most 64 characters");
  }
  absl::StatusOr<domain::Professional> p = store_->GetProfessional(professional_id);
  if (p.status().code() == absl::StatusCode::kNotFound) {
    return absl::NotFoundError(absl::StrCat("professional_id: no professional ", professional_id));
  }
  RETURN_IF_ERROR(p.status());
  RETURN_IF_ERROR(domain::CheckGrantRequest(*p, caller.professional.id, roles, team));
  domain::Grant grant;
  grant.id = ids_->NewId("g");
  grant.professional_id = professional_id;
  grant.organisation_id = p->organisation_id;
  grant.team = team;
  grant.roles = domain::ParseRolesText(domain::RolesText(roles));
  grant.status = domain::GrantStatus::kPending;
  grant.requested_by = caller.professional.id;
  grant.request_time = clock_->Now();
  trail.Concerns("grant", grant.id);
  trail.entry.reason = absl::StrCat(domain::GrantAuditText(grant), " requested for professional ",
                                    professional_id);
  RETURN_IF_ERROR(uow_->Run(trail, [&](Transaction& tx) -> absl::Status {
    if (!grant.team.empty()) {
      ASSIGN_OR_RETURN(std::optional<domain::Team> t,
                       store_->FindTeam(tx, grant.organisation_id, grant.team));
      if (!t) {
        return absl::NotFoundError(absl::StrCat("team: organisation ", grant.organisation_id,
                                                " has no team ", grant.team));
      }
    }
    return store_->AddGrant(tx, grant);
  }));
  return grant;
}

absl::StatusOr<domain::Grant> GrantApp::Approve(const auth::Principal& caller,
                                                const std::string& id, audit::Trail& trail) {
  return Decide(caller, id, domain::GrantStatus::kApproved, "", trail);
}

absl::StatusOr<domain::Grant> GrantApp::Refuse(const auth::Principal& caller,
                                               const std::string& id, const std::string& reason,
                                               audit::Trail& trail) {
  return Decide(caller, id, domain::GrantStatus::kRefused, reason, trail);
}

}  // namespace schakel::app
