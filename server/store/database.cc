#include "server/store/database.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/crypto/field_cipher.h"

namespace schakel::store {

Statement::Statement(Statement&& other) noexcept
    : backend_(other.backend_),
      what_(std::move(other.what_)),
      connection_(other.connection_),
      bind_status_(std::move(other.bind_status_)) {
  other.backend_ = nullptr;
}

Statement::~Statement() {
  if (backend_ != nullptr) backend_->Release();
}

void Statement::Failed(absl::Status s) {
  if (!s.ok() && bind_status_.ok()) bind_status_ = std::move(s);
}

int Statement::Index(const char* name) {
  int index = backend_->ParameterIndex(name);
  if (index == 0) Failed(absl::InternalError(absl::StrCat(what_, ": no parameter ", name)));
  return index;
}

Statement& Statement::Bind(int index, absl::string_view text) {
  Failed(backend_->BindText(index, text));
  return *this;
}

Statement& Statement::Bind(int index, int64_t value) {
  Failed(backend_->BindInt(index, value));
  return *this;
}

Statement& Statement::BindNull(int index) {
  Failed(backend_->BindNull(index));
  return *this;
}

Statement& Statement::BindName(const char* name, absl::string_view text) {
  int index = Index(name);
  return index == 0 ? *this : Bind(index, text);
}

Statement& Statement::BindName(const char* name, int64_t value) {
  int index = Index(name);
  return index == 0 ? *this : Bind(index, value);
}

Statement& Statement::BindNameOrNull(const char* name, absl::string_view text) {
  int index = Index(name);
  if (index == 0) return *this;
  return text.empty() ? BindNull(index) : Bind(index, text);
}

bool Statement::HasParameter(const char* name) const {
  return backend_->ParameterIndex(name) != 0;
}

std::string Statement::Sealed(absl::string_view context, absl::string_view text) {
  const crypto::FieldKeyring* keyring = connection_->keyring();
  if (keyring == nullptr) {
    // Never plaintext where the engine expects sealed values.
    Failed(absl::InternalError(absl::StrCat(what_, ": no field keyring")));
    return "";
  }
  absl::StatusOr<std::string> sealed = keyring->Seal(context, text);
  if (!sealed.ok()) {
    Failed(absl::Status(sealed.status().code(), absl::StrCat(what_, ": ", sealed.status().message())));
    return "";
  }
  return *std::move(sealed);
}

Statement& Statement::BindSealed(int index, absl::string_view context, absl::string_view text) {
  if (!connection_->seals_fields()) return Bind(index, text);
  return Bind(index, Sealed(context, text));
}

Statement& Statement::BindNameSealed(const char* name, absl::string_view context,
                                     absl::string_view text) {
  int index = Index(name);
  return index == 0 ? *this : BindSealed(index, context, text);
}

Statement& Statement::BindNameSealedOrNull(const char* name, absl::string_view context,
                                           absl::string_view text) {
  int index = Index(name);
  return index == 0 ? *this : BindSealedOrNull(index, context, text);
}

std::string Statement::ColumnSealed(int index, absl::string_view context) const {
  if (!connection_->seals_fields() || ColumnIsNull(index)) return ColumnText(index);
  const crypto::FieldKeyring* keyring = connection_->keyring();
  if (keyring == nullptr) {
    connection_->RecordSealFailure(absl::InternalError(absl::StrCat(what_, ": no field keyring")));
    return "";
  }
  absl::StatusOr<std::string> plain = keyring->Open(context, ColumnView(index));
  if (!plain.ok()) {
    // The value and the key stay out of the message; the context names the
    // column and row an operator can look at.
    connection_->RecordSealFailure(
        absl::DataLossError(absl::StrCat(what_, ": ", context, ": ", plain.status().message())));
    return "";
  }
  return *std::move(plain);
}

absl::StatusOr<bool> Statement::Step() {
  RETURN_IF_ERROR(bind_status_);
  return backend_->Step(what_);
}

absl::Status Statement::Run() {
  while (true) {
    ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return absl::OkStatus();
  }
}

absl::Status Statement::RunPipelined() {
  RETURN_IF_ERROR(bind_status_);
  return backend_->RunPipelined(what_);
}

absl::Status StatementBackend::RunPipelined(absl::string_view what) {
  while (true) {
    ASSIGN_OR_RETURN(bool row, Step(what));
    if (!row) return absl::OkStatus();
  }
}

std::any* Connection::TransactionMemo(absl::string_view key) {
  return memo_on_ ? &memo_[std::string(key)] : nullptr;
}

void Statement::Reset() {
  backend_->Reset();
  bind_status_ = absl::OkStatus();
}

absl::StatusOr<Statement> Connection::Prepare(absl::string_view sql, absl::string_view what) {
  ASSIGN_OR_RETURN(StatementBackend * backend, backend_->Prepare(sql, what));
  return Statement(backend, std::string(what), backend_);
}

absl::StatusOr<std::string> Connection::BlindIndex(absl::string_view purpose,
                                                   absl::string_view normalized) const {
  const crypto::FieldKeyring* keyring = backend_->keyring();
  if (!backend_->seals_fields() || keyring == nullptr) {
    return absl::InternalError("blind index: no field keyring on this connection");
  }
  return keyring->BlindIndex(purpose, normalized);
}

uint32_t Connection::active_field_key() const {
  const crypto::FieldKeyring* keyring = backend_->keyring();
  return backend_->seals_fields() && keyring != nullptr ? keyring->active_key_id() : 0;
}

void Connection::AfterTransaction(std::function<void()> fn) {
  if (after_ != nullptr) after_->push_back(std::move(fn));
}

}  // namespace schakel::store
