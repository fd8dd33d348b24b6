#include "server/store/privacy_store.h"

#include <functional>
#include <set>

#include "absl/strings/str_cat.h"
#include "server/common/log.h"
#include "server/common/status_macros.h"
#include "server/domain/calendar.h"
#include "server/store/resident_store.h"
#include "server/store/sealed_columns.h"
#include "server/store/signal_store.h"

namespace schakel::store {
// A merge re-points signals and handovers to the kept id while the hold
// stays on the id it was put on (and trajectories keep the merged id): the
// person of a held id is its kept record (merged_into, or itself) with
// every record merged into that.
const char kHeldResidentIds[] =
    "(SELECT r.id FROM residents r JOIN residents held"
    " ON coalesce(held.merged_into, held.id) IN (r.id, r.merged_into)"
    " WHERE held.id IN (SELECT resident_id FROM legal_holds))";

namespace {

using domain::kErasedText;

constexpr char kSelectResident[] =
    "SELECT id, name, birth_date, address, wijk, create_time, erase_time, merged_into"
    " FROM residents WHERE id = ?1";
// The resident and the records merged into it: one person.
constexpr char kPerson[] = "(SELECT ?1 UNION SELECT id FROM residents WHERE merged_into = ?1)";

// Runs `sql` with ?1 bound to `id`, calling `row` for every result row.
absl::Status ForEachRow(Connection& c, const std::string& sql, const std::string& id,
                        const char* what, const std::function<void(const Statement&)>& row) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(sql, what));
  st.Bind(1, id);
  while (true) {
    ASSIGN_OR_RETURN(bool more, st.Step());
    if (!more) return absl::OkStatus();
    row(st);
  }
}

// Runs a change with ?1 bound to `id`; the number of rows changed.
absl::StatusOr<int> Change(Connection& c, const std::string& sql, const std::string& id,
                           const char* what) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(sql, what));
  st.Bind(1, id);
  RETURN_IF_ERROR(st.Run());
  return c.Changes();
}

// Free text in the columns PostgreSQL keeps sealed (sealed_columns.h) and
// which rows of their table (a condition on ?1, the resident).
struct SealedText {
  const SealedTable& sealed;
  std::string rows;
};

// `column` set to `value` where it holds a text; an absent optional text
// (NULL) stays absent.
std::string KeepNull(const char* column, const std::string& value) {
  return absl::StrCat(column, " = CASE WHEN ", column, " IS NULL THEN NULL ELSE ", value, " END");
}

// Sets every sealed column of the rows to kErasedText: in one statement
// where the engine does not seal, else sealed for each row under its own
// context, one statement per row. The number of rows changed.
absl::StatusOr<int> EraseSealed(Connection& c, const SealedText& text, const std::string& id) {
  const SealedTable& t = text.sealed;
  if (c.engine() != Engine::kPostgresql) {
    std::string sets;
    for (size_t i = 0; i < t.columns.size(); ++i) {
      absl::StrAppend(&sets, i == 0 ? "" : ", ", KeepNull(t.columns[i], "?2"));
    }
    ASSIGN_OR_RETURN(Statement st, c.Prepare(absl::StrCat("UPDATE ", t.table, " SET ", sets,
                                                          " WHERE ", text.rows),
                                             "erase text"));
    st.Bind(1, id).Bind(2, kErasedText);
    RETURN_IF_ERROR(st.Run());
    return c.Changes();
  }
  std::vector<std::string> ids;
  RETURN_IF_ERROR(ForEachRow(c, absl::StrCat("SELECT id FROM ", t.table, " WHERE ", text.rows), id,
                             "erase text", [&](const Statement& s) {
                               ids.push_back(s.ColumnText(0));
                             }));
  std::string sets;
  for (size_t i = 0; i < t.columns.size(); ++i) {
    absl::StrAppend(&sets, i == 0 ? "" : ", ", KeepNull(t.columns[i], absl::StrCat("?", i + 2)));
  }
  ASSIGN_OR_RETURN(Statement st, c.Prepare(absl::StrCat("UPDATE ", t.table, " SET ", sets,
                                                        " WHERE id = ?1"),
                                           "erase text"));
  for (const std::string& row : ids) {
    st.Reset();
    st.Bind(1, row);
    for (size_t i = 0; i < t.columns.size(); ++i) {
      st.BindSealed(static_cast<int>(i + 2),
                    SealContext(absl::StrCat(t.table, ".", t.columns[i]), row), kErasedText);
    }
    RETURN_IF_ERROR(st.Run());
  }
  return static_cast<int>(ids.size());
}

absl::StatusOr<ResidentRecord> ReadResident(Connection& c, const std::string& id) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectResident, "read resident"));
  st.Bind(1, id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return absl::NotFoundError(absl::StrCat("resident_id: no resident ", id));
  if (!st.ColumnIsNull(7)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "resident_id: this record was merged into ", st.ColumnText(7), "; use that id"));
  }
  ResidentRecord r;
  r.id = st.ColumnText(0);
  r.name = st.ColumnSealed(1, SealContext("residents.name", r.id));
  r.birth_date = st.ColumnSealed(2, SealContext("residents.birth_date", r.id));
  r.address = st.ColumnSealed(3, SealContext("residents.address", r.id));
  r.wijk = st.ColumnText(4);
  r.create_time = st.ColumnTime(5);
  if (!st.ColumnIsNull(6)) r.erase_time = st.ColumnTime(6);
  RETURN_IF_ERROR(ForEachRow(
      c, "SELECT DISTINCT organisation_id FROM resident_registrations WHERE resident_id = ?1"
         " ORDER BY organisation_id",
      id, "read registrations", [&](const Statement& s) {
        r.registering_organisations.push_back(s.ColumnText(0));
      }));
  RETURN_IF_ERROR(ForEachRow(c, "SELECT id FROM residents WHERE merged_into = ?1 ORDER BY id", id,
                             "read merged residents",
                             [&](const Statement& s) { r.merged_ids.push_back(s.ColumnText(0)); }));
  // A hold put on a record before it was merged into this one holds the
  // person.
  RETURN_IF_ERROR(ForEachRow(c,
                             absl::StrCat("SELECT 1 FROM legal_holds WHERE resident_id IN ",
                                          kPerson, " LIMIT 1"),
                             id, "read legal hold", [&](const Statement&) { r.legal_hold = true; }));
  return r;
}

absl::StatusOr<std::vector<RectificationRecord>> ReadRectifications(Connection& c,
                                                                    const std::string& id) {
  std::vector<RectificationRecord> out;
  RETURN_IF_ERROR(ForEachRow(
      c,
      absl::StrCat("SELECT field, old_value, new_value, professional_id, request_ref, time,"
                   " resident_id FROM rectifications WHERE resident_id IN ",
                   kPerson, " ORDER BY seq"),
      id, "read rectifications", [&](const Statement& s) {
        const std::string row = RectificationRow(s.ColumnText(6), s.ColumnText(0), s.ColumnTime(5));
        out.push_back(RectificationRecord{
            s.ColumnText(0), s.ColumnSealed(1, SealContext("rectifications.old_value", row)),
            s.ColumnSealed(2, SealContext("rectifications.new_value", row)), s.ColumnText(3),
            s.ColumnText(4), s.ColumnTime(5)});
      }));
  return out;
}

absl::Status ReadNotesOf(Connection& c, const char* table, const char* parent_column,
                         const char* parent_type, const char* parents, const std::string& id,
                         std::vector<NoteRecord>& out) {
  return ForEachRow(
      c,
      absl::StrCat("SELECT n.id, n.", parent_column, ", n.author_id, n.author_org, n.visibility,",
                   " n.text, n.create_time FROM ", table, " n WHERE n.", parent_column, " IN ",
                   parents, " ORDER BY n.seq"),
      id, "read notes", [&](const Statement& s) {
        const std::string note_id = s.ColumnText(0);
        out.push_back(NoteRecord{note_id, parent_type, s.ColumnText(1), s.ColumnText(2),
                                 s.ColumnText(3), s.ColumnText(4),
                                 s.ColumnSealed(5, SealContext(absl::StrCat(table, ".text"),
                                                               note_id)),
                                 s.ColumnTime(6)});
      });
}

const std::string& SignalsOf() {
  static const std::string* sql =
      new std::string(absl::StrCat("(SELECT id FROM signals WHERE resident_id IN ", kPerson, ")"));
  return *sql;
}
const std::string& HandoversOf() {
  static const std::string* sql = new std::string(
      absl::StrCat("(SELECT id FROM handovers WHERE resident_id IN ", kPerson, ")"));
  return *sql;
}
const std::string& TrajectoriesOf() {
  static const std::string* sql = new std::string(
      absl::StrCat("(SELECT id FROM trajectories WHERE resident_id IN ", kPerson, ")"));
  return *sql;
}

absl::StatusOr<ResidentData> CollectIn(Connection& c, const std::string& id) {
  ResidentData d;
  ASSIGN_OR_RETURN(d.resident, ReadResident(c, id));
  RETURN_IF_ERROR(ForEachRow(
      c,
      absl::StrCat("SELECT id, category, wijk, place, description, urgency, status,"
                   " coalesce(owner_org, ''), author_id, author_org, create_time, update_time"
                   " FROM signals WHERE resident_id IN ",
                   kPerson, " ORDER BY seq"),
      id, "read signals", [&](const Statement& s) {
        const std::string signal_id = s.ColumnText(0);
        d.signals.push_back(SignalRecord{signal_id, s.ColumnText(1), s.ColumnText(2),
                                         s.ColumnSealed(3, SealContext("signals.place", signal_id)),
                                         s.ColumnSealed(4, SealContext("signals.description",
                                                                       signal_id)),
                                         s.ColumnText(5),
                                         s.ColumnText(6), s.ColumnText(7), s.ColumnText(8),
                                         s.ColumnText(9), s.ColumnTime(10), s.ColumnTime(11)});
      }));
  RETURN_IF_ERROR(ForEachRow(
      c,
      absl::StrCat("SELECT id, from_org, to_org, reason, coalesce(signal_id, ''), basis_kind,"
                   " status, coalesce(outcome, ''), outcome_text, deadline,"
                   " create_time, update_time FROM handovers WHERE resident_id IN ",
                   kPerson, " ORDER BY seq"),
      id, "read handovers", [&](const Statement& s) {
        const std::string handover_id = s.ColumnText(0);
        d.handovers.push_back(HandoverRecord{
            handover_id, s.ColumnText(1), s.ColumnText(2),
            s.ColumnSealed(3, SealContext("handovers.reason", handover_id)), s.ColumnText(4),
            s.ColumnText(5), s.ColumnText(6), s.ColumnText(7),
            s.ColumnSealed(8, SealContext("handovers.outcome_text", handover_id)),
            s.ColumnText(9), s.ColumnTime(10), s.ColumnTime(11)});
      }));
  RETURN_IF_ERROR(ForEachRow(
      c,
      absl::StrCat("SELECT id, organisation_id, consultant_id, start_date, goal, status,"
                   " close_reason, create_time, update_time FROM trajectories"
                   " WHERE resident_id IN ",
                   kPerson, " ORDER BY seq"),
      id, "read trajectories", [&](const Statement& s) {
        TrajectoryRecord t;
        t.id = s.ColumnText(0);
        t.organisation_id = s.ColumnText(1);
        t.consultant_id = s.ColumnText(2);
        t.start_date = s.ColumnText(3);
        t.goal = s.ColumnSealed(4, SealContext("trajectories.goal", t.id));
        t.status = s.ColumnText(5);
        t.close_reason = s.ColumnSealed(6, SealContext("trajectories.close_reason", t.id));
        t.create_time = s.ColumnTime(7);
        t.update_time = s.ColumnTime(8);
        d.trajectories.push_back(std::move(t));
      }));
  for (TrajectoryRecord& t : d.trajectories) {
    RETURN_IF_ERROR(ForEachRow(
        c,
        "SELECT id, date, rung, note, measured_by, create_time FROM ladder_measurements"
        " WHERE trajectory_id = ?1 ORDER BY date, seq",
        t.id, "read measurements", [&](const Statement& s) {
          t.measurements.push_back(absl::StrCat(s.ColumnText(1), " rung ", s.ColumnInt(2)));
          const std::string measurement_id = s.ColumnText(0);
          std::string note =
              s.ColumnSealed(3, SealContext("ladder_measurements.note", measurement_id));
          if (!note.empty()) {
            d.notes.push_back(NoteRecord{measurement_id, "trajectory_measurement", t.id,
                                         s.ColumnText(4), t.organisation_id, "involved",
                                         std::move(note), s.ColumnTime(5)});
          }
        }));
    RETURN_IF_ERROR(ForEachRow(
        c,
        "SELECT type, status, description, id FROM trajectory_steps WHERE trajectory_id = ?1"
        " ORDER BY seq",
        t.id, "read steps", [&](const Statement& s) {
          t.steps.push_back(absl::StrCat(
              s.ColumnText(0), " ", s.ColumnText(1), ": ",
              s.ColumnSealed(2, SealContext("trajectory_steps.description", s.ColumnText(3)))));
        }));
  }
  RETURN_IF_ERROR(
      ReadNotesOf(c, "signal_notes", "signal_id", "signal", SignalsOf().c_str(), id, d.notes));
  RETURN_IF_ERROR(ReadNotesOf(c, "handover_notes", "handover_id", "handover",
                              HandoversOf().c_str(), id, d.notes));
  ASSIGN_OR_RETURN(d.rectifications, ReadRectifications(c, id));
  return d;
}

absl::Status CheckWijkExists(Connection& c, const std::string& wijk) {
  bool found = false;
  RETURN_IF_ERROR(ForEachRow(c, "SELECT 1 FROM wijken WHERE code = ?1", wijk, "check wijk",
                             [&](const Statement&) { found = true; }));
  if (!found) return absl::InvalidArgumentError("wijk: not a known wijk code");
  return absl::OkStatus();
}

// The residents whose rows `ids_sql` (a SELECT of resident_id) names.
absl::StatusOr<std::vector<std::string>> Residents(Connection& c, const std::string& sql,
                                                   absl::Time cutoff) {
  std::vector<std::string> out;
  ASSIGN_OR_RETURN(Statement st, c.Prepare(sql, "purge residents"));
  st.BindTime(1, cutoff);
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return out;
    out.push_back(st.ColumnText(0));
  }
}

absl::StatusOr<int64_t> RunCutoff(Connection& c, const std::string& sql, absl::Time cutoff,
                                  const char* what) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(sql, what));
  st.BindTime(1, cutoff);
  RETURN_IF_ERROR(st.Run());
  return c.Changes();
}

// Residents under a legal hold keep everything, under every id of the
// person (kHeldResidentIds). A row without a resident (a signal about a
// place) is never held: `NULL NOT IN (...)` is NULL, not true, so the NULL
// case is spelled out.
const std::string& NotHeld() {
  static const std::string* sql = new std::string(
      absl::StrCat(" AND (resident_id IS NULL OR resident_id NOT IN ", kHeldResidentIds, ")"));
  return *sql;
}

absl::StatusOr<PurgeResult> Purge(Connection& c, const std::string& rows,
                                  const std::vector<std::string>& dependents,
                                  const std::string& table, absl::Time cutoff) {
  PurgeResult result;
  ASSIGN_OR_RETURN(result.residents,
                   Residents(c, absl::StrCat("SELECT DISTINCT resident_id FROM ", table,
                                             " WHERE id IN ", rows,
                                             " AND resident_id IS NOT NULL ORDER BY 1"),
                             cutoff));
  for (const std::string& dependent : dependents) {
    RETURN_IF_ERROR(RunCutoff(c, absl::StrCat(dependent, rows), cutoff, "purge dependents")
                        .status());
  }
  // What professionals were told of them goes with them, and what is still
  // to be e-mailed about them is never sent.
  RETURN_IF_ERROR(RunCutoff(c,
                            absl::StrCat("DELETE FROM notification_mail WHERE notification_seq IN"
                                         " (SELECT seq FROM notifications WHERE resource_id IN ",
                                         rows, ")"),
                            cutoff, "purge notification mail")
                      .status());
  RETURN_IF_ERROR(
      RunCutoff(c, absl::StrCat("DELETE FROM notifications WHERE resource_id IN ", rows), cutoff,
                "purge notifications")
          .status());
  ASSIGN_OR_RETURN(result.records,
                   RunCutoff(c, absl::StrCat("DELETE FROM ", table, " WHERE id IN ", rows),
                             cutoff, "purge records"));
  return result;
}

}  // namespace

absl::StatusOr<ResidentData> SqlitePrivacyStore::Collect(const std::string& resident_id) {
  ResidentData d;
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(d, CollectIn(c, resident_id));
    return absl::OkStatus();
  }));
  return d;
}

absl::StatusOr<ResidentData> SqlitePrivacyStore::Rectify(
    Connection& c, const std::string& resident_id,
    const std::vector<domain::FieldChange>& changes, const Actor& actor) {
  ASSIGN_OR_RETURN(ResidentRecord r, ReadResident(c, resident_id));
  if (r.erase_time) {
    return absl::FailedPreconditionError("resident_id: this resident was erased");
  }
  const bool sealed = c.engine() == Engine::kPostgresql;
  for (const domain::FieldChange& change : changes) {
    std::string old_value;
    const char* update = nullptr;
    if (change.field == "name") {
      old_value = r.name;
      update = sealed ? "UPDATE residents SET name = ?2 WHERE id = ?1"
                      : "UPDATE residents SET name = ?2, name_key = ?3 WHERE id = ?1";
    } else if (change.field == "birth_date") {
      old_value = r.birth_date;
      update = "UPDATE residents SET birth_date = ?2 WHERE id = ?1";
    } else if (change.field == "address") {
      old_value = r.address;
      update = sealed ? "UPDATE residents SET address = ?2 WHERE id = ?1"
                      : "UPDATE residents SET address = ?2, address_key = ?3 WHERE id = ?1";
    } else if (change.field == "wijk") {
      RETURN_IF_ERROR(CheckWijkExists(c, change.new_value));
      old_value = r.wijk;
      update = "UPDATE residents SET wijk = ?2 WHERE id = ?1";
    } else {
      return absl::InvalidArgumentError(absl::StrCat(change.field, ": not a resident field"));
    }
    if (old_value == change.new_value) continue;
    ASSIGN_OR_RETURN(Statement st, c.Prepare(update, "rectify resident"));
    st.Bind(1, resident_id);
    if (change.field == "wijk") {
      st.Bind(2, change.new_value);
    } else {
      st.BindSealed(2, SealContext(absl::StrCat("residents.", change.field), resident_id),
                    change.new_value);
    }
    if (!sealed && change.field == "name") st.Bind(3, domain::NameKey(change.new_value));
    if (!sealed && change.field == "address") st.Bind(3, domain::FoldText(change.new_value));
    RETURN_IF_ERROR(st.Run());
    if (change.field == "name") r.name = change.new_value;
    if (change.field == "birth_date") r.birth_date = change.new_value;
    if (sealed && (change.field == "name" || change.field == "birth_date")) {
      // Found again by the new name or date (their blind indexes).
      ASSIGN_OR_RETURN(absl::CivilDay day, domain::ParseDate("birth_date", r.birth_date));
      RETURN_IF_ERROR(SetResidentNameKeys(c, resident_id, domain::NameKey(r.name), day));
    }
    ASSIGN_OR_RETURN(Statement h,
                     c.Prepare("INSERT INTO rectifications (resident_id, field, old_value,"
                               " new_value, professional_id, request_ref, time)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                               "record rectification"));
    const std::string row = RectificationRow(resident_id, change.field, actor.now);
    h.Bind(1, resident_id).Bind(2, change.field);
    h.BindSealed(3, SealContext("rectifications.old_value", row), old_value);
    h.BindSealed(4, SealContext("rectifications.new_value", row), change.new_value);
    h.Bind(5, actor.professional_id).Bind(6, actor.request_ref).BindTime(7, actor.now);
    RETURN_IF_ERROR(h.Run());
  }
  return CollectIn(c, resident_id);
}

absl::StatusOr<EraseResult> SqlitePrivacyStore::Erase(Connection& c,
                                                      const std::string& resident_id,
                                                      const Actor& actor) {
  EraseResult result;
  ASSIGN_OR_RETURN(ResidentRecord r, ReadResident(c, resident_id));
  if (r.legal_hold) {
    return absl::FailedPreconditionError(
        "resident_id: a legal hold is on this resident; release it before erasing");
  }
  if (r.erase_time) return absl::FailedPreconditionError("resident_id: already erased");
  const std::string& id = resident_id;

  // Open signals are withdrawn, each with its event on the timeline.
  std::vector<std::pair<std::string, std::string>> open;
  RETURN_IF_ERROR(ForEachRow(
      c,
      absl::StrCat("SELECT id, status FROM signals WHERE status IN ('open', 'in_progress')"
                   " AND resident_id IN ",
                   kPerson),
      id, "open signals", [&](const Statement& s) {
        open.emplace_back(s.ColumnText(0), s.ColumnText(1));
      }));
  for (const auto& [signal_id, status] : open) {
    ASSIGN_OR_RETURN(Statement st, c.Prepare("UPDATE signals SET status = 'withdrawn',"
                                             " update_time = ?2, version = version + 1"
                                             " WHERE id = ?1",
                                             "withdraw signal"));
    st.Bind(1, signal_id).BindTime(2, actor.now);
    RETURN_IF_ERROR(st.Run());
    SignalEvent e;
    e.kind = SignalEventKind::kStatusChanged;
    e.time = actor.now;
    e.actor_id = actor.professional_id;
    e.actor_organisation_id = actor.organisation_id;
    e.from_status = domain::ParseSignalStatus(status);
    e.to_status = domain::SignalStatus::kWithdrawn;
    RETURN_IF_ERROR(AppendSignalEvent(c, signal_id, e));
    ++result.signals_withdrawn;
  }
  // Open handovers are cancelled.
  {
    ASSIGN_OR_RETURN(Statement st,
                     c.Prepare(absl::StrCat("UPDATE handovers SET status = 'cancelled',"
                                            " update_time = ?2, version = version + 1"
                                            " WHERE status IN ('proposed', 'accepted',"
                                            " 'introduced') AND resident_id IN ",
                                            kPerson),
                               "cancel handovers"));
    st.Bind(1, id).BindTime(2, actor.now);
    RETURN_IF_ERROR(st.Run());
    result.handovers_cancelled = c.Changes();
  }
  // Active and paused trajectories are closed: retention purges only
  // closed ones, so an open trajectory of an erased resident would stay
  // forever. The status trigger records the event on its timeline.
  // The reason written here is the marker; below, the erasure of the free
  // text writes it again, sealed for each row where the engine seals.
  {
    ASSIGN_OR_RETURN(Statement st,
                     c.Prepare(absl::StrCat("UPDATE trajectories SET status = 'closed',"
                                            " close_reason = ?3, update_time = ?2,"
                                            " version = version + 1"
                                            " WHERE status IN ('active', 'paused')"
                                            " AND resident_id IN ",
                                            kPerson),
                               "close trajectories"));
    st.Bind(1, id).BindTime(2, actor.now).Bind(3, kErasedText);
    RETURN_IF_ERROR(st.Run());
    result.trajectories_closed = c.Changes();
  }
  // Free text about the resident. Structured facts (categories, statuses,
  // dates, organisations) stay: they are what the programme's figures and
  // the other parties' own records rest on, and name nobody.
  // Free text about the resident: the columns PostgreSQL keeps sealed
  // (design.md). Structured facts (categories, statuses, dates,
  // organisations) stay: they are what the programme's figures and the
  // other parties' own records rest on, and name nobody. Not the reasons of
  // break-glass sessions: the auditor's account of who broke the glass and
  // why is kept (AVG art. 17(3)(b) and (e): a legal obligation to log
  // access, NEN 7513, and the defence of legal claims), and the chain
  // commits to them (FORMAT.md).
  const SealedText sealed[] = {
      {SealedTableOf("signals"), absl::StrCat("resident_id IN ", kPerson)},
      {SealedTableOf("signal_notes"), absl::StrCat("signal_id IN ", SignalsOf())},
      {SealedTableOf("handover_notes"), absl::StrCat("handover_id IN ", HandoversOf())},
      {SealedTableOf("handovers"), absl::StrCat("resident_id IN ", kPerson)},
      {SealedTableOf("trajectories"), absl::StrCat("resident_id IN ", kPerson)},
      {SealedTableOf("ladder_measurements"), absl::StrCat("trajectory_id IN ", TrajectoriesOf())},
      {SealedTableOf("trajectory_steps"), absl::StrCat("trajectory_id IN ", TrajectoriesOf())},
  };
  for (const SealedText& t : sealed) {
    ASSIGN_OR_RETURN(int changed, EraseSealed(c, t, id));
    result.texts_erased += changed;
  }
  ASSIGN_OR_RETURN(result.rectifications_removed,
                   Change(c, absl::StrCat("DELETE FROM rectifications WHERE resident_id IN ",
                                          kPerson),
                          id, "erase rectifications"));
  // An idempotency record holds a fingerprint of its request: the name
  // for a registration, the free text for every other create. Those of
  // the person's records go (a retry after this creates anew).
  RETURN_IF_ERROR(Change(c,
                         absl::StrCat("DELETE FROM create_requests WHERE method ="
                                      " 'RegisterResident' AND resource_id IN ",
                                      kPerson),
                         id, "erase registration requests")
                      .status());
  RETURN_IF_ERROR(
      Change(c,
             absl::StrCat("DELETE FROM create_requests WHERE resource_id IN ("
                          "SELECT id FROM signals WHERE resident_id IN ", kPerson,
                          " UNION SELECT id FROM signal_notes WHERE signal_id IN ", SignalsOf(),
                          " UNION SELECT id FROM handovers WHERE resident_id IN ", kPerson,
                          " UNION SELECT id FROM handover_notes WHERE handover_id IN ",
                          HandoversOf(),
                          " UNION SELECT id FROM trajectories WHERE resident_id IN ", kPerson,
                          " UNION SELECT id FROM ladder_measurements WHERE trajectory_id IN ",
                          TrajectoriesOf(),
                          " UNION SELECT id FROM trajectory_steps WHERE trajectory_id IN ",
                          TrajectoriesOf(), ")"),
             id, "erase create requests")
          .status());
  // The notifications about the resident's records, read or not, and their
  // e-mail still to send: nobody is told of, or mailed about, an erased case.
  const std::string records = absl::StrCat(
      "(SELECT id FROM signals WHERE resident_id IN ", kPerson,
      " UNION SELECT id FROM handovers WHERE resident_id IN ", kPerson,
      " UNION SELECT id FROM trajectories WHERE resident_id IN ", kPerson, ")");
  RETURN_IF_ERROR(Change(c,
                         absl::StrCat("DELETE FROM notification_mail WHERE notification_seq IN"
                                      " (SELECT seq FROM notifications WHERE resource_id IN ",
                                      records, ")"),
                         id, "erase notification mail")
                      .status());
  RETURN_IF_ERROR(
      Change(c, absl::StrCat("DELETE FROM notifications WHERE resource_id IN ", records), id,
             "erase notifications")
          .status());
  if (c.engine() == Engine::kPostgresql) {
    // The marker sealed under each record's own context, and no index left.
    std::vector<std::string> person;
    RETURN_IF_ERROR(ForEachRow(c, absl::StrCat("SELECT id FROM residents WHERE id IN ", kPerson),
                               id, "anonymise resident",
                               [&](const Statement& s) { person.push_back(s.ColumnText(0)); }));
    ASSIGN_OR_RETURN(Statement st,
                     c.Prepare("UPDATE residents SET name = ?2, name_key = '', birth_date = '',"
                               " address = '', address_key = '', birth_index = '', erase_time = ?3"
                               " WHERE id = ?1",
                               "anonymise resident"));
    for (const std::string& record : person) {
      st.Reset();
      st.Bind(1, record).BindSealed(2, SealContext("residents.name", record), kErasedText);
      st.BindTime(3, actor.now);
      RETURN_IF_ERROR(st.Run());
    }
  } else {
    ASSIGN_OR_RETURN(Statement st,
                     c.Prepare(absl::StrCat("UPDATE residents SET name = ?2, name_key = '',"
                                            " birth_date = '', address = '', address_key = '',"
                                            " erase_time = ?3"
                                            " WHERE id IN ",
                                            kPerson),
                               "anonymise resident"));
    st.Bind(1, id).Bind(2, kErasedText).BindTime(3, actor.now);
    RETURN_IF_ERROR(st.Run());
  }
  // Old versions of the changed pages live on in the WAL until a checkpoint
  // copies the new ones into the file; TRUNCATE then empties the WAL.
  // secure_delete (set on every connection) has zeroed the freed cells.
  // Once the erasure's transaction has ended: a checkpoint blocked by a
  // reader must not turn a committed erasure into an error (the caller would
  // retry an act that happened). It stays pending and CheckpointPending (the
  // retention loop) retries it.
  c.AfterTransaction([this] {
    checkpoint_pending_ = true;
    absl::Status checkpoint = CheckpointPending();
    if (!checkpoint.ok()) {
      LogWarning(absl::StrCat("erasure ended; the WAL checkpoint will be retried: ",
                              checkpoint.ToString()));
    }
  });
  return result;
}

absl::Status SqlitePrivacyStore::CheckpointPending() {
  if (!checkpoint_pending_.exchange(false)) return absl::OkStatus();
  absl::Status s = db_->ForgetOldVersions();
  if (!s.ok()) checkpoint_pending_ = true;
  return s;
}

absl::Status SqlitePrivacyStore::SetHold(Connection& c, const std::string& resident_id,
                                         bool held, const Actor& actor) {
  ASSIGN_OR_RETURN(ResidentRecord r, ReadResident(c, resident_id));
  if (r.legal_hold == held) {
    return absl::FailedPreconditionError(held ? "resident_id: a legal hold is already on"
                                              : "resident_id: there is no legal hold to release");
  }
  if (held) {
    ASSIGN_OR_RETURN(Statement st,
                     c.Prepare("INSERT INTO legal_holds (resident_id, request_ref,"
                               " professional_id, create_time) VALUES (?1, ?2, ?3, ?4)",
                               "put legal hold"));
    st.Bind(1, resident_id).Bind(2, actor.request_ref).Bind(3, actor.professional_id);
    st.BindTime(4, actor.now);
    RETURN_IF_ERROR(st.Run());
  } else {
    RETURN_IF_ERROR(
        Change(c, absl::StrCat("DELETE FROM legal_holds WHERE resident_id IN ", kPerson),
               resident_id, "release hold")
            .status());
  }
  return absl::OkStatus();
}

absl::StatusOr<PurgeResult> SqlitePrivacyStore::PurgeSignals(Connection& c, absl::Time cutoff) {
  const std::string rows = absl::StrCat(
      "(SELECT id FROM signals WHERE status IN ('closed', 'withdrawn') AND update_time < ?1",
      NotHeld(), " AND id NOT IN (SELECT signal_id FROM handovers WHERE signal_id IS NOT NULL))");
  return Purge(c, rows,
               {"DELETE FROM signal_events WHERE signal_id IN ",
                "DELETE FROM signal_notes WHERE signal_id IN "},
               "signals", cutoff);
}

absl::StatusOr<PurgeResult> SqlitePrivacyStore::PurgeHandovers(Connection& c, absl::Time cutoff) {
  const std::string rows = absl::StrCat(
      "(SELECT id FROM handovers WHERE status IN ('completed', 'declined', 'expired',"
      " 'cancelled') AND update_time < ?1",
      NotHeld(),
      " AND id NOT IN (SELECT handover_id FROM trajectory_steps WHERE handover_id IS NOT NULL))");
  return Purge(c, rows, {"DELETE FROM handover_notes WHERE handover_id IN "}, "handovers",
               cutoff);
}

absl::StatusOr<PurgeResult> SqlitePrivacyStore::PurgeTrajectories(Connection& c, absl::Time cutoff) {
  const std::string rows = absl::StrCat(
      "(SELECT id FROM trajectories WHERE status = 'closed' AND update_time < ?1", NotHeld(), ")");
  return Purge(c, rows,
               {"DELETE FROM ladder_measurements WHERE trajectory_id IN ",
                "DELETE FROM trajectory_steps WHERE trajectory_id IN "},
               "trajectories", cutoff);
}

}  // namespace schakel::store
