#include "server/app/privacy_app.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "server/audit/audit_store.h"
#include "server/auth/policy.h"
#include "server/common/log.h"
#include "server/common/status_macros.h"
#include "server/domain/calendar.h"
#include "server/domain/text.h"

namespace schakel::app {
namespace {

constexpr int kAccessPage = 500;

// Every audit entry concerning one of `residents` (the ids of one person),
// in seq order, as the resident may see it: an entry names only the
// person's own ids, not the other residents it concerned, and not the
// professional's network address, certificate fingerprint or the chain
// hashes (the auditor's business, not the resident's).
absl::StatusOr<std::vector<audit::Entry>> AccessReport(store::Database& db,
                                                       const std::vector<std::string>& residents) {
  std::vector<audit::Entry> out;
  for (const std::string& id : residents) {
    audit::Query q;
    q.resident_id = id;
    q.limit = kAccessPage;
    while (true) {
      ASSIGN_OR_RETURN(audit::Page page, audit::QueryEntries(db, q));
      if (page.entries.empty()) break;
      q.after_seq = page.entries.back().seq;
      for (audit::Entry& e : page.entries) out.push_back(std::move(e));
      if (!page.more) break;
    }
  }
  std::sort(out.begin(), out.end(),
            [](const audit::Entry& a, const audit::Entry& b) { return a.seq < b.seq; });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const audit::Entry& a, const audit::Entry& b) { return a.seq == b.seq; }),
            out.end());
  for (audit::Entry& e : out) {
    std::vector<std::string> own;
    for (const std::string& id : e.residents) {
      if (std::find(residents.begin(), residents.end(), id) != residents.end()) own.push_back(id);
    }
    e.residents = std::move(own);
    e.peer.clear();
    e.certificate.clear();
    e.prev_hash.clear();
    e.hash.clear();
  }
  return out;
}

}  // namespace

absl::Status PrivacyApp::Begin(const auth::Principal& caller, auth::Action action,
                               const std::string& resident_id, const std::string& request_ref,
                               audit::Trail& trail) {
  trail.Concerns("resident", resident_id.size() <= 64 ? resident_id : "");
  RETURN_IF_ERROR(domain::ValidateId("resident_id", resident_id));
  // Refused attempts belong in the resident's access report too.
  trail.AddResident(resident_id);
  RETURN_IF_ERROR(auth::Decide(caller, action).ToStatus());
  RETURN_IF_ERROR(domain::ValidateRequestRef(request_ref));
  trail.entry.privacy_request = request_ref;
  return absl::OkStatus();
}

store::Actor PrivacyApp::ActorOf(const auth::Principal& caller,
                                 const std::string& request_ref) const {
  return store::Actor{caller.professional.id, caller.professional.organisation_id, request_ref,
                      clock_->Now()};
}

absl::StatusOr<ResidentExport> PrivacyApp::Export(const auth::Principal& caller,
                                                  const std::string& resident_id,
                                                  const std::string& request_ref,
                                                  audit::Trail& trail) {
  RETURN_IF_ERROR(Begin(caller, auth::Action::kExportResident, resident_id, request_ref, trail));
  ResidentExport out;
  out.export_time = clock_->Now();
  out.request_ref = request_ref;
  ASSIGN_OR_RETURN(out.data, store_->Collect(resident_id));
  std::vector<std::string> person = out.data.resident.merged_ids;
  person.push_back(resident_id);
  for (const std::string& merged : out.data.resident.merged_ids) trail.AddResident(merged);
  ASSIGN_OR_RETURN(out.accesses, AccessReport(*db_, person));
  return out;
}

absl::StatusOr<domain::ResidentData> PrivacyApp::Rectify(const auth::Principal& caller,
                                                        const std::string& resident_id,
                                                        const std::string& request_ref,
                                                        const domain::RectifyInput& changes,
                                                        audit::Trail& trail) {
  RETURN_IF_ERROR(Begin(caller, auth::Action::kRectifyResident, resident_id, request_ref, trail));
  ASSIGN_OR_RETURN(std::vector<domain::FieldChange> list,
                   domain::ValidateRectification(changes, domain::DayOf(clock_->Now())));
  const store::Actor actor = ActorOf(caller, request_ref);
  domain::ResidentData data;
  RETURN_IF_ERROR(uow_->Run(trail, [&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(data, store_->Rectify(tx, resident_id, list, actor));
    return absl::OkStatus();
  }));
  return data;
}

absl::StatusOr<domain::EraseResult> PrivacyApp::Erase(const auth::Principal& caller,
                                                     const std::string& resident_id,
                                                     const std::string& request_ref,
                                                     audit::Trail& trail) {
  RETURN_IF_ERROR(Begin(caller, auth::Action::kEraseResident, resident_id, request_ref, trail));
  const store::Actor actor = ActorOf(caller, request_ref);
  domain::EraseResult result;
  RETURN_IF_ERROR(uow_->Run(trail, [&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(result, store_->Erase(tx, resident_id, actor));
    return absl::OkStatus();
  }));
  return result;
}

absl::Status PrivacyApp::SetHold(const auth::Principal& caller, const std::string& resident_id,
                                 const std::string& request_ref, bool held,
                                 audit::Trail& trail) {
  RETURN_IF_ERROR(Begin(caller, auth::Action::kLegalHold, resident_id, request_ref, trail));
  const store::Actor actor = ActorOf(caller, request_ref);
  return uow_->Run(trail,
                   [&](Transaction& tx) { return store_->SetHold(tx, resident_id, held, actor); });
}

absl::StatusOr<RetentionReport> RetentionJob::RunOnce() {
  const absl::Time now = clock_->Now();
  const domain::RetentionCutoffs cut = domain::CutoffsAt(periods_, now);
  RetentionReport report;
  // An erasure whose WAL checkpoint was blocked: old page versions with the
  // erased data stay in the WAL until this succeeds.
  if (absl::Status s = store_->CheckpointPending(); !s.ok()) {
    LogWarning(absl::StrCat("retention: the pending WAL checkpoint is still blocked: ",
                            s.ToString()));
  }
  // The clock's act, recorded like any other, in the purge's transaction.
  auto trail_for = [now](const char* action, const char* resource_type) {
    audit::Trail t;
    t.entry.time = now;
    t.entry.action = action;
    t.entry.purpose = "retention period passed";
    t.Concerns(resource_type, "");
    return t;
  };
  // Trajectories first: their steps may refer to handovers, whose signals
  // may be referred to by them in turn.
  {
    audit::Trail t = trail_for("retention.PurgeTrajectories", "trajectory");
    store::PurgeResult r;
    RETURN_IF_ERROR(uow_->RunIfChanged(t, [&](Transaction& tx) -> absl::StatusOr<bool> {
      ASSIGN_OR_RETURN(r, store_->PurgeTrajectories(tx, cut.trajectories));
      for (const std::string& resident : r.residents) t.AddResident(resident);
      // Nothing purged, nothing to record (the dependents went with records).
      return r.records > 0;
    }));
    report.trajectories = r.records;
  }
  {
    audit::Trail t = trail_for("retention.PurgeHandovers", "handover");
    store::PurgeResult r;
    RETURN_IF_ERROR(uow_->RunIfChanged(t, [&](Transaction& tx) -> absl::StatusOr<bool> {
      ASSIGN_OR_RETURN(r, store_->PurgeHandovers(tx, cut.cases));
      for (const std::string& resident : r.residents) t.AddResident(resident);
      // Nothing purged, nothing to record (the dependents went with records).
      return r.records > 0;
    }));
    report.handovers = r.records;
  }
  {
    audit::Trail t = trail_for("retention.PurgeSignals", "signal");
    store::PurgeResult r;
    RETURN_IF_ERROR(uow_->RunIfChanged(t, [&](Transaction& tx) -> absl::StatusOr<bool> {
      ASSIGN_OR_RETURN(r, store_->PurgeSignals(tx, cut.cases));
      for (const std::string& resident : r.residents) t.AddResident(resident);
      // Nothing purged, nothing to record (the dependents went with records).
      return r.records > 0;
    }));
    report.signals = r.records;
  }
  {
    audit::Trail t = trail_for("retention.PurgeAudit", "audit");
    ASSIGN_OR_RETURN(report.audit_entries, audit_->PurgeOlderThan(cut.audit, t.entry));
  }
  return report;
}

}  // namespace schakel::app
