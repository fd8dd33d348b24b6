#include "server/store/health_probe.h"

#include "server/common/status_macros.h"

namespace schakel::store {

absl::Status WriteHealthProbe(Connection& c, absl::Time now) {
  ASSIGN_OR_RETURN(Statement st,
                   c.Prepare("UPDATE health_probe SET probe_time = ? WHERE id = 1", "health probe"));
  st.BindTime(1, now);
  return st.Run();
}

}  // namespace schakel::store
