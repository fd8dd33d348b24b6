#include "server/store/trajectory_store.h"

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/domain/calendar.h"

namespace schakel::store {
namespace {

using domain::Trajectory;

constexpr char kColumns[] =
    "t.seq, t.id, t.resident_id, t.consultant_id, t.organisation_id, t.start_date,"
    " t.bijstand_since, t.goal, t.status, t.close_reason, t.create_time, t.update_time,"
    " t.version, t.team";
// Six months after the last measurement, else the start date; the same rule
// as domain::NextMeasurementDue, so that the caseload sorts by what it shows.
constexpr char kDueSql[] =
    "COALESCE((SELECT date(max(m.date), '+6 months') FROM ladder_measurements m"
    " WHERE m.trajectory_id = t.id), t.start_date)";

constexpr char kInsert[] =
    "INSERT INTO trajectories (id, resident_id, consultant_id, organisation_id, start_date,"
    " bijstand_since, goal, status, close_reason, create_time, update_time, version, team)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NULL, ?9, ?9, 1, ?10)";
constexpr char kUpdate[] =
    "UPDATE trajectories SET consultant_id = ?2, status = ?3, close_reason = ?4,"
    " update_time = ?5, version = ?6 WHERE id = ?1 AND version = ?7";
constexpr char kTouch[] =
    "UPDATE trajectories SET update_time = ?2, version = version + 1 WHERE id = ?1";
constexpr char kSelectMeasurements[] =
    "SELECT id, date, rung, note, measured_by, create_time FROM ladder_measurements"
    " WHERE trajectory_id = ?1 ORDER BY date, seq";
constexpr char kInsertMeasurement[] =
    "INSERT INTO ladder_measurements (id, trajectory_id, date, rung, note, measured_by,"
    " create_time) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
constexpr char kStepColumns[] =
    "s.id, s.type, s.description, s.status, s.planned_date, s.start_date, s.end_date,"
    " s.handover_id, s.create_time, h.status, h.outcome, h.to_org, h.to_team";
constexpr char kInsertStep[] =
    "INSERT INTO trajectory_steps (id, trajectory_id, type, description, status, planned_date,"
    " start_date, end_date, handover_id, create_time, update_time) VALUES (?1, ?2, ?3, ?4, ?5,"
    " ?6, NULL, NULL, ?7, ?8, ?8)";
constexpr char kUpdateStep[] =
    "UPDATE trajectory_steps SET status = ?3, start_date = COALESCE(?4, start_date),"
    " end_date = COALESCE(?5, end_date), update_time = ?6 WHERE trajectory_id = ?1 AND id = ?2";
// The statuses are the access module's (the list predicate counts the same).
const std::string& SelectAccepted() {
  static const std::string* sql = new std::string(
      absl::StrCat("SELECT DISTINCT to_org, to_team FROM handovers WHERE resident_id = ?1"
                   " AND status IN ", auth::AcceptedHandoverStatusesSql(),
                   " ORDER BY to_org, to_team"));
  return *sql;
}
constexpr char kSelectReferral[] =
    "SELECT from_org, from_team, resident_id FROM handovers WHERE id = ?1";
constexpr char kSelectOpenOf[] =
    "SELECT id, resident_id, team FROM trajectories WHERE organisation_id = ?1"
    " AND consultant_id = ?2 AND status <> 'closed' ORDER BY seq";
constexpr char kTransferOne[] =
    "UPDATE trajectories SET consultant_id = ?2, update_time = ?3, version = version + 1"
    " WHERE id = ?1";

Trajectory FromRow(const Statement& st) {
  Trajectory t;
  t.id = st.ColumnText(1);
  t.resident_id = st.ColumnText(2);
  t.consultant_id = st.ColumnText(3);
  t.organisation_id = st.ColumnText(4);
  if (auto d = domain::ParseDate("start_date", st.ColumnText(5)); d.ok()) t.start_date = *d;
  t.bijstand_since = st.ColumnText(6);
  t.goal = st.ColumnSealed(7, SealContext("trajectories.goal", t.id));
  // An unknown status is read as closed: nothing can change it.
  t.status = domain::ParseTrajectoryStatus(st.ColumnText(8)).value_or(domain::TrajectoryStatus::kClosed);
  t.close_reason = st.ColumnSealed(9, SealContext("trajectories.close_reason", t.id));
  t.create_time = st.ColumnTime(10);
  t.update_time = st.ColumnTime(11);
  t.version = st.ColumnInt(12);
  t.team = st.ColumnText(13);
  return t;
}

StepDetail StepFromRow(const Statement& st) {
  StepDetail d;
  d.step.id = st.ColumnText(0);
  d.step.type = domain::ParseStepType(st.ColumnText(1)).value_or(domain::StepType::kOther);
  d.step.description = st.ColumnSealed(2, SealContext("trajectory_steps.description", d.step.id));
  d.step.status = domain::ParseStepStatus(st.ColumnText(3)).value_or(domain::StepStatus::kStopped);
  d.step.planned_date = st.ColumnText(4);
  d.step.start_date = st.ColumnText(5);
  d.step.end_date = st.ColumnText(6);
  d.step.handover_id = st.ColumnText(7);
  d.step.create_time = st.ColumnTime(8);
  if (!st.ColumnIsNull(9)) d.handover_status = domain::ParseHandoverStatus(st.ColumnText(9));
  if (!st.ColumnIsNull(10)) d.handover_outcome = domain::ParseOutcome(st.ColumnText(10));
  d.handover_to_organisation = st.ColumnText(11);
  d.handover_to_team = st.ColumnText(12);
  return d;
}

// Measurements, steps and summary readers of one trajectory.
// The ladder's history: measurements and steps.
absl::Status FillHistory(Connection& c, TrajectoryDetail& d) {
  const std::string& id = d.trajectory.id;
  {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectMeasurements, "read measurements"));
    st.Bind(1, id);
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      domain::Measurement m;
      m.id = st.ColumnText(0);
      if (auto day = domain::ParseDate("date", st.ColumnText(1)); day.ok()) m.date = *day;
      m.rung = static_cast<int>(st.ColumnInt(2));
      m.note = st.ColumnSealed(3, SealContext("ladder_measurements.note", m.id));
      m.measured_by = st.ColumnText(4);
      m.create_time = st.ColumnTime(5);
      d.measurements.push_back(std::move(m));
    }
  }
  {
    ASSIGN_OR_RETURN(Statement st,
                     c.Prepare(absl::StrCat("SELECT ", kStepColumns,
                                            " FROM trajectory_steps s LEFT JOIN handovers h ON"
                                            " h.id = s.handover_id WHERE s.trajectory_id = ?1"
                                            " ORDER BY s.seq"),
                               "read steps"));
    st.Bind(1, id);
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      d.steps.push_back(StepFromRow(st));
    }
  }
  return absl::OkStatus();
}

// What the policy decides on besides the row: who holds an accepted
// handover for the resident.
absl::Status FillAccess(Connection& c, TrajectoryDetail& d) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(SelectAccepted(), "read accepted handovers"));
  st.Bind(1, d.trajectory.resident_id);
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    d.accepted_handover_teams.push_back({st.ColumnText(0), st.ColumnText(1)});
  }
  return absl::OkStatus();
}

absl::Status FillDetail(Connection& c, TrajectoryDetail& d) {
  RETURN_IF_ERROR(FillAccess(c, d));
  return FillHistory(c, d);
}

absl::Status Touch(Connection& c, const std::string& id, absl::Time now) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kTouch, "touch trajectory"));
  st.Bind(1, id).BindTime(2, now);
  return st.Run();
}

absl::StatusOr<StepDetail> ReadStep(Connection& c, const std::string& trajectory_id,
                                    const std::string& step_id) {
  ASSIGN_OR_RETURN(Statement st,
                   c.Prepare(absl::StrCat("SELECT ", kStepColumns,
                                          " FROM trajectory_steps s LEFT JOIN handovers h ON"
                                          " h.id = s.handover_id WHERE s.trajectory_id = ?1"
                                          " AND s.id = ?2"),
                             "read step"));
  st.Bind(1, trajectory_id).Bind(2, step_id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return absl::NotFoundError(absl::StrCat("step_id: no step ", step_id));
  return StepFromRow(st);
}

}  // namespace

absl::StatusOr<CaseloadPage> SqliteTrajectoryStore::ListCaseload(const CaseloadQuery& q) {
  std::string sql = absl::StrCat(
      "SELECT ", kColumns, ", ", kDueSql, " AS due FROM trajectories t"
      " WHERE ", auth::CaseloadSql(auth::Sqlite(), "t"),
      " AND (:consultant = '' OR t.consultant_id = :consultant)"
      " AND (:closed = 1 OR t.status <> 'closed')"
      " AND (:after_due = '' OR (", kDueSql, ", t.seq) > (:after_due, :after_seq))"
      " ORDER BY due, t.seq LIMIT :limit");
  CaseloadPage page;
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(sql, "list caseload"));
    BindScope(st, q.scope);
    st.BindName(":consultant", q.consultant_id);
    st.BindName(":closed", static_cast<int64_t>(q.include_closed ? 1 : 0));
    st.BindName(":after_due", q.after_due).BindName(":after_seq", q.after_seq);
    st.BindName(":limit", static_cast<int64_t>(q.limit) + 1);
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      if (static_cast<int>(page.trajectories.size()) == q.limit) {
        page.more = true;
        break;
      }
      TrajectoryDetail d;
      d.trajectory = FromRow(st);
      page.last_seq = st.ColumnInt(0);
      page.last_due = st.ColumnText(14);
      page.trajectories.push_back(std::move(d));
    }
    for (TrajectoryDetail& d : page.trajectories) RETURN_IF_ERROR(FillDetail(c, d));
    return absl::OkStatus();
  }));
  return page;
}

absl::StatusOr<std::vector<TrajectoryDetail>> SqliteTrajectoryStore::ListOfResident(
    const ResidentTrajectoriesQuery& q) {
  static const std::string* sql = new std::string(absl::StrCat(
      "SELECT ", kColumns, " FROM trajectories t WHERE t.resident_id = :resident AND ",
      auth::TrajectoryReadableSql(auth::Sqlite(), "t"),
      " AND (:closed = 1 OR t.status <> 'closed')"
      " ORDER BY t.start_date DESC, t.seq DESC LIMIT :limit"));
  std::vector<TrajectoryDetail> out;
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    out.clear();
    ASSIGN_OR_RETURN(Statement st, c.Prepare(*sql, "list resident trajectories"));
    BindScope(st, q.scope);
    st.BindName(":resident", q.resident_id);
    st.BindName(":closed", static_cast<int64_t>(q.include_closed ? 1 : 0));
    st.BindName(":limit", static_cast<int64_t>(q.limit));
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      TrajectoryDetail d;
      d.trajectory = FromRow(st);
      out.push_back(std::move(d));
    }
    for (TrajectoryDetail& d : out) RETURN_IF_ERROR(FillDetail(c, d));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::optional<TrajectoryDetail>> SqliteTrajectoryStore::FindFrame(
    Connection& c, const std::string& id) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(absl::StrCat("SELECT ", kColumns,
                                                        " FROM trajectories t WHERE t.id = ?1"),
                                           "read trajectory"));
  st.Bind(1, id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<TrajectoryDetail>();
  TrajectoryDetail d;
  d.trajectory = FromRow(st);
  RETURN_IF_ERROR(FillAccess(c, d));
  return std::optional<TrajectoryDetail>(std::move(d));
}

absl::Status SqliteTrajectoryStore::LoadHistory(Connection& c, TrajectoryDetail& d) {
  d.measurements.clear();
  d.steps.clear();
  return FillHistory(c, d);
}

absl::Status SqliteTrajectoryStore::Insert(Connection& c, const Trajectory& t) {
  return InsertTrajectoryRow(c, t);
}

absl::Status InsertTrajectoryRow(Connection& c, const Trajectory& t) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kInsert, "insert trajectory"));
  st.Bind(1, t.id).Bind(2, t.resident_id).Bind(3, t.consultant_id).Bind(4, t.organisation_id);
  st.Bind(5, domain::FormatDate(t.start_date));
  st.BindOrNull(6, t.bijstand_since);
  st.BindSealed(7, SealContext("trajectories.goal", t.id), t.goal);
  st.Bind(8, domain::TrajectoryStatusName(t.status)).BindTime(9, t.create_time);
  st.Bind(10, t.team);
  return st.Run();
}

absl::Status SqliteTrajectoryStore::Replace(Connection& c, const Trajectory& next,
                                            int64_t old_version) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kUpdate, "update trajectory"));
  st.Bind(1, next.id).Bind(2, next.consultant_id);
  st.Bind(3, domain::TrajectoryStatusName(next.status));
  st.BindSealedOrNull(4, SealContext("trajectories.close_reason", next.id), next.close_reason);
  st.BindTime(5, next.update_time).Bind(6, next.version).Bind(7, old_version);
  RETURN_IF_ERROR(st.Run());
  if (c.Changes() != 1) return absl::AbortedError("the trajectory changed; read it again");
  return absl::OkStatus();
}

absl::Status SqliteTrajectoryStore::InsertMeasurement(Connection& c,
                                                      const std::string& trajectory_id,
                                                      const domain::Measurement& m) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kInsertMeasurement, "insert measurement"));
  st.Bind(1, m.id).Bind(2, trajectory_id).Bind(3, domain::FormatDate(m.date));
  st.Bind(4, static_cast<int64_t>(m.rung));
  st.BindSealed(5, SealContext("ladder_measurements.note", m.id), m.note).Bind(6, m.measured_by);
  st.BindTime(7, m.create_time);
  RETURN_IF_ERROR(st.Run());
  return Touch(c, trajectory_id, m.create_time);
}

absl::Status SqliteTrajectoryStore::InsertStep(Connection& c, const std::string& trajectory_id,
                                               const domain::Step& step) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kInsertStep, "insert step"));
  st.Bind(1, step.id).Bind(2, trajectory_id).Bind(3, domain::StepTypeName(step.type));
  st.BindSealed(4, SealContext("trajectory_steps.description", step.id), step.description);
  st.Bind(5, domain::StepStatusName(step.status));
  st.BindOrNull(6, step.planned_date);
  st.BindOrNull(7, step.handover_id);
  st.BindTime(8, step.create_time);
  RETURN_IF_ERROR(st.Run());
  return Touch(c, trajectory_id, step.create_time);
}

absl::StatusOr<StepDetail> SqliteTrajectoryStore::FindStep(Connection& c,
                                                           const std::string& trajectory_id,
                                                           const std::string& step_id) {
  return ReadStep(c, trajectory_id, step_id);
}

absl::Status SqliteTrajectoryStore::UpdateStep(Connection& c, const std::string& trajectory_id,
                                               const domain::Step& update) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kUpdateStep, "update step"));
  st.Bind(1, trajectory_id).Bind(2, update.id).Bind(3, domain::StepStatusName(update.status));
  st.BindOrNull(4, update.start_date);
  st.BindOrNull(5, update.end_date);
  st.BindTime(6, update.create_time);
  RETURN_IF_ERROR(st.Run());
  return Touch(c, trajectory_id, update.create_time);
}

absl::StatusOr<std::optional<Referral>> SqliteTrajectoryStore::ReferralOf(
    Connection& c, const std::string& handover_id) {
  ASSIGN_OR_RETURN(Statement h, c.Prepare(kSelectReferral, "check referral"));
  h.Bind(1, handover_id);
  ASSIGN_OR_RETURN(bool row, h.Step());
  if (!row) return std::optional<Referral>();
  return std::optional<Referral>(Referral{{h.ColumnText(0), h.ColumnText(1)}, h.ColumnText(2)});
}

absl::StatusOr<std::vector<OpenTrajectory>> SqliteTrajectoryStore::OpenTrajectoriesOf(
    Connection& c, const std::string& organisation, const std::string& consultant) {
  std::vector<OpenTrajectory> out;
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectOpenOf, "list transfer"));
  st.Bind(1, organisation).Bind(2, consultant);
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(OpenTrajectory{st.ColumnText(0), st.ColumnText(1), st.ColumnText(2)});
  }
  return out;
}

absl::Status SqliteTrajectoryStore::Reassign(Connection& c, const std::string& id,
                                             const std::string& to, absl::Time now) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kTransferOne, "transfer trajectory"));
  st.Bind(1, id).Bind(2, to).BindTime(3, now);
  return st.Run();
}

absl::StatusOr<std::vector<std::pair<Trajectory, std::string>>>
SqliteTrajectoryStore::ListMeasurementDue(absl::CivilDay until, int limit) {
  static const std::string* sql = new std::string(absl::StrCat(
      "SELECT ", kColumns, ", ", kDueSql, " AS due FROM trajectories t"
      " JOIN professionals p ON p.id = t.consultant_id AND p.disabled = 0"
      " WHERE t.status = 'active' AND ", kDueSql, " <= :until"
      " AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.resource_id = t.id"
      " AND n.kind = 'measurement_due' AND n.due_date = ", kDueSql, ")"
      " ORDER BY due, t.seq LIMIT :limit"));
  std::vector<std::pair<Trajectory, std::string>> out;
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(*sql, "list measurement due"));
    st.BindName(":until", domain::FormatDate(until));
    st.BindName(":limit", static_cast<int64_t>(limit));
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      out.emplace_back(FromRow(st), st.ColumnText(14));
    }
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace schakel::store
