// The professionals' directory as every colleague reads it
// (DirectoryService.ListPeople): a person's work identity and work contact
// data, and the rules of that contact data. Pure code.
//
// Why every role sees every organisation's people: the directory holds
// only work data (name, organisation, teams, roles, work phone and e-mail)
// that professionals of a programme give each other anyway, and a warm
// handover needs exactly that — the colleague on the other side by name
// and phone. What it must never carry is what the access policy guards:
// case data (nothing here names a resident, signal or handover), the
// detail of pending grants (a person lists only roles and teams in effect)
// and certificates. Person has no field for any of them.
#ifndef SCHAKEL_SERVER_DOMAIN_PEOPLE_H_
#define SCHAKEL_SERVER_DOMAIN_PEOPLE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/domain/directory.h"

namespace schakel::domain {

// Work contact data, set by an administrator; empty means not set.
struct WorkContact {
  std::string phone;
  std::string email;
};

inline constexpr size_t kMaxWorkPhone = 30;
inline constexpr size_t kMaxWorkEmail = 200;

// INVALID_ARGUMENT naming work_phone or work_email and the rule; empty
// values pass (they clear). work_phone: at most 30 characters of digits,
// spaces and + - ( ), at least one digit. work_email: at most 200 bytes,
// exactly one @ with something before it, a dot inside the domain after
// it (not its first or last character), no white space or control
// characters. The messages never repeat the value (it is personal data
// and refusals reach the server log).
absl::Status ValidateWorkContact(const WorkContact& contact);

// What a change of the contact data did, for the audit entry's reason:
// "work_phone set, work_email cleared" — each field "set" (was empty),
// "changed", "cleared" or "unchanged"; never a value.
std::string WorkContactChangeText(const WorkContact& before, const WorkContact& after);

// A professional as the directory shows them.
struct Person {
  std::string id;
  std::string display_name;
  std::string organisation_id;
  std::string organisation_name;
  std::vector<std::string> teams;  // in effect, sorted
  std::vector<Role> roles;         // in effect, sorted
  WorkContact contact;
  bool disabled = false;
};

// The filters of ListPeople, validated; empty fields do not filter.
struct PeopleQuery {
  std::string organisation_id;
  std::string team;  // only with organisation_id
  std::optional<Role> role;
  // NameKey of the name asked for (NameMatches).
  std::string name_key;
  bool include_disabled = false;
};

// Whether `name_key` (a NameKey) is a prefix of the NameKey of
// `display_name` from the start of one of its words (a word starts the
// name or follows a space or a hyphen): "de v" matches "Els de Vries",
// "vries" too, "e v" does not; "marie" matches "Anne-Marie". Both sides go through
// NameKey (server/domain/resident.h), so case and whatever else NameKey
// folds never matter. An empty key matches every name.
bool NameMatches(absl::string_view name_key, absl::string_view display_name);

// The role with that API word, or INVALID_ARGUMENT naming `field` with the
// valid words.
absl::StatusOr<Role> ParseRoleWord(absl::string_view field, absl::string_view word);

}  // namespace schakel::domain

#endif  // SCHAKEL_SERVER_DOMAIN_PEOPLE_H_
