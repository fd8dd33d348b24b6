#include "server/store/routing_store.h"

#include <any>

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/store/scope_binding.h"

namespace schakel::store {
namespace {

constexpr char kColumns[] =
    "id, position, version, category, opgave, wijk, owner_org, owner_team, created_by,"
    " create_time, update_time, remove_time";
const std::string& SelectActive() {
  static const std::string* sql = new std::string(absl::StrCat(
      "SELECT ", kColumns,
      " FROM routing_rules WHERE remove_time IS NULL ORDER BY position"));
  return *sql;
}
const std::string& SelectRemoved() {
  static const std::string* sql = new std::string(absl::StrCat(
      "SELECT ", kColumns,
      " FROM routing_rules WHERE remove_time IS NOT NULL ORDER BY remove_time DESC, id"));
  return *sql;
}
const std::string& SelectOne() {
  static const std::string* sql =
      new std::string(absl::StrCat("SELECT ", kColumns, " FROM routing_rules WHERE id = ?1"));
  return *sql;
}
constexpr char kInsert[] =
    "INSERT INTO routing_rules (id, position, version, category, opgave, wijk, owner_org,"
    " owner_team, created_by, create_time, update_time) VALUES (:id, :position, :version,"
    " :category, :opgave, :wijk, :owner_org, :owner_team, :created_by, :create_time,"
    " :update_time)";
constexpr char kUpdate[] =
    "UPDATE routing_rules SET position = :position, version = :version,"
    " update_time = :update_time, remove_time = :remove_time"
    " WHERE id = :id AND version = :old_version";
constexpr char kInsertVersion[] =
    "INSERT INTO routing_rule_versions (rule_id, version, position, actor_id, time)"
    " VALUES (:rule_id, :version, :position, :actor_id, :time)";

// The signals a dry run tries a rule on: created since :since with no
// owner from their author (the created event names none; a routed signal's
// owner came from the rule's assignment after it), never a justice one.
// Readable by the access module's own predicate, so the ids answered are
// exactly those the caller could open.
const std::string& SelectRoutable() {
  static const std::string* sql = new std::string(absl::StrCat(
      "SELECT s.id, s.category, s.opgave, s.wijk, CASE WHEN ",
      auth::SignalVisibleSql(auth::Sqlite(), "s"),
      " THEN 1 ELSE 0 END FROM signals s WHERE s.create_time >= :since"
      " AND s.sensitivity <> 'justice'"
      " AND EXISTS (SELECT 1 FROM signal_events e WHERE e.signal_id = s.id"
      " AND e.kind = 'created' AND e.owner_org IS NULL)"
      " ORDER BY s.seq DESC"));
  return *sql;
}

domain::RoutingRule FromRow(const Statement& st) {
  domain::RoutingRule r;
  r.id = st.ColumnText(0);
  r.position = static_cast<int>(st.ColumnInt(1));
  r.version = st.ColumnInt(2);
  r.criteria.category = st.ColumnText(3);
  r.criteria.opgave = st.ColumnText(4);
  r.criteria.wijk = st.ColumnText(5);
  r.owner_organisation_id = st.ColumnText(6);
  r.owner_team = st.ColumnText(7);
  r.created_by = st.ColumnText(8);
  r.create_time = st.ColumnTime(9);
  r.update_time = st.ColumnTime(10);
  if (!st.ColumnIsNull(11)) r.remove_time = st.ColumnTime(11);
  return r;
}

absl::StatusOr<std::vector<domain::RoutingRule>> ReadRules(Connection& c, const std::string& sql,
                                                           const char* what) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(sql, what));
  std::vector<domain::RoutingRule> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(FromRow(st));
  }
  return out;
}

absl::Status InsertVersion(Connection& c, const domain::RoutingRule& r,
                           const std::string& actor_id) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kInsertVersion, "insert routing rule version"));
  st.BindName(":rule_id", r.id).BindName(":version", r.version);
  st.BindName(":position", static_cast<int64_t>(r.position)).BindName(":actor_id", actor_id);
  st.BindName(":time", absl::ToUnixMicros(r.update_time));
  return st.Run();
}

}  // namespace

// Every new signal is routed by them: a write transaction reads them once
// (Connection::TransactionMemo), and a change of a rule forgets them.
namespace {
constexpr char kActiveMemo[] = "routing.active";

void ForgetActive(Connection& c) {
  if (std::any* memo = c.TransactionMemo(kActiveMemo); memo != nullptr) memo->reset();
}
}  // namespace

absl::StatusOr<std::vector<domain::RoutingRule>> SqliteRoutingStore::ListActive(Connection& c) {
  std::any* memo = c.TransactionMemo(kActiveMemo);
  if (memo != nullptr && memo->has_value()) {
    return std::any_cast<const std::vector<domain::RoutingRule>&>(*memo);
  }
  ASSIGN_OR_RETURN(std::vector<domain::RoutingRule> rules,
                   ReadRules(c, SelectActive(), "list routing rules"));
  if (memo != nullptr) *memo = rules;
  return rules;
}

absl::StatusOr<std::vector<domain::RoutingRule>> SqliteRoutingStore::ListRemoved(Connection& c) {
  return ReadRules(c, SelectRemoved(), "list removed routing rules");
}

absl::StatusOr<std::optional<domain::RoutingRule>> SqliteRoutingStore::Find(
    Connection& c, const std::string& id) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(SelectOne(), "read routing rule"));
  st.Bind(1, id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<domain::RoutingRule>();
  return std::optional<domain::RoutingRule>(FromRow(st));
}

absl::Status SqliteRoutingStore::Insert(Connection& c, const domain::RoutingRule& r,
                                        const std::string& actor_id) {
  ForgetActive(c);
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kInsert, "insert routing rule"));
  st.BindName(":id", r.id).BindName(":position", static_cast<int64_t>(r.position));
  st.BindName(":version", r.version).BindName(":category", r.criteria.category);
  st.BindName(":opgave", r.criteria.opgave).BindName(":wijk", r.criteria.wijk);
  st.BindName(":owner_org", r.owner_organisation_id).BindName(":owner_team", r.owner_team);
  st.BindName(":created_by", r.created_by);
  st.BindName(":create_time", absl::ToUnixMicros(r.create_time));
  st.BindName(":update_time", absl::ToUnixMicros(r.update_time));
  RETURN_IF_ERROR(st.Run());
  return InsertVersion(c, r, actor_id);
}

absl::Status SqliteRoutingStore::Replace(Connection& c, const domain::RoutingRule& next,
                                         int64_t old_version, const std::string& actor_id) {
  ForgetActive(c);
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kUpdate, "update routing rule"));
  st.BindName(":id", next.id).BindName(":position", static_cast<int64_t>(next.position));
  st.BindName(":version", next.version).BindName(":old_version", old_version);
  st.BindName(":update_time", absl::ToUnixMicros(next.update_time));
  if (next.remove_time) {
    st.BindName(":remove_time", absl::ToUnixMicros(*next.remove_time));
  } else {
    st.BindNameOrNull(":remove_time", "");
  }
  RETURN_IF_ERROR(st.Run());
  if (c.Changes() != 1) return absl::AbortedError("etag: the routing rule changed; read it again");
  return InsertVersion(c, next, actor_id);
}

absl::StatusOr<std::vector<domain::RoutableSignal>> SqliteRoutingStore::SignalsCreatedUnowned(
    Connection& c, absl::Time since, const auth::ListScope& scope) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(SelectRoutable(), "read routable signals"));
  BindScope(st, scope);
  st.BindName(":since", absl::ToUnixMicros(since));
  std::vector<domain::RoutableSignal> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    domain::RoutableSignal s;
    s.id = st.ColumnText(0);
    s.category = st.ColumnText(1);
    s.opgave = st.ColumnText(2);
    s.wijk = st.ColumnText(3);
    s.readable = st.ColumnInt(4) != 0;
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace schakel::store
