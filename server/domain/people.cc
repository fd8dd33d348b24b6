#include "server/domain/people.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/domain/resident.h"

namespace schakel::domain {
namespace {

bool IsPhoneCharacter(char c) {
  return absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == ' ' || c == '+' || c == '-' ||
         c == '(' || c == ')';
}

absl::Status ValidatePhone(absl::string_view phone) {
  if (phone.empty()) return absl::OkStatus();
  if (phone.size() > kMaxWorkPhone) {
    return absl::InvalidArgumentError("work_phone: at most 30 characters");
  }
  if (!std::all_of(phone.begin(), phone.end(), IsPhoneCharacter)) {
    return absl::InvalidArgumentError(
        "work_phone: only digits, spaces and + - ( ) (e.g. \"+31 70 123 45 67\")");
  }
  if (std::none_of(phone.begin(), phone.end(),
                   [](char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); })) {
    return absl::InvalidArgumentError("work_phone: must hold a digit");
  }
  return absl::OkStatus();
}

absl::Status ValidateEmail(absl::string_view email) {
  if (email.empty()) return absl::OkStatus();
  if (email.size() > kMaxWorkEmail) {
    return absl::InvalidArgumentError("work_email: at most 200 bytes");
  }
  for (char c : email) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || absl::ascii_isspace(u)) {
      return absl::InvalidArgumentError(
          "work_email: no spaces or control characters (e.g. \"naam@organisatie.nl\")");
    }
  }
  const size_t at = email.find('@');
  if (at == absl::string_view::npos || email.find('@', at + 1) != absl::string_view::npos) {
    return absl::InvalidArgumentError(
        "work_email: must hold exactly one @ (e.g. \"naam@organisatie.nl\")");
  }
  const absl::string_view local = email.substr(0, at);
  const absl::string_view domain = email.substr(at + 1);
  if (local.empty()) return absl::InvalidArgumentError("work_email: needs a name before the @");
  const size_t dot = domain.find('.');
  if (dot == absl::string_view::npos || domain.front() == '.' || domain.back() == '.') {
    return absl::InvalidArgumentError(
        "work_email: the domain after the @ needs a dot inside it (e.g. \"organisatie.nl\")");
  }
  return absl::OkStatus();
}

const char* FieldChange(const std::string& before, const std::string& after) {
  if (before == after) return "unchanged";
  if (after.empty()) return "cleared";
  if (before.empty()) return "set";
  return "changed";
}

}  // namespace

absl::Status ValidateWorkContact(const WorkContact& contact) {
  if (absl::Status s = ValidatePhone(contact.phone); !s.ok()) return s;
  return ValidateEmail(contact.email);
}

std::string WorkContactChangeText(const WorkContact& before, const WorkContact& after) {
  return absl::StrCat("work_phone ", FieldChange(before.phone, after.phone), ", work_email ",
                      FieldChange(before.email, after.email));
}

bool NameMatches(absl::string_view name_key, absl::string_view display_name) {
  if (name_key.empty()) return true;
  const std::string key = NameKey(std::string(display_name));
  for (size_t i = 0; i < key.size(); ++i) {
    const bool word_start = i == 0 || key[i - 1] == ' ' || key[i - 1] == '-';
    if (word_start && absl::StartsWith(absl::string_view(key).substr(i), name_key)) return true;
  }
  return false;
}

absl::StatusOr<Role> ParseRoleWord(absl::string_view field, absl::string_view word) {
  if (std::optional<Role> role = ParseRole(word)) return *role;
  std::vector<std::string> words;
  for (Role r : AllRoles()) words.emplace_back(RoleName(r));
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": not a role; one of ", absl::StrJoin(words, ", ")));
}

}  // namespace schakel::domain
