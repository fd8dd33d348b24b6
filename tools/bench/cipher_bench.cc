// schakel-cipher-bench: pages per second through SQLCipher's page crypto,
// with SQLCipher's stock OpenSSL provider or schakel's (store/cipher_provider.h),
// on a database like schakel's (raw key, 4 KiB pages, WAL). A benchmark: it
// prints figures and asserts nothing (docs/performance.md).
//
//   schakel-cipher-bench [--provider stock|fast|both] [--rows N] [--scans N] [--dir DIR]
//
// For each provider, one line per measurement:
//   provider=<name> op=bulk_insert pages=<n> seconds=<s> pages_per_s=<x>
//   provider=<name> op=scan threads=<t> pages=<n> seconds=<s> pages_per_s=<x>
// bulk_insert writes N rows of ~200 bytes in one transaction (every page is
// encrypted and MACed once, at commit); scan reads the whole table with a
// page cache of 16 pages, so every page is MACed and decrypted on every
// scan (the file itself stays in the OS cache: no disk reads). page_write
// and page_read call the registered provider's functions directly, as
// sqlcipher_page_cipher does for one 4 KiB page (write: IV, encrypt, HMAC;
// read: HMAC, decrypt), without SQLite around them:
//   provider=<name> op=page_write|page_read pages=<n> us_per_page=<x>
// With `both`,
// stock runs first: the provider can only be switched once per process.
#include <sqlcipher/sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string>
#include <thread>
#include <vector>

#include "server/store/cipher_provider.h"
#include "tools/common/version.h"

namespace {

constexpr int kPageSize = 4096;
constexpr char kKeyPragma[] =
    "PRAGMA key = \"x'2b7e151628aed2a6abf7158809cf4f3c2b7e151628aed2a6abf7158809cf4f3c'\";";

[[noreturn]] void Die(sqlite3* db, const std::string& what) {
  std::fprintf(stderr, "schakel-cipher-bench: %s: %s\n", what.c_str(),
               db != nullptr ? sqlite3_errmsg(db) : "");
  std::exit(1);
}

void Exec(sqlite3* db, const std::string& sql) {
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) Die(db, sql);
}

sqlite3* Open(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    Die(db, "open " + path);
  }
  Exec(db, kKeyPragma);
  Exec(db, "PRAGMA cipher_page_size = " + std::to_string(kPageSize) + ";");
  Exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
  return db;
}

int64_t PageCount(sqlite3* db) {
  sqlite3_stmt* st = nullptr;
  int64_t n = -1;
  if (sqlite3_prepare_v2(db, "PRAGMA page_count", -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    n = sqlite3_column_int64(st, 0);
  }
  sqlite3_finalize(st);
  return n;
}

std::string Provider(sqlite3* db) {
  sqlite3_stmt* st = nullptr;
  std::string name;
  if (sqlite3_prepare_v2(db, "PRAGMA cipher_provider", -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    name = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  }
  sqlite3_finalize(st);
  return name;
}

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The registered provider's page work, timed without SQLite (the provider
// is SQLCipher's while any keyed connection is open).
void TimePages(const std::string& provider) {
  sqlcipher_provider p = *sqlcipher_get_provider();
  void* ctx = nullptr;
  if (p.ctx_init(&ctx) != SQLITE_OK || p.set_cipher(ctx, "aes-256-cbc") != SQLITE_OK) {
    Die(nullptr, "provider context");
  }
  constexpr int kReserve = 48;  // IV 16 + HMAC 20, rounded up to blocks
  constexpr int kSize = kPageSize - kReserve;
  std::vector<unsigned char> key(32, 0x2b), mac_key(32, 0x3c), page(kPageSize, 0x11),
      out(kPageSize);
  unsigned char pgno[4] = {7, 0, 0, 0};
  constexpr int kPages = 20000;
  for (bool write : {true, false}) {
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kPages; ++i) {
      int rc = SQLITE_OK;
      if (write) {
        rc |= p.random(ctx, out.data() + kSize, kReserve);
        rc |= p.cipher(ctx, 1, key.data(), 32, out.data() + kSize, page.data(), kSize, out.data());
        rc |= p.hmac(ctx, mac_key.data(), 32, out.data(), kSize + 16, pgno, 4,
                     out.data() + kSize + 16);
      } else {
        rc |= p.hmac(ctx, mac_key.data(), 32, page.data(), kSize + 16, pgno, 4, out.data() + kSize + 16);
        rc |= p.cipher(ctx, 0, key.data(), 32, page.data() + kSize, page.data(), kSize, out.data());
      }
      if (rc != SQLITE_OK) Die(nullptr, "page crypto");
    }
    const double s = Seconds(start);
    std::printf("provider=%s op=%s pages=%d us_per_page=%.2f\n", provider.c_str(),
                write ? "page_write" : "page_read", kPages, s * 1e6 / kPages);
  }
  p.ctx_free(&ctx);
}

void Run(const std::string& dir, int rows, int scans) {
  const std::string path = dir + "/cipher-bench-" + std::to_string(::getpid()) + ".db";
  std::string provider;
  int64_t pages = 0;
  {
    sqlite3* db = Open(path);
    provider = Provider(db);
    Exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, a TEXT, b BLOB)");
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, "INSERT INTO t(a, b) VALUES (?, randomblob(150))", -1, &st,
                           nullptr) != SQLITE_OK) {
      Die(db, "prepare insert");
    }
    const std::string text(50, 'x');
    auto start = std::chrono::steady_clock::now();
    Exec(db, "BEGIN");
    for (int i = 0; i < rows; ++i) {
      sqlite3_bind_text(st, 1, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
      if (sqlite3_step(st) != SQLITE_DONE) Die(db, "insert");
      sqlite3_reset(st);
    }
    Exec(db, "COMMIT");
    const double s = Seconds(start);
    sqlite3_finalize(st);
    pages = PageCount(db);
    std::printf("provider=%s op=bulk_insert pages=%lld seconds=%.3f pages_per_s=%.0f\n",
                provider.c_str(), static_cast<long long>(pages), s, pages / s);
    TimePages(provider);
    sqlite3_close(db);  // checkpoints: the scans read the main file
  }
  for (int threads : {1, 2}) {
    auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&path, scans] {
        sqlite3* db = Open(path);
        Exec(db, "PRAGMA cache_size = 16;");
        for (int i = 0; i < scans; ++i) Exec(db, "SELECT sum(length(b)) FROM t");
        sqlite3_close(db);
      });
    }
    for (std::thread& w : workers) w.join();
    const double s = Seconds(start);
    const int64_t read = pages * scans * threads;
    std::printf("provider=%s op=scan threads=%d pages=%lld seconds=%.3f pages_per_s=%.0f\n",
                provider.c_str(), threads, static_cast<long long>(read), s, read / s);
  }
  std::fflush(stdout);
  for (const char* suffix : {"", "-wal", "-shm"}) ::unlink((path + suffix).c_str());
}

}  // namespace

int main(int argc, char** argv) {
  std::string which = "both", dir = "/tmp";
  int rows = 200000, scans = 5;
  if (argc == 2 && std::string(argv[1]) == "--version") {
    std::printf("%s\n", schakel::tools::VersionLine("schakel-cipher-bench").c_str());
    return 0;
  }
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--provider") which = value;
    else if (flag == "--rows") rows = std::atoi(value.c_str());
    else if (flag == "--scans") scans = std::atoi(value.c_str());
    else if (flag == "--dir") dir = value;
    else {
      std::fprintf(stderr, "usage: schakel-cipher-bench [--provider stock|fast|both] [--rows N] "
                           "[--scans N] [--dir DIR]\n");
      return 1;
    }
  }
  if (which != "stock" && which != "fast" && which != "both") {
    std::fprintf(stderr, "schakel-cipher-bench: --provider is stock, fast or both\n");
    return 1;
  }
  // Every connection of the stock run is closed before the switch: the
  // next keyed open then takes the provider registered by the switch.
  if (which != "fast") Run(dir, rows, scans);
  if (which != "stock") {
    absl::Status s = schakel::store::UseFastCipherProvider();
    if (!s.ok()) {
      std::fprintf(stderr, "schakel-cipher-bench: %s\n", std::string(s.message()).c_str());
      return 1;
    }
    Run(dir, rows, scans);
  }
  return 0;
}
