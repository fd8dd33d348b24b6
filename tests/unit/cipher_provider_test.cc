// The fast SQLCipher crypto provider: the same file format as SQLCipher's
// stock provider in both directions (the sqlcipher-stock helper binary never
// registers ours), tampering still refused, its primitives equal to
// OpenSSL's one-shot functions, and it is the provider every connection of
// this process uses.
#include "server/store/cipher_provider.h"

#include <sqlcipher/sqlite3.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/crypto/openssl_util.h"
#include "server/store/database.h"
#include "server/store/sqlite_database.h"
#include "tests/support/process.h"
#include "tests/support/sqlcipher_rows.h"
#include "tests/support/test_support.h"

namespace schakel::store {
namespace {

using ::schakel::testing::DumpRows;
using ::schakel::testing::IsOk;
using ::schakel::testing::OpenKeyed;
using ::schakel::testing::PragmaText;
using ::schakel::testing::ReadFileOrDie;
using ::schakel::testing::Result;
using ::schakel::testing::RunCommand;
using ::schakel::testing::SqlResult;
using ::schakel::testing::TempDir;
using ::schakel::testing::WriteFileOrDie;
using ::schakel::testing::WriteRows;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string RandomKey() { return *crypto::RandomBytes(32); }
std::string Hex(const std::string& raw) { return crypto::HexEncode(raw); }

// By stat only: the files are often open in this process, and closing a
// descriptor of them would drop SQLite's locks.
int64_t FileSize(const std::string& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  return ec ? -1 : static_cast<int64_t>(size);
}

size_t Lines(const std::string& s) { return std::count(s.begin(), s.end(), '\n'); }

// A raw connection of this process (so: through our provider), closed on
// destruction.
class Ours {
 public:
  Ours(const std::string& path, const std::string& hex_key, int page_size) {
    opened_ = OpenKeyed(path, hex_key, page_size, &db_);
  }
  ~Ours() { sqlite3_close(db_); }
  const SqlResult& opened() const { return opened_; }
  sqlite3* db() { return db_; }
  std::string Dump() {
    std::string rows;
    SqlResult r = DumpRows(db_, &rows);
    EXPECT_TRUE(r.ok()) << r.rc << " " << r.message;
    return rows;
  }

 private:
  sqlite3* db_ = nullptr;
  SqlResult opened_;
};

class CipherProviderTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_THAT(UseFastCipherProvider(), IsOk()); }

  // The stock helper: argv after the binary's name.
  static Result Stock(std::vector<std::string> args) {
    args.insert(args.begin(), SCHAKEL_SQLCIPHER_STOCK);
    return RunCommand(args);
  }
  static std::string StockDump(const std::string& path, const std::string& hex_key,
                               int page_size) {
    Result r = Stock({"dump", path, hex_key, std::to_string(page_size)});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }

  TempDir dir_;
};

TEST_F(CipherProviderTest, OurProviderIsRegisteredAndTheHelperRunsTheStockOne) {
  ASSERT_NE(sqlcipher_get_provider(), nullptr);
  EXPECT_STREQ(sqlcipher_get_provider()->get_provider_name(nullptr), kFastCipherProviderName);

  const std::string path = dir_.File("a.db");
  const std::string key = Hex(RandomKey());
  Ours ours(path, key, 4096);
  ASSERT_TRUE(ours.opened().ok()) << ours.opened().message;
  EXPECT_EQ(PragmaText(ours.db(), "cipher_provider"), kFastCipherProviderName);
  ASSERT_TRUE(WriteRows(ours.db(), 3, 1).ok());

  // The reference side really is SQLCipher's stock provider, and both name
  // the cipher the same way.
  Result info = Stock({"info", path, key, "4096"});
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_EQ(info.out, "provider=openssl cipher=" + PragmaText(ours.db(), "cipher") + "\n");
  EXPECT_EQ(PragmaText(ours.db(), "cipher"), "AES-256-CBC");
}

TEST_F(CipherProviderTest, EveryConnectionOfADatabaseAndItsExportUseOurProvider) {
  const std::string path = dir_.File("db.sqlite");
  const std::string key = RandomKey();
  const int64_t before = internal::FastCipherContextsCreated();
  {
    absl::StatusOr<std::unique_ptr<SqliteDatabase>> db = SqliteDatabase::Open(path, key, /*create=*/true);
    ASSERT_THAT(db, IsOk());
    auto provider_of = [](Connection& c, std::string* name) {
      absl::StatusOr<Statement> st = c.Prepare("PRAGMA cipher_provider", "provider");
      if (!st.ok()) return st.status();
      absl::StatusOr<bool> row = st->Step();
      if (!row.ok()) return row.status();
      *name = st->ColumnText(0);
      return absl::OkStatus();
    };
    std::string writer, reader;
    ASSERT_THAT((*db)->Write([&](Connection& c) {
      absl::Status s = c.Exec("CREATE TABLE t(id INTEGER PRIMARY KEY, a TEXT, b BLOB);"
                              "INSERT INTO t(a, b) VALUES ('x', x'00ff'), ('y', NULL);",
                              "fill");
      return s.ok() ? provider_of(c, &writer) : s;
    }),
                IsOk());
    ASSERT_THAT((*db)->Read([&](Connection& c) { return provider_of(c, &reader); }), IsOk());
    EXPECT_EQ(writer, kFastCipherProviderName);
    EXPECT_EQ(reader, kFastCipherProviderName);
    // Writer and reader: a read and a write context each.
    const int64_t after_open = internal::FastCipherContextsCreated();
    EXPECT_GE(after_open - before, 4);

    // The export's ATTACH ... KEY keys one more database through us, and
    // the stock provider reads the copy.
    const std::string export_key = RandomKey();
    ASSERT_THAT((*db)->Export(dir_.File("export.db"), export_key,
                              [](Connection&) { return absl::OkStatus(); }),
                IsOk());
    EXPECT_GE(internal::FastCipherContextsCreated() - after_open, 2);
    EXPECT_EQ(StockDump(dir_.File("export.db"), Hex(export_key), 4096),
              "1|78|00FF\n2|79|\n");
  }
  // Every keyed connection of this test is closed: SQLCipher would have
  // freed the provider here and gone back to its stock one, were it not for
  // the pinning connection.
  EXPECT_STREQ(sqlcipher_get_provider()->get_provider_name(nullptr), kFastCipherProviderName);
  Ours again(path, Hex(key), 4096);
  ASSERT_TRUE(again.opened().ok()) << again.opened().message;
  EXPECT_EQ(PragmaText(again.db(), "cipher_provider"), kFastCipherProviderName);
}

// What the online backup relies on: a read-only open, as the last
// connection to close, leaves a WAL full of committed frames exactly as it
// found it — where a read-write open checkpoints it into the file and
// deletes it (the second half shows this test can fail).
TEST_F(CipherProviderTest, AReadOnlyOpenNeverCheckpointsOrDeletesTheWal) {
  const std::string path = dir_.File("live.db");
  const std::string key = RandomKey();
  Result w = Stock({"write", path, Hex(key), "4096", "80", "3", "--crash"});
  ASSERT_EQ(w.exit_code, 0) << w.err;
  const int64_t wal = FileSize(path + "-wal");
  const int64_t file = FileSize(path);
  ASSERT_GT(wal, 0);
  auto count_rows = [](Database& db) {
    int64_t rows = -1;
    EXPECT_THAT(db.Read([&](Connection& c) -> absl::Status {
      absl::StatusOr<Statement> st = c.Prepare("SELECT count(*) FROM t", "count");
      if (!st.ok()) return st.status();
      absl::StatusOr<bool> row = st->Step();
      if (!row.ok()) return row.status();
      rows = st->ColumnInt(0);
      return absl::OkStatus();
    }),
                IsOk());
    return rows;
  };
  {
    absl::StatusOr<std::unique_ptr<Database>> ro = SqliteDatabase::OpenReadOnly(path, key);
    ASSERT_THAT(ro, IsOk());
    EXPECT_EQ(count_rows(**ro), 80);
  }  // closed: the last connection
  EXPECT_EQ(FileSize(path + "-wal"), wal);
  EXPECT_EQ(FileSize(path), file);
  {
    absl::StatusOr<std::unique_ptr<Database>> rw = SqliteDatabase::Open(path, key, /*create=*/false);
    ASSERT_THAT(rw, IsOk());
    EXPECT_EQ(count_rows(**rw), 80);
  }
  EXPECT_EQ(FileSize(path + "-wal"), -1);
}

class CipherInteropTest : public CipherProviderTest,
                          public ::testing::WithParamInterface<int> {
 protected:
  int page_size() const { return GetParam(); }
  std::string page() const { return std::to_string(GetParam()); }
};

TEST_P(CipherInteropTest, StockWalFramesAreReadByOurs) {
  const std::string path = dir_.File("stock.db");
  const std::string key = Hex(RandomKey());
  Result w = Stock({"write", path, key, page(), "120", "7", "--crash"});
  ASSERT_EQ(w.exit_code, 0) << w.err;
  // The committed rows are only in WAL frames: the helper never closed.
  ASSERT_GT(FileSize(path + "-wal"), 0);

  Ours ours(path, key, page_size());
  ASSERT_TRUE(ours.opened().ok()) << ours.opened().message;
  const std::string rows = ours.Dump();
  EXPECT_EQ(Lines(rows), 120u);
  EXPECT_EQ(rows, StockDump(path, key, page_size()));
}

TEST_P(CipherInteropTest, OurWalFramesAreReadByStock) {
  const std::string path = dir_.File("ours.db");
  const std::string key = Hex(RandomKey());
  Ours ours(path, key, page_size());
  ASSERT_TRUE(ours.opened().ok()) << ours.opened().message;
  ASSERT_TRUE(WriteRows(ours.db(), 120, 8).ok());
  // Still open and not checkpointed: the stock reader reads our frames.
  ASSERT_GT(FileSize(path + "-wal"), FileSize(path));
  const std::string rows = ours.Dump();
  EXPECT_EQ(Lines(rows), 120u);
  EXPECT_EQ(StockDump(path, key, page_size()), rows);
}

TEST_P(CipherInteropTest, BothProvidersAppendToOneFile) {
  const std::string path = dir_.File("mixed.db");
  const std::string key = Hex(RandomKey());
  {
    Ours ours(path, key, page_size());
    ASSERT_TRUE(ours.opened().ok()) << ours.opened().message;
    ASSERT_TRUE(WriteRows(ours.db(), 60, 1).ok());
  }  // closed: checkpointed into the main file
  Result w = Stock({"write", path, key, page(), "60", "2", "--crash"});
  ASSERT_EQ(w.exit_code, 0) << w.err;
  std::string rows;
  {
    Ours ours(path, key, page_size());
    ASSERT_TRUE(ours.opened().ok()) << ours.opened().message;
    ASSERT_TRUE(WriteRows(ours.db(), 60, 3).ok());
    rows = ours.Dump();
  }
  EXPECT_EQ(Lines(rows), 180u);
  EXPECT_EQ(StockDump(path, key, page_size()), rows);
}

TEST_P(CipherInteropTest, StockRekeyIsReadByOurs) {
  const std::string path = dir_.File("stock-rekey.db");
  const std::string old_key = Hex(RandomKey());
  const std::string new_key = Hex(RandomKey());
  ASSERT_EQ(Stock({"write", path, old_key, page(), "80", "4"}).exit_code, 0);
  const std::string rows = StockDump(path, old_key, page_size());
  ASSERT_EQ(Lines(rows), 80u);
  Result r = Stock({"rekey", path, old_key, page(), new_key});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  Ours ours(path, new_key, page_size());
  ASSERT_TRUE(ours.opened().ok()) << ours.opened().message;
  EXPECT_EQ(ours.Dump(), rows);
  Ours old(path, old_key, page_size());
  EXPECT_EQ(old.opened().rc, SQLITE_NOTADB);
}

TEST_P(CipherInteropTest, OurRekeyWithWalFramesIsReadByStock) {
  const std::string path = dir_.File("ours-rekey.db");
  const std::string old_key = Hex(RandomKey());
  const std::string new_key = Hex(RandomKey());
  Ours ours(path, old_key, page_size());
  ASSERT_TRUE(ours.opened().ok()) << ours.opened().message;
  ASSERT_TRUE(WriteRows(ours.db(), 80, 5).ok());
  const std::string rows = ours.Dump();
  SqlResult r = schakel::testing::Exec(ours.db(), "PRAGMA rekey = \"x'" + new_key + "'\";");
  ASSERT_TRUE(r.ok()) << r.message;
  // The re-encrypted pages are WAL frames of the open connection.
  ASSERT_GT(FileSize(path + "-wal"), 0);
  EXPECT_EQ(StockDump(path, new_key, page_size()), rows);
  Result old = Stock({"dump", path, old_key, page()});
  EXPECT_EQ(old.exit_code, 2);
  EXPECT_THAT(old.err, StartsWith("rc=26 "));  // SQLITE_NOTADB
  EXPECT_EQ(ours.Dump(), rows);
}

INSTANTIATE_TEST_SUITE_P(PageSizes, CipherInteropTest, ::testing::Values(1024, 4096));

TEST_F(CipherProviderTest, DatabaseRekeyIsReadByStock) {
  const std::string path = dir_.File("db-rekey.db");
  const std::string old_key = RandomKey();
  const std::string new_key = RandomKey();
  ASSERT_EQ(Stock({"write", path, Hex(old_key), "4096", "50", "6"}).exit_code, 0);
  const std::string rows = StockDump(path, Hex(old_key), 4096);
  {
    absl::StatusOr<std::unique_ptr<SqliteDatabase>> db = SqliteDatabase::Open(path, old_key, false);
    ASSERT_THAT(db, IsOk());
    ASSERT_THAT((*db)->Rekey(new_key), IsOk());
  }
  EXPECT_EQ(StockDump(path, Hex(new_key), 4096), rows);
  EXPECT_EQ(Stock({"dump", path, Hex(old_key), "4096"}).exit_code, 2);
}

// A flipped byte in page 2 (the table's root, read by every scan) at each
// part of the encrypted page: ciphertext, IV, stored HMAC.
struct Tamper {
  const char* part;
  int offset_in_page;
};
void PrintTo(const Tamper& t, std::ostream* os) { *os << t.part << " at " << t.offset_in_page; }

class CipherTamperTest : public CipherProviderTest,
                         public ::testing::WithParamInterface<Tamper> {};

TEST_P(CipherTamperTest, AFlippedByteIsRefusedLikeStockRefusesIt) {
  constexpr int kPage = 4096;
  const std::string path = dir_.File("tamper.db");
  const std::string key = Hex(RandomKey());
  std::string rows;
  {
    Ours ours(path, key, kPage);
    ASSERT_TRUE(ours.opened().ok()) << ours.opened().message;
    ASSERT_TRUE(WriteRows(ours.db(), 60, 9).ok());
    rows = ours.Dump();
  }  // closed: every page is in the main file, no WAL left
  ASSERT_EQ(FileSize(path + "-wal"), -1);
  ASSERT_EQ(StockDump(path, key, kPage), rows);

  std::string raw = ReadFileOrDie(path);
  const size_t at = kPage + GetParam().offset_in_page;
  ASSERT_LT(at, raw.size());
  raw[at] = static_cast<char>(raw[at] ^ 0x01);
  WriteFileOrDie(path, raw);

  Ours ours(path, key, kPage);
  std::string dumped;
  SqlResult read = ours.opened().ok() ? DumpRows(ours.db(), &dumped) : ours.opened();
  EXPECT_NE(read.rc, SQLITE_OK) << GetParam().part << " tampering went unnoticed";
  Result stock = Stock({"dump", path, key, std::to_string(kPage)});
  EXPECT_EQ(stock.exit_code, 2);
  EXPECT_THAT(stock.err, StartsWith("rc=" + std::to_string(read.rc) + " "));
}

// With 4 KiB pages the reserve is 48 bytes at 4048: IV (16), HMAC (20), and
// random padding.
INSTANTIATE_TEST_SUITE_P(Parts, CipherTamperTest,
                         ::testing::Values(Tamper{"ciphertext", 1000}, Tamper{"iv", 4048 + 5},
                                           Tamper{"hmac", 4048 + 16 + 7}),
                         [](const auto& info) { return std::string(info.param.part); });

// Drives the provider's functions the way sqlcipher_page_cipher does.
class ProviderFunctionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_THAT(UseFastCipherProvider(), IsOk());
    internal::FillFastCipherProvider(&p_);
    ASSERT_EQ(p_.ctx_init(&ctx_), SQLITE_OK);
    ASSERT_EQ(p_.set_cipher(ctx_, "aes-256-cbc"), SQLITE_OK);
  }
  void TearDown() override { p_.ctx_free(&ctx_); }

  static std::string Random(size_t n) { return *crypto::RandomBytes(n); }
  static unsigned char* U(std::string& s) { return reinterpret_cast<unsigned char*>(&s[0]); }

  // OpenSSL's one-shot AES-256-CBC without padding, a fresh context each
  // time (what the stock provider does).
  static std::string Reference(int enc, const std::string& key, const std::string& iv,
                               const std::string& in) {
    std::string out(in.size() + 16, '\0');
    EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
    int n = 0, m = 0;
    EVP_CipherInit_ex(c, EVP_aes_256_cbc(), nullptr,
                      reinterpret_cast<const unsigned char*>(key.data()),
                      reinterpret_cast<const unsigned char*>(iv.data()), enc);
    EVP_CIPHER_CTX_set_padding(c, 0);
    EVP_CipherUpdate(c, U(out), &n, reinterpret_cast<const unsigned char*>(in.data()),
                     static_cast<int>(in.size()));
    EVP_CipherFinal_ex(c, U(out) + n, &m);
    EVP_CIPHER_CTX_free(c);
    out.resize(n + m);
    return out;
  }
  static std::string ReferenceHmac(const std::string& key, const std::string& data) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(data.data()), data.size(), md, &len);
    return std::string(reinterpret_cast<char*>(md), len);
  }

  // HMAC through the provider the way sqlcipher_page_hmac calls it: the
  // page (`in`, followed by room for the stored HMAC) and the 4-byte page
  // number.
  int Mac(void* ctx, std::string& key, std::string& page, int in_sz, std::string& pgno,
          std::string* out) {
    out->assign(20, '\0');
    return p_.hmac(ctx, U(key), static_cast<int>(key.size()), U(page), in_sz, U(pgno), 4,
                   U(*out));
  }

  sqlcipher_provider p_{};
  void* ctx_ = nullptr;
};

TEST_F(ProviderFunctionsTest, SizesAndNamesAreThoseOfAes256CbcAndSha1) {
  EXPECT_EQ(p_.get_key_sz(ctx_), 32);
  EXPECT_EQ(p_.get_iv_sz(ctx_), 16);
  EXPECT_EQ(p_.get_block_sz(ctx_), 16);
  EXPECT_EQ(p_.get_hmac_sz(ctx_), 20);
  EXPECT_STREQ(p_.get_cipher(ctx_), "AES-256-CBC");
  EXPECT_EQ(p_.fips_status(nullptr), 0);
  EXPECT_THAT(p_.get_provider_version(nullptr), HasSubstr("OpenSSL 3."));
  // An unknown cipher is refused and changes nothing.
  EXPECT_EQ(p_.set_cipher(ctx_, "no-such-cipher"), SQLITE_ERROR);
  EXPECT_STREQ(p_.get_cipher(ctx_), "AES-256-CBC");
}

TEST_F(ProviderFunctionsTest, CipherAndHmacEqualOpenSslOneShotOverRandomPagesAndKeyChanges) {
  // Two keys in turn, and now and then a fresh one: the cached key
  // schedules and HMAC pads must follow every change, in both directions,
  // on one context.
  std::vector<std::string> keys = {Random(32), Random(32)};
  std::vector<std::string> mac_keys = {Random(32), Random(32)};
  for (int i = 0; i < 300; ++i) {
    if (i % 50 == 49) {
      keys[i % 2] = Random(32);
      mac_keys[(i + 1) % 2] = Random(32);
    }
    std::string& key = keys[(i / 3) % 2];
    std::string& mac_key = mac_keys[(i / 5) % 2];
    const int size = 16 * (1 + static_cast<int>(Random(1)[0] & 0xff));  // 16..4096
    std::string iv = Random(16);
    std::string plain = Random(size);

    std::string cipher(size, '\0');
    ASSERT_EQ(p_.cipher(ctx_, 1, U(key), 32, U(iv), U(plain), size, U(cipher)), SQLITE_OK);
    ASSERT_EQ(cipher, Reference(1, key, iv, plain)) << "encrypt, round " << i;
    std::string back(size, '\0');
    ASSERT_EQ(p_.cipher(ctx_, 0, U(key), 32, U(iv), U(cipher), size, U(back)), SQLITE_OK);
    ASSERT_EQ(back, plain) << "decrypt, round " << i;

    // The page as sqlcipher_page_hmac sees it: in_sz bytes, then the
    // stored HMAC.
    std::string page = Random(size + 20);
    std::string pgno = Random(4);
    std::string mac;
    ASSERT_EQ(Mac(ctx_, mac_key, page, size, pgno, &mac), SQLITE_OK);
    ASSERT_EQ(mac, ReferenceHmac(mac_key, page.substr(0, size) + pgno)) << "hmac, round " << i;
  }
}

TEST_F(ProviderFunctionsTest, ACopiedContextWorksOnAfterItsSourceIsFreed) {
  void* copy = nullptr;
  ASSERT_EQ(p_.ctx_init(&copy), SQLITE_OK);
  std::string key = Random(32), iv = Random(16), plain = Random(4048), out(4048, '\0');
  // Key the source first, so there is keyed state that must not be shared.
  ASSERT_EQ(p_.cipher(ctx_, 1, U(key), 32, U(iv), U(plain), 4048, U(out)), SQLITE_OK);
  ASSERT_EQ(p_.ctx_copy(copy, ctx_), SQLITE_OK);
  EXPECT_EQ(p_.ctx_cmp(copy, ctx_), 1);
  p_.ctx_free(&ctx_);
  EXPECT_EQ(ctx_, nullptr);
  std::string again(4048, '\0');
  ASSERT_EQ(p_.cipher(copy, 1, U(key), 32, U(iv), U(plain), 4048, U(again)), SQLITE_OK);
  EXPECT_EQ(again, out);
  std::string page = Random(4068), pgno = Random(4), mac;
  ASSERT_EQ(Mac(copy, key, page, 4048, pgno, &mac), SQLITE_OK);
  EXPECT_EQ(mac, ReferenceHmac(key, page.substr(0, 4048) + pgno));
  ctx_ = copy;  // freed in TearDown
}

TEST_F(ProviderFunctionsTest, FailuresAreErrorsThatRefuseThePage) {
  std::string key = Random(32), iv = Random(16), plain = Random(4048), out(4048, 'x');
  std::string page = Random(4068), pgno = Random(4), mac;

  // Decrypting something that is not a whole number of blocks: an error,
  // and no partial output.
  EXPECT_EQ(p_.cipher(ctx_, 0, U(key), 32, U(iv), U(plain), 4047, U(out)), SQLITE_ERROR);
  EXPECT_EQ(out.substr(0, 4047), std::string(4047, '\0'));
  EXPECT_EQ(Mac(ctx_, key, page, 4048, pgno, &mac), SQLITE_OK);
  EXPECT_EQ(mac, ReferenceHmac(key, page.substr(0, 4048) + pgno));

  // A failed MAC never equals the stored one (SQLCipher ignores the result
  // of hmac() and compares).
  out.assign(20, '\0');
  EXPECT_EQ(p_.hmac(ctx_, U(key), 0, U(page), 4048, U(pgno), 4, U(out)), SQLITE_ERROR);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(static_cast<unsigned char>(out[i]),
              static_cast<unsigned char>(~static_cast<unsigned char>(page[4048 + i])));
  }

  // Wrong mode, wrong key size.
  out.assign(4048, 'x');
  EXPECT_EQ(p_.cipher(ctx_, 2, U(key), 32, U(iv), U(plain), 4048, U(out)), SQLITE_ERROR);
  EXPECT_EQ(p_.cipher(ctx_, 0, U(key), 16, U(iv), U(plain), 4048, U(out)), SQLITE_ERROR);
  EXPECT_EQ(out, std::string(4048, '\0'));
  // And the context still works after failures.
  ASSERT_EQ(p_.cipher(ctx_, 1, U(key), 32, U(iv), U(plain), 4048, U(out)), SQLITE_OK);
  EXPECT_EQ(out, Reference(1, key, iv, plain));
}

// SQLCipher ignores the provider's result while writing a page and would
// commit a page nobody can read again: the process stops instead.
TEST_F(ProviderFunctionsTest, AFailureWhileWritingAPageStopsTheProcess) {
  std::string key = Random(32), iv = Random(16), plain = Random(4048), out(4048, 'x');
  std::string page = Random(4068), pgno = Random(4), mac;
  EXPECT_DEATH(p_.cipher(ctx_, 1, U(key), 32, U(iv), U(plain), 4047, U(out)),
               "page encryption failed while writing a page");
  // An encryption that worked, then its MAC fails (no key): the page MAC.
  mac.assign(20, '\0');
  ASSERT_EQ(p_.cipher(ctx_, 1, U(key), 32, U(iv), U(plain), 4048, U(out)), SQLITE_OK);
  EXPECT_DEATH(p_.hmac(ctx_, U(key), 0, U(page), 4048, U(pgno), 4, U(mac)),
               "the page MAC failed while writing a page");
}

TEST_F(ProviderFunctionsTest, KdfIsPbkdf2HmacSha1AndRandomFillsTheBuffer) {
  std::string pass = "correct horse", salt = Random(16), key(32, '\0'), ref(32, '\0');
  ASSERT_EQ(p_.kdf(ctx_, U(pass), static_cast<int>(pass.size()), U(salt), 16, 1000, 32, U(key)),
            SQLITE_OK);
  ASSERT_EQ(PKCS5_PBKDF2_HMAC_SHA1(pass.data(), static_cast<int>(pass.size()), U(salt), 16, 1000,
                                   32, U(ref)),
            1);
  EXPECT_EQ(key, ref);
  // A KDF that cannot run leaves no predictable key behind.
  std::string failed(32, '\0');
  EXPECT_EQ(p_.kdf(ctx_, U(pass), static_cast<int>(pass.size()), U(salt), 16, 0, 32, U(failed)),
            SQLITE_ERROR);
  EXPECT_NE(failed, std::string(32, '\0'));

  std::string a(48, '\0'), b(48, '\0');
  ASSERT_EQ(p_.random(ctx_, U(a), 48), SQLITE_OK);
  ASSERT_EQ(p_.random(ctx_, U(b), 48), SQLITE_OK);
  EXPECT_NE(a, b);
  EXPECT_NE(a, std::string(48, '\0'));
}

}  // namespace
}  // namespace schakel::store
