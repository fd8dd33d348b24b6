#include "server/store/signal_store.h"

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/store/note_rows.h"
#include "server/store/reference_store.h"
#include "server/store/resident_store.h"

namespace schakel::store {
namespace {

constexpr char kColumns[] =
    "s.seq, s.id, s.category, s.opgave, s.sensitivity, s.wijk, s.place, s.description,"
    " s.resident_id, s.urgency, s.owner_org, s.status, s.author_id, s.author_org,"
    " s.create_time, s.update_time, s.version, s.owner_team, s.author_team, s.routed_rule,"
    " s.routed_rule_version";

const std::string& SelectVisible() {
  static const std::string* sql = new std::string(absl::StrCat(
      "SELECT ", kColumns, " FROM signals s WHERE s.id = :id AND ", auth::SignalVisibleSql(auth::Sqlite(), "s")));
  return *sql;
}

constexpr char kInsert[] =
    "INSERT INTO signals (id, category, opgave, sensitivity, wijk, place, description,"
    " resident_id, urgency, owner_org, status, author_id, author_org, create_time, update_time,"
    " version, owner_team, author_team, routed_rule, routed_rule_version) VALUES (:id,"
    " :category, :opgave, :sensitivity, :wijk, :place, :description, :resident_id, :urgency,"
    " :owner_org, :status, :author_id, :author_org, :create_time, :update_time, :version,"
    " :owner_team, :author_team, :routed_rule, :routed_rule_version)";
constexpr char kUpdate[] =
    "UPDATE signals SET owner_org = :owner_org, owner_team = :owner_team, status = :status,"
    " update_time = :update_time, version = :version WHERE id = :id AND version = :old_version";
constexpr char kInsertEvent[] =
    "INSERT INTO signal_events (signal_id, time, actor_id, actor_org, kind, from_status,"
    " to_status, owner_org, note_id, handover_id, owner_team, rule_id, rule_version) VALUES"
    " (:signal_id, :time, :actor_id, :actor_org, :kind, :from_status, :to_status, :owner_org,"
    " :note_id, :handover_id, :owner_team, :rule_id, :rule_version)";
// A linked handover's parties and resident come along: the caller decides
// with them whether the event may be shown.
constexpr char kSelectEvents[] =
    "SELECT e.time, e.actor_id, e.actor_org, e.kind, e.from_status, e.to_status, e.owner_org,"
    " e.note_id, e.handover_id, h.from_org, h.to_org, h.resident_id, e.owner_team,"
    " h.from_team, h.to_team, e.rule_id, e.rule_version FROM signal_events e"
    " LEFT JOIN handovers h ON h.id = e.handover_id WHERE e.signal_id = ?1 ORDER BY e.seq";

domain::Signal FromRow(const Statement& st) {
  domain::Signal s;
  s.id = st.ColumnText(1);
  s.category = st.ColumnText(2);
  s.opgave = st.ColumnText(3);
  s.sensitivity = ParseSensitivity(st.ColumnText(4));
  s.wijk = st.ColumnText(5);
  s.place = st.ColumnSealed(6, SealContext("signals.place", s.id));
  s.description = st.ColumnSealed(7, SealContext("signals.description", s.id));
  s.resident_id = st.ColumnText(8);
  s.urgency = domain::ParseUrgency(st.ColumnText(9)).value_or(domain::Urgency::kNormal);
  s.owner_organisation_id = st.ColumnText(10);
  s.status = domain::ParseSignalStatus(st.ColumnText(11)).value_or(domain::SignalStatus::kOpen);
  s.author_id = st.ColumnText(12);
  s.author_organisation_id = st.ColumnText(13);
  s.create_time = st.ColumnTime(14);
  s.update_time = st.ColumnTime(15);
  s.version = st.ColumnInt(16);
  if (!s.owner_organisation_id.empty()) s.owner_team = st.ColumnText(17);
  s.author_team = st.ColumnText(18);
  s.routed_by_rule_id = st.ColumnText(19);
  s.routed_by_rule_version = st.ColumnInt(20);
  return s;
}

absl::StatusOr<std::optional<domain::Signal>> ReadSignal(Connection& c, const std::string& id,
                                                         const auth::ListScope& scope) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(SelectVisible(), "read signal"));
  st.BindName(":id", id);
  BindScope(st, scope);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<domain::Signal>();
  return std::optional<domain::Signal>(FromRow(st));
}

}  // namespace


absl::Status AppendSignalEvent(Connection& c, const std::string& signal_id,
                               const SignalEvent& e) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kInsertEvent, "insert signal event"));
  st.BindName(":signal_id", signal_id).BindName(":time", absl::ToUnixMicros(e.time));
  st.BindName(":actor_id", e.actor_id).BindName(":actor_org", e.actor_organisation_id);
  st.BindName(":kind", SignalEventKindName(e.kind));
  st.BindNameOrNull(":from_status", e.from_status ? domain::SignalStatusName(*e.from_status) : "");
  st.BindNameOrNull(":to_status", e.to_status ? domain::SignalStatusName(*e.to_status) : "");
  st.BindNameOrNull(":owner_org", e.owner_organisation_id);
  st.BindNameOrNull(":note_id", e.note_id);
  st.BindNameOrNull(":handover_id", e.handover_id);
  st.BindName(":owner_team", e.owner_organisation_id.empty() ? "" : e.owner_team);
  st.BindName(":rule_id", e.rule_id).BindName(":rule_version", e.rule_version);
  return st.RunPipelined();
}

absl::StatusOr<std::optional<domain::Signal>> SqliteSignalStore::Find(
    Connection& c, const std::string& id, const auth::ListScope& scope) {
  return ReadSignal(c, id, scope);
}

absl::Status SqliteSignalStore::Insert(Connection& c, const domain::Signal& s) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kInsert, "insert signal"));
  st.BindName(":id", s.id).BindName(":category", s.category).BindName(":opgave", s.opgave);
  st.BindName(":sensitivity", domain::SensitivityName(s.sensitivity));
  st.BindName(":wijk", s.wijk).BindNameSealed(":place", SealContext("signals.place", s.id), s.place);
  st.BindNameSealed(":description", SealContext("signals.description", s.id), s.description);
  st.BindNameOrNull(":resident_id", s.resident_id);
  st.BindName(":urgency", domain::UrgencyName(s.urgency));
  st.BindNameOrNull(":owner_org", s.owner_organisation_id);
  st.BindName(":status", domain::SignalStatusName(s.status));
  st.BindName(":author_id", s.author_id).BindName(":author_org", s.author_organisation_id);
  st.BindName(":create_time", absl::ToUnixMicros(s.create_time));
  st.BindName(":update_time", absl::ToUnixMicros(s.update_time));
  st.BindName(":version", s.version);
  st.BindName(":owner_team", s.owner_organisation_id.empty() ? "" : s.owner_team);
  st.BindName(":author_team", s.author_team);
  st.BindName(":routed_rule", s.routed_by_rule_id);
  st.BindName(":routed_rule_version", s.routed_by_rule_version);
  RETURN_IF_ERROR(st.RunPipelined());
  SignalEvent created;
  created.kind = SignalEventKind::kCreated;
  created.time = s.create_time;
  created.actor_id = s.author_id;
  created.actor_organisation_id = s.author_organisation_id;
  created.to_status = s.status;
  // A routed signal was created without an owner: the rule's assignment
  // follows in the timeline (app::RouteNewSignal).
  if (s.routed_by_rule_id.empty()) {
    created.owner_organisation_id = s.owner_organisation_id;
    created.owner_team = s.owner_team;
  }
  return AppendSignalEvent(c, s.id, created);
}

absl::Status SqliteSignalStore::Replace(Connection& c, const domain::Signal& next,
                                        int64_t old_version) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kUpdate, "update signal"));
  st.BindName(":id", next.id).BindNameOrNull(":owner_org", next.owner_organisation_id);
  st.BindName(":owner_team",
              next.owner_organisation_id.empty() ? "" : next.owner_team);
  st.BindName(":status", domain::SignalStatusName(next.status));
  st.BindName(":update_time", absl::ToUnixMicros(next.update_time));
  st.BindName(":version", next.version).BindName(":old_version", old_version);
  RETURN_IF_ERROR(st.Run());
  if (c.Changes() != 1) return absl::AbortedError("etag: the signal changed; read it again");
  return absl::OkStatus();
}

absl::Status SqliteSignalStore::AppendEvent(Connection& c, const std::string& signal_id,
                                            const SignalEvent& event) {
  return AppendSignalEvent(c, signal_id, event);
}

absl::Status SqliteSignalStore::InsertNote(Connection& c, const domain::Note& note) {
  return store::InsertNote(c, NoteTable::kSignal, note);
}

absl::StatusOr<std::optional<domain::Note>> SqliteSignalStore::FindNote(Connection& c,
                                                                        const std::string& id) {
  return ReadNote(c, NoteTable::kSignal, id);
}

absl::StatusOr<SignalDetail> SqliteSignalStore::Get(const std::string& id, const auth::ListScope& scope) {
  std::optional<SignalDetail> detail;
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(auto signal, ReadSignal(c, id, scope));
    if (!signal) return absl::OkStatus();
    SignalDetail d;
    d.signal = *std::move(signal);
    ASSIGN_OR_RETURN(Statement ev, c.Prepare(kSelectEvents, "read timeline"));
    ev.Bind(1, id);
    while (true) {
      ASSIGN_OR_RETURN(bool row, ev.Step());
      if (!row) break;
      SignalEvent e;
      e.time = ev.ColumnTime(0);
      e.actor_id = ev.ColumnText(1);
      e.actor_organisation_id = ev.ColumnText(2);
      std::string kind = ev.ColumnText(3);
      for (auto k : {SignalEventKind::kCreated, SignalEventKind::kAssigned,
                     SignalEventKind::kStatusChanged, SignalEventKind::kNoteAdded,
                     SignalEventKind::kHandoverLinked}) {
        if (kind == SignalEventKindName(k)) e.kind = k;
      }
      if (!ev.ColumnIsNull(4)) e.from_status = domain::ParseSignalStatus(ev.ColumnText(4));
      if (!ev.ColumnIsNull(5)) e.to_status = domain::ParseSignalStatus(ev.ColumnText(5));
      e.owner_organisation_id = ev.ColumnText(6);
      e.note_id = ev.ColumnText(7);
      e.handover_id = ev.ColumnText(8);
      e.handover_from_organisation_id = ev.ColumnText(9);
      e.handover_to_organisation_id = ev.ColumnText(10);
      e.handover_resident_id = ev.ColumnText(11);
      if (!e.owner_organisation_id.empty()) e.owner_team = ev.ColumnText(12);
      e.handover_from_team = ev.ColumnText(13);
      e.handover_to_team = ev.ColumnText(14);
      e.rule_id = ev.ColumnText(15);
      e.rule_version = ev.ColumnInt(16);
      d.timeline.push_back(std::move(e));
    }
    ASSIGN_OR_RETURN(d.notes, ReadNotes(c, NoteTable::kSignal, id));
    detail = std::move(d);
    return absl::OkStatus();
  }));
  if (!detail) return absl::NotFoundError(absl::StrCat("signal ", id, " not found"));
  return *std::move(detail);
}

absl::StatusOr<SignalPage> SqliteSignalStore::List(const SignalQuery& q, const auth::ListScope& scope,
                                                   int64_t before_seq, int limit) {
  // Every filter is a bound parameter; an empty one matches everything.
  // The page key is a plain range on the rowid only when there is one:
  // SQLite 3.15 cannot use "(:before = 0 OR s.seq < :before)" as a range,
  // and would walk every newer row to reach page 10,000 (keyset pages must
  // cost the same deep in the list as on page 1).
  std::string sql = absl::StrCat(
      "SELECT ", kColumns, " FROM signals s WHERE ", auth::SignalVisibleSql(auth::Sqlite(), "s"),
      before_seq > 0 ? " AND s.seq < :before" : "",
      " AND (:status = '' OR s.status = :status)"
      " AND (:category = '' OR s.category = :category)"
      " AND (:opgave = '' OR s.opgave = :opgave)"
      " AND (:wijk = '' OR s.wijk = :wijk)"
      " AND (:owner = '' OR s.owner_org = :owner)"
      " AND (:owner_team = '' OR s.owner_team = :owner_team)"
      // The resident of a health signal is not part of its frame: a caller
      // who sees only the frame does not find it by its resident.
      " AND (:resident = '' OR (s.resident_id = :resident AND ",
      auth::SignalLinksResidentSql(auth::Sqlite(), "s"), "))"
      " ORDER BY s.seq DESC LIMIT :limit");
  SignalPage page;
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(sql, "list signals"));
    BindScope(st, scope);
    if (before_seq > 0) st.BindName(":before", before_seq);
    st.BindName(":status", q.status ? domain::SignalStatusName(*q.status) : "");
    st.BindName(":category", q.category).BindName(":opgave", q.opgave);
    st.BindName(":wijk", q.wijk).BindName(":owner", q.owner_organisation_id);
    st.BindName(":owner_team", q.owner_team);
    st.BindName(":resident", q.resident_id);
    st.BindName(":limit", static_cast<int64_t>(limit) + 1);
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      if (static_cast<int>(page.signals.size()) == limit) {
        page.more = true;
        break;
      }
      page.last_seq = st.ColumnInt(0);
      page.signals.push_back(FromRow(st));
    }
    return absl::OkStatus();
  }));
  return page;
}

}  // namespace schakel::store
