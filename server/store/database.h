// The store's database, whatever engine holds it: transactions (Read,
// Write), and inside them the prepared statements of one connection.
// Stores are written against this interface only; SqliteDatabase
// (sqlite_database.h, the embedded SQLCipher file) and PostgresDatabase
// (postgres_database.h) implement it. Only those two files reach an engine.
//
// Thread-safety: a Database is safe to share. Writes are grouped into
// commits (group_commit.h): the transactions of concurrent Write calls run
// one after the other inside one database transaction that commits before
// any of them returns; a failing one takes back only its own changes. Reads
// run concurrently on a pool of reader connections, each seeing what was
// committed when it began. Statements and Connections are used only inside
// the callbacks of Read and Write, during the call.
#ifndef SCHAKEL_SERVER_STORE_DATABASE_H_
#define SCHAKEL_SERVER_STORE_DATABASE_H_

#include <any>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace schakel::crypto {
class FieldKeyring;
}

namespace schakel::store {

enum class Engine { kSqlcipher, kPostgresql };

// What one engine's prepared statement does; Statement is its only user.
// Parameter indexes are 1-based, column indexes 0-based, as in SQLite.
class StatementBackend {
 public:
  virtual ~StatementBackend() = default;
  virtual absl::Status BindText(int index, absl::string_view text) = 0;
  virtual absl::Status BindInt(int index, int64_t value) = 0;
  virtual absl::Status BindNull(int index) = 0;
  // The index of the named parameter (":name"), 0 when the SQL has none.
  virtual int ParameterIndex(const char* name) const = 0;
  // Advances; true when a row is available. `what` names it in errors.
  virtual absl::StatusOr<bool> Step(absl::string_view what) = 0;
  // Runs a statement whose answer only says whether it worked
  // (Statement::RunPipelined); by default as Step to the end.
  virtual absl::Status RunPipelined(absl::string_view what);
  // Ready to run again, without its bindings.
  virtual void Reset() = 0;
  virtual absl::string_view ColumnView(int index) const = 0;
  virtual int64_t ColumnInt(int index) const = 0;
  virtual bool ColumnIsNull(int index) const = 0;
  // The statement's end: kept by its connection for the next use of the
  // same SQL, or freed.
  virtual void Release() = 0;
};

// What one engine's connection does; Connection is its only user.
class ConnectionBackend {
 public:
  virtual ~ConnectionBackend() = default;
  virtual Engine engine() const = 0;
  virtual absl::StatusOr<StatementBackend*> Prepare(absl::string_view sql,
                                                    absl::string_view what) = 0;
  virtual absl::Status Exec(absl::string_view sql, absl::string_view what) = 0;
  virtual int Changes() const = 0;
  // Whether personal fields are sealed before they reach this engine
  // (PostgreSQL), or the engine encrypts the whole database itself
  // (SQLCipher).
  virtual bool seals_fields() const { return false; }
  // The keys they are sealed with; nullptr when the engine does not seal,
  // or (a fault: every sealed bind and read then fails) has no keyring.
  virtual const crypto::FieldKeyring* keyring() const { return nullptr; }

  // A sealed value that did not open fails the whole transaction it was
  // read in (DATA_LOSS), whatever its callback returned: a damaged value is
  // never shown as if it were empty.
  void RecordSealFailure(absl::Status s) {
    if (seal_failure_.ok()) seal_failure_ = std::move(s);
  }
  absl::Status TakeSealFailure() { return std::exchange(seal_failure_, absl::OkStatus()); }

 private:
  absl::Status seal_failure_;
};

// One prepared statement, given back to its connection on destruction (also
// on error paths) for the next use of the same SQL.
class Statement {
 public:
  Statement(StatementBackend* backend, std::string what, ConnectionBackend* connection)
      : backend_(backend), what_(std::move(what)), connection_(connection) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  Statement& Bind(int index, absl::string_view text);
  Statement& Bind(int index, int64_t value);
  Statement& BindNull(int index);
  // Binds `text`, or NULL when it is empty.
  Statement& BindOrNull(int index, absl::string_view text) {
    return text.empty() ? BindNull(index) : Bind(index, text);
  }
  // Binds a named parameter (":name"); naming one the SQL does not use is a
  // bug and fails the statement.
  Statement& BindName(const char* name, absl::string_view text);
  Statement& BindName(const char* name, int64_t value);
  // Whether the SQL uses the named parameter.
  bool HasParameter(const char* name) const;
  // Binds `text`, or NULL when it is empty.
  Statement& BindNameOrNull(const char* name, absl::string_view text);
  // Binds absl::Time as microseconds since the Unix epoch.
  Statement& BindTime(int index, absl::Time t) { return Bind(index, absl::ToUnixMicros(t)); }

  // Personal data: bound sealed (FieldKeyring::Seal under `context`, which
  // names the column and the row: "residents.name/" + id) where the engine
  // holds the keyring, as plain text where it encrypts everything itself.
  Statement& BindSealed(int index, absl::string_view context, absl::string_view text);
  Statement& BindNameSealed(const char* name, absl::string_view context, absl::string_view text);
  // Binds `text` sealed, or NULL when it is empty (an optional text).
  Statement& BindSealedOrNull(int index, absl::string_view context, absl::string_view text) {
    return text.empty() ? BindNull(index) : BindSealed(index, context, text);
  }
  Statement& BindNameSealedOrNull(const char* name, absl::string_view context,
                                  absl::string_view text);
  // A column bound with BindSealed, opened under the same context; NULL
  // reads as "". A value that does not open reads as "" and fails the
  // transaction (DATA_LOSS).
  std::string ColumnSealed(int index, absl::string_view context) const;

  // Advances; true when a row is available, false when done.
  absl::StatusOr<bool> Step();
  // Steps to completion; for statements without result rows.
  absl::Status Run();
  // As Run, for a statement in a Write whose answer nobody reads — no
  // rows, no Changes(), no mapping of its failure by the caller (an audit
  // entry, an event). On PostgreSQL's writer it is sent without waiting
  // for its answer, which arrives with the next statement that waits or
  // at the commit (libpq's pipeline mode): OK here means only "sent", and
  // a failure found later fails the Write call that sent it. Elsewhere it
  // is Run.
  absl::Status RunPipelined();
  // Makes the statement ready to run again with new bindings, so a bulk
  // load prepares each statement once.
  void Reset();

  std::string ColumnText(int index) const { return std::string(ColumnView(index)); }
  // The column's text without a copy: valid until the next Step, Reset or
  // the statement's end.
  absl::string_view ColumnView(int index) const { return backend_->ColumnView(index); }
  int64_t ColumnInt(int index) const { return backend_->ColumnInt(index); }
  bool ColumnIsNull(int index) const { return backend_->ColumnIsNull(index); }
  absl::Time ColumnTime(int index) const { return absl::FromUnixMicros(ColumnInt(index)); }

 private:
  void Failed(absl::Status s);
  // The index of `name`, or 0 (and the statement failed).
  int Index(const char* name);
  std::string Sealed(absl::string_view context, absl::string_view text);

  StatementBackend* backend_;
  std::string what_;
  ConnectionBackend* connection_;
  absl::Status bind_status_;
};

// A connection handed to transaction callbacks.
class Connection {
 public:
  explicit Connection(ConnectionBackend* backend) : backend_(backend) {}
  Engine engine() const { return backend_->engine(); }
  // Prepares one statement (or takes the connection's kept one for the same
  // SQL); `what` names it in errors.
  absl::StatusOr<Statement> Prepare(absl::string_view sql, absl::string_view what);
  // Runs one or more statements without parameters (migrations, pragmas,
  // transaction control).
  absl::Status Exec(absl::string_view sql, absl::string_view what) {
    return backend_->Exec(sql, what);
  }
  // Rows changed by the last statement.
  int Changes() const { return backend_->Changes(); }
  // Where the engine seals personal fields: the blind index of
  // `normalized` for `purpose` (crypto::FieldKeyring::BlindIndex), for the
  // exact lookups a sealed column can no longer answer. INTERNAL on an
  // engine that does not seal, or without a keyring.
  absl::StatusOr<std::string> BlindIndex(absl::string_view purpose,
                                         absl::string_view normalized) const;
  // Where the engine seals personal fields: the id of the data key new
  // values are sealed under; 0 on an engine that does not seal, or without
  // a keyring.
  uint32_t active_field_key() const;
  // Inside Database::Write only: runs `fn` when that Write call returns,
  // after its transaction committed or was rolled back — for what must
  // follow the transaction's end, never precede it (a cache's
  // invalidation), whatever it returned. When the callback runs again,
  // what its earlier run registered is dropped and registered anew.
  // Elsewhere (a read) `fn` is dropped: there is nothing to follow.
  void AfterTransaction(std::function<void()> fn);

  // Inside Database::Write only: what the statements of the transaction
  // keep for its later statements, under `key` (the audit chain's head
  // after an append, audit_store.cc; the active routing rules); empty
  // until set. Emptied at every BEGIN and whenever a part of the
  // transaction is undone, so that it never outlives the rows it
  // describes; whoever writes those rows resets it. nullptr elsewhere (a
  // read). A group commit's calls share one transaction: what one call
  // read, the next one need not ask the database again.
  std::any* TransactionMemo(absl::string_view key);

  // For the engines' transaction code: where AfterTransaction collects
  // (nullptr: dropped), and the seal failure of the callback that ran.
  void set_after(std::vector<std::function<void()>>* after) { after_ = after; }
  absl::Status TakeSealFailure() { return backend_->TakeSealFailure(); }
  // For group commit: an empty memo, kept (`on`) or not.
  void ResetMemo(bool on) {
    memo_.clear();
    memo_on_ = on;
  }

 private:
  ConnectionBackend* backend_;
  std::vector<std::function<void()>>* after_ = nullptr;
  absl::flat_hash_map<std::string, std::any> memo_;
  bool memo_on_ = false;
};

using TransactionFn = std::function<absl::Status(Connection&)>;

// The context a personal field is sealed under: its column and its row,
// "signals.description/" + id, so that a value moved to another row or
// column does not open (Statement::BindSealed).
inline std::string SealContext(absl::string_view column, absl::string_view row_id) {
  std::string out(column);
  out.push_back('/');
  out.append(row_id.data(), row_id.size());
  return out;
}

class Database {
 public:
  // At most this many Write calls share one commit.
  static constexpr int kMaxBatch = 128;

  virtual ~Database() = default;
  Database() = default;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  virtual Engine engine() const = 0;

  // Runs `fn` in a read transaction on a reader connection: it sees what
  // was committed when it began, and may not write.
  virtual absl::Status Read(const TransactionFn& fn) = 0;
  // Runs `fn` in a write transaction; commits when it returns OK, rolls
  // back (only its own changes) otherwise. Concurrent calls are grouped
  // into one commit (in the order they came); a call returns only when
  // that commit is durable, and fails when it fails. `fn` may run on
  // another caller's thread, and must not call back into this Database.
  //
  // `fn` may run more than once: when another call of its batch fails
  // after changing rows, the batch's transaction is rolled back and the
  // other calls run again (group_commit.h). Each run must start afresh —
  // assign what it hands out, never append to what an earlier run left.
  // A failing `fn` that changed no rows is taken to need no undo: schema
  // changes (DDL) that fail belong in a Write of their own (migrations run
  // alone, before serving).
  virtual absl::Status Write(const TransactionFn& fn) = 0;

  // The schema version (the number of the last migration applied).
  virtual absl::StatusOr<int> SchemaVersion() = 0;
  // OK while the database answers a read.
  virtual absl::Status Ping() = 0;
  // Makes sure that no earlier version of a changed or deleted row survives
  // in the engine's own files where it can (an erasure): SQLCipher copies
  // and truncates its WAL. UNAVAILABLE when a reader kept it from
  // completing.
  virtual absl::Status ForgetOldVersions() = 0;

  // How many commits and how many Write calls they carried, since Open
  // (for tests and figures).
  struct WriteStats {
    int64_t commits = 0;
    int64_t writes = 0;
    // WAL checkpoints run by SQLCipher's background checkpointer.
    int64_t checkpoints = 0;
  };
  virtual WriteStats write_stats() = 0;
};

}  // namespace schakel::store

#endif  // SCHAKEL_SERVER_STORE_DATABASE_H_
