#include "server/audit/trail.h"

#include <optional>

#include "server/domain/ids.h"

namespace schakel::audit {

void Trail::Concerns(const std::string& resource_type, const std::string& resource_id) {
  entry.resource_type = resource_type;
  std::optional<domain::IdKind> kind = domain::IdKindOfResource(resource_type);
  if (!resource_id.empty() && kind && !domain::IsIdOf(*kind, resource_id)) {
    entry.resource_id = domain::kInvalidIdMarker;
  } else {
    entry.resource_id = resource_id;
  }
}

StoreHook HookFor(AuditLog& log, Trail& trail) {
  return [&log, &trail](store::Connection& c, const std::vector<std::string>& residents) {
    for (const std::string& r : residents) trail.AddResident(r);
    trail.entry.outcome = kAllowed;
    // The reason is what the app wrote for an allowed change (what a grant
    // gives, which certificate an enrollment made); empty otherwise.
    absl::Status s = log.AppendIn(c, trail.entry);
    trail.appended = s.ok();
    return s;
  };
}

}  // namespace schakel::audit
