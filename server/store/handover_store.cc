#include "server/store/handover_store.h"

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/domain/calendar.h"
#include "server/store/note_rows.h"
#include "server/store/reference_store.h"
#include "server/store/resident_store.h"
#include "server/store/signal_store.h"

namespace schakel::store {
namespace {

using domain::Handover;
using domain::HandoverStatus;

constexpr char kColumns[] =
    "h.seq, h.id, h.resident_id, h.from_org, h.sender_id, h.to_org, h.receiver_id, h.reason,"
    " h.signal_id, h.basis_kind, h.consent_date, h.consent_covers, h.consent_recorded_by,"
    " h.legal_reference, h.vital_reason, h.deadline, h.status, h.decline_reason,"
    " h.cancel_reason, h.introduced_date, h.introduced_with, h.outcome, h.outcome_text,"
    " h.create_time, h.update_time, h.version, h.from_team, h.to_team";

const std::string& SelectVisible() {
  static const std::string* sql = new std::string(absl::StrCat(
      "SELECT ", kColumns, " FROM handovers h WHERE h.id = :id AND ", auth::HandoverVisibleSql(auth::Sqlite(), "h")));
  return *sql;
}
const std::string& SelectPastDeadline() {
  static const std::string* sql = new std::string(
      absl::StrCat("SELECT ", kColumns,
                   " FROM handovers h WHERE h.status = 'proposed' AND h.deadline < :today"
                   " ORDER BY h.deadline, h.seq LIMIT :limit"));
  return *sql;
}

// Not yet reminded: no handover_due_soon notification of this deadline
// (notifications_by_resource).
const std::string& SelectDueBy() {
  static const std::string* sql = new std::string(absl::StrCat(
      "SELECT ", kColumns,
      " FROM handovers h WHERE h.status = 'proposed' AND h.deadline >= :today"
      " AND h.deadline <= :last AND NOT EXISTS (SELECT 1 FROM notifications n"
      " WHERE n.resource_id = h.id AND n.kind = 'handover_due_soon' AND n.due_date = h.deadline)"
      " ORDER BY h.deadline, h.seq LIMIT :limit"));
  return *sql;
}

// Every column: the service inserts proposals (the later fields empty,
// NULL), the seed handovers in any state.
constexpr char kInsert[] =
    "INSERT INTO handovers (id, resident_id, from_org, sender_id, to_org, receiver_id, reason,"
    " signal_id, basis_kind, consent_date, consent_covers, consent_recorded_by, legal_reference,"
    " vital_reason, deadline, status, decline_reason, cancel_reason, introduced_date,"
    " introduced_with, outcome, outcome_text, create_time, update_time, version, from_team,"
    " to_team)"
    " VALUES (:id, :resident_id, :from_org, :sender_id, :to_org, :receiver_id, :reason,"
    " :signal_id, :basis_kind, :consent_date, :consent_covers, :consent_recorded_by,"
    " :legal_reference, :vital_reason, :deadline, :status, :decline_reason, :cancel_reason,"
    " :introduced_date, :introduced_with, :outcome, :outcome_text, :create_time, :update_time,"
    " :version, :from_team, :to_team)";
constexpr char kUpdate[] =
    "UPDATE handovers SET receiver_id = :receiver_id, status = :status,"
    " decline_reason = :decline_reason, cancel_reason = :cancel_reason,"
    " introduced_date = :introduced_date, introduced_with = :introduced_with,"
    " outcome = :outcome, outcome_text = :outcome_text, update_time = :update_time,"
    " version = :version, to_team = :to_team WHERE id = :id AND version = :old_version";

// The context a handover's free text is sealed under (SealContext).
std::string Context(const char* column, const std::string& id) {
  return SealContext(absl::StrCat("handovers.", column), id);
}

// The fields a change can set, bound by name (both the insert and the
// update use them).
void BindChangeable(Statement& st, const Handover& h) {
  st.BindNameOrNull(":receiver_id", h.receiver_id);
  st.BindName(":status", domain::HandoverStatusName(h.status));
  st.BindNameSealedOrNull(":decline_reason", Context("decline_reason", h.id), h.decline_reason);
  st.BindNameSealedOrNull(":cancel_reason", Context("cancel_reason", h.id), h.cancel_reason);
  st.BindNameOrNull(":introduced_date", h.introduced_date);
  st.BindNameSealedOrNull(":introduced_with", Context("introduced_with", h.id), h.introduced_with);
  st.BindNameOrNull(":outcome", h.outcome ? domain::OutcomeName(*h.outcome) : "");
  st.BindNameSealedOrNull(":outcome_text", Context("outcome_text", h.id), h.outcome_text);
  st.BindName(":update_time", absl::ToUnixMicros(h.update_time));
  st.BindName(":version", h.version);
  st.BindName(":to_team", h.to_team);
}

Handover FromRow(const Statement& st) {
  Handover h;
  h.id = st.ColumnText(1);
  h.resident_id = st.ColumnText(2);
  h.from_organisation_id = st.ColumnText(3);
  h.sender_id = st.ColumnText(4);
  h.to_organisation_id = st.ColumnText(5);
  h.receiver_id = st.ColumnText(6);
  h.reason = st.ColumnSealed(7, Context("reason", h.id));
  h.signal_id = st.ColumnText(8);
  std::string kind = st.ColumnText(9);
  for (auto k : {domain::BasisKind::kConsent, domain::BasisKind::kLegalTask,
                 domain::BasisKind::kVitalInterest}) {
    if (kind == domain::BasisKindName(k)) h.basis.kind = k;
  }
  h.basis.consent_date = st.ColumnText(10);
  h.basis.consent_covers = st.ColumnSealed(11, Context("consent_covers", h.id));
  h.basis.consent_recorded_by = st.ColumnText(12);
  h.basis.legal_reference = st.ColumnSealed(13, Context("legal_reference", h.id));
  h.basis.vital_reason = st.ColumnSealed(14, Context("vital_reason", h.id));
  if (auto d = domain::ParseDate("deadline", st.ColumnText(15)); d.ok()) h.deadline = *d;
  // An unknown status is read as final: nothing can act on it.
  h.status = domain::ParseHandoverStatus(st.ColumnText(16)).value_or(HandoverStatus::kCancelled);
  h.decline_reason = st.ColumnSealed(17, Context("decline_reason", h.id));
  h.cancel_reason = st.ColumnSealed(18, Context("cancel_reason", h.id));
  h.introduced_date = st.ColumnText(19);
  h.introduced_with = st.ColumnSealed(20, Context("introduced_with", h.id));
  if (!st.ColumnIsNull(21)) h.outcome = domain::ParseOutcome(st.ColumnText(21));
  h.outcome_text = st.ColumnSealed(22, Context("outcome_text", h.id));
  h.create_time = st.ColumnTime(23);
  h.update_time = st.ColumnTime(24);
  h.version = st.ColumnInt(25);
  h.from_team = st.ColumnText(26);
  h.to_team = st.ColumnText(27);
  return h;
}

absl::StatusOr<std::optional<Handover>> ReadOne(Connection& c, const std::string& sql,
                                                const std::string& id, const auth::ListScope* viewer) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(sql, "read handover"));
  st.BindName(":id", id);
  if (viewer != nullptr) BindScope(st, *viewer);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<Handover>();
  return std::optional<Handover>(FromRow(st));
}

absl::Status WriteUpdate(Connection& c, const Handover& next) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kUpdate, "update handover"));
  st.BindName(":id", next.id).BindName(":old_version", next.version - 1);
  BindChangeable(st, next);
  RETURN_IF_ERROR(st.Run());
  if (c.Changes() != 1) return absl::AbortedError("etag: the handover changed; read it again");
  return absl::OkStatus();
}

}  // namespace

absl::Status InsertHandoverRow(Connection& c, const Handover& h) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kInsert, "insert handover"));
  st.BindName(":id", h.id).BindName(":resident_id", h.resident_id);
  st.BindName(":from_org", h.from_organisation_id).BindName(":sender_id", h.sender_id);
  st.BindName(":to_org", h.to_organisation_id);
  st.BindNameSealed(":reason", Context("reason", h.id), h.reason);
  st.BindNameOrNull(":signal_id", h.signal_id);
  st.BindName(":basis_kind", domain::BasisKindName(h.basis.kind));
  st.BindNameOrNull(":consent_date", h.basis.consent_date);
  st.BindNameSealedOrNull(":consent_covers", Context("consent_covers", h.id),
                          h.basis.consent_covers);
  st.BindNameOrNull(":consent_recorded_by", h.basis.consent_recorded_by);
  st.BindNameSealedOrNull(":legal_reference", Context("legal_reference", h.id),
                          h.basis.legal_reference);
  st.BindNameSealedOrNull(":vital_reason", Context("vital_reason", h.id), h.basis.vital_reason);
  st.BindName(":deadline", domain::FormatDate(h.deadline));
  st.BindName(":create_time", absl::ToUnixMicros(h.create_time));
  st.BindName(":from_team", h.from_team);
  BindChangeable(st, h);
  return st.Run();
}

absl::StatusOr<std::optional<Handover>> SqliteHandoverStore::Find(Connection& c,
                                                                  const std::string& id,
                                                                  const auth::ListScope& scope) {
  return ReadOne(c, SelectVisible(), id, &scope);
}

absl::Status SqliteHandoverStore::Insert(Connection& c, const Handover& h) {
  return InsertHandoverRow(c, h);
}

absl::Status SqliteHandoverStore::Replace(Connection& c, const Handover& next) {
  return WriteUpdate(c, next);
}

absl::Status SqliteHandoverStore::InsertNote(Connection& c, const domain::Note& note) {
  return store::InsertNote(c, NoteTable::kHandover, note);
}

absl::StatusOr<std::optional<domain::Note>> SqliteHandoverStore::FindNote(Connection& c,
                                                                          const std::string& id) {
  return ReadNote(c, NoteTable::kHandover, id);
}

absl::StatusOr<HandoverDetail> SqliteHandoverStore::Get(const std::string& id,
                                                        const auth::ListScope& scope) {
  std::optional<HandoverDetail> detail;
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(auto h, ReadOne(c, SelectVisible(), id, &scope));
    if (!h) return absl::OkStatus();
    HandoverDetail d;
    d.handover = *std::move(h);
    ASSIGN_OR_RETURN(d.notes, ReadNotes(c, NoteTable::kHandover, id));
    detail = std::move(d);
    return absl::OkStatus();
  }));
  if (!detail) return absl::NotFoundError(absl::StrCat("handover ", id, " not found"));
  return *std::move(detail);
}

absl::StatusOr<HandoverPage> SqliteHandoverStore::List(
    Box box, const auth::ListScope& scope, std::optional<HandoverStatus> status,
    const std::string& resident_id, const std::string& after_deadline, int64_t after_seq,
    int limit) {
  std::string sql = absl::StrCat(
      "SELECT ", kColumns, " FROM handovers h WHERE ",
      auth::HandoverBoxSql(auth::Sqlite(), "h", box),
      " AND (:status = '' OR h.status = :status)"
      " AND (:resident = '' OR h.resident_id = :resident)"
      " AND (:after_deadline = '' OR (h.deadline, h.seq) > (:after_deadline, :after_seq))"
      " ORDER BY h.deadline, h.seq LIMIT :limit");
  HandoverPage page;
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(sql, "list handovers"));
    BindScope(st, scope);
    st.BindName(":status", status ? domain::HandoverStatusName(*status) : "");
    st.BindName(":resident", resident_id);
    st.BindName(":after_deadline", after_deadline).BindName(":after_seq", after_seq);
    st.BindName(":limit", static_cast<int64_t>(limit) + 1);
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      if (static_cast<int>(page.handovers.size()) == limit) {
        page.more = true;
        break;
      }
      page.last_seq = st.ColumnInt(0);
      page.handovers.push_back(FromRow(st));
      page.last_deadline = domain::FormatDate(page.handovers.back().deadline);
    }
    return absl::OkStatus();
  }));
  return page;
}

absl::StatusOr<std::vector<Handover>> SqliteHandoverStore::ListPastDeadline(absl::CivilDay today,
                                                                            int limit) {
  return ListByDeadline(SelectPastDeadline(), "list past deadline", today, today, limit);
}

absl::StatusOr<std::vector<Handover>> SqliteHandoverStore::ListProposedDueBy(
    absl::CivilDay today, absl::CivilDay last_day, int limit) {
  return ListByDeadline(SelectDueBy(), "list due by", today, last_day, limit);
}

absl::StatusOr<std::vector<Handover>> SqliteHandoverStore::ListByDeadline(
    const std::string& sql, const char* what, absl::CivilDay today, absl::CivilDay last_day,
    int limit) {
  std::vector<Handover> out;
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(sql, what));
    st.BindName(":today", domain::FormatDate(today));
    if (st.HasParameter(":last")) st.BindName(":last", domain::FormatDate(last_day));
    st.BindName(":limit", static_cast<int64_t>(limit));
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      out.push_back(FromRow(st));
    }
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace schakel::store
