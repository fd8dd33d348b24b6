#include "server/store/postgres_database.h"

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <thread>
#include <cstdlib>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "server/common/log.h"
#include "server/common/read_stop.h"
#include "server/common/status_macros.h"
#include "server/store/postgres_sql.h"

namespace schakel::store {

absl::Status PostgresStatus(absl::string_view sqlstate, absl::string_view what) {
  auto is = [&](absl::string_view code) { return sqlstate == code; };
  auto cls = [&](absl::string_view prefix) { return absl::StartsWith(sqlstate, prefix); };
  if (sqlstate.empty() || cls("08") || is("57P01") || is("57P02") || is("57P03")) {
    return absl::UnavailableError(absl::StrCat(what, ": database unavailable, retry"));
  }
  if (is("40001") || is("40P01")) {
    return absl::UnavailableError(absl::StrCat(what, ": database busy, retry"));
  }
  if (is("25006")) {
    return absl::UnavailableError(
        absl::StrCat(what, ": the database is read-only (a standby), retry"));
  }
  if (cls("23")) return absl::AlreadyExistsError(absl::StrCat(what, ": constraint violated"));
  if (is("53100")) return absl::ResourceExhaustedError(absl::StrCat(what, ": disk full"));
  if (is("53200")) return absl::ResourceExhaustedError(absl::StrCat(what, ": out of memory"));
  if (is("57014")) return absl::CancelledError(absl::StrCat(what, ": cancelled"));
  return absl::InternalError(absl::StrCat(what, ": database error"));
}

namespace {

// Type oids of the parameters the store binds.
constexpr Oid kText = 25;
constexpr Oid kInt8 = 20;
constexpr Oid kUnknown = 0;

// Bounds of a connection's caches (SQL built with a varying number of
// parameters must not grow them forever).
constexpr size_t kMaxTranslations = 1024;
constexpr size_t kMaxPrepared = 1024;

void IgnoreNotice(void*, const char*) {}

using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

}  // namespace

class PgStatement;

// One libpq connection: the ConnectionBackend of the store's statements,
// with the translations and prepared statements it keeps.
class PgConnection final : public ConnectionBackend {
 public:
  PgConnection(PGconn* conn) : conn_(conn) {}
  ~PgConnection() override {
    if (cancel_ != nullptr) PQfreeCancel(cancel_);
    PQfinish(conn_);
  }

  Engine engine() const override { return Engine::kPostgresql; }
  absl::StatusOr<StatementBackend*> Prepare(absl::string_view sql,
                                            absl::string_view what) override;
  absl::Status Exec(absl::string_view sql, absl::string_view what) override;
  int Changes() const override { return changes_; }
  bool seals_fields() const override { return true; }
  // Whether the session is still there (a statement may have failed on a
  // live one).
  bool alive() const { return !broken_ && PQstatus(conn_) == CONNECTION_OK; }
  const crypto::FieldKeyring* keyring() const override { return keyring_.get(); }

  // Before a transaction: a broken connection is reset (its prepared
  // statements go with it), and the transaction takes `keyring`.
  absl::Status Ready(std::shared_ptr<const crypto::FieldKeyring> keyring) {
    // A read's deferred end (Defer) stays owed: its answer comes with the
    // next statement that waits.
    const bool ended = !owed_.empty() && owed_.back().sync;
    if (!owed_.empty() && !ended) Settle().IgnoreError();
    late_.reset();
    if (broken_ || PQstatus(conn_) != CONNECTION_OK) {
      PQreset(conn_);  // also leaves pipeline mode
      broken_ = false;
      owed_.clear();
      prepared_.clear();
      if (cancel_ != nullptr) PQfreeCancel(cancel_);
      cancel_ = nullptr;
      if (PQstatus(conn_) != CONNECTION_OK) {
        LogError(absl::StrCat("postgresql: reconnect failed: ", PQerrorMessage(conn_)));
        return PostgresStatus("", "reconnect");
      }
      RETURN_IF_ERROR(Configure());
    }
    // A transaction left open (its ROLLBACK cancelled by a late read
    // stop, say) must not carry its snapshot into the next one.
    if (!ended && PQtransactionStatus(conn_) != PQTRANS_IDLE) {
      RETURN_IF_ERROR(Exec("ROLLBACK", "end an earlier transaction"));
    }
    keyring_ = std::move(keyring);
    return absl::OkStatus();
  }

  // Session settings of every (re)connected connection.
  absl::Status Configure() {
    PQsetNoticeProcessor(conn_, &IgnoreNotice, nullptr);
    return Exec("SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC';", "session settings");
  }

  PGTransactionStatusType transaction_status() const { return PQtransactionStatus(conn_); }
  // What cancels this connection's running query from another thread.
  PGcancel* cancel() {
    if (cancel_ == nullptr) cancel_ = PQgetCancel(conn_);
    return cancel_;
  }
  int64_t total_changes() const { return total_changes_; }

  // Runs the prepared form of `sql` with the parameters; the result, or
  // the failure (logged). What was sent without waiting is answered first,
  // in the same round trip.
  absl::StatusOr<ResultPtr> Run(const PostgresSql& sql, const std::vector<Oid>& types,
                                const std::vector<const char*>& values, absl::string_view what);

  // The writer's pipelining (Statement::RunPipelined): with it on, Send
  // sends a statement without waiting for its answer.
  void set_pipelining(bool on) { pipelining_ = on; }
  bool pipelining() const { return pipelining_; }
  // What is sent from now on is call `call`'s (a LateFailure names it).
  void set_call(size_t call) { call_ = call; }
  bool broken() const { return broken_; }
  // Sends the prepared form of `sql` without waiting for its answer.
  absl::Status Send(const PostgresSql& sql, const std::vector<Oid>& types,
                    const std::vector<const char*>& values, absl::string_view what);
  // Waits for every answer still owed (one round trip; none when nothing
  // is owed) and leaves pipeline mode: OK, or the first failure.
  absl::Status Settle();
  // Sends `sql` (no parameters: a read's BEGIN and ROLLBACK) without
  // waiting for its answer, which is read with the next statement that
  // waits: a read transaction is one round trip, not three. With `end`
  // it is sent at once (a ROLLBACK releases its snapshot now) and
  // answered when the connection is next used.
  absl::Status Defer(const char* sql, absl::string_view what, bool end);
  std::optional<WriterSession::LateFailure> TakeLateFailure() {
    return std::exchange(late_, std::nullopt);
  }

 private:
  // A statement (or its PREPARE) sent in pipeline mode, answer not read.
  struct Owed {
    size_t call;
    std::string what;
    // For a PREPARE: its key in prepared_, dropped when it failed.
    std::string prepared_key;
    // A sync point sent after the statements before it (Defer's end):
    // answered by PGRES_PIPELINE_SYNC.
    bool sync = false;
  };
  // The prepared statement's name for `sql` with `types`, preparing it
  // first (in the pipeline when `pipelined`).
  absl::StatusOr<std::string> PreparedName(const PostgresSql& sql, const std::vector<Oid>& types,
                                           bool pipelined, absl::string_view what);
  // After PQpipelineSync: reads the owed answers, then (when `mine`) the
  // answer of the statement sent last, then the sync; leaves pipeline mode.
  absl::Status Drain(ResultPtr* mine, absl::string_view what);

  // Logs a failed call and maps it; notes a broken connection.
  absl::Status Failure(const PGresult* result, absl::string_view what) {
    const char* state = result == nullptr ? nullptr : PQresultErrorField(result, PG_DIAG_SQLSTATE);
    const bool broken = PQstatus(conn_) != CONNECTION_OK;
    LogError(absl::StrCat("postgresql: ", what, ": ", state == nullptr ? "" : state, " ",
                          result == nullptr ? PQerrorMessage(conn_) : PQresultErrorMessage(result)));
    return PostgresStatus(broken || state == nullptr ? "" : state, what);
  }
  // A send that failed: what the pipeline owed is lost with the
  // connection's state, which is reset before its next use.
  absl::Status SendFailed(absl::string_view what) {
    owed_.clear();
    broken_ = true;
    return Failure(nullptr, what);
  }
  void Counted(const PGresult* result) {
    const char* tuples = PQcmdTuples(const_cast<PGresult*>(result));
    int n = 0;
    changes_ = tuples != nullptr && absl::SimpleAtoi(tuples, &n) ? n : 0;
    // SELECT counts its rows too: only what changes rows counts here.
    absl::string_view tag = PQcmdStatus(const_cast<PGresult*>(result));
    if (absl::StartsWith(tag, "INSERT") || absl::StartsWith(tag, "UPDATE") ||
        absl::StartsWith(tag, "DELETE")) {
      total_changes_ += changes_;
    } else {
      changes_ = 0;
    }
  }
  friend class PgStatement;
  absl::StatusOr<std::shared_ptr<const PostgresSql>> Translation(absl::string_view sql);

  PGconn* conn_;
  PGcancel* cancel_ = nullptr;
  bool pipelining_ = false;
  // A pipeline that could not be read to its end: reset before next use.
  bool broken_ = false;
  size_t call_ = 0;
  std::vector<Owed> owed_;
  std::optional<WriterSession::LateFailure> late_;
  std::shared_ptr<const crypto::FieldKeyring> keyring_;
  absl::flat_hash_map<std::string, std::shared_ptr<const PostgresSql>> translations_;
  absl::flat_hash_map<std::string, std::string> prepared_;
  int next_name_ = 0;
  int changes_ = 0;
  int64_t total_changes_ = 0;
};

// A statement: its bindings until the first Step, then its whole result
// (the store's statements return a page or a handful of rows).
class PgStatement final : public StatementBackend {
 public:
  PgStatement(PgConnection* conn, std::shared_ptr<const PostgresSql> sql)
      : conn_(conn),
        sql_(std::move(sql)),
        values_(sql_->parameters),
        null_(sql_->parameters, true),
        types_(sql_->parameters, kUnknown) {}

  absl::Status BindText(int index, absl::string_view text) override {
    RETURN_IF_ERROR(Check(index));
    values_[index - 1].assign(text.data(), text.size());
    null_[index - 1] = false;
    types_[index - 1] = kText;
    return absl::OkStatus();
  }
  absl::Status BindInt(int index, int64_t value) override {
    RETURN_IF_ERROR(Check(index));
    values_[index - 1] = absl::StrCat(value);
    null_[index - 1] = false;
    types_[index - 1] = kInt8;
    return absl::OkStatus();
  }
  absl::Status BindNull(int index) override {
    RETURN_IF_ERROR(Check(index));
    null_[index - 1] = true;
    types_[index - 1] = kUnknown;
    return absl::OkStatus();
  }
  int ParameterIndex(const char* name) const override { return sql_->IndexOf(name); }

  absl::StatusOr<bool> Step(absl::string_view what) override {
    if (!result_) {
      ASSIGN_OR_RETURN(ResultPtr result, conn_->Run(*sql_, types_, Values(), what));
      result_ = std::move(result);
      rows_ = PQntuples(result_.get());
      row_ = -1;
    }
    if (row_ < rows_) ++row_;
    return row_ < rows_;
  }
  absl::Status RunPipelined(absl::string_view what) override {
    if (!conn_->pipelining()) return StatementBackend::RunPipelined(what);
    return conn_->Send(*sql_, types_, Values(), what);
  }
  void Reset() override {
    result_.reset();
    std::fill(null_.begin(), null_.end(), true);
    std::fill(types_.begin(), types_.end(), kUnknown);
  }
  absl::string_view ColumnView(int index) const override {
    if (!Valid(index) || PQgetisnull(result_.get(), row_, index)) return absl::string_view();
    return absl::string_view(PQgetvalue(result_.get(), row_, index),
                             static_cast<size_t>(PQgetlength(result_.get(), row_, index)));
  }
  int64_t ColumnInt(int index) const override {
    absl::string_view v = ColumnView(index);
    // A comparison's result (SQLite gives 0 or 1), and integers as text.
    if (v == "t") return 1;
    if (v == "f") return 0;
    int64_t n = 0;
    if (absl::SimpleAtoi(v, &n)) return n;
    double d = 0;
    return absl::SimpleAtod(v, &d) ? static_cast<int64_t>(d) : 0;
  }
  bool ColumnIsNull(int index) const override {
    return !Valid(index) || PQgetisnull(result_.get(), row_, index);
  }
  void Release() override { delete this; }

 private:
  ~PgStatement() override = default;
  // The bound values as libpq takes them (valid while values_ is).
  std::vector<const char*> Values() const {
    std::vector<const char*> values(values_.size());
    for (size_t i = 0; i < values_.size(); ++i) {
      values[i] = null_[i] ? nullptr : values_[i].c_str();
    }
    return values;
  }
  absl::Status Check(int index) const {
    if (index < 1 || index > static_cast<int>(values_.size())) {
      return absl::InternalError(absl::StrCat("bind: no parameter ", index));
    }
    return absl::OkStatus();
  }
  bool Valid(int index) const {
    return result_ && row_ >= 0 && row_ < rows_ && index >= 0 &&
           index < PQnfields(result_.get());
  }

  PgConnection* conn_;
  const std::shared_ptr<const PostgresSql> sql_;
  std::vector<std::string> values_;
  std::vector<bool> null_;
  std::vector<Oid> types_;
  ResultPtr result_{nullptr, &PQclear};
  int rows_ = 0;
  int row_ = -1;
};

absl::StatusOr<std::shared_ptr<const PostgresSql>> PgConnection::Translation(
    absl::string_view sql) {
  auto it = translations_.find(sql);
  if (it != translations_.end()) return it->second;
  ASSIGN_OR_RETURN(PostgresSql translated, TranslateToPostgres(sql));
  // Live statements hold their own reference: the map may be emptied.
  if (translations_.size() >= kMaxTranslations) translations_.clear();
  auto shared = std::make_shared<const PostgresSql>(std::move(translated));
  translations_.emplace(std::string(sql), shared);
  return shared;
}

absl::StatusOr<StatementBackend*> PgConnection::Prepare(absl::string_view sql,
                                                        absl::string_view what) {
  absl::StatusOr<std::shared_ptr<const PostgresSql>> translated = Translation(sql);
  if (!translated.ok()) {
    LogError(absl::StrCat("postgresql: ", what, ": ", translated.status().message()));
    return absl::InternalError(absl::StrCat(what, ": database error"));
  }
  return new PgStatement(this, *std::move(translated));
}

absl::StatusOr<std::string> PgConnection::PreparedName(const PostgresSql& sql,
                                                       const std::vector<Oid>& types,
                                                       bool pipelined, absl::string_view what) {
  std::string key = sql.text;
  key.push_back('\0');
  for (Oid t : types) absl::StrAppend(&key, t, ",");
  auto it = prepared_.find(key);
  if (it != prepared_.end()) return it->second;
  if (prepared_.size() >= kMaxPrepared && !pipelined &&
      transaction_status() != PQTRANS_INERROR) {
    ResultPtr gone(PQexec(conn_, "DEALLOCATE ALL"), &PQclear);
    prepared_.clear();
  }
  std::string name = absl::StrCat("s", ++next_name_);
  if (pipelined) {
    if (PQsendPrepare(conn_, name.c_str(), sql.text.c_str(), static_cast<int>(types.size()),
                      types.data()) != 1) {
      return Failure(nullptr, what);
    }
    owed_.push_back({call_, std::string(what), key});
  } else {
    ResultPtr prepared(PQprepare(conn_, name.c_str(), sql.text.c_str(),
                                 static_cast<int>(types.size()), types.data()),
                       &PQclear);
    if (!prepared || PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) {
      return Failure(prepared.get(), what);
    }
  }
  prepared_.emplace(std::move(key), name);
  return name;
}

absl::StatusOr<ResultPtr> PgConnection::Run(const PostgresSql& sql, const std::vector<Oid>& types,
                                            const std::vector<const char*>& values,
                                            absl::string_view what) {
  if (!owed_.empty()) {
    // In the pipeline behind what is owed, with one sync: one round trip
    // answers them all.
    ASSIGN_OR_RETURN(std::string name, PreparedName(sql, types, true, what));
    if (PQsendQueryPrepared(conn_, name.c_str(), static_cast<int>(values.size()), values.data(),
                            nullptr, nullptr, 0) != 1 ||
        PQpipelineSync(conn_) != 1) {
      return SendFailed(what);
    }
    ResultPtr mine(nullptr, &PQclear);
    RETURN_IF_ERROR(Drain(&mine, what));
    Counted(mine.get());
    return mine;
  }
  ASSIGN_OR_RETURN(std::string name, PreparedName(sql, types, false, what));
  ResultPtr result(PQexecPrepared(conn_, name.c_str(), static_cast<int>(values.size()),
                                  values.data(), nullptr, nullptr, 0),
                   &PQclear);
  const ExecStatusType st = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return Failure(result.get(), what);
  Counted(result.get());
  return result;
}

// At most this many statements are owed before Send waits for their
// answers: the server's answers to them then fit the socket's buffers, so
// that neither side blocks writing while the other does.
constexpr size_t kMaxOwed = 256;

absl::Status PgConnection::Send(const PostgresSql& sql, const std::vector<Oid>& types,
                                const std::vector<const char*>& values, absl::string_view what) {
  if (PQpipelineStatus(conn_) == PQ_PIPELINE_OFF && PQenterPipelineMode(conn_) != 1) {
    return Failure(nullptr, what);
  }
  ASSIGN_OR_RETURN(std::string name, PreparedName(sql, types, true, what));
  if (PQsendQueryPrepared(conn_, name.c_str(), static_cast<int>(values.size()), values.data(),
                          nullptr, nullptr, 0) != 1) {
    return SendFailed(what);
  }
  owed_.push_back({call_, std::string(what), ""});
  // Counted as a change when sent: a call that fails after sending one is
  // undone as one that changed rows (group_commit.cc).
  changes_ = 0;
  ++total_changes_;
  if (owed_.size() >= kMaxOwed) return Settle();
  return absl::OkStatus();
}

absl::Status PgConnection::Defer(const char* sql, absl::string_view what, bool end) {
  if (PQpipelineStatus(conn_) == PQ_PIPELINE_OFF && PQenterPipelineMode(conn_) != 1) {
    return Failure(nullptr, what);
  }
  if (PQsendQueryParams(conn_, sql, 0, nullptr, nullptr, nullptr, nullptr, 0) != 1) {
    return SendFailed(what);
  }
  owed_.push_back({call_, std::string(what), ""});
  if (!end) return absl::OkStatus();
  // The sync also flushes: the server runs it now.
  if (PQpipelineSync(conn_) != 1) {
    return SendFailed(what);
  }
  owed_.push_back({call_, std::string(what), "", /*sync=*/true});
  return absl::OkStatus();
}

absl::Status PgConnection::Settle() {
  if (PQpipelineStatus(conn_) == PQ_PIPELINE_OFF) return absl::OkStatus();
  if (!owed_.empty() && owed_.back().sync) {
    // Already synced: that sync is the one Drain reads last.
    owed_.pop_back();
  } else if (!owed_.empty() && PQpipelineSync(conn_) != 1) {
    return SendFailed("send pipelined statements");
  }
  if (owed_.empty()) {
    PQexitPipelineMode(conn_);
    return absl::OkStatus();
  }
  return Drain(nullptr, "pipelined statements");
}

absl::Status PgConnection::Drain(ResultPtr* mine, absl::string_view what) {
  absl::Status first;
  bool broken = false;
  // One answer (a result, then the null that ends it); nullptr when the
  // connection failed.
  auto answer = [&]() -> ResultPtr {
    ResultPtr r(PQgetResult(conn_), &PQclear);
    if (!r) {
      broken = true;
      return r;
    }
    while (PGresult* more = PQgetResult(conn_)) PQclear(more);
    return r;
  };
  std::vector<Owed> owed = std::exchange(owed_, {});
  for (const Owed& o : owed) {
    if (broken) break;
    if (o.sync) {
      ResultPtr sync(PQgetResult(conn_), &PQclear);
      broken = !sync || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC;
      continue;
    }
    ResultPtr r = answer();
    if (broken) break;
    const ExecStatusType st = PQresultStatus(r.get());
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) continue;
    if (!o.prepared_key.empty()) prepared_.erase(o.prepared_key);
    if (st == PGRES_PIPELINE_ABORTED) continue;
    absl::Status failed = Failure(r.get(), o.what);
    if (PQstatus(conn_) != CONNECTION_OK) {
      broken = true;
      break;
    }
    if (first.ok()) {
      first = failed;
      if (!late_) late_ = WriterSession::LateFailure{o.call, failed};
    }
  }
  if (mine != nullptr && !broken) {
    *mine = answer();
    if (!broken) {
      const ExecStatusType st = PQresultStatus(mine->get());
      if (st == PGRES_PIPELINE_ABORTED) {
        if (first.ok()) first = absl::AbortedError(absl::StrCat(what, ": an earlier statement failed"));
      } else if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        absl::Status failed = Failure(mine->get(), what);
        if (first.ok()) first = failed;
      }
    }
  }
  if (!broken) {
    ResultPtr sync(PQgetResult(conn_), &PQclear);
    broken = !sync || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC;
  }
  if (broken || PQexitPipelineMode(conn_) != 1) {
    // Nothing more can be read from it: the transaction is lost, and the
    // connection is reset before its next use.
    LogError(absl::StrCat("postgresql: ", what, ": pipeline broken: ", PQerrorMessage(conn_)));
    late_.reset();
    broken_ = true;
    return PostgresStatus("", what);
  }
  return first;
}

absl::Status PgConnection::Exec(absl::string_view sql, absl::string_view what) {
  // Transaction control follows what was sent before it; a failure among
  // that is the LateFailure group commit asks for.
  Settle().IgnoreError();
  if (broken_) return PostgresStatus("", what);
  std::string text(sql);
  ResultPtr result(PQexec(conn_, text.c_str()), &PQclear);
  const ExecStatusType st = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return Failure(result.get(), what);
  // COMMIT of a transaction that had failed answers ROLLBACK, not an error.
  if (absl::StartsWithIgnoreCase(absl::StripLeadingAsciiWhitespace(sql), "COMMIT") &&
      absl::string_view(PQcmdStatus(result.get())) == "ROLLBACK") {
    return absl::AbortedError(absl::StrCat(what, ": the transaction was rolled back"));
  }
  Counted(result.get());
  return absl::OkStatus();
}

// BEGIN and the writers' advisory lock, held to the commit: the audit
// chain's head is read inside, so that schakeld, an operator's
// schakel-admin and further instances append one after the other, each
// after the head the one before committed. Its key is an arbitrary
// constant.
constexpr char kBeginWrite[] = "BEGIN; SELECT pg_advisory_xact_lock(7310485230941)";

// The writer connection as group commit drives it.
class PostgresDatabase::Session final : public WriterSession {
 public:
  Session(std::unique_ptr<PgConnection> pg, PostgresDatabase* db)
      : pg_(std::move(pg)), conn_(pg_.get()), db_(db) {
    pg_->set_pipelining(true);
  }
  Connection& connection() override { return conn_; }
  absl::Status Begin() override {
    RETURN_IF_ERROR(pg_->Ready(db_->keyring()));
    // In the same round trip: the lock that puts the write transactions
    // of every process on this database in one order (kBeginWrite).
    return conn_.Exec(kBeginWrite, "begin transaction");
  }
  void Rollback() override {
    if (pg_->transaction_status() != PQTRANS_IDLE) {
      conn_.Exec("ROLLBACK", "roll back").IgnoreError();
    }
  }
  int64_t TotalChanges() override { return pg_->total_changes(); }
  // DDL does not run through group commit on PostgreSQL (the schema is
  // made by init, in a transaction of its own), and a failing statement
  // aborts the transaction anyway (TransactionAborted).
  std::pair<int64_t, int64_t> SchemaStamp() override { return {0, 0}; }
  bool TransactionEnded() override {
    const PGTransactionStatusType st = pg_->transaction_status();
    return pg_->broken() || st == PQTRANS_IDLE || st == PQTRANS_UNKNOWN;
  }
  bool TransactionAborted() override { return pg_->transaction_status() == PQTRANS_INERROR; }
  void StartCall(size_t index) override { pg_->set_call(index); }
  absl::Status Settle() override { return pg_->Settle(); }
  std::optional<LateFailure> TakeLateFailure() override { return pg_->TakeLateFailure(); }

 private:
  std::unique_ptr<PgConnection> pg_;
  Connection conn_;
  PostgresDatabase* db_;
};

class PostgresDatabase::ReadWatch {
 public:
  ~ReadWatch() {
    {
      absl::MutexLock lock(&mu_);
      stopping_ = true;
    }
    if (thread_.joinable()) thread_.join();
  }
  // Watches `state` while the read on `conn` runs; the read's thread
  // calls Forget before it looks at state->stopped.
  void Watch(ScopedReadStop::State* state, PGcancel* cancel) {
    absl::MutexLock lock(&mu_);
    watched_.push_back({state, cancel});
    if (!thread_.joinable()) thread_ = std::thread([this] { Loop(); });
  }
  void Forget(ScopedReadStop::State* state) {
    absl::MutexLock lock(&mu_);
    watched_.erase(std::remove_if(watched_.begin(), watched_.end(),
                                  [&](const Watched& w) { return w.state == state; }),
                   watched_.end());
  }

 private:
  struct Watched {
    ScopedReadStop::State* state;
    PGcancel* cancel;
  };
  void Loop() {
    absl::MutexLock lock(&mu_);
    while (!stopping_) {
      // The checks run under the lock: a read that ends waits for the
      // round in progress, so no check runs on a state that is gone.
      for (Watched& w : watched_) {
        if (!w.state->stopped.ok()) continue;
        w.state->stopped = w.state->check();
        if (!w.state->stopped.ok() && w.cancel != nullptr) {
          char error[256];
          PQcancel(w.cancel, error, sizeof(error));
        }
      }
      if (watched_.empty()) {
        // Nothing to ask: sleep until a read is watched (or the end).
        mu_.Await(absl::Condition(
            +[](ReadWatch* w) ABSL_EXCLUSIVE_LOCKS_REQUIRED(w->mu_) {
              return w->stopping_ || !w->watched_.empty();
            },
            this));
      } else {
        mu_.AwaitWithTimeout(absl::Condition(&stopping_), kStopCheckInterval);
      }
    }
  }

  absl::Mutex mu_;
  std::vector<Watched> watched_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

PostgresDatabase::PostgresDatabase(Options options)
    : options_(std::move(options)),
      watch_(std::make_unique<ReadWatch>()),
      keyring_(options_.keyring),
      group_commit_(MaxBatchFromEnvironment(),
                    [this](const std::function<void(WriterSession&)>& run) {
                      absl::MutexLock lock(&mu_);
                      run(*session_);
                    }) {}

PostgresDatabase::~PostgresDatabase() = default;

namespace {

// Connects with `conninfo` over defaults of its own, which the conninfo
// overrides: a connect gives up after 10 s per host, and a session whose
// peer vanished (a primary's machine gone, a cable pulled) breaks within
// about half a minute, instead of the system's two hours, whether it
// waits for an answer (keepalives) or for its data to be acknowledged
// (tcp_user_timeout). So a failover is noticed, and a shutdown is not held
// up by a dead connection.
PGconn* ConnectWithDefaults(const std::string& conninfo) {
  const char* const keywords[] = {"connect_timeout", "keepalives", "keepalives_idle",
                                  "keepalives_interval", "keepalives_count", "tcp_user_timeout",
                                  "dbname", nullptr};
  const char* const values[] = {"10", "1", "10", "5", "3", "30000", conninfo.c_str(), nullptr};
  // expand_dbname: the conninfo in place of dbname, its settings after ours.
  return PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
}

}  // namespace

absl::StatusOr<std::unique_ptr<PgConnection>> PostgresDatabase::Connect() {
  PGconn* raw = ConnectWithDefaults(options_.conninfo);
  auto conn = std::make_unique<PgConnection>(raw);
  if (raw == nullptr || PQstatus(raw) != CONNECTION_OK) {
    // libpq's message names hosts and the reason, never the password.
    LogError(absl::StrCat("postgresql: connect: ",
                          raw == nullptr ? "out of memory" : PQerrorMessage(raw)));
    return absl::UnavailableError("connect to the database: database unavailable, retry");
  }
  RETURN_IF_ERROR(conn->Configure());
  return conn;
}

absl::StatusOr<std::unique_ptr<PostgresDatabase>> PostgresDatabase::Open(Options options) {
  options.readers = std::max(1, options.readers);
  std::unique_ptr<PostgresDatabase> db(new PostgresDatabase(std::move(options)));
  ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> writer, db->Connect());
  absl::MutexLock lock(&db->mu_);
  db->session_ = std::make_unique<Session>(std::move(writer), db.get());
  return db;
}

void PostgresDatabase::SetKeyring(std::shared_ptr<const crypto::FieldKeyring> keyring) {
  absl::MutexLock lock(&keyring_mu_);
  keyring_ = std::move(keyring);
}

std::shared_ptr<const crypto::FieldKeyring> PostgresDatabase::keyring() {
  absl::MutexLock lock(&keyring_mu_);
  return keyring_;
}

absl::StatusOr<std::unique_ptr<PgConnection>> PostgresDatabase::AcquireReader() {
  {
    absl::MutexLock lock(&readers_mu_);
    readers_mu_.Await(absl::Condition(
        +[](PostgresDatabase* d) ABSL_EXCLUSIVE_LOCKS_REQUIRED(d->readers_mu_) {
          return !d->idle_.empty() || d->open_readers_ < d->options_.readers;
        },
        this));
    if (!idle_.empty()) {
      std::unique_ptr<PgConnection> c = std::move(idle_.back());
      idle_.pop_back();
      return c;
    }
    ++open_readers_;
  }
  absl::StatusOr<std::unique_ptr<PgConnection>> c = Connect();
  if (!c.ok()) {
    absl::MutexLock lock(&readers_mu_);
    --open_readers_;
  }
  return c;
}

void PostgresDatabase::ReleaseReader(std::unique_ptr<PgConnection> c) {
  absl::MutexLock lock(&readers_mu_);
  idle_.push_back(std::move(c));
}

absl::Status PostgresDatabase::Read(const TransactionFn& fn) {
  ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> reader, AcquireReader());
  absl::Status s = reader->Ready(keyring());
  Connection conn(reader.get());
  ScopedReadStop::State* stop = ScopedReadStop::Current();
  // Answered together with the first statement (PgConnection::Defer).
  if (s.ok()) s = reader->Defer("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "begin read",
                                /*end=*/false);
  if (s.ok()) {
    if (stop != nullptr) watch_->Watch(stop, reader->cancel());
    s = fn(conn);
    if (stop != nullptr) {
      watch_->Forget(stop);
      // A query cancelled by the stop answers CANCELLED; the stop's own
      // status (the deadline) is what the caller gets.
      if (!stop->stopped.ok()) s = stop->stopped;
    }
    absl::Status seal = conn.TakeSealFailure();
    if (s.ok()) s = seal;
    // Nothing to keep: ending the transaction releases its snapshot, at
    // once; its answer is read at the connection's next use. A connection
    // that cannot end it is reset then.
    if (!reader->broken()) reader->Defer("ROLLBACK", "end read", /*end=*/true).IgnoreError();
  }
  ReleaseReader(std::move(reader));
  return s;
}

absl::Status PostgresDatabase::Write(const TransactionFn& fn) { return group_commit_.Write(fn); }

absl::StatusOr<int> PostgresDatabase::SchemaVersion() {
  int version = 0;
  RETURN_IF_ERROR(Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare("SELECT version FROM schema_version", "schema version"));
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (row) version = static_cast<int>(st.ColumnInt(0));
    return absl::OkStatus();
  }));
  return version;
}

absl::Status PostgresDatabase::Ping() {
  return Read([](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare("SELECT 1", "ping"));
    return st.Step().status();
  });
}

absl::StatusOr<bool> PostgresDatabase::HoldSessionLock(int64_t key) {
  // Held: its session answers. Not held: asked again on the same session.
  auto ask = [key](PgConnection* c, bool held) -> absl::StatusOr<bool> {
    Connection conn(c);
    if (held) {
      ASSIGN_OR_RETURN(Statement st, conn.Prepare("SELECT 1", "session lock check"));
      RETURN_IF_ERROR(st.Step().status());
      return true;
    }
    ASSIGN_OR_RETURN(Statement st, conn.Prepare("SELECT pg_try_advisory_lock(?1)", "session lock"));
    st.Bind(1, key);
    ASSIGN_OR_RETURN(bool row, st.Step());
    return row && st.ColumnInt(0) == 1;
  };
  SessionLock* l;
  {
    // Each key's own mutex for the round trips: the health probe's check
    // of the primary's lock never waits for the mail sender's connect.
    absl::MutexLock lock(&locks_mu_);
    std::unique_ptr<SessionLock>& slot = locks_[key];
    if (slot == nullptr) slot = std::make_unique<SessionLock>();
    l = slot.get();
  }
  absl::MutexLock lock(&l->mu);
  if (l->conn != nullptr) {
    absl::StatusOr<bool> held = ask(l->conn.get(), l->held);
    if (held.ok()) return l->held = *held;
    // A statement that failed on a live session (a timeout, a cancel)
    // leaves the lock held there: closing it would give the lock away.
    if (l->conn->alive()) return held.status();
    // Gone with its session, if it was held.
    l->conn.reset();
    l->held = false;
  }
  ASSIGN_OR_RETURN(l->conn, Connect());
  absl::StatusOr<bool> taken = ask(l->conn.get(), false);
  if (!taken.ok()) l->conn.reset();
  RETURN_IF_ERROR(taken.status());
  return l->held = *taken;
}

void PostgresDatabase::Listen(const std::string& channel,
                              const std::function<void(const std::string&)>& heard,
                              const std::function<bool()>& stop) {
  bool was_listening = true;
  while (!stop()) {
    std::unique_ptr<PGconn, decltype(&PQfinish)> conn(ConnectWithDefaults(options_.conninfo),
                                                      &PQfinish);
    PGconn* c = conn.get();
    bool listening = false;
    if (c != nullptr && PQstatus(c) == CONNECTION_OK) {
      PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);
      char* quoted = PQescapeIdentifier(c, channel.data(), channel.size());
      ResultPtr r(quoted == nullptr ? nullptr : PQexec(c, absl::StrCat("LISTEN ", quoted).c_str()),
                  &PQclear);
      if (quoted != nullptr) PQfreemem(quoted);
      listening = r != nullptr && PQresultStatus(r.get()) == PGRES_COMMAND_OK;
    }
    if (listening != was_listening) {
      if (listening) {
        LogInfo(absl::StrCat("postgresql: listening on ", channel, " again"));
      } else {
        LogWarning(absl::StrCat("postgresql: cannot LISTEN on ", channel, ": ",
                                c == nullptr ? "out of memory" : PQerrorMessage(c)));
      }
      was_listening = listening;
    }
    while (listening && !stop()) {
      pollfd p{PQsocket(c), POLLIN, 0};
      const int ready = ::poll(&p, 1, 200);
      if (ready < 0 && errno != EINTR) break;
      if (ready > 0 && PQconsumeInput(c) != 1) break;
      while (PGnotify* n = PQnotifies(c)) {
        const std::string payload = n->extra != nullptr ? n->extra : "";
        PQfreemem(n);
        heard(payload);
      }
      if (PQstatus(c) != CONNECTION_OK) break;
    }
    if (listening && !stop()) {
      LogWarning(absl::StrCat("postgresql: the connection listening on ", channel,
                              " broke: ", PQerrorMessage(c)));
      was_listening = false;
    }
    for (int i = 0; i < 5 && !stop(); ++i) absl::SleepFor(absl::Milliseconds(200));
  }
}

Database::WriteStats PostgresDatabase::write_stats() {
  WriteStats stats;
  std::tie(stats.commits, stats.writes) = group_commit_.stats();
  return stats;
}

}  // namespace schakel::store
