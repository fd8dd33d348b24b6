// The auditor's use cases over the audit log.
#ifndef SCHAKEL_SERVER_APP_AUDIT_APP_H_
#define SCHAKEL_SERVER_APP_AUDIT_APP_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/app/page_tokens.h"
#include "server/audit/anomalies.h"
#include "server/audit/audit_store.h"
#include "server/audit/break_glass.h"
#include "server/audit/trail.h"
#include "server/audit/verifier.h"
#include "server/auth/principal.h"
#include "server/common/clock.h"
#include "server/store/database.h"
#include "server/store/directory_store.h"

namespace schakel::app {

// The directory's names of an entry's professional and organisation, read
// when the entry is (the chain holds ids only); empty when the id names no
// professional or organisation (erased, unknown, the server itself). Never
// a resident's name: entries name residents by id alone.
struct EntryNames {
  std::string professional;
  std::string organisation;
};

struct AuditPage {
  std::vector<audit::Entry> entries;
  // names[i] belongs to entries[i].
  std::vector<EntryNames> names;
  std::string next_page_token;
};

class AuditApp {
 public:
  // `reasons` opens the sealed break-glass reasons the auditor lists;
  // `people` gives the names beside the ids of the entries listed.
  AuditApp(store::Database* db, std::string checkpoint_path, std::string public_key_pem,
           const Clock* clock, const PageTokens* tokens, const audit::BreakGlassReasons* reasons,
           store::PeopleStore* people)
      : db_(db),
        checkpoint_path_(std::move(checkpoint_path)),
        public_key_pem_(std::move(public_key_pem)),
        clock_(clock),
        tokens_(tokens),
        reasons_(reasons),
        people_(people) {}

  absl::StatusOr<AuditPage> Query(const auth::Principal& caller, audit::Query query,
                                  int page_size, const std::string& page_token,
                                  audit::Trail& trail);
  absl::StatusOr<audit::VerifyReport> Verify(const auth::Principal& caller,
                                             const std::optional<audit::ExpectedHead>& expect,
                                             audit::Trail& trail);
  // The sessions with their reasons in the clear: the one piece of case
  // text the auditor reads, by design (FORMAT.md, "Break-glass sessions").
  absl::StatusOr<std::vector<audit::BreakGlassSession>> ListBreakGlass(
      const auth::Principal& caller, absl::Time from, absl::Time to, audit::Trail& trail);
  absl::StatusOr<AuditPage> ResidentReport(const auth::Principal& caller,
                                           const std::string& resident_id, int page_size,
                                           const std::string& page_token, audit::Trail& trail);
  absl::StatusOr<std::vector<audit::Anomaly>> Anomalies(const auth::Principal& caller,
                                                        absl::Time from, absl::Time to,
                                                        audit::Trail& trail);

  // The privacy officers' acts with their request references, newest
  // first (one page: no next_page_token).
  absl::StatusOr<AuditPage> PrivacyActs(const auth::Principal& caller,
                                                        absl::Time from, absl::Time to,
                                                        audit::Trail& trail);

  // The default period of the auditor's overviews: the last 30 days.
  std::pair<absl::Time, absl::Time> DefaultPeriod() const;

 private:
  store::Database* db_;
  std::string checkpoint_path_;
  std::string public_key_pem_;
  const Clock* clock_;
  const PageTokens* tokens_;
  const audit::BreakGlassReasons* reasons_;
  store::PeopleStore* people_;
};

}  // namespace schakel::app

#endif  // SCHAKEL_SERVER_APP_AUDIT_APP_H_
