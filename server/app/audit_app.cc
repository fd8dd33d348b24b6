#include "server/app/audit_app.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "server/auth/policy.h"
#include "server/common/status_macros.h"
#include "server/domain/page_token.h"
#include "server/domain/text.h"

namespace schakel::app {
namespace {

constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 500;
constexpr int kMaxSessions = 1000;

absl::StatusOr<int64_t> AfterSeq(const PageTokens& tokens, const PageScope& scope,
                                 const std::string& token) {
  ASSIGN_OR_RETURN(std::string key, tokens.Open(scope, token));
  int64_t after = 0;
  if (!key.empty() && (!absl::SimpleAtoi(key, &after) || after < 0)) {
    return absl::InvalidArgumentError("page_token: not a token from this list");
  }
  return after;
}

// The names beside the entries' ids, from the directory.
absl::StatusOr<std::vector<EntryNames>> NamesOf(store::PeopleStore& people,
                                                const std::vector<audit::Entry>& entries) {
  std::vector<std::string> professionals;
  std::vector<std::string> organisations;
  for (const audit::Entry& e : entries) {
    if (!e.professional_id.empty()) professionals.push_back(e.professional_id);
    if (!e.organisation_id.empty()) organisations.push_back(e.organisation_id);
  }
  ASSIGN_OR_RETURN(store::DirectoryNames found, people.Names(professionals, organisations));
  std::vector<EntryNames> out;
  out.reserve(entries.size());
  for (const audit::Entry& e : entries) {
    EntryNames n;
    if (auto it = found.professionals.find(e.professional_id); it != found.professionals.end()) {
      n.professional = it->second;
    }
    if (auto it = found.organisations.find(e.organisation_id); it != found.organisations.end()) {
      n.organisation = it->second;
    }
    out.push_back(std::move(n));
  }
  return out;
}

absl::StatusOr<AuditPage> Page(store::Database& db, store::PeopleStore& people,
                               const PageTokens& tokens, const PageScope& scope, audit::Query q) {
  ASSIGN_OR_RETURN(audit::Page page, audit::QueryEntries(db, q));
  AuditPage out;
  ASSIGN_OR_RETURN(out.names, NamesOf(people, page.entries));
  if (page.more && !page.entries.empty()) {
    ASSIGN_OR_RETURN(out.next_page_token,
                     tokens.Seal(scope, absl::StrCat(page.entries.back().seq)));
  }
  out.entries = std::move(page.entries);
  return out;
}

absl::Status CheckPeriod(absl::Time from, absl::Time to) {
  if (from >= to) return absl::InvalidArgumentError("from: must be before to");
  return absl::OkStatus();
}

}  // namespace

std::pair<absl::Time, absl::Time> AuditApp::DefaultPeriod() const {
  absl::Time now = clock_->Now();
  return {now - absl::Hours(24 * 30), now + absl::Minutes(1)};
}

absl::StatusOr<AuditPage> AuditApp::Query(const auth::Principal& caller, audit::Query q,
                                          int page_size, const std::string& page_token,
                                          audit::Trail& trail) {
  trail.Concerns("audit", "");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kReadAudit).ToStatus());
  for (const auto& [field, value] :
       {std::pair<const char*, const std::string&>{"professional_id", q.professional_id},
        {"organisation_id", q.organisation_id},
        {"resident_id", q.resident_id}}) {
    if (!value.empty()) RETURN_IF_ERROR(domain::ValidateId(field, value));
  }
  RETURN_IF_ERROR(domain::ValidateOptionalText("action", q.action, 100));
  if (!q.outcome.empty() && q.outcome != audit::kAllowed && q.outcome != audit::kDenied &&
      q.outcome != audit::kFailed) {
    return absl::InvalidArgumentError("outcome: must be allowed, denied or failed");
  }
  RETURN_IF_ERROR(CheckPeriod(q.from, q.to));
  ASSIGN_OR_RETURN(q.limit, domain::ResolvePageSize(page_size, kDefaultPageSize, kMaxPageSize));
  // The period is not bound: by default it ends a minute after now, which
  // moves from one page to the next.
  const PageScope scope{"audit", caller.professional.id,
                        FilterText({q.professional_id, q.organisation_id, q.resident_id,
                                    q.action, q.outcome})};
  ASSIGN_OR_RETURN(q.after_seq, AfterSeq(*tokens_, scope, page_token));
  // Searching one resident's trail is an access concerning that resident.
  trail.AddResident(q.resident_id);
  return Page(*db_, *people_, *tokens_, scope, q);
}

absl::StatusOr<audit::VerifyReport> AuditApp::Verify(
    const auth::Principal& caller, const std::optional<audit::ExpectedHead>& expect,
    audit::Trail& trail) {
  trail.Concerns("audit", "verify");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kReadAudit).ToStatus());
  ASSIGN_OR_RETURN(std::vector<audit::Checkpoint> checkpoints,
                   audit::ReadCheckpoints(checkpoint_path_));
  ASSIGN_OR_RETURN(audit::VerifyReport report,
                   audit::VerifyChain(*db_, checkpoints, public_key_pem_, expect,
                                      [&trail] { return trail.CheckStop(); }));
  RETURN_IF_ERROR(audit::CheckCheckpointFile(*db_, checkpoints, checkpoint_path_, report));
  return report;
}

absl::StatusOr<std::vector<audit::BreakGlassSession>> AuditApp::ListBreakGlass(
    const auth::Principal& caller, absl::Time from, absl::Time to, audit::Trail& trail) {
  trail.Concerns("breakglass", "");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kReadAudit).ToStatus());
  RETURN_IF_ERROR(CheckPeriod(from, to));
  ASSIGN_OR_RETURN(auto sessions, audit::ListBreakGlass(*db_, from, to, kMaxSessions));
  for (auto& s : sessions) {
    trail.AddResident(s.resident_id);
    absl::StatusOr<std::string> reason = reasons_->Reason(s);
    // One damaged row does not hide the others; verify names it.
    s.reason = reason.ok() ? *std::move(reason)
                           : "[the sealed reason does not authenticate: run audit verify]";
    s.sealed_reason.clear();
  }
  return sessions;
}

absl::StatusOr<AuditPage> AuditApp::ResidentReport(const auth::Principal& caller,
                                                   const std::string& resident_id, int page_size,
                                                   const std::string& page_token,
                                                   audit::Trail& trail) {
  trail.Concerns("resident", resident_id.size() <= 64 ? resident_id : "");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kReadAudit).ToStatus());
  RETURN_IF_ERROR(domain::ValidateId("resident_id", resident_id));
  trail.AddResident(resident_id);
  audit::Query q;
  q.resident_id = resident_id;
  ASSIGN_OR_RETURN(q.limit, domain::ResolvePageSize(page_size, kDefaultPageSize, kMaxPageSize));
  const PageScope scope{"access-report", caller.professional.id, FilterText({resident_id})};
  ASSIGN_OR_RETURN(q.after_seq, AfterSeq(*tokens_, scope, page_token));
  return Page(*db_, *people_, *tokens_, scope, q);
}

absl::StatusOr<AuditPage> AuditApp::PrivacyActs(const auth::Principal& caller,
                                                                absl::Time from, absl::Time to,
                                                                audit::Trail& trail) {
  trail.Concerns("audit", "privacy-acts");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kReviewPrivacyActs).ToStatus());
  RETURN_IF_ERROR(CheckPeriod(from, to));
  ASSIGN_OR_RETURN(std::vector<audit::Entry> acts, audit::PrivacyActs(*db_, from, to, 1000));
  // The residents the listed acts concern are data returned.
  for (const audit::Entry& e : acts) {
    for (const std::string& r : e.residents) trail.AddResident(r);
  }
  AuditPage out;
  ASSIGN_OR_RETURN(out.names, NamesOf(*people_, acts));
  out.entries = std::move(acts);
  return out;
}

absl::StatusOr<std::vector<audit::Anomaly>> AuditApp::Anomalies(const auth::Principal& caller,
                                                                absl::Time from, absl::Time to,
                                                                audit::Trail& trail) {
  trail.Concerns("audit", "anomalies");
  RETURN_IF_ERROR(auth::Decide(caller, auth::Action::kReadAudit).ToStatus());
  RETURN_IF_ERROR(CheckPeriod(from, to));
  ASSIGN_OR_RETURN(auto volumes, audit::DailyVolumes(*db_, from, to));
  ASSIGN_OR_RETURN(auto sessions, audit::ListBreakGlass(*db_, from, to, kMaxSessions));
  return audit::FindAnomalies(volumes, sessions);
}

}  // namespace schakel::app
