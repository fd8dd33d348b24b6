// "Did you mean": the nearest valid word to a misspelled one.
#ifndef SCHAKEL_TOOLS_COMMON_SUGGEST_H_
#define SCHAKEL_TOOLS_COMMON_SUGGEST_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace schakel::tools {

// The edit distance between a and b, case-insensitive: insertions,
// deletions, substitutions and swaps of two neighbours count one each
// (optimal string alignment), so "acepted" is 1 from "accepted".
int EditDistance(absl::string_view a, absl::string_view b);

// The candidate nearest to `given`, when it is near enough to be what was
// meant: at most 2 edits, and fewer than half the letters of the shorter
// word (so "x" suggests nothing). The first of equally near ones; "" when
// none is near, or `given` is itself a candidate.
std::string Nearest(absl::string_view given, const std::vector<std::string>& candidates);

// "; did you mean W?" for Nearest, or "".
std::string DidYouMean(absl::string_view given, const std::vector<std::string>& candidates);

}  // namespace schakel::tools

#endif  // SCHAKEL_TOOLS_COMMON_SUGGEST_H_
