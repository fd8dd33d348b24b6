#include "server/store/create_requests.h"

#include "server/common/status_macros.h"

namespace schakel::store {
namespace {

constexpr char kFind[] =
    "SELECT request_hash, resource_id FROM create_requests "
    "WHERE professional_id = ?1 AND method = ?2 AND request_id = ?3";
constexpr char kInsert[] =
    "INSERT INTO create_requests (professional_id, method, request_id, request_hash, resource_id,"
    " create_time) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

}  // namespace

absl::StatusOr<std::optional<std::string>> FindCreated(Connection& c, const CreateRequest& r) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kFind, "find request id"));
  st.Bind(1, r.professional_id).Bind(2, r.method).Bind(3, r.request_id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<std::string>();
  if (st.ColumnText(0) != r.request_hash) {
    return absl::AlreadyExistsError(
        "request_id: already used for a request with different content");
  }
  return std::optional<std::string>(st.ColumnText(1));
}

absl::Status RecordCreated(Connection& c, const CreateRequest& r, const std::string& resource_id,
                           absl::Time now) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kInsert, "record request id"));
  st.Bind(1, r.professional_id).Bind(2, r.method).Bind(3, r.request_id).Bind(4, r.request_hash);
  st.Bind(5, resource_id).BindTime(6, now);
  // Its failure is a bug (ReplayCreated looked first, under the writers'
  // order): nothing maps it, so it may go down pipelined.
  return st.RunPipelined();
}

}  // namespace schakel::store
