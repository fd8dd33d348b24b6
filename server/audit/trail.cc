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

}  // namespace schakel::audit
