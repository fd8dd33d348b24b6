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

absl::StatusOr<std::vector<int64_t>> RetireDataKeysBelow(Database& db, int64_t id,
                                                         absl::Time now) {
  std::vector<int64_t> retired;
  RETURN_IF_ERROR(db.Write([&](Connection& c) -> absl::Status {
    retired.clear();
    ASSIGN_OR_RETURN(Statement find,
                     c.Prepare("SELECT id FROM field_keys WHERE id > 0 AND id < ?1"
                               " AND retire_time IS NULL ORDER BY id",
                               "find keys to retire"));
    find.Bind(1, id);
    while (true) {
      ASSIGN_OR_RETURN(bool row, find.Step());
      if (!row) break;
      retired.push_back(find.ColumnInt(0));
    }
    ASSIGN_OR_RETURN(Statement st,
                     c.Prepare("UPDATE field_keys SET retire_time = ?2 WHERE id > 0 AND id < ?1"
                               " AND retire_time IS NULL",
                               "retire field keys"));
    st.Bind(1, id).BindTime(2, now);
    return st.Run();
  }));
  return retired;
}

}  // namespace schakel::store
