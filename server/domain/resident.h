// Residents: the least data that lets professionals recognise a person.
#ifndef SCHAKEL_SERVER_DOMAIN_RESIDENT_H_
#define SCHAKEL_SERVER_DOMAIN_RESIDENT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "server/domain/name_key.h"

namespace schakel::domain {

struct Resident {
  std::string id;
  std::string name;
  absl::CivilDay birth_date;
  std::string address;
  std::string wijk;
  absl::Time create_time;
};

struct NewResident {
  std::string request_id;
  std::string name;
  std::string birth_date;  // as sent; validated into a CivilDay
  std::string address;
  std::string wijk;
  bool register_anyway = false;
  std::string team;  // the team registering, as asked; empty: the caller's only one
};

// INVALID_ARGUMENT naming the field: request_id, name and address (1..200,
// no control characters), birth_date (a real date, not after `today`, not
// before 1900), wijk (an id; whether it exists is the store's to check).
absl::Status ValidateNewResident(const NewResident& r, absl::CivilDay today);


// A search for residents (ResidentService.FindResidents): the folded name
// (or the beginnings of its words), and a birth date or a folded part of
// the address or both.
struct ResidentSearch {
  std::string name_key;
  std::string birth_date;   // YYYY-MM-DD, or empty
  std::string address_key;  // or empty
};
// At most this many residents in one answer.
inline constexpr int kMaxSearchResults = 50;
// INVALID_ARGUMENT naming the field: name (2..200 characters once folded),
// birth_date (a date), address (3..200 once folded), and one of birth_date
// and address (a name alone would list half the wijk).
absl::StatusOr<ResidentSearch> ParseResidentSearch(const std::string& name,
                                                   const std::string& birth_date,
                                                   const std::string& address);

// Fingerprint of a registration for idempotency.
std::string RequestFingerprint(const NewResident& r);

struct RegistrationResult {
  // Set when a record was created (or a retry found the first one).
  std::optional<domain::Resident> created;
  // Visible matches, when nothing was created.
  std::vector<domain::Resident> matches;
  // Whether this call created the record (not a replay of an earlier one).
  bool changed = false;
};

}  // namespace schakel::domain

#endif  // SCHAKEL_SERVER_DOMAIN_RESIDENT_H_
