// The seed data of a new deployment (deploy/seed/*.csv, embedded in the
// binaries at build time): partners, opgaven with their doelen, the signal
// taxonomy, the wijken and the teams of the partners that have more than
// an intake team.
#ifndef SCHAKEL_SERVER_DOMAIN_SEED_H_
#define SCHAKEL_SERVER_DOMAIN_SEED_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/domain/directory.h"

namespace schakel::domain {

struct Opgave {
  std::string code;
  std::string label_nl;
  std::string label_en;
};

struct Doel {
  std::string opgave;
  int number = 0;
  std::string label_nl;
  std::string label_en;
};

enum class Sensitivity { kNormal, kSensitive, kHealth, kJustice };
absl::string_view SensitivityName(Sensitivity s);

struct SignalCategory {
  std::string code;
  std::string label_nl;
  std::string label_en;
  std::string opgave;
  Sensitivity sensitivity = Sensitivity::kNormal;
};

struct Wijk {
  std::string code;
  std::string name;
};

struct SeedData {
  std::vector<Opgave> opgaven;
  std::vector<Doel> doelen;
  std::vector<SignalCategory> categories;
  std::vector<Wijk> wijken;
  std::vector<Organisation> organisations;
  // Teams named by the seed; every organisation without an intake team
  // among them gets one with id kIntakeTeam ("Intake").
  std::vector<Team> teams;
};

// Parses RFC 4180 CSV: comma-separated, fields optionally in double quotes,
// "" inside quotes for a quote; LF or CRLF line ends. INVALID_ARGUMENT with
// the line number on an unterminated quote.
absl::StatusOr<std::vector<std::vector<std::string>>> ParseCsv(absl::string_view text);

// Parses the four seed files (each with its header line) and checks that
// they refer to each other consistently (every opgave named exists).
absl::StatusOr<SeedData> ParseSeed(absl::string_view partners_csv, absl::string_view opgaven_csv,
                                   absl::string_view categories_csv,
                                   absl::string_view wijken_csv);

// Parses teams.csv (organisation_id,id,name,intake "yes"/"no") into
// `seed.teams`: INVALID_ARGUMENT naming the line's problem for an unknown
// organisation, a bad or repeated id, or a second intake team.
absl::Status ParseTeams(absl::string_view teams_csv, SeedData& seed);

// Every team a new deployment starts with: `seed.teams`, and an intake
// team kIntakeTeam for each organisation that has none there.
std::vector<Team> SeedTeams(const SeedData& seed);

// The seed compiled into this binary from deploy/seed/.
absl::StatusOr<SeedData> EmbeddedSeed();

}  // namespace schakel::domain

#endif  // SCHAKEL_SERVER_DOMAIN_SEED_H_
