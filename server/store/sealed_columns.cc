#include "server/store/sealed_columns.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "server/store/database.h"

namespace schakel::store {
namespace {

std::string ById(const Statement& st) { return st.ColumnText(0); }

std::string ByRectification(const Statement& st) {
  return RectificationRow(st.ColumnView(0), st.ColumnView(1), st.ColumnTime(2));
}

}  // namespace

std::string RectificationRow(absl::string_view resident_id, absl::string_view field,
                             absl::Time time) {
  return absl::StrCat(resident_id, "/", field, "/", absl::ToUnixMicros(time));
}

const std::vector<SealedTable>& SealedTables() {
  static const auto* tables = new std::vector<SealedTable>{
      {"residents", {"name", "birth_date", "address"}, "id", false, "id", ById},
      {"signals", {"description", "place"}, "id", false, "id", ById},
      {"signal_notes", {"text"}, "id", false, "id", ById},
      {"handovers",
       {"reason", "consent_covers", "legal_reference", "vital_reason", "decline_reason",
        "cancel_reason", "introduced_with", "outcome_text"},
       "id", false, "id", ById},
      {"handover_notes", {"text"}, "id", false, "id", ById},
      {"trajectories", {"goal", "close_reason"}, "id", false, "id", ById},
      {"ladder_measurements", {"note"}, "id", false, "id", ById},
      {"trajectory_steps", {"description"}, "id", false, "id", ById},
      {"rectifications", {"old_value", "new_value"}, "seq", true, "resident_id, field, time",
       ByRectification},
  };
  return *tables;
}

const SealedTable& SealedTableOf(absl::string_view table) {
  for (const SealedTable& t : SealedTables()) {
    if (table == t.table) return t;
  }
  std::abort();
}

}  // namespace schakel::store
