#include "server/store/name_rows.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/store/scope_binding.h"

namespace schakel::store {
namespace {

// Ids per statement: SQLite binds at most 999 parameters; a page names
// far fewer.
constexpr size_t kChunk = 100;

std::string Placeholders(size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) absl::StrAppend(&out, i == 0 ? "" : ", ", ":p", i);
  return out;
}

// Runs `select_prefix` + "(:p0, ...)" + `suffix` over `ids` in chunks and
// puts column 0 → column 1 into `out`.
// `sealed`: column 1 is a sealed field of that column ("residents.name").
absl::Status ReadInto(Connection& c, const std::string& select_prefix, const std::string& suffix,
                      const std::set<std::string>& ids, const auth::ListScope* scope,
                      std::map<std::string, std::string>& out, const char* sealed = nullptr) {
  std::vector<std::string> all(ids.begin(), ids.end());
  for (size_t first = 0; first < all.size(); first += kChunk) {
    const size_t n = std::min(kChunk, all.size() - first);
    ASSIGN_OR_RETURN(Statement st,
                     c.Prepare(absl::StrCat(select_prefix, "(", Placeholders(n), ")", suffix),
                               "read names"));
    for (size_t i = 0; i < n; ++i) st.BindName(absl::StrCat(":p", i).c_str(), all[first + i]);
    if (scope != nullptr) BindScope(st, *scope);
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      std::string id = st.ColumnText(0);
      out[id] = sealed == nullptr ? st.ColumnText(1) : st.ColumnSealed(1, SealContext(sealed, id));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<domain::Names> ReadNames(Connection& c, const domain::NameRequest& request,
                                        const auth::ListScope& scope) {
  domain::Names names;
  RETURN_IF_ERROR(ReadInto(c, "SELECT id, display_name FROM professionals WHERE id IN ", "",
                           request.professionals, nullptr, names.professionals));
  RETURN_IF_ERROR(ReadInto(c, "SELECT id, name FROM organisations WHERE id IN ", "",
                           request.organisations, nullptr, names.organisations));
  static const std::string* resident_suffix = new std::string(
      absl::StrCat(" AND r.merged_into IS NULL AND r.erase_time IS NULL AND ",
                   auth::ResidentVisibleSql(auth::Sqlite(), "r")));
  RETURN_IF_ERROR(ReadInto(c, "SELECT r.id, r.name FROM residents r WHERE r.id IN ",
                           *resident_suffix, request.residents, &scope, names.residents,
                           "residents.name"));
  return names;
}

}  // namespace schakel::store
