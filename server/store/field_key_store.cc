#include "server/store/field_key_store.h"

#include "server/common/status_macros.h"

namespace schakel::store {

absl::StatusOr<std::vector<FieldKeyRow>> ReadFieldKeys(Database& db) {
  std::vector<FieldKeyRow> out;
  RETURN_IF_ERROR(db.Read([&](Connection& c) -> absl::Status {
    out.clear();
    ASSIGN_OR_RETURN(Statement st, c.Prepare("SELECT id, wrapped, create_time, retire_time"
                                             " FROM field_keys ORDER BY id",
                                             "read field keys"));
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return absl::OkStatus();
      FieldKeyRow k{st.ColumnInt(0), st.ColumnText(1), st.ColumnTime(2), std::nullopt};
      if (!st.ColumnIsNull(3)) k.retire_time = st.ColumnTime(3);
      out.push_back(std::move(k));
    }
  }));
  return out;
}

absl::Status AddFieldKey(Database& db, const FieldKeyRow& row) {
  return db.Write([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st,
                     c.Prepare("INSERT INTO field_keys (id, wrapped, create_time) VALUES (?1, ?2, ?3)",
                               "add field key"));
    st.Bind(1, row.id).Bind(2, row.wrapped).BindTime(3, row.create_time);
    return st.Run();
  });
}

}  // namespace schakel::store
