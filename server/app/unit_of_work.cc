#include "server/app/unit_of_work.h"

#include <string>
#include <vector>

#include "server/common/status_macros.h"

namespace schakel::app {

absl::Status UnitOfWork::Run(audit::Trail& trail,
                             const std::function<absl::Status(Transaction&)>& fn) {
  const std::vector<std::string> residents_before = trail.entry.residents;
  trail.appended = false;
  absl::Status s = db_->Write([&](Transaction& tx) -> absl::Status {
    trail.entry.residents = residents_before;
    RETURN_IF_ERROR(fn(tx));
    trail.entry.outcome = audit::kAllowed;
    trail.MarkBreakGlass();
    return audit_->AppendIn(tx, trail.entry);
  });
  trail.appended = s.ok();
  return s;
}

absl::Status UnitOfWork::Read(const std::function<absl::Status(Transaction&)>& fn) {
  return db_->Read(fn);
}

}  // namespace schakel::app
