// Names (and addresses) compared as people write them: one folded key for
// every spelling of a name that a professional would call the same —
// "Zoë Bakker-Ünal", "zoe bakker-unal" and "ZOË BAKKER-ÜNAL" — in every
// script the residents' names come in. Pure code over ICU; no I/O.
#ifndef SCHAKEL_SERVER_DOMAIN_NAME_KEY_H_
#define SCHAKEL_SERVER_DOMAIN_NAME_KEY_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace schakel::domain {

// The folded form of `text` (UTF-8): compatibility decomposition (NFKD),
// every combining mark removed (accents, diaeresis, cedilla, Arabic
// harakat...), Latin letters without a decomposition mapped to their
// ASCII base by ICU's Latin-ASCII transform (ı → i, ø → o, ł → l,
// æ → ae, ß → ss, ’ → '), Unicode full case folding, NFKC; then runs of
// white space folded to one space and trimmed. Scripts other than Latin
// keep their letters (a name written in Arabic or Ge'ez is compared in its
// own script). Invalid UTF-8 folds to U+FFFD. Thread-safe.
std::string FoldText(absl::string_view text);

// The key two registrations of one person share: FoldText of the name.
// Registration's duplicate check compares it exactly.
std::string NameKey(absl::string_view name);

// The words of a folded name: split at spaces and hyphens ("bakker-unal"
// is "bakker" and "unal"), empty ones dropped.
std::vector<std::string> NameWords(absl::string_view key);

// Whether a resident's folded name matches a folded search: every word of
// `query_key` begins a word of `name_key` ("zoe bak" matches
// "zoe bakker-unal"), each name word used once.
bool NameMatches(absl::string_view name_key, absl::string_view query_key);

}  // namespace schakel::domain

#endif  // SCHAKEL_SERVER_DOMAIN_NAME_KEY_H_
