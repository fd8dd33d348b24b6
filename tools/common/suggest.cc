#include "tools/common/suggest.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace schakel::tools {

int EditDistance(absl::string_view a_in, absl::string_view b_in) {
  const std::string a = absl::AsciiStrToLower(a_in);
  const std::string b = absl::AsciiStrToLower(b_in);
  const size_t n = a.size(), m = b.size();
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1, 0));
  for (size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

std::string Nearest(absl::string_view given, const std::vector<std::string>& candidates) {
  std::string best;
  int best_distance = 3;
  for (const std::string& c : candidates) {
    int d = EditDistance(given, c);
    if (d == 0) return "";
    size_t shorter = std::min(given.size(), c.size());
    if (d < best_distance && static_cast<size_t>(2 * d) < shorter) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

std::string DidYouMean(absl::string_view given, const std::vector<std::string>& candidates) {
  std::string nearest = Nearest(given, candidates);
  if (nearest.empty()) return "";
  return absl::StrCat("; did you mean ", nearest, "?");
}

}  // namespace schakel::tools
