// sqlcipher-stock: reads and writes SQLCipher files with SQLCipher's own
// (stock OpenSSL) crypto provider, for the cipher provider tests. It links
// SQLCipher and nothing of schakel's store, so it never registers schakel's
// provider: what it writes is the reference format, and what it reads must
// have been written in that format.
//
//   sqlcipher-stock write PATH HEXKEY PAGE_SIZE ROWS SEED [--crash]
//       appends ROWS rows (WAL mode); --crash exits without closing, so
//       the committed transactions stay as frames in PATH-wal
//   sqlcipher-stock dump PATH HEXKEY PAGE_SIZE     the rows, on stdout
//   sqlcipher-stock info PATH HEXKEY PAGE_SIZE     "provider=<name> cipher=<name>"
//   sqlcipher-stock rekey PATH HEXKEY PAGE_SIZE NEWHEXKEY
//   sqlcipher-stock peek PATH HEXKEY PAGE_SIZE ro|rw
//       opens PATH as a SQLite shell would (rw: read-write, the shell's
//       default; ro: read-only), reads the schema, prints the number of
//       tables and closes: what a second process touching a live
//       database does
//
// HEXKEY "-" reads the key from the first line of stdin, so that it is not
// on the command line.
//
// Exit codes: 0 done; 1 usage; 2 SQLite failed ("rc=<code> <message>" on
// stderr).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "tests/support/sqlcipher_rows.h"

namespace {

using schakel::testing::SqlResult;

int Failed(const SqlResult& r) {
  std::fprintf(stderr, "rc=%d %s\n", r.rc, r.message.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: sqlcipher-stock write|dump|info|rekey PATH HEXKEY PAGE_SIZE ...\n");
    return 1;
  }
  const std::string command = argv[1];
  const std::string path = argv[2];
  std::string key = argv[3];
  if (key == "-") {
    char line[256] = {0};
    if (std::fgets(line, sizeof(line), stdin) == nullptr) {
      std::fprintf(stderr, "no key on stdin\n");
      return 1;
    }
    key = line;
    while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();
  }
  const int page_size = std::atoi(argv[4]);
  sqlite3* db = nullptr;
  if (command == "peek") {
    const bool read_only = argc >= 6 && std::string(argv[5]) == "ro";
    SqlResult r = schakel::testing::OpenKeyed(path, key, page_size, &db, read_only);
    if (r.ok()) {
      std::printf("tables=%s\n",
                  schakel::testing::QueryText(db, "SELECT count(*) FROM sqlite_master").c_str());
      r = schakel::testing::ResultOf(db, sqlite3_close(db));
    }
    return r.ok() ? 0 : Failed(r);
  }
  SqlResult r = schakel::testing::OpenKeyed(path, key, page_size, &db);
  if (!r.ok()) return Failed(r);
  if (command == "write" && argc >= 7) {
    r = schakel::testing::WriteRows(db, std::atoi(argv[5]),
                                    static_cast<uint32_t>(std::strtoul(argv[6], nullptr, 10)));
    if (!r.ok()) return Failed(r);
    if (argc >= 8 && std::string(argv[7]) == "--crash") _exit(0);
  } else if (command == "dump") {
    std::string rows;
    r = schakel::testing::DumpRows(db, &rows);
    if (!r.ok()) return Failed(r);
    std::fwrite(rows.data(), 1, rows.size(), stdout);
  } else if (command == "info") {
    std::printf("provider=%s cipher=%s\n",
                schakel::testing::PragmaText(db, "cipher_provider").c_str(),
                schakel::testing::PragmaText(db, "cipher").c_str());
  } else if (command == "rekey" && argc >= 6) {
    r = schakel::testing::Exec(db, std::string("PRAGMA rekey = \"x'") + argv[5] + "'\";");
    if (!r.ok()) return Failed(r);
  } else {
    std::fprintf(stderr, "unknown command or missing arguments: %s\n", command.c_str());
    return 1;
  }
  r = schakel::testing::ResultOf(db, sqlite3_close(db));
  return r.ok() ? 0 : Failed(r);
}
