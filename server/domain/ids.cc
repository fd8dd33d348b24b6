#include "server/domain/ids.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/domain/directory.h"

namespace schakel::domain {
namespace {

// RandomIdGenerator: 80 bits in base32.
constexpr size_t kRandomChars = 16;
constexpr size_t kMinOrganisation = 2;
constexpr size_t kMaxOrganisation = 40;

bool IsBase32(char c) { return (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'); }
bool IsSlugChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

bool IsGenerated(absl::string_view prefix, absl::string_view id) {
  if (!absl::StartsWith(id, prefix)) return false;
  absl::string_view rest = id.substr(prefix.size());
  return rest.size() == kRandomChars && std::all_of(rest.begin(), rest.end(), IsBase32);
}

bool IsOrganisationId(absl::string_view id) {
  if (id.size() < kMinOrganisation || id.size() > kMaxOrganisation) return false;
  if (id.front() == '-' || id.back() == '-') return false;
  for (size_t i = 0; i < id.size(); ++i) {
    if (id[i] == '-') {
      if (id[i - 1] == '-') return false;
    } else if (!IsSlugChar(id[i])) {
      return false;
    }
  }
  return true;
}

bool IsRequestId(absl::string_view id) {
  return id.size() >= 8 && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
           return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
         });
}

}  // namespace

absl::string_view IdPrefix(IdKind kind) {
  switch (kind) {
    case IdKind::kResident: return "r";
    case IdKind::kSignal: return "s";
    case IdKind::kHandover: return "h";
    case IdKind::kTrajectory: return "t";
    case IdKind::kMeasurement: return "m";
    case IdKind::kStep: return "st";
    case IdKind::kNote: return "n";
    case IdKind::kGrant: return "g";
    case IdKind::kProfessional: return "p";
    case IdKind::kBreakGlass: return "bg";
    case IdKind::kNotification: return "nt";
    case IdKind::kOrganisation:
    case IdKind::kRequest: return "";
  }
  return "";
}

bool IsIdOf(IdKind kind, absl::string_view id) {
  switch (kind) {
    case IdKind::kOrganisation: return IsOrganisationId(id);
    case IdKind::kRequest: return IsRequestId(id);
    default: return IsGenerated(IdPrefix(kind), id);
  }
}

absl::Status ValidateIdOf(IdKind kind, absl::string_view field, absl::string_view id) {
  if (id.empty()) return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  if (IsIdOf(kind, id)) return absl::OkStatus();
  switch (kind) {
    case IdKind::kOrganisation:
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": not an organisation id (2 to 40 characters of a-z and 0-9, words joined by "
                 "single '-', e.g. gemeente-lv)"));
    case IdKind::kRequest:
      return ValidateRequestId(field, id);
    default:
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": not an id of its kind ('", IdPrefix(kind), "' and ",
                       kRandomChars, " characters of a-z and 2-7, as the server issues them)"));
  }
}

std::optional<IdKind> IdKindOfResource(absl::string_view resource_type) {
  struct Entry {
    absl::string_view type;
    IdKind kind;
  };
  static constexpr Entry kResources[] = {
      {"resident", IdKind::kResident},         {"signal", IdKind::kSignal},
      {"handover", IdKind::kHandover},         {"trajectory", IdKind::kTrajectory},
      {"grant", IdKind::kGrant},               {"professional", IdKind::kProfessional},
      {"breakglass", IdKind::kBreakGlass},     {"organisation", IdKind::kOrganisation},
      {"notification", IdKind::kNotification},
  };
  for (const Entry& e : kResources) {
    if (e.type == resource_type) return e.kind;
  }
  return std::nullopt;
}

}  // namespace schakel::domain
