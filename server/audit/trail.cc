#include "server/audit/trail.h"

namespace schakel::audit {

StoreHook HookFor(AuditLog& log, Trail& trail) {
  return [&log, &trail](store::Connection& c, const std::vector<std::string>& residents) {
    for (const std::string& r : residents) trail.AddResident(r);
    trail.entry.outcome = kAllowed;
    trail.entry.reason.clear();
    absl::Status s = log.AppendIn(c, trail.entry);
    trail.appended = s.ok();
    return s;
  };
}

}  // namespace schakel::audit
