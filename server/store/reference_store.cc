#include "server/store/reference_store.h"

#include <any>

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/store/team_rows.h"

namespace schakel::store {
namespace {

constexpr char kSelectCategory[] =
    "SELECT code, label_nl, label_en, opgave, sensitivity FROM signal_categories WHERE code = ?1";
constexpr char kSelectCategories[] =
    "SELECT code, label_nl, label_en, opgave, sensitivity FROM signal_categories"
    " WHERE ?1 = '' OR opgave = ?1 ORDER BY code";
constexpr char kSelectWijken[] = "SELECT code, name FROM wijken ORDER BY code";
constexpr char kSelectOpgaven[] = "SELECT code, label_nl, label_en FROM opgaven ORDER BY code";
constexpr char kSelectDoelen[] =
    "SELECT opgave, number, label_nl, label_en FROM doelen ORDER BY opgave, number";
constexpr char kSelectWijk[] = "SELECT 1 FROM wijken WHERE code = ?1";
constexpr char kSelectOrganisation[] = "SELECT 1 FROM organisations WHERE id = ?1";
constexpr char kSelectOpgave[] = "SELECT 1 FROM opgaven WHERE code = ?1";

}  // namespace

domain::Sensitivity ParseSensitivity(const std::string& name) {
  for (auto s : {domain::Sensitivity::kNormal, domain::Sensitivity::kSensitive,
                 domain::Sensitivity::kHealth, domain::Sensitivity::kJustice}) {
    if (name == domain::SensitivityName(s)) return s;
  }
  // Unknown means the strictest: a newer schema's category is not shown
  // area-wide by mistake.
  return domain::Sensitivity::kJustice;
}

absl::StatusOr<std::optional<domain::SignalCategory>> SqliteReferenceStore::FindCategory(
    const std::string& code) {
  std::optional<domain::SignalCategory> found;
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectCategory, "read category"));
    st.Bind(1, code);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (row) {
      found = domain::SignalCategory{st.ColumnText(0), st.ColumnText(1), st.ColumnText(2),
                                     st.ColumnText(3), ParseSensitivity(st.ColumnText(4))};
    }
    return absl::OkStatus();
  }));
  return found;
}

absl::StatusOr<std::vector<domain::SignalCategory>> SqliteReferenceStore::ListCategories(
    const std::string& opgave) {
  std::vector<domain::SignalCategory> out;
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    out.clear();
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectCategories, "list categories"));
    st.Bind(1, opgave);
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      out.push_back(domain::SignalCategory{st.ColumnText(0), st.ColumnText(1), st.ColumnText(2),
                                           st.ColumnText(3), ParseSensitivity(st.ColumnText(4))});
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<domain::Wijk>> SqliteReferenceStore::ListWijken() {
  std::vector<domain::Wijk> out;
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    out.clear();
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectWijken, "list wijken"));
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      out.push_back(domain::Wijk{st.ColumnText(0), st.ColumnText(1)});
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<domain::OpgaveWithDoelen>> SqliteReferenceStore::ListOpgaven() {
  std::vector<domain::OpgaveWithDoelen> out;
  RETURN_IF_ERROR(db_->Read([&](Connection& c) -> absl::Status {
    out.clear();
    {
      ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectOpgaven, "list opgaven"));
      while (true) {
        ASSIGN_OR_RETURN(bool row, st.Step());
        if (!row) break;
        out.push_back({domain::Opgave{st.ColumnText(0), st.ColumnText(1), st.ColumnText(2)}, {}});
      }
    }
    ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectDoelen, "list doelen"));
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      domain::Doel d{st.ColumnText(0), static_cast<int>(st.ColumnInt(1)), st.ColumnText(2),
                     st.ColumnText(3)};
      // A handful of opgaven: each doel finds its own by a linear search.
      for (domain::OpgaveWithDoelen& o : out) {
        if (o.opgave.code == d.opgave) o.doelen.push_back(d);
      }
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::Status CheckWijk(Connection& c, const std::string& field, const std::string& code) {
  // A write transaction asks once per code (Connection::TransactionMemo):
  // wijken are made by init and migrations only, never by a transaction.
  std::any* known = c.TransactionMemo(absl::StrCat("wijk.known/", code));
  if (known != nullptr && known->has_value()) return absl::OkStatus();
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectWijk, "check wijk"));
  st.Bind(1, code);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return absl::InvalidArgumentError(absl::StrCat(field, ": not a known wijk code"));
  if (known != nullptr) *known = true;
  return absl::OkStatus();
}

absl::Status CheckOpgave(Connection& c, const std::string& field, const std::string& code) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectOpgave, "check opgave"));
  st.Bind(1, code);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": not an opgave (JO, JG, FZ or FVW in the seed)"));
  }
  return absl::OkStatus();
}

absl::Status CheckOrganisation(Connection& c, const std::string& field, const std::string& id) {
  ASSIGN_OR_RETURN(Statement st, c.Prepare(kSelectOrganisation, "check organisation"));
  st.Bind(1, id);
  ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return absl::NotFoundError(absl::StrCat(field, ": no organisation ", id));
  return absl::OkStatus();
}

absl::StatusOr<std::string> ResolveTeam(Connection& c, const std::string& organisation_field,
                                        const std::string& organisation_id,
                                        const std::string& field, const std::string& team) {
  if (team.empty()) {
    ASSIGN_OR_RETURN(std::optional<domain::Team> intake, ReadIntakeTeam(c, organisation_id));
    if (!intake) {
      return absl::NotFoundError(
          absl::StrCat(organisation_field, ": no organisation ", organisation_id));
    }
    return intake->id;
  }
  ASSIGN_OR_RETURN(std::optional<domain::Team> found, ReadTeam(c, organisation_id, team));
  if (!found) {
    RETURN_IF_ERROR(CheckOrganisation(c, organisation_field, organisation_id));
    return absl::NotFoundError(
        absl::StrCat(field, ": organisation ", organisation_id, " has no team ", team));
  }
  return found->id;
}

}  // namespace schakel::store
