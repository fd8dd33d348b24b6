// The audit trail of one request: the entry being built while the request
// runs, and whether it has been written. The api layer opens it with who
// and what; the app adds which resource and residents; a change appends it
// inside its own transaction (app::UnitOfWork), anything else has it
// recorded when the request ends (api::Handler).
#ifndef SCHAKEL_SERVER_AUDIT_TRAIL_H_
#define SCHAKEL_SERVER_AUDIT_TRAIL_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"

#include "server/audit/audit_log.h"
#include "server/audit/entry.h"

namespace schakel::audit {

struct Trail {
  Entry entry;
  // Set when a unit of work appended the entry inside its change's
  // transaction; it is durable once that unit of work returned OK.
  bool appended = false;
  // Whether the request should stop its work: CANCELLED when the client
  // cancelled it, DEADLINE_EXCEEDED when its deadline (capped by the
  // server) passed; OK to go on. Set by api::Handler; long operations ask
  // between rows. Unset: never stops.
  std::function<absl::Status()> stop;
  // The caller's emergency access (auth::Principal::break_glass_residents,
  // read once with authentication).
  std::map<std::string, absl::Time> break_glass_residents;

  absl::Status CheckStop() const { return stop ? stop() : absl::OkStatus(); }
  // Names the resource. A resource id that is not an id of the type's kind
  // (domain/ids.h) is recorded as "[invalid]": whatever a caller sent in
  // place of an id never reaches the log (the request is refused before
  // its body runs, api/request_ids.h; this keeps any later path honest).
  void Concerns(const std::string& resource_type, const std::string& resource_id);
  void AddResident(const std::string& id) {
    if (!id.empty()) entry.residents.push_back(id);
  }
  // Flags the entry when it concerns a resident the caller reached under
  // emergency access: the auditor reviews every such entry.
  void MarkBreakGlass() {
    for (const std::string& r : entry.residents) {
      if (break_glass_residents.count(r) > 0) entry.break_glass = true;
    }
  }
};

}  // namespace schakel::audit

#endif  // SCHAKEL_SERVER_AUDIT_TRAIL_H_
