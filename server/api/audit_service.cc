#include "server/api/audit_service.h"

#include <google/protobuf/util/time_util.h>

#include "server/api/convert.h"
#include "server/api/grant_convert.h"
#include "server/common/status_macros.h"

namespace schakel::api {
namespace {

using google::protobuf::util::TimeUtil;

bool IsSet(const google::protobuf::Timestamp& t) { return t.seconds() != 0 || t.nanos() != 0; }

absl::Time FromProto(const google::protobuf::Timestamp& t, absl::Time if_unset) {
  if (!IsSet(t)) return if_unset;
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(t));
}

// A period from optional bounds: by default the 30 days up to now, and a
// lone `to` looks back 30 days from there.
std::pair<absl::Time, absl::Time> Period(const google::protobuf::Timestamp& from,
                                         const google::protobuf::Timestamp& to,
                                         std::pair<absl::Time, absl::Time> fallback) {
  absl::Time end = FromProto(to, fallback.second);
  absl::Time start = FromProto(from, IsSet(to) ? end - absl::Hours(24 * 30) : fallback.first);
  return {start, end};
}

// The entries of a page with the directory's names beside their ids.
template <typename Field>
void AddEntries(const app::AuditPage& page, Field* out) {
  for (size_t i = 0; i < page.entries.size(); ++i) {
    v1::AuditEntry* e = out->Add();
    ToProto(page.entries[i], e);
    if (i < page.names.size()) {
      e->set_professional_name(page.names[i].professional);
      e->set_organisation_name(page.names[i].organisation);
    }
  }
}

v1::Anomaly::Kind ToProto(audit::AnomalyKind k) {
  switch (k) {
    case audit::AnomalyKind::kReadVolume: return v1::Anomaly::KIND_READ_VOLUME;
    case audit::AnomalyKind::kDenials: return v1::Anomaly::KIND_DENIALS;
    case audit::AnomalyKind::kBreakGlass: return v1::Anomaly::KIND_BREAK_GLASS;
  }
  return v1::Anomaly::KIND_UNSPECIFIED;
}

}  // namespace

grpc::Status AuditService::QueryAudit(grpc::ServerContext* context,
                                      const v1::QueryAuditRequest* request,
                                      v1::QueryAuditResponse* response) {
  return handler_->Handle(context, "AuditService.QueryAudit", *request,
                          [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    audit::Query q;
    q.professional_id = request->professional_id();
    q.organisation_id = request->organisation_id();
    q.resident_id = request->resident_id();
    q.action = request->action();
    q.outcome = request->outcome();
    q.from = FromProto(request->from(), absl::InfinitePast());
    q.to = FromProto(request->to(), absl::InfiniteFuture());
    ASSIGN_OR_RETURN(app::AuditPage page, app_->Query(caller, q, request->page_size(),
                                                      request->page_token(), trail));
    AddEntries(page, response->mutable_entries());
    response->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  });
}

grpc::Status AuditService::VerifyAudit(grpc::ServerContext* context,
                                       const v1::VerifyAuditRequest* request,
                                       v1::VerifyAuditResponse* response) {
  return handler_->Handle(context, "AuditService.VerifyAudit", *request,
                          [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    std::optional<audit::ExpectedHead> expect;
    if (request->expect_seq() != 0 || !request->expect_hash().empty()) {
      if (request->expect_seq() <= 0) {
        return absl::InvalidArgumentError("expect_seq: must be 1 or more with expect_hash");
      }
      auto parsed = audit::ParseExpectedHead(
          absl::StrCat(request->expect_seq(), ":", request->expect_hash()));
      if (!parsed.ok()) return absl::InvalidArgumentError("expect_hash: must be 64 hex digits");
      expect = *parsed;
    }
    ASSIGN_OR_RETURN(audit::VerifyReport r, app_->Verify(caller, expect, trail));
    response->set_intact(r.intact);
    response->set_entries(r.entries);
    response->set_head_seq(r.head.seq);
    response->set_head_hash(r.head.hash);
    response->set_checkpoints(r.checkpoints);
    response->set_first_bad_seq(r.first_bad_seq);
    response->set_problem(r.problem);
    return absl::OkStatus();
  });
}

grpc::Status AuditService::ListBreakGlass(grpc::ServerContext* context,
                                          const v1::ListBreakGlassRequest* request,
                                          v1::ListBreakGlassResponse* response) {
  return handler_->Handle(context, "AuditService.ListBreakGlass", *request,
                          [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    auto [from, to] = Period(request->from(), request->to(), app_->DefaultPeriod());
    ASSIGN_OR_RETURN(auto sessions, app_->ListBreakGlass(caller, from, to, trail));
    for (const auto& s : sessions) {
      v1::BreakGlassSession* p = response->add_sessions();
      p->set_id(s.id);
      p->set_professional_id(s.professional_id);
      p->set_organisation_id(s.organisation_id);
      p->set_resident_id(s.resident_id);
      p->set_reason(s.reason);
      SetTime(s.start_time, p->mutable_start_time());
      SetTime(s.end_time, p->mutable_end_time());
    }
    return absl::OkStatus();
  });
}

grpc::Status AuditService::ResidentAccessReport(grpc::ServerContext* context,
                                                const v1::ResidentAccessReportRequest* request,
                                                v1::ResidentAccessReportResponse* response) {
  return handler_->Handle(context, "AuditService.ResidentAccessReport", *request,
                          [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(app::AuditPage page,
                     app_->ResidentReport(caller, request->resident_id(), request->page_size(),
                                          request->page_token(), trail));
    AddEntries(page, response->mutable_accesses());
    response->set_next_page_token(page.next_page_token);
    return absl::OkStatus();
  });
}

grpc::Status AuditService::ListAnomalies(grpc::ServerContext* context,
                                         const v1::ListAnomaliesRequest* request,
                                         v1::ListAnomaliesResponse* response) {
  return handler_->Handle(context, "AuditService.ListAnomalies", *request,
                          [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    auto [from, to] = Period(request->from(), request->to(), app_->DefaultPeriod());
    ASSIGN_OR_RETURN(auto anomalies, app_->Anomalies(caller, from, to, trail));
    for (const auto& a : anomalies) {
      v1::Anomaly* p = response->add_anomalies();
      p->set_kind(ToProto(a.kind));
      p->set_professional_id(a.professional_id);
      p->set_organisation_id(a.organisation_id);
      p->set_day(a.day);
      p->set_count(a.count);
      p->set_usual(a.usual);
      p->set_detail(a.detail);
    }
    return absl::OkStatus();
  });
}

grpc::Status AuditService::ListPrivacyActs(grpc::ServerContext* context,
                                           const v1::ListPrivacyActsRequest* request,
                                           v1::ListPrivacyActsResponse* response) {
  return handler_->Handle(context, "AuditService.ListPrivacyActs", *request,
                          [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    auto [from, to] = Period(request->from(), request->to(), app_->DefaultPeriod());
    ASSIGN_OR_RETURN(app::AuditPage acts, app_->PrivacyActs(caller, from, to, trail));
    AddEntries(acts, response->mutable_entries());
    return absl::OkStatus();
  });
}

grpc::Status AuditService::ListGrants(grpc::ServerContext* context,
                                      const v1::ListGrantsRequest* request,
                                      v1::ListGrantsResponse* response) {
  return handler_->Handle(context, "AuditService.ListGrants", *request, [&](const auth::Principal& caller, audit::Trail& trail) -> absl::Status {
    ASSIGN_OR_RETURN(app::GrantListing listing,
                     grants_->Review(caller, request->professional_id(), trail));
    ToProto(listing, response);
    return absl::OkStatus();
  });
}

}  // namespace schakel::api
