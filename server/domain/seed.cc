#include "server/domain/seed.h"

#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/common/status_macros.h"

namespace schakel::domain {
namespace {

using Rows = std::vector<std::vector<std::string>>;

absl::StatusOr<Rows> ParseTable(absl::string_view name, absl::string_view text,
                                const std::vector<std::string>& header) {
  ASSIGN_OR_RETURN(Rows rows, ParseCsv(text));
  if (rows.empty() || rows[0] != header) {
    return absl::InvalidArgumentError(absl::StrCat(name, ": unexpected header"));
  }
  rows.erase(rows.begin());
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].size() != header.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": row ", i + 2, " has ", rows[i].size(), " fields, expected ",
                       header.size()));
    }
  }
  return rows;
}

}  // namespace

absl::string_view SensitivityName(Sensitivity s) {
  switch (s) {
    case Sensitivity::kNormal: return "normal";
    case Sensitivity::kSensitive: return "sensitive";
    case Sensitivity::kHealth: return "health";
    case Sensitivity::kJustice: return "justice";
  }
  return "normal";
}

absl::StatusOr<std::vector<std::vector<std::string>>> ParseCsv(absl::string_view text) {
  Rows rows;
  std::vector<std::string> row;
  std::string field;
  bool in_quotes = false;
  bool row_has_content = false;
  int line = 1;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
      }
      continue;
    }
    switch (c) {
      case '"':
        in_quotes = true;
        row_has_content = true;
        break;
      case ',':
        row.push_back(std::move(field));
        field.clear();
        row_has_content = true;
        break;
      case '\r':
        break;
      case '\n':
        if (row_has_content || !field.empty()) {
          row.push_back(std::move(field));
          rows.push_back(std::move(row));
        }
        field.clear();
        row.clear();
        row_has_content = false;
        ++line;
        break;
      default:
        field.push_back(c);
        row_has_content = true;
    }
  }
  if (in_quotes) {
    return absl::InvalidArgumentError(absl::StrCat("CSV: unterminated quote at line ", line));
  }
  if (row_has_content || !field.empty()) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

absl::StatusOr<SeedData> ParseSeed(absl::string_view partners_csv, absl::string_view opgaven_csv,
                                   absl::string_view categories_csv,
                                   absl::string_view wijken_csv) {
  SeedData seed;
  std::set<std::string> opgave_codes;

  ASSIGN_OR_RETURN(Rows opgaven,
                   ParseTable("opgaven.csv", opgaven_csv, {"opgave", "doel", "label_nl", "label_en"}));
  for (const auto& r : opgaven) {
    if (r[1].empty()) {
      seed.opgaven.push_back({r[0], r[2], r[3]});
      opgave_codes.insert(r[0]);
      continue;
    }
    Doel d{r[0], 0, r[2], r[3]};
    if (!absl::SimpleAtoi(r[1], &d.number) || d.number <= 0) {
      return absl::InvalidArgumentError(absl::StrCat("opgaven.csv: bad doel number ", r[1]));
    }
    if (opgave_codes.count(d.opgave) == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("opgaven.csv: doel before its opgave ", d.opgave));
    }
    seed.doelen.push_back(std::move(d));
  }

  ASSIGN_OR_RETURN(Rows categories,
                   ParseTable("signal_categories.csv", categories_csv,
                              {"code", "label_nl", "label_en", "opgave", "sensitivity"}));
  for (const auto& r : categories) {
    SignalCategory c{r[0], r[1], r[2], r[3], Sensitivity::kNormal};
    if (opgave_codes.count(c.opgave) == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("signal_categories.csv: unknown opgave ", c.opgave, " for ", c.code));
    }
    if (r[4] == "normal") {
      c.sensitivity = Sensitivity::kNormal;
    } else if (r[4] == "sensitive") {
      c.sensitivity = Sensitivity::kSensitive;
    } else if (r[4] == "health") {
      c.sensitivity = Sensitivity::kHealth;
    } else if (r[4] == "justice") {
      c.sensitivity = Sensitivity::kJustice;
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("signal_categories.csv: unknown sensitivity ", r[4], " for ", c.code));
    }
    seed.categories.push_back(std::move(c));
  }

  ASSIGN_OR_RETURN(Rows wijken, ParseTable("wijken.csv", wijken_csv, {"code", "name"}));
  for (const auto& r : wijken) seed.wijken.push_back({r[0], r[1]});

  ASSIGN_OR_RETURN(Rows partners,
                   ParseTable("partners.csv", partners_csv, {"id", "name", "sector", "opgaven"}));
  for (const auto& r : partners) {
    Organisation o{r[0], r[1], r[2], {}};
    for (absl::string_view code : absl::StrSplit(r[3], ';', absl::SkipEmpty())) {
      if (opgave_codes.count(std::string(code)) == 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("partners.csv: unknown opgave ", code, " for ", o.id));
      }
      o.opgaven.emplace_back(code);
    }
    seed.organisations.push_back(std::move(o));
  }
  return seed;
}

absl::Status ParseTeams(absl::string_view teams_csv, SeedData& seed) {
  ASSIGN_OR_RETURN(Rows rows,
                   ParseTable("teams.csv", teams_csv, {"organisation_id", "id", "name", "intake"}));
  std::set<std::string> organisations;
  for (const Organisation& o : seed.organisations) organisations.insert(o.id);
  std::set<std::pair<std::string, std::string>> seen;
  std::set<std::string> with_intake;
  for (const auto& r : rows) {
    Team t{r[0], r[1], r[2], r[3] == "yes", absl::UnixEpoch()};
    if (organisations.count(t.organisation_id) == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("teams.csv: unknown organisation ", t.organisation_id));
    }
    if (r[3] != "yes" && r[3] != "no") {
      return absl::InvalidArgumentError(
          absl::StrCat("teams.csv: intake must be yes or no for ", t.id));
    }
    if (absl::Status s = ValidateNewTeam(t); !s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("teams.csv: ", s.message()));
    }
    if (!seen.insert({t.organisation_id, t.id}).second) {
      return absl::InvalidArgumentError(absl::StrCat("teams.csv: team ", t.id, " of ",
                                                     t.organisation_id, " listed twice"));
    }
    if (t.intake && !with_intake.insert(t.organisation_id).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("teams.csv: a second intake team for ", t.organisation_id));
    }
    seed.teams.push_back(std::move(t));
  }
  return absl::OkStatus();
}

std::vector<Team> SeedTeams(const SeedData& seed) {
  std::vector<Team> out = seed.teams;
  std::set<std::string> with_intake;
  for (const Team& t : seed.teams) {
    if (t.intake) with_intake.insert(t.organisation_id);
  }
  for (const Organisation& o : seed.organisations) {
    if (with_intake.count(o.id) == 0) {
      out.push_back(Team{o.id, kIntakeTeam, "Intake", true, absl::UnixEpoch()});
    }
  }
  return out;
}

}  // namespace schakel::domain
