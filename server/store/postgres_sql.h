// The store's SQL, written once in the dialect both engines share, made
// into what PostgreSQL 15 takes. Pure: no I/O, no libpq.
//
// What it changes (outside string literals, quoted identifiers and
// comments):
//   - parameters: `?NNN`, `?` and `:name` / `@name` / `$name` become `$n`,
//     numbered as SQLite numbers them (a `?` or a name seen for the first
//     time takes the highest index so far plus one; `?NNN` takes NNN);
//   - `INSERT OR IGNORE INTO ...` becomes `INSERT INTO ... ON CONFLICT DO
//     NOTHING`;
//   - `ifnull(` becomes `coalesce(`.
// What it refuses (INTERNAL, naming the construct: a store statement that
// needs a dialect of its own): `INSERT OR REPLACE`, `PRAGMA`,
// `group_concat`, `sqlite_master`, and SQL it cannot read to its end (an
// unterminated literal or comment).
#ifndef SCHAKEL_SERVER_STORE_POSTGRES_SQL_H_
#define SCHAKEL_SERVER_STORE_POSTGRES_SQL_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace schakel::store {

struct PostgresSql {
  std::string text;
  // The highest parameter index ($1..$parameters).
  int parameters = 0;
  // Each named parameter as the SQL spells it (":name") and its index.
  std::vector<std::pair<std::string, int>> names;

  // The index of `name` (":name"), 0 when the SQL has no such parameter.
  int IndexOf(absl::string_view name) const;
};

absl::StatusOr<PostgresSql> TranslateToPostgres(absl::string_view sql);

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_POSTGRES_SQL_H_
