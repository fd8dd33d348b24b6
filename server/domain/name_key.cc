#include "server/domain/name_key.h"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <unicode/utypes.h>

#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"

namespace schakel::domain {
namespace {

// ICU's rule-based transform, built once per thread: a Transliterator is
// not safe to use from two threads at once (its transliterate() keeps
// working state), and building one parses its rules (~1 ms), too slow per
// call.
icu::Transliterator* Folder() {
  thread_local std::unique_ptr<icu::Transliterator> folder = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
        "NFKD; [:Nonspacing Mark:] Remove; Latin-ASCII", UTRANS_FORWARD, status));
    return U_SUCCESS(status) ? std::move(t) : nullptr;
  }();
  return folder.get();
}

}  // namespace

std::string FoldText(absl::string_view text) {
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  if (icu::Transliterator* t = Folder()) t->transliterate(s);
  s.foldCase(U_FOLD_CASE_DEFAULT);
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (U_SUCCESS(status)) {
    icu::UnicodeString normalized = nfkc->normalize(s, status);
    if (U_SUCCESS(status)) s = normalized;
  }
  std::string folded;
  s.toUTF8String(folded);
  // White space: runs to one space, trimmed (ASCII white space only: NFKC
  // made the other spaces ASCII ones already).
  std::string out;
  out.reserve(folded.size());
  bool space = false;
  for (char c : folded) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::string NameKey(absl::string_view name) { return FoldText(name); }

std::vector<std::string> NameWords(absl::string_view key) {
  return absl::StrSplit(key, absl::ByAnyChar(" -"), absl::SkipEmpty());
}

bool NameMatches(absl::string_view name_key, absl::string_view query_key) {
  std::vector<std::string> words = NameWords(name_key);
  std::vector<bool> used(words.size(), false);
  for (const std::string& q : NameWords(query_key)) {
    bool found = false;
    for (size_t i = 0; i < words.size() && !found; ++i) {
      if (!used[i] && absl::StartsWith(words[i], q)) used[i] = found = true;
    }
    if (!found) return false;
  }
  return !NameWords(query_key).empty();
}

}  // namespace schakel::domain
