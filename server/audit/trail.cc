#include "server/audit/trail.h"

namespace schakel::audit {

StoreHook HookFor(AuditLog& log, Trail& trail) {
  return [&log, &trail](store::Connection& c, const std::vector<std::string>& residents) {
    for (const std::string& r : residents) trail.AddResident(r);
    trail.entry.outcome = kAllowed;
    trail.MarkBreakGlass();
    // The reason is what the app wrote for an allowed change (what a grant
    // gives, which certificate an enrollment made); empty otherwise.
    absl::Status s = log.AppendIn(c, trail.entry);
    trail.appended = s.ok();
    return s;
  };
}

}  // namespace schakel::audit
