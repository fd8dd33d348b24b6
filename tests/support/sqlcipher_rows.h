// Raw SQLCipher helpers shared by the cipher provider tests and the
// sqlcipher-stock helper binary (which never registers schakel's provider),
// so that both sides key, write and dump a database the same way: a table
// t(id, a TEXT, b BLOB) of deterministic rows of varied sizes (some spill
// onto overflow pages), dumped as "id|hex(a)|hex(b)" lines in id order, so
// two dumps are equal exactly when the rows are byte-for-byte equal.
#ifndef SCHAKEL_TESTS_SUPPORT_SQLCIPHER_ROWS_H_
#define SCHAKEL_TESTS_SUPPORT_SQLCIPHER_ROWS_H_

#include <sqlcipher/sqlite3.h>

#include <cstdint>
#include <string>

namespace schakel::testing {

// A SQLite result code and its message ("" when rc is SQLITE_OK).
struct SqlResult {
  int rc = SQLITE_OK;
  std::string message;
  bool ok() const { return rc == SQLITE_OK; }
};

inline SqlResult ResultOf(sqlite3* db, int rc) {
  return {rc, rc == SQLITE_OK ? "" : (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc))};
}

inline SqlResult Exec(sqlite3* db, const std::string& sql) {
  return ResultOf(db, sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr));
}

// Opens `path` keyed with the raw key `hex_key` (64 hex digits) and
// `page_size`, and reads the schema so that a wrong key fails here;
// `read_only` opens it as SQLITE_OPEN_READONLY.
inline SqlResult OpenKeyed(const std::string& path, const std::string& hex_key, int page_size,
                           sqlite3** db, bool read_only = false) {
  int rc = sqlite3_open_v2(path.c_str(), db,
                           (read_only ? SQLITE_OPEN_READONLY
                                      : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                               SQLITE_OPEN_FULLMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) return ResultOf(*db, rc);
  SqlResult r = Exec(*db, "PRAGMA key = \"x'" + hex_key + "'\";");
  if (r.ok()) r = Exec(*db, "PRAGMA cipher_page_size = " + std::to_string(page_size) + ";");
  if (r.ok()) r = Exec(*db, "SELECT count(*) FROM sqlite_master;");
  return r;
}

// The first column of a query's first row as text ("" when it gives none).
inline std::string QueryText(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* st = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != nullptr) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  }
  sqlite3_finalize(st);
  return out;
}

// One pragma's answer as text ("" when it gives no row).
inline std::string PragmaText(sqlite3* db, const std::string& pragma) {
  return QueryText(db, "PRAGMA " + pragma);
}

// Appends `rows` rows after the highest id, in transactions of 25 rows;
// the content depends only on `seed` and the row's id.
inline SqlResult WriteRows(sqlite3* db, int rows, uint32_t seed) {
  SqlResult r = Exec(db,
                     "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;"
                     "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, a TEXT, b BLOB);");
  if (!r.ok()) return r;
  sqlite3_stmt* st = nullptr;
  int rc = sqlite3_prepare_v2(db, "INSERT INTO t(a, b) VALUES (?, ?)", -1, &st, nullptr);
  if (rc != SQLITE_OK) return ResultOf(db, rc);
  uint64_t state = 0x9e3779b97f4a7c15ull ^ seed;
  auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  for (int i = 0; i < rows && r.ok(); ++i) {
    if (i % 25 == 0) r = Exec(db, "BEGIN");
    std::string a(next() % 300, ' ');
    for (char& ch : a) ch = static_cast<char>('a' + next() % 26);
    // Mostly small blobs, every seventh one larger than a 4 KiB page.
    std::string b(i % 7 == 0 ? 4000 + next() % 6000 : next() % 400, '\0');
    for (char& ch : b) ch = static_cast<char>(next());
    if (!r.ok()) break;
    sqlite3_bind_text(st, 1, a.data(), static_cast<int>(a.size()), SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 2, b.data(), static_cast<int>(b.size()), SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) r = ResultOf(db, rc);
    if (r.ok() && (i % 25 == 24 || i == rows - 1)) r = Exec(db, "COMMIT");
  }
  sqlite3_finalize(st);
  return r;
}

// Every row of t as "id|hex(a)|hex(b)\n", in id order.
inline SqlResult DumpRows(sqlite3* db, std::string* out) {
  out->clear();
  sqlite3_stmt* st = nullptr;
  int rc = sqlite3_prepare_v2(db, "SELECT id, hex(a), hex(b) FROM t ORDER BY id", -1, &st,
                              nullptr);
  if (rc != SQLITE_OK) return ResultOf(db, rc);
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    out->append(std::to_string(sqlite3_column_int64(st, 0)));
    for (int col = 1; col <= 2; ++col) {
      out->push_back('|');
      const unsigned char* text = sqlite3_column_text(st, col);
      if (text != nullptr) out->append(reinterpret_cast<const char*>(text));
    }
    out->push_back('\n');
  }
  sqlite3_finalize(st);
  return ResultOf(db, rc == SQLITE_DONE ? SQLITE_OK : rc);
}

}  // namespace schakel::testing

#endif  // SCHAKEL_TESTS_SUPPORT_SQLCIPHER_ROWS_H_
