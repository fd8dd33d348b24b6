// Every column the PostgreSQL engine keeps sealed (Statement::BindSealed),
// in one list: the erasure of a resident's case text, the re-sealing of a
// data-key rotation and the tests that look for plaintext in a dump all
// read it, so that a sealed column added to a store is added here once.
//
// The seal context of a value is SealContext("<table>.<column>", row), with
// `row` the row's id, except for rectifications, whose rows are named by
// resident, field and time (RectificationRow).
#ifndef SCHAKEL_SERVER_STORE_SEALED_COLUMNS_H_
#define SCHAKEL_SERVER_STORE_SEALED_COLUMNS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace schakel::store {

class Statement;

struct SealedTable {
  const char* table;
  std::vector<const char*> columns;
  // The primary key: TEXT "id", or for rectifications BIGINT "seq".
  const char* key;
  bool integer_key;
  // The columns that name a row in its seal context, selected in this order
  // before the sealed ones, and the name they make.
  const char* row_columns;
  std::string (*row)(const Statement& st);
};

// All of them: residents, signals and their notes, handovers and their
// notes, trajectories with their measurements and steps, rectifications.
const std::vector<SealedTable>& SealedTables();
// The table named `table`; a bug (abort) when it holds no sealed column.
const SealedTable& SealedTableOf(absl::string_view table);

// The row a rectification's values are sealed under.
std::string RectificationRow(absl::string_view resident_id, absl::string_view field,
                             absl::Time time);

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_SEALED_COLUMNS_H_
