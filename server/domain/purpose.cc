#include "server/domain/purpose.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"

namespace schakel::domain {
namespace {

constexpr size_t kMinCode = 2;
constexpr size_t kMaxCode = 32;

bool IsCode(absl::string_view code) {
  if (code.size() < kMinCode || code.size() > kMaxCode) return false;
  if (code.front() < 'a' || code.front() > 'z') return false;
  for (char c : code) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

}  // namespace

const PurposePolicy& DefaultPurposePolicy() {
  static const PurposePolicy* const kDefault = new PurposePolicy{
      {
          {"zorgcoordinatie", "Zorgcoördinatie rond een bewoner"},
          {"signaalopvolging", "Opvolgen van een signaal"},
          {"warme-overdracht", "Warme overdracht naar een partner"},
          {"participatie", "Begeleiding van een participatietraject"},
          {"spoed", "Spoedeisende toegang (break-glass)"},
          {"avg-verzoek", "Afhandelen van een verzoek van een bewoner (AVG)"},
          {"toezicht", "Controle van het auditlog en toegang"},
          {"beheer", "Functioneel beheer"},
          {"monitor", "Programmamonitor (rapportage)"},
      },
      "zorgcoordinatie",
      false,
  };
  return *kDefault;
}

absl::Status ValidatePurposePolicy(const PurposePolicy& policy) {
  if (policy.codes.empty()) return absl::InvalidArgumentError("purposes: at least one code");
  std::set<std::string> seen;
  for (const PurposeCode& p : policy.codes) {
    if (!IsCode(p.code)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "purposes: code \"", absl::CHexEscape(p.code), "\" must be ", kMinCode, " to ", kMaxCode,
          " characters of a-z, 0-9 and '-', starting with a letter"));
    }
    if (p.code == kOtherPurpose) {
      return absl::InvalidArgumentError(
          "purposes: \"anders\" is not a code of the list; set allow_other instead");
    }
    if (!seen.insert(p.code).second) {
      return absl::InvalidArgumentError(absl::StrCat("purposes: code ", p.code, " given twice"));
    }
    if (p.label_nl.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("purposes: code ", p.code, " has no label_nl"));
    }
  }
  if (seen.count(policy.default_code) == 0) {
    return absl::InvalidArgumentError("purposes: default_code must be one of the codes");
  }
  return absl::OkStatus();
}

std::string PurposeCodeList(const PurposePolicy& policy) {
  std::vector<absl::string_view> codes;
  for (const PurposeCode& p : policy.codes) codes.push_back(p.code);
  std::string out = absl::StrJoin(codes, ", ");
  if (policy.allow_other) absl::StrAppend(&out, ", ", kOtherPurpose, ":<text>");
  return out;
}

absl::StatusOr<std::string> ResolvePurpose(const PurposePolicy& policy,
                                           std::optional<absl::string_view> sent) {
  if (!sent || sent->empty()) return policy.default_code;
  absl::string_view value = *sent;
  absl::string_view code = value;
  std::optional<absl::string_view> text;
  if (size_t colon = value.find(':'); colon != absl::string_view::npos) {
    code = value.substr(0, colon);
    text = value.substr(colon + 1);
  }
  if (code == kOtherPurpose) {
    if (!policy.allow_other) {
      return absl::InvalidArgumentError(absl::StrCat(
          kPurposeMetadata, ": \"anders\" (another purpose, with a text) is not allowed in this "
          "deployment; send one of: ", PurposeCodeList(policy)));
    }
    absl::string_view t = text ? absl::StripAsciiWhitespace(*text) : absl::string_view();
    if (t.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          kPurposeMetadata, ": \"anders\" needs a text after the colon (anders:<text>)"));
    }
    if (t.size() > kMaxOtherPurposeText) {
      return absl::InvalidArgumentError(absl::StrCat(
          kPurposeMetadata, ": the text after \"anders:\" is at most ", kMaxOtherPurposeText,
          " characters"));
    }
    for (char c : t) {
      if (c < 0x20 || c > 0x7e) {
        return absl::InvalidArgumentError(absl::StrCat(
            kPurposeMetadata, ": the text after \"anders:\" must be printable ASCII"));
      }
    }
    return absl::StrCat(kOtherPurpose, ": ", t);
  }
  if (!text) {
    for (const PurposeCode& p : policy.codes) {
      if (p.code == code) return p.code;
    }
  }
  return absl::InvalidArgumentError(absl::StrCat(kPurposeMetadata,
                                                 ": not a purpose code of this deployment; send "
                                                 "one of: ",
                                                 PurposeCodeList(policy)));
}

}  // namespace schakel::domain
