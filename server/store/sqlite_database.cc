#include "server/store/sqlite_database.h"

#include <sqlcipher/sqlite3.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <tuple>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "server/common/log.h"
#include "server/common/read_stop.h"
#include "server/common/status_macros.h"
#include "server/store/cipher_provider.h"
#include "server/crypto/openssl_util.h"
#include "server/domain/name_key.h"
#include "server/store/statement_cache.h"

#include "server/store/group_commit.h"
namespace schakel::store {

absl::Status SqliteStatus(int rc, absl::string_view what) {
  switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW:
      return absl::OkStatus();
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(absl::StrCat(what, ": database busy, retry"));
    case SQLITE_FULL:
      return absl::ResourceExhaustedError(absl::StrCat(what, ": disk full"));
    case SQLITE_CORRUPT:
      return absl::DataLossError(absl::StrCat(what, ": database corrupt"));
    case SQLITE_NOTADB:
      return absl::PermissionDeniedError(
          absl::StrCat(what, ": the database key does not open this file (wrong key, or not a "
                             "schakel database)"));
    case SQLITE_INTERRUPT:
      return absl::CancelledError(absl::StrCat(what, ": interrupted"));
    case SQLITE_CONSTRAINT:
      return absl::AlreadyExistsError(absl::StrCat(what, ": constraint violated"));
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
      return absl::UnavailableError(absl::StrCat(what, ": database file unavailable"));
    default:
      return absl::InternalError(absl::StrCat(what, ": database error"));
  }
}

namespace {

void FoldFunction(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  if (argc != 1 || sqlite3_value_type(argv[0]) == SQLITE_NULL) {
    sqlite3_result_null(ctx);
    return;
  }
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  const int size = sqlite3_value_bytes(argv[0]);
  const std::string folded =
      domain::FoldText(absl::string_view(text == nullptr ? "" : text, static_cast<size_t>(size)));
  sqlite3_result_text(ctx, folded.data(), static_cast<int>(folded.size()), SQLITE_TRANSIENT);
}

absl::Status ReadOnlyError() {
  return absl::FailedPreconditionError("the database was opened read-only");
}

bool IsSyncFailure(int rc) {
  return rc == SQLITE_IOERR_FSYNC || rc == SQLITE_IOERR_DIR_FSYNC;
}

// Logs the SQLite message server-side and returns the mapped status.
//
// A failed fsync stops the process. After one, the kernel may already have
// dropped the dirty pages and cleared the error, so a retry could "succeed"
// without the data on disk (PostgreSQL's fsyncgate). Stopping leaves the
// recovery to the next start, which reads the WAL as it really is on disk;
// the write that hit the failure was never acknowledged.
absl::Status Failure(sqlite3* db, int rc, absl::string_view what) {
  LogError(absl::StrCat("sqlite: ", what, ": rc=", rc, " ", db ? sqlite3_errmsg(db) : ""));
  if (IsSyncFailure(rc)) {
    LogError(absl::StrCat("fsync failed during ", what,
                          ": stopping now; restart recovers from what is on disk"));
    std::abort();
  }
  return SqliteStatus(rc, what);
}

// Whether a statement may be kept for reuse. Never a PRAGMA that sets
// something (SQLite runs some while preparing — key, cipher settings — and
// their text may hold a key) nor ATTACH/DETACH (the export's ATTACH names
// its key): those are prepared, run and finalized every time.
bool Keepable(absl::string_view sql) {
  absl::string_view s = absl::StripLeadingAsciiWhitespace(sql);
  auto starts = [&s](absl::string_view word) { return absl::StartsWithIgnoreCase(s, word); };
  if (starts("ATTACH") || starts("DETACH")) return false;
  if (starts("PRAGMA") && s.find('=') != absl::string_view::npos) return false;
  return true;
}

// One sqlite3_stmt, given back to its connection's cache (or finalized) on
// Release.
class SqliteStatement final : public StatementBackend {
 public:
  SqliteStatement(sqlite3_stmt* stmt, StatementCache* cache) : stmt_(stmt), cache_(cache) {}
  absl::Status BindText(int index, absl::string_view text) override {
    return SqliteStatus(sqlite3_bind_text(stmt_, index, text.data(),
                                          static_cast<int>(text.size()), SQLITE_TRANSIENT),
                        "bind");
  }
  absl::Status BindInt(int index, int64_t value) override {
    return SqliteStatus(sqlite3_bind_int64(stmt_, index, value), "bind");
  }
  absl::Status BindNull(int index) override {
    return SqliteStatus(sqlite3_bind_null(stmt_, index), "bind");
  }
  int ParameterIndex(const char* name) const override {
    return sqlite3_bind_parameter_index(stmt_, name);
  }
  absl::StatusOr<bool> Step(absl::string_view what) override {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return Failure(sqlite3_db_handle(stmt_), rc, what);
  }
  void Reset() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  absl::string_view ColumnView(int index) const override {
    const unsigned char* text = sqlite3_column_text(stmt_, index);
    int len = sqlite3_column_bytes(stmt_, index);
    if (text == nullptr) return absl::string_view();
    return absl::string_view(reinterpret_cast<const char*>(text), static_cast<size_t>(len));
  }
  int64_t ColumnInt(int index) const override { return sqlite3_column_int64(stmt_, index); }
  bool ColumnIsNull(int index) const override {
    return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
  }
  void Release() override {
    if (cache_ != nullptr) {
      cache_->Give(stmt_);
    } else {
      sqlite3_finalize(stmt_);
    }
    delete this;
  }
  bool kept() const { return cache_ != nullptr; }

 private:
  ~SqliteStatement() override = default;
  sqlite3_stmt* stmt_;
  // Where the statement goes back to; nullptr: finalized instead.
  StatementCache* cache_;
};

}  // namespace

absl::StatusOr<StatementBackend*> SqliteConnection::Prepare(absl::string_view sql,
                                                          absl::string_view what) {
  StatementCache* cache = Keepable(sql) ? cache_ : nullptr;
  if (cache != nullptr) {
    if (sqlite3_stmt* kept = cache->Take(sql)) return new SqliteStatement(kept, cache);
  }
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    if (stmt != nullptr) sqlite3_finalize(stmt);
    return Failure(db_, rc, what);
  }
  // Kept only when SQLite holds exactly this text (sqlite3_sql drops what
  // follows the first statement), so the next Prepare finds it again.
  const char* text = stmt == nullptr ? nullptr : sqlite3_sql(stmt);
  bool keep = cache != nullptr && text != nullptr && absl::string_view(text) == sql;
  return new SqliteStatement(stmt, keep ? cache : nullptr);
}

absl::Status SqliteConnection::Exec(absl::string_view sql, absl::string_view what) {
  if (cache_ != nullptr && Keepable(sql)) {
    // One statement (transaction control, a query): Prepare keeps it, so
    // it runs as a kept statement. Several: sqlite3_exec below.
    ASSIGN_OR_RETURN(StatementBackend * backend, Prepare(sql, what));
    if (static_cast<SqliteStatement*>(backend)->kept()) {
      Statement st(backend, std::string(what), this);
      return st.Run();
    }
    backend->Release();
  }
  std::string s(sql);
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return Failure(db_, rc, what);
  return absl::OkStatus();
}

int SqliteConnection::Changes() const { return sqlite3_changes(db_); }

namespace {

// Whether the main database file of `db` begins with the plaintext SQLite
// header, read through SQLite's own descriptor of the file.
//
// Never through a descriptor of our own: POSIX advisory locks belong to the
// process and the file, so closing *any* descriptor of the database drops
// every lock SQLite holds on it. Another process (a backup, a verify, a
// sqlite shell) then takes itself for the last connection, checkpoints the
// WAL and deletes it while this process still writes into the deleted file,
// and acknowledged writes are lost at the next crash (sqlite.org/
// howtocorrupt.html, 2.2). An empty or short file is not plaintext.
absl::StatusOr<bool> HasPlaintextHeader(sqlite3* db) {
  sqlite3_file* file = nullptr;
  int rc = sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &file);
  if (rc != SQLITE_OK || file == nullptr || file->pMethods == nullptr) {
    return absl::InternalError("the database file's header cannot be read");
  }
  char header[16] = {0};
  rc = file->pMethods->xRead(file, header, sizeof(header), 0);
  if (rc == SQLITE_IOERR_SHORT_READ) return false;
  if (rc != SQLITE_OK) return SqliteStatus(rc, "read database header");
  return std::memcmp(header, "SQLite format 3", 16) == 0;
}

// The name and flags every connection of a Database opens its file with.
// Read-only: a URI with mode=ro, so the file's descriptor is O_RDONLY and
// the connection can never take the EXCLUSIVE lock a checkpoint-on-close
// needs; SQLITE_OPEN_CREATE stays in the flags only because SQLCipher's
// ATTACH ... KEY (the export) takes the main connection's flags, and
// mode=ro drops it for the main file itself.
struct OpenTarget {
  std::string name;
  int flags;
};

// SQLITE_FCNTL_PERSIST_WAL: should this connection ever take itself for
// the last one (it cannot, read-only: see OpenTarget), it would still leave
// the WAL in place when it closes.
void KeepWalOnClose(sqlite3* db) {
  int persist = 1;
  if (sqlite3_file_control(db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist) != SQLITE_OK) {
    LogWarning("sqlite: SQLITE_FCNTL_PERSIST_WAL not taken on a read-only connection");
  }
}

OpenTarget TargetFor(const std::string& path, bool read_only) {
  // NOMUTEX: each connection is used by one thread at a time (the writer
  // under mu_, a reader taken from the pool), so SQLite's per-call
  // connection mutex would only cost.
  if (!read_only) {
    return {path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX};
  }
  // file:///abs/path: with an authority, a path that begins with "//" is
  // still a path.
  std::string uri = !path.empty() && path[0] == '/' ? "file://" : "file:";
  for (char c : path) {
    if (c == '%' || c == '?' || c == '#') {
      absl::StrAppend(&uri, absl::StrFormat("%%%02X", static_cast<unsigned char>(c)));
    } else {
      uri.push_back(c);
    }
  }
  absl::StrAppend(&uri, "?mode=ro");
  return {uri, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI |
                   SQLITE_OPEN_NOMUTEX};
}

// Keys a fresh connection with the raw key and checks that it opens the
// file (a wrong key only shows at the first read).
absl::Status KeyConnection(sqlite3* raw, const std::string& path, const std::string& key) {
  SqliteConnection backend(raw);
  Connection conn(&backend);
  // Before the first read: another process may hold the WAL index for a
  // moment (recovering it after a crash, a checkpoint), and opening must
  // wait for it rather than fail "busy".
  sqlite3_busy_timeout(raw, 5000);
  std::string hex = crypto::HexEncode(key);
  std::string pragma = absl::StrCat("PRAGMA key = \"x'", hex, "'\";");
  int rc = sqlite3_exec(raw, pragma.c_str(), nullptr, nullptr, nullptr);
  crypto::Cleanse(hex);
  crypto::Cleanse(pragma);
  if (rc != SQLITE_OK) return Failure(raw, rc, "set database key");
  // Not stored in the file in SQLCipher 3: set it on every open, before the
  // first read.
  RETURN_IF_ERROR(conn.Exec("PRAGMA cipher_page_size = 4096;", "cipher_page_size"));
  absl::StatusOr<Statement> st = conn.Prepare("SELECT count(*) FROM sqlite_master", "check key");
  absl::Status s = st.ok() ? st->Step().status() : st.status();
  if (!s.ok() && s.code() == absl::StatusCode::kPermissionDenied) {
    return absl::PermissionDeniedError(
        absl::StrCat("the database key does not open ", path,
                     " (wrong key, or the file is not a schakel database)"));
  }
  return s;
}

}  // namespace

// The writer connection, with its kept statements, as group commit drives
// it.
class SqliteDatabase::Session final : public WriterSession {
 public:
  explicit Session(sqlite3* db) : statements_(db), backend_(db, &statements_), conn_(&backend_) {}
  ~Session() override { statements_.Clear(); }
  Connection& connection() override { return conn_; }
  absl::Status Begin() override { return conn_.Exec("BEGIN IMMEDIATE", "begin transaction"); }
  void Rollback() override { sqlite3_exec(backend_.db(), "ROLLBACK;", nullptr, nullptr, nullptr); }
  int64_t TotalChanges() override { return sqlite3_total_changes(backend_.db()); }
  // The schema cookie and user_version: what DDL and migrations change
  // without counting in sqlite3_total_changes.
  std::pair<int64_t, int64_t> SchemaStamp() override {
    std::pair<int64_t, int64_t> stamp(-1, -1);
    absl::StatusOr<Statement> schema = conn_.Prepare("PRAGMA schema_version", "schema version");
    if (schema.ok() && schema->Step().value_or(false)) stamp.first = schema->ColumnInt(0);
    absl::StatusOr<Statement> user = conn_.Prepare("PRAGMA user_version", "user version");
    if (user.ok() && user->Step().value_or(false)) stamp.second = user->ColumnInt(0);
    return stamp;
  }
  bool TransactionEnded() override { return sqlite3_get_autocommit(backend_.db()) != 0; }

 private:
  StatementCache statements_;
  SqliteConnection backend_;
  Connection conn_;
};

struct SqliteDatabase::Readers {
  struct Reader {
    explicit Reader(sqlite3* db) : db(db), statements(db), connection(db, &statements) {}
    ~Reader() {
      statements.Clear();
      sqlite3_close_v2(db);
    }
    sqlite3* db;
    StatementCache statements;
    SqliteConnection connection;
  };

  Readers(std::string path, OpenTarget target, bool read_only, std::string key, int size)
      : path(std::move(path)),
        target(std::move(target)),
        read_only(read_only),
        key(std::move(key)),
        size(size) {}
  ~Readers() {
    crypto::Cleanse(key);
    idle.clear();
  }
  // A connection for one read transaction; back with Release.
  absl::StatusOr<std::unique_ptr<Reader>> Acquire() {
    {
      absl::MutexLock lock(&mu);
      mu.Await(absl::Condition(
          +[](Readers* r) { return !r->idle.empty() || r->open < r->size; }, this));
      if (!idle.empty()) {
        std::unique_ptr<Reader> c = std::move(idle.back());
        idle.pop_back();
        return c;
      }
      ++open;
    }
    absl::StatusOr<std::unique_ptr<Reader>> c = OpenOne();
    if (!c.ok()) {
      absl::MutexLock lock(&mu);
      --open;
    }
    return c;
  }
  void Release(std::unique_ptr<Reader> c) {
    absl::MutexLock lock(&mu);
    idle.push_back(std::move(c));
  }
  absl::StatusOr<std::unique_ptr<Reader>> OpenOne() {
    sqlite3* raw = nullptr;
    // Without SQLITE_OPEN_CREATE: the writer made the file; a reader never
    // makes one where it vanished.
    int rc = sqlite3_open_v2(target.name.c_str(), &raw, target.flags & ~SQLITE_OPEN_CREATE,
                             nullptr);
    if (rc != SQLITE_OK) {
      absl::Status s = Failure(raw, rc, "open reader connection");
      sqlite3_close_v2(raw);
      return s;
    }
    absl::Status s = KeyConnection(raw, path, key);
    // A reader never writes: a Read callback that tries is a bug and fails.
    if (s.ok()) {
      // Extended codes and FULL sync as on the writer: the background
      // checkpoint runs on a reader, and a failed fsync must stop the
      // process there too.
      sqlite3_extended_result_codes(raw, 1);
      s = SqliteConnection(raw).Exec(
          "PRAGMA query_only = 1; PRAGMA busy_timeout = 5000; PRAGMA synchronous = FULL;",
          "reader settings");
    }
    if (!s.ok()) {
      sqlite3_close_v2(raw);
      return s;
    }
    if (read_only) KeepWalOnClose(raw);
    return std::make_unique<Reader>(raw);
  }
  // Closes every connection (they are all idle: nothing reads during a
  // rekey) and keys the next ones with `new_key`.
  void Reset(const std::string& new_key) {
    absl::MutexLock lock(&mu);
    mu.Await(absl::Condition(
        +[](Readers* r) { return static_cast<int>(r->idle.size()) == r->open; }, this));
    idle.clear();
    open = 0;
    crypto::Cleanse(key);
    key = new_key;
  }

  const std::string path;
  const OpenTarget target;
  const bool read_only;
  std::string key;
  const int size;
  absl::Mutex mu;
  std::vector<std::unique_ptr<Reader>> idle ABSL_GUARDED_BY(mu);
  int open ABSL_GUARDED_BY(mu) = 0;
};

SqliteDatabase::SqliteDatabase(sqlite3* db, std::string path, std::string key, int readers, bool read_only)
    : read_only_(read_only),
      db_(db),
      session_(std::make_unique<Session>(db)),
      readers_(std::make_unique<Readers>(path, TargetFor(path, read_only), read_only,
                                         std::move(key), std::max(1, readers))),
      group_commit_(MaxBatchFromEnvironment(),
                    [this](const std::function<void(WriterSession&)>& run) {
                      absl::MutexLock lock(&mu_);
                      run(*session_);
                    }) {}

absl::StatusOr<std::unique_ptr<SqliteDatabase>> SqliteDatabase::Open(const std::string& path,
                                                          const std::string& key, bool create,
                                                          int readers) {
  return OpenFile(path, key, create ? Mode::kCreate : Mode::kReadWrite, readers);
}

absl::StatusOr<std::unique_ptr<SqliteDatabase>> SqliteDatabase::OpenReadOnly(const std::string& path,
                                                                  const std::string& key) {
  return OpenFile(path, key, Mode::kReadOnly, 1);
}

absl::StatusOr<std::unique_ptr<SqliteDatabase>> SqliteDatabase::OpenFile(const std::string& path,
                                                              const std::string& key, Mode mode,
                                                              int readers) {
  RETURN_IF_ERROR(UseFastCipherProvider());
  if (key.size() != 32) return absl::InvalidArgumentError("database key must be 32 bytes");
  const bool read_only = mode == Mode::kReadOnly;
  // Whether the file exists is asked with stat, never by opening it (see
  // HasPlaintextHeader: another connection of this process may hold it).
  struct stat st;
  const bool exists = ::stat(path.c_str(), &st) == 0;
  if (!exists && mode != Mode::kCreate) {
    return absl::NotFoundError(absl::StrCat("no database at ", path));
  }
  if (!exists) {
    // Created here, owner-only, whatever the process umask: SQLite would
    // make it 0644, and gives the -wal and -shm files the main file's mode.
    // O_EXCL: a file that appeared meanwhile is not ours to close.
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST) return absl::UnavailableError(absl::StrCat("cannot create ", path));
    if (fd >= 0) ::close(fd);
  }
  const OpenTarget target = TargetFor(path, read_only);
  sqlite3* raw = nullptr;
  // SQLITE_OPEN_CREATE is always passed: SQLCipher's ATTACH ... KEY needs it.
  int rc = sqlite3_open_v2(target.name.c_str(), &raw, target.flags, nullptr);
  std::unique_ptr<SqliteDatabase> db(new SqliteDatabase(
      raw, path, key, read_only ? readers : EnvInt("SCHAKEL_DB_READERS", readers), read_only));
  if (rc != SQLITE_OK) return Failure(raw, rc, "open database");
  // Extended codes tell a failed fsync (SQLITE_IOERR_FSYNC) from other I/O
  // errors; SqliteStatus maps by the primary code.
  sqlite3_extended_result_codes(raw, 1);
  SqliteConnection backend(raw);
  Connection conn(&backend);
  ASSIGN_OR_RETURN(bool plaintext, HasPlaintextHeader(raw));
  if (plaintext) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, " is a plaintext SQLite file; schakel only opens encrypted databases"));
  }

  // A plain libsqlite3 ignores PRAGMA key and writes plaintext: make sure
  // SQLCipher is the SQLite we run on.
  {
    ASSIGN_OR_RETURN(Statement st, conn.Prepare("PRAGMA cipher_version", "cipher_version"));
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row || st.ColumnText(0).empty()) {
      return absl::FailedPreconditionError(
          "SQLCipher is not the SQLite linked into this process (PRAGMA cipher_version gave no "
          "answer); refusing to write an unencrypted database");
    }
  }
  RETURN_IF_ERROR(KeyConnection(raw, path, key));
  if (read_only) {
    KeepWalOnClose(raw);
    // No journal_mode, no checkpointer, no migrations: this connection only
    // reads (and writes an export into a file of its own).
    return db;
  }
  // SQLITE_FCNTL_PERSIST_WAL is not set on the server's own connections: it
  // only governs what the closing connection does when it is the last one,
  // and the server closing last (an orderly stop) is exactly when removing
  // the WAL is right. What protects a live WAL from other processes is that
  // this process never drops its locks (HasPlaintextHeader) and that the
  // tools open the file read-only or not at all while the server holds it.
  {
    ASSIGN_OR_RETURN(Statement st, conn.Prepare("PRAGMA journal_mode = WAL", "journal_mode"));
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row || st.ColumnText(0) != "wal") {
      return absl::InternalError("the database could not be switched to WAL mode");
    }
  }
  RETURN_IF_ERROR(conn.Exec("PRAGMA synchronous = FULL;"
                            "PRAGMA secure_delete = ON;"
                            "PRAGMA foreign_keys = ON;"
                            "PRAGMA busy_timeout = 5000;",
                            "database settings"));
  // schakel_fold(text) is domain::FoldText in SQL: migration 12 folds the
  // stored names and addresses with exactly the function new rows use.
  rc = sqlite3_create_function_v2(raw, "schakel_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                  nullptr, &FoldFunction, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return Failure(raw, rc, "register schakel_fold");
  // Created now or written by SQLite since: encrypted?
  ASSIGN_OR_RETURN(plaintext, HasPlaintextHeader(raw));
  if (plaintext) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, " was written in plaintext; SQLCipher is not in effect"));
  }
  // Replaces SQLite's automatic checkpoint (which is a WAL hook too).
  sqlite3_wal_hook(raw, &SqliteDatabase::OnWalCommit, db.get());
  SqliteDatabase* self = db.get();
  db->checkpointer_ = std::thread([self] { self->CheckpointLoop(); });
  return db;
}

int SqliteDatabase::OnWalCommit(void* self, sqlite3*, const char*, int pages) {
  if (pages >= kCheckpointPages) {
    auto* db = static_cast<SqliteDatabase*>(self);
    absl::MutexLock lock(&db->checkpoint_mu_);
    db->checkpoint_wanted_ = true;
  }
  return SQLITE_OK;
}

void SqliteDatabase::CheckpointLoop() {
  while (true) {
    {
      absl::MutexLock lock(&checkpoint_mu_);
      checkpoint_mu_.Await(absl::Condition(
          +[](SqliteDatabase* d) ABSL_EXCLUSIVE_LOCKS_REQUIRED(d->checkpoint_mu_) {
            return d->checkpoint_wanted_ || d->stopping_;
          },
          this));
      if (stopping_) return;
      checkpoint_wanted_ = false;
    }
    absl::MutexLock one_checkpoint(&checkpoint_run_mu_);
    absl::StatusOr<std::unique_ptr<Readers::Reader>> reader = readers_->Acquire();
    if (!reader.ok()) continue;
    // PASSIVE: copies what no reader still needs, waits for nobody; a
    // later commit asks again for the rest. (query_only does not stop a
    // checkpoint: it moves committed pages, it changes no data.)
    int log = 0, copied = 0;
    int rc = sqlite3_wal_checkpoint_v2((*reader)->db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log,
                                       &copied);
    // Busy: another checkpoint holds the WAL; a later commit asks again.
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      Failure((*reader)->db, rc, "background wal checkpoint").IgnoreError();
    }
    readers_->Release(*std::move(reader));
    if (rc != SQLITE_OK) continue;
    absl::MutexLock stats(&checkpoint_mu_);
    ++checkpoints_;
  }
}

SqliteDatabase::~SqliteDatabase() {
  {
    absl::MutexLock lock(&checkpoint_mu_);
    stopping_ = true;
  }
  if (checkpointer_.joinable()) checkpointer_.join();
  readers_.reset();
  session_.reset();
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

namespace {

// SQLite's progress handler: a non-zero answer interrupts the statement
// (SQLITE_INTERRUPT), and the stop's status is kept for the caller.
int InterruptWhenStopped(void* arg) {
  auto* state = static_cast<ScopedReadStop::State*>(arg);
  if (!state->stopped.ok()) return 1;
  state->stopped = state->check();
  return state->stopped.ok() ? 0 : 1;
}

// SQLite virtual-machine steps between two stop checks.
constexpr int kStepsPerStopCheck = 4000;

}  // namespace

absl::Status SqliteDatabase::Read(const TransactionFn& fn) {
  ASSIGN_OR_RETURN(std::unique_ptr<Readers::Reader> reader, readers_->Acquire());
  sqlite3* raw = reader->db;
  ScopedReadStop::State* stop = ScopedReadStop::Current();
  if (stop != nullptr) sqlite3_progress_handler(raw, kStepsPerStopCheck, InterruptWhenStopped, stop);
  Connection conn(&reader->connection);
  absl::Status s = conn.Exec("BEGIN DEFERRED;", "begin read");
  if (s.ok()) {
    s = fn(conn);
    absl::Status seal = conn.TakeSealFailure();
    if (s.ok()) s = seal;
    // A read transaction has nothing to keep: ending it either way only
    // releases its snapshot. (Without the progress handler: an interrupted
    // ROLLBACK would leave the snapshot open.)
    if (stop != nullptr) sqlite3_progress_handler(raw, 0, nullptr, nullptr);
    if (!conn.Exec("ROLLBACK;", "end read").ok()) {
      sqlite3_exec(raw, "ROLLBACK;", nullptr, nullptr, nullptr);
    }
  }
  if (stop != nullptr) {
    sqlite3_progress_handler(raw, 0, nullptr, nullptr);
    if (!stop->stopped.ok()) s = stop->stopped;
  }
  readers_->Release(std::move(reader));
  return s;
}

absl::Status SqliteDatabase::Write(const TransactionFn& fn) {
  if (read_only_) return ReadOnlyError();
  return group_commit_.Write(fn);
}

Database::WriteStats SqliteDatabase::write_stats() {
  WriteStats stats;
  std::tie(stats.commits, stats.writes) = group_commit_.stats();
  absl::MutexLock lock(&checkpoint_mu_);
  stats.checkpoints = checkpoints_;
  return stats;
}

absl::Status SqliteDatabase::Rekey(const std::string& new_key) {
  if (new_key.size() != 32) return absl::InvalidArgumentError("database key must be 32 bytes");
  if (read_only_) return ReadOnlyError();
  absl::MutexLock lock(&mu_);
  std::string hex = crypto::HexEncode(new_key);
  std::string pragma = absl::StrCat("PRAGMA rekey = \"x'", hex, "'\";");
  int rc = sqlite3_exec(db_, pragma.c_str(), nullptr, nullptr, nullptr);
  crypto::Cleanse(hex);
  crypto::Cleanse(pragma);
  if (rc != SQLITE_OK) return Failure(db_, rc, "rekey database");
  readers_->Reset(new_key);
  return absl::OkStatus();
}

absl::Status SqliteDatabase::Export(const std::string& path, const std::string& key,
                              const TransactionFn& in_snapshot) {
  if (key.size() != 32) return absl::InvalidArgumentError("export key must be 32 bytes");
  if (path.find('\'') != std::string::npos) {
    return absl::InvalidArgumentError("export path must not contain a quote");
  }
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return absl::AlreadyExistsError(absl::StrCat("cannot create ", path));
  ::close(fd);
  absl::MutexLock lock(&mu_);
  SqliteConnection backend(db_);
  Connection conn(&backend);
  std::string hex = crypto::HexEncode(key);
  // ATTACH is not allowed inside a transaction: attach first, then read
  // everything in one transaction (one snapshot of the WAL).
  std::string attach = absl::StrCat("ATTACH DATABASE '", path, "' AS export KEY \"x'", hex,
                                    "'\"; PRAGMA export.cipher_page_size = 4096;");
  crypto::Cleanse(hex);
  absl::Status s = conn.Exec(attach, "attach export");
  crypto::Cleanse(attach);
  if (s.ok()) {
    s = conn.Exec("BEGIN DEFERRED;", "begin export");
    if (s.ok()) {
      s = in_snapshot(conn);
      if (s.ok()) s = conn.Exec("SELECT sqlcipher_export('export');", "export");
      absl::Status end = conn.Exec(s.ok() ? "COMMIT;" : "ROLLBACK;", "end export");
      if (s.ok()) s = end;
    }
    conn.Exec("DETACH DATABASE export;", "detach export").IgnoreError();
  }
  if (!s.ok()) ::unlink(path.c_str());
  return s;
}

absl::Status SqliteDatabase::CheckpointWal() {
  if (read_only_) return ReadOnlyError();
  absl::MutexLock lock(&mu_);
  // Not while the background checkpoint runs: SQLite would answer BUSY at
  // once rather than wait for it.
  absl::MutexLock one_checkpoint(&checkpoint_run_mu_);
  Connection& conn = session_->connection();
  ASSIGN_OR_RETURN(Statement st, conn.Prepare("PRAGMA wal_checkpoint(TRUNCATE)", "wal checkpoint"));
  ASSIGN_OR_RETURN(bool row, st.Step());
  // (busy, frames in the WAL, frames checkpointed); busy = 1 when blocked.
  if (!row || st.ColumnInt(0) != 0) {
    return absl::UnavailableError("wal checkpoint: blocked by a reader, retry");
  }
  return absl::OkStatus();
}

absl::StatusOr<int> SqliteDatabase::SchemaVersion() {
  int version = 0;
  RETURN_IF_ERROR(Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare("PRAGMA user_version", "schema version"));
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (row) version = static_cast<int>(st.ColumnInt(0));
    return absl::OkStatus();
  }));
  return version;
}

absl::Status SqliteDatabase::Ping() {
  return Read([](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare("SELECT count(*) FROM sqlite_master", "ping"));
    return st.Step().status();
  });
}

}  // namespace schakel::store
