#include "server/app/unit_of_work.h"

#include <string>
#include <vector>

#include "server/common/status_macros.h"

namespace schakel::app {

absl::Status UnitOfWork::Run(audit::Trail& trail,
                             const std::function<absl::Status(Transaction&)>& fn) {
  return RunIfChanged(trail, [&](Transaction& tx) -> absl::StatusOr<bool> {
    RETURN_IF_ERROR(fn(tx));
    return true;
  });
}

absl::Status UnitOfWork::RunIfChanged(
    audit::Trail& trail, const std::function<absl::StatusOr<bool>(Transaction&)>& fn) {
  const std::vector<std::string> residents_before = trail.entry.residents;
  bool record = false;
  trail.appended = false;
  absl::Status s = db_->Write([&](Transaction& tx) -> absl::Status {
    trail.entry.residents = residents_before;
    ASSIGN_OR_RETURN(record, fn(tx));
    if (!record) return absl::OkStatus();
    trail.entry.outcome = audit::kAllowed;
    trail.MarkBreakGlass();
    return audit_->AppendIn(tx, trail.entry);
  });
  trail.appended = s.ok() && record;
  return s;
}

absl::Status UnitOfWork::RunUnaudited(const std::function<absl::Status(Transaction&)>& fn) {
  return db_->Write(fn);
}

absl::Status UnitOfWork::Read(const std::function<absl::Status(Transaction&)>& fn) {
  return db_->Read(fn);
}

}  // namespace schakel::app
