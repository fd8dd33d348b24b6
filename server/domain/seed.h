// The seed data of a new deployment (deploy/seed/*.csv, embedded in the
// binaries at build time): partners, opgaven with their doelen, the signal
// taxonomy and the wijken.
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

// The seed compiled into this binary from deploy/seed/.
absl::StatusOr<SeedData> EmbeddedSeed();

}  // namespace schakel::domain

#endif  // SCHAKEL_SERVER_DOMAIN_SEED_H_
