#include "server/store/field_reseal.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/common/status_macros.h"
#include "server/crypto/field_cipher.h"

namespace schakel::store {
namespace {

// A value under another key than `id` ("" and NULL hold none): its text
// does not begin "f1.<id>." (field_cipher.h).
std::string NotUnder(const char* column, uint32_t id) {
  return absl::StrCat("(", column, " <> '' AND ", column, " NOT LIKE 'f1.", id, ".%')");
}

// One value of a row as read, and what it becomes.
struct Value {
  std::optional<std::string> stored;  // nullopt: NULL
  std::optional<std::string> opened;  // set when it is to be sealed anew,
  std::string context;                // under this context
};

struct Row {
  std::string key;
  int64_t seq = 0;
  std::string name;  // the row in the seal context
  std::vector<Value> values;
};

}  // namespace

absl::StatusOr<int> ResealBatch(Database& db, const SealedTable& t, int limit) {
  const int key = static_cast<int>(
      std::vector<absl::string_view>(absl::StrSplit(t.row_columns, ',')).size());
  const int first = key + 1;
  const int n = static_cast<int>(t.columns.size());
  int found = 0;
  RETURN_IF_ERROR(db.Write([&](Connection& c) -> absl::Status {
    found = 0;
    const uint32_t active = c.active_field_key();
    if (active == 0) {
      return absl::FailedPreconditionError("re-seal: this store does not seal fields");
    }
    std::string select = absl::StrCat("SELECT ", t.row_columns, ", ", t.key);
    std::string stale;
    for (const char* column : t.columns) {
      absl::StrAppend(&select, ", ", column);
      absl::StrAppend(&stale, stale.empty() ? "" : " OR ", NotUnder(column, active));
    }
    absl::StrAppend(&select, " FROM ", t.table, " WHERE ", stale, " LIMIT ?1");
    // Every column set (one that stays, to its own value), on the condition
    // that none changed since it was read.
    std::string update = absl::StrCat("UPDATE ", t.table, " SET ");
    std::string unchanged;
    for (int i = 0; i < n; ++i) {
      absl::StrAppend(&update, i == 0 ? "" : ", ", t.columns[i], " = ?", i + 2);
      absl::StrAppend(&unchanged, " AND ", t.columns[i], " IS NOT DISTINCT FROM ?", n + i + 2);
    }
    absl::StrAppend(&update, " WHERE ", t.key, " = ?1", unchanged);

    std::vector<Row> rows;
    {
      ASSIGN_OR_RETURN(Statement st, c.Prepare(select, "find values to re-seal"));
      st.Bind(1, static_cast<int64_t>(limit));
      while (true) {
        ASSIGN_OR_RETURN(bool more, st.Step());
        if (!more) break;
        Row r;
        if (t.integer_key) {
          r.seq = st.ColumnInt(key);
        } else {
          r.key = st.ColumnText(key);
        }
        r.name = t.row(st);
        for (int i = 0; i < n; ++i) {
          Value v;
          if (!st.ColumnIsNull(first + i)) {
            v.stored = st.ColumnText(first + i);
            ASSIGN_OR_RETURN(uint32_t id, crypto::FieldKeyring::KeyIdOf(*v.stored));
            // A value that does not open fails the transaction.
            if (id != 0 && id != active) {
              v.context = SealContext(absl::StrCat(t.table, ".", t.columns[i]), r.name);
              v.opened = st.ColumnSealed(first + i, v.context);
            }
          }
          r.values.push_back(std::move(v));
        }
        rows.push_back(std::move(r));
      }
    }
    ASSIGN_OR_RETURN(Statement up, c.Prepare(update, "re-seal values"));
    for (const Row& r : rows) {
      up.Reset();
      if (t.integer_key) {
        up.Bind(1, r.seq);
      } else {
        up.Bind(1, r.key);
      }
      for (int i = 0; i < n; ++i) {
        const Value& v = r.values[i];
        if (v.opened) {
          up.BindSealed(i + 2, v.context, *v.opened);
        } else if (v.stored) {
          up.Bind(i + 2, *v.stored);
        } else {
          up.BindNull(i + 2);
        }
        if (v.stored) {
          up.Bind(n + i + 2, *v.stored);
        } else {
          up.BindNull(n + i + 2);
        }
      }
      RETURN_IF_ERROR(up.Run());
    }
    found = static_cast<int>(rows.size());
    return absl::OkStatus();
  }));
  return found;
}

}  // namespace schakel::store
