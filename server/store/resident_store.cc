#include "server/store/resident_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/domain/calendar.h"
#include "server/domain/name_key.h"

namespace schakel::store {
namespace {

constexpr char kColumns[] = "r.id, r.name, r.birth_date, r.address, r.wijk, r.create_time";

const std::string& SelectVisibleById() {
  static const std::string* sql = new std::string(absl::StrCat(
      "SELECT ", kColumns, ", r.merged_into FROM residents r WHERE r.id = :id AND (",
      "r.merged_into IS NOT NULL OR ", auth::ResidentVisibleSql(auth::Sqlite(), "r"), ")"));
  return *sql;
}
// With a birth date the equality narrows by residents_by_birth_date
// (SQLite 3.15 uses no index for "(:d = '' OR r.birth_date = :d)"), so the
// two searches are two statements.
const std::string& SearchSql(bool by_birth_date) {
  auto make = [](bool birth) {
    return new std::string(absl::StrCat(
        "SELECT ", kColumns, ", r.name_key FROM residents r WHERE ",
        birth ? "r.birth_date = :birth_date AND " : "",
        "(:address = '' OR r.address_key LIKE :address ESCAPE '\\')"
        " AND r.merged_into IS NULL AND r.erase_time IS NULL AND ",
        auth::ResidentVisibleSql(auth::Sqlite(), "r"), " ORDER BY r.name_key, r.id"));
  };
  static const std::string* with_birth_date = make(true);
  static const std::string* by_address = make(false);
  return by_birth_date ? *with_birth_date : *by_address;
}
// The residents with a name key and birth date. On PostgreSQL the name
// and birth date are sealed: the match goes by their blind indexes
// (ResidentIndexes).
const std::string& SelectMatches(bool by_index) {
  auto make = [](const char* birth) {
    return new std::string(absl::StrCat(
        "SELECT ", kColumns, ", ", auth::ResidentVisibleSql(auth::Sqlite(), "r"),
        " FROM residents r WHERE r.name_key = :name_key AND ", birth,
        " AND r.merged_into IS NULL ORDER BY r.create_time, r.id"));
  };
  static const std::string* by_date = make("r.birth_date = :birth_date");
  static const std::string* by_birth_index = make("r.birth_index = :birth_index");
  return by_index ? *by_birth_index : *by_date;
}
// ... and a search by the birth date's index; the name and the address are
// matched here after opening them.
const std::string& SearchByBirthIndexSql() {
  static const std::string* sql = new std::string(absl::StrCat(
      "SELECT ", kColumns, " FROM residents r WHERE r.birth_index = :birth_index"
      " AND r.merged_into IS NULL AND r.erase_time IS NULL AND ",
      auth::ResidentVisibleSql(auth::Sqlite(), "r")));
  return *sql;
}
constexpr char kInsertResidentSealed[] =
    "INSERT INTO residents (id, name, name_key, birth_date, address, wijk, create_time,"
    " duplicate_of, address_key, birth_index) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, '', ?9)";
constexpr char kSelectById[] =
    "SELECT r.id, r.name, r.birth_date, r.address, r.wijk, r.create_time FROM residents r "
    "WHERE r.id = ?1 AND r.merged_into IS NULL";
constexpr char kInsertResident[] =
    "INSERT INTO residents (id, name, name_key, birth_date, address, wijk, create_time,"
    " duplicate_of, address_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
constexpr char kInsertRegistration[] =
    "INSERT OR IGNORE INTO resident_registrations (resident_id, organisation_id, professional_id,"
    " create_time, team) VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr char kSelectDuplicates[] =
    "SELECT r.id, r.name, r.birth_date, r.address, r.wijk, r.create_time,"
    "       d.id, d.name, d.birth_date, d.address, d.wijk, d.create_time "
    "FROM residents r JOIN residents d ON d.id = r.duplicate_of "
    "WHERE r.merged_into IS NULL AND d.merged_into IS NULL ORDER BY r.create_time, r.id";
constexpr const char* kMergeStatements[] = {
    "UPDATE signals SET resident_id = :keep WHERE resident_id = :merge",
    "UPDATE handovers SET resident_id = :keep WHERE resident_id = :merge",
    ("INSERT OR IGNORE INTO resident_registrations (resident_id, organisation_id, professional_id,"
     " create_time, team) SELECT :keep, organisation_id, professional_id, create_time, team"
     " FROM resident_registrations WHERE resident_id = :merge"),
    "DELETE FROM resident_registrations WHERE resident_id = :merge",
    "UPDATE residents SET duplicate_of = NULL WHERE duplicate_of = :merge AND id = :keep",
    "UPDATE residents SET duplicate_of = :keep WHERE duplicate_of = :merge",
    ("UPDATE residents SET duplicate_of = NULL WHERE id = :keep AND duplicate_of IS NOT NULL"
     " AND NOT EXISTS (SELECT 1 FROM residents k WHERE k.id = residents.duplicate_of"
     " AND k.merged_into IS NULL)"),
    // The retired record keeps no personal data: only the pointer remains,
    // so that ids handed out earlier still lead to the person.
    ("UPDATE residents SET merged_into = :keep, duplicate_of = NULL, name = '', name_key = '',"
     " address = '', address_key = '' WHERE id = :merge"),
};

domain::Resident FromRow(const Statement& st, int first = 0) {
  domain::Resident r;
  r.id = st.ColumnText(first);
  r.name = st.ColumnSealed(first + 1, SealContext("residents.name", r.id));
  auto day = domain::ParseDate("birth_date",
                               st.ColumnSealed(first + 2, SealContext("residents.birth_date", r.id)));
  if (day.ok()) r.birth_date = *day;
  r.address = st.ColumnSealed(first + 3, SealContext("residents.address", r.id));
  r.wijk = st.ColumnText(first + 4);
  r.create_time = st.ColumnTime(first + 5);
  return r;
}

absl::StatusOr<std::optional<domain::Resident>> ReadById(Connection& c, const std::string& id) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectById, "read resident"));
  st.Bind(1, id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<domain::Resident>();
  return std::optional<domain::Resident>(FromRow(st));
}

// The visible resident `id`, following one merge.
absl::StatusOr<std::optional<domain::Resident>> ReadVisible(Connection& c, const std::string& id,
                                                            const auth::ListScope& scope, int hops = 0) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(SelectVisibleById(), "read resident"));
  st.BindName(":id", id);
  BindScope(st, scope);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<domain::Resident>();
  std::string merged_into = st.ColumnText(6);
  if (merged_into.empty()) return std::optional<domain::Resident>(FromRow(st));
  if (hops > 8) return std::optional<domain::Resident>();
  return ReadVisible(c, merged_into, scope, hops + 1);
}

// The blind indexes a resident is found by where names and birth dates
// are sealed: (folded name, birth date) for the duplicate check, the birth
// date alone for a search.
struct ResidentIndexes {
  std::string name;
  std::string birth;
};

absl::StatusOr<ResidentIndexes> IndexesOf(Connection& c, const std::string& name_key,
                                          absl::CivilDay birth_date) {
  const std::string day = domain::FormatDate(birth_date);
  ResidentIndexes out;
  ASSIGN_OR_RETURN(out.name, c.BlindIndex("resident.name", absl::StrCat(name_key, "\n", day)));
  ASSIGN_OR_RETURN(out.birth, c.BlindIndex("resident.birth", day));
  return out;
}

}  // namespace

absl::Status InsertResidentRow(Connection& c, const domain::Resident& res,
                               const std::string& name_key, const std::string& duplicate_of) {
  if (c.engine() == Engine::kPostgresql) {
    ASSIGN_OR_RETURN(ResidentIndexes keys, IndexesOf(c, name_key, res.birth_date));
    ASSIGN_OR_RETURN(Statement ins, c.Prepare(kInsertResidentSealed, "insert resident"));
    ins.Bind(1, res.id).BindSealed(2, SealContext("residents.name", res.id), res.name);
    ins.Bind(3, keys.name);
    ins.BindSealed(4, SealContext("residents.birth_date", res.id),
                   domain::FormatDate(res.birth_date));
    ins.BindSealed(5, SealContext("residents.address", res.id), res.address).Bind(6, res.wijk);
    ins.BindTime(7, res.create_time).BindOrNull(8, duplicate_of).Bind(9, keys.birth);
    return ins.Run();
  }
  ASSIGN_OR_RETURN(Statement ins, c.Prepare(kInsertResident, "insert resident"));
  ins.Bind(1, res.id).Bind(2, res.name).Bind(3, name_key);
  ins.Bind(4, domain::FormatDate(res.birth_date)).Bind(5, res.address).Bind(6, res.wijk);
  ins.BindTime(7, res.create_time).BindOrNull(8, duplicate_of);
  ins.Bind(9, domain::FoldText(res.address));
  return ins.Run();
}

absl::Status SetResidentNameKeys(Connection& c, const std::string& id, const std::string& name_key,
                                 absl::CivilDay birth_date) {
  if (c.engine() != Engine::kPostgresql) {
    ASSIGN_OR_RETURN(Statement st,
                     c.Prepare("UPDATE residents SET name_key = ?2 WHERE id = ?1", "update name key"));
    st.Bind(1, id).Bind(2, name_key);
    return st.Run();
  }
  ASSIGN_OR_RETURN(ResidentIndexes keys, IndexesOf(c, name_key, birth_date));
  ASSIGN_OR_RETURN(Statement st,
                   c.Prepare("UPDATE residents SET name_key = ?2, birth_index = ?3 WHERE id = ?1",
                             "update name key"));
  st.Bind(1, id).Bind(2, keys.name).Bind(3, keys.birth);
  return st.Run();
}

absl::Status CheckResidentVisible(Connection& c, const std::string& field, const std::string& id,
                                  const auth::ListScope& scope) {
  ASSIGN_OR_RETURN(auto found, ReadVisible(c, id, scope));
  if (!found || found->id != id) {
    return absl::NotFoundError(absl::StrCat(field, ": no resident ", id));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<domain::Resident>> SqliteResidentStore::Find(
    Connection& c, const std::string& id, const auth::ListScope& scope) {
  return ReadVisible(c, id, scope);
}

absl::StatusOr<RegistrationMatches> SqliteResidentStore::Matches(Connection& c,
                                                                const std::string& name_key,
                                                                absl::CivilDay birth_date,
                                                                const auth::ListScope& scope) {
  RegistrationMatches out;
  const bool indexed = c.engine() == Engine::kPostgresql;
  ASSIGN_OR_RETURN(Statement st, c.Prepare(SelectMatches(indexed), "match residents"));
  if (indexed) {
    ASSIGN_OR_RETURN(ResidentIndexes keys, IndexesOf(c, name_key, birth_date));
    st.BindName(":name_key", keys.name).BindName(":birth_index", keys.birth);
  } else {
    st.BindName(":name_key", name_key);
    st.BindName(":birth_date", domain::FormatDate(birth_date));
  }
  BindScope(st, scope);
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    if (out.first_id.empty()) out.first_id = st.ColumnText(0);
    if (st.ColumnInt(6) != 0) out.visible.push_back(FromRow(st));
  }
  return out;
}

absl::Status SqliteResidentStore::Insert(Connection& c, const domain::Resident& res,
                                         const std::string& name_key,
                                         const std::string& duplicate_of,
                                         const domain::TeamRef& registering_team,
                                         const std::string& professional_id) {
  RETURN_IF_ERROR(InsertResidentRow(c, res, name_key, duplicate_of));
  ASSIGN_OR_RETURN(Statement reg, c.Prepare(kInsertRegistration, "insert registration"));
  reg.Bind(1, res.id).Bind(2, registering_team.organisation_id).Bind(3, professional_id);
  reg.BindTime(4, res.create_time).Bind(5, registering_team.team);
  return reg.Run();
}

absl::StatusOr<domain::Resident> SqliteResidentStore::Get(const std::string& id,
                                                          const auth::ListScope& scope) {
  std::optional<domain::Resident> found;
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(found, ReadVisible(c, id, scope));
    return absl::OkStatus();
  }));
  if (!found) return absl::NotFoundError(absl::StrCat("resident ", id, " not found"));
  return *std::move(found);
}

absl::StatusOr<std::vector<domain::Resident>> SqliteResidentStore::Search(
    const domain::ResidentSearch& search, const auth::ListScope& scope, int limit) {
  // The birth date narrows by its index (residents_by_birth_date); a part
  // of the address is a LIKE over the folded addresses of the residents the
  // scope may read. The visibility predicate is in the WHERE clause: rows
  // the caller may not read are never returned to this process.
  std::string like;
  for (char ch : search.address_key) {
    if (ch == '%' || ch == '_' || ch == '\\') like.push_back('\\');
    like.push_back(ch);
  }
  std::vector<domain::Resident> out;
  if (db_->engine() == Engine::kPostgresql) return SearchSealed(search, scope, limit);
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    const bool by_birth_date = !search.birth_date.empty();
    ASSIGN_OR_RETURN(Statement st, c.Prepare(SearchSql(by_birth_date), "find residents"));
    if (by_birth_date) st.BindName(":birth_date", search.birth_date);
    st.BindName(":address", search.address_key.empty() ? "" : absl::StrCat("%", like, "%"));
    BindScope(st, scope);
    while (static_cast<int>(out.size()) < limit) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      if (domain::NameMatches(st.ColumnText(6), search.name_key)) out.push_back(FromRow(st));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<domain::Resident>> SqliteResidentStore::SearchSealed(
    const domain::ResidentSearch& search, const auth::ListScope& scope, int limit) {
  if (search.birth_date.empty()) {
    return absl::InvalidArgumentError(
        "birth_date: required for a search on this deployment (names and addresses are "
        "sealed; a search goes by the birth date)");
  }
  absl::StatusOr<absl::CivilDay> day = domain::ParseDate("birth_date", search.birth_date);
  RETURN_IF_ERROR(day.status());
  // Everyone the scope may read with that birth date: few people share
  // one. The name prefix and the part of the address are matched here, on
  // the opened values, and the order is the folded name's, as on SQLCipher.
  std::vector<std::pair<std::string, domain::Resident>> found;
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    found.clear();
    ASSIGN_OR_RETURN(std::string birth,
                     c.BlindIndex("resident.birth", domain::FormatDate(*day)));
    ASSIGN_OR_RETURN(Statement st, c.Prepare(SearchByBirthIndexSql(), "find residents"));
    st.BindName(":birth_index", birth);
    BindScope(st, scope);
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      domain::Resident r = FromRow(st);
      std::string key = domain::NameKey(r.name);
      if (!domain::NameMatches(key, search.name_key)) continue;
      if (!search.address_key.empty() &&
          domain::FoldText(r.address).find(search.address_key) == std::string::npos) {
        continue;
      }
      found.emplace_back(std::move(key), std::move(r));
    }
    return absl::OkStatus();
  }));
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second.id < b.second.id;
  });
  std::vector<domain::Resident> out;
  for (auto& [key, r] : found) {
    if (static_cast<int>(out.size()) == limit) break;
    out.push_back(std::move(r));
  }
  return out;
}

absl::StatusOr<std::vector<std::pair<domain::Resident, domain::Resident>>>
SqliteResidentStore::ListPossibleDuplicates() {
  std::vector<std::pair<domain::Resident, domain::Resident>> out;
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectDuplicates, "list duplicates"));
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      out.emplace_back(FromRow(st, 0), FromRow(st, 6));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::Status SqliteResidentStore::Merge(Connection& c, const std::string& keep_id,
                                        const std::string& merge_id) {
  ASSIGN_OR_RETURN(auto kept, ReadById(c, keep_id));
  if (!kept) return absl::NotFoundError(absl::StrCat("keep_id: no resident ", keep_id));
  ASSIGN_OR_RETURN(auto merged, ReadById(c, merge_id));
  if (!merged) return absl::NotFoundError(absl::StrCat("merge_id: no resident ", merge_id));
  for (const char* sql : kMergeStatements) {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(sql, "merge residents"));
    if (st.HasParameter(":keep")) st.BindName(":keep", keep_id);
    if (st.HasParameter(":merge")) st.BindName(":merge", merge_id);
    RETURN_IF_ERROR(st.Run());
  }
  return absl::OkStatus();
}

absl::Status SqliteResidentStore::CheckExists(const std::string& field, const std::string& id) {
  return db_->Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(auto found, ReadById(c, id));
    if (!found) return absl::NotFoundError(absl::StrCat(field, ": no resident ", id));
    return absl::OkStatus();
  });
}

}  // namespace schakel::store
