#include "server/domain/disclosure.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace schakel::domain {
namespace {

bool IsSmall(int64_t count) { return count >= 1 && count < kMinCases; }

// What a reader knows of a hidden cell from its label alone.
struct Range {
  int64_t lo = 0;
  int64_t hi = 0;
  bool unbounded = false;  // hi is +infinity
};

Range Known(CellState s) {
  if (s == CellState::kSmall) return {1, kMinCases - 1, false};
  return {kMinCases, 0, true};
}

// A cell of a line in the equation sum(parts) - total = 0.
struct Term {
  CellRef cell;
  int sign;  // +1 a part, -1 the total
};

}  // namespace

bool LineIsSafe(const std::vector<std::vector<int64_t>>& counts,
                const std::vector<std::vector<CellState>>& state, const Line& line) {
  std::vector<Term> hidden;
  // sum over hidden cells of sign * value == known
  int64_t known = 0;
  auto add = [&](const CellRef& c, int sign) {
    if (state[c.row][c.column] == CellState::kShown) {
      known -= sign * counts[c.row][c.column];
    } else {
      hidden.push_back({c, sign});
    }
  };
  add(line.total, -1);
  for (const CellRef& p : line.parts) add(p, +1);
  if (hidden.size() == 1) return false;  // given back by subtraction
  for (size_t i = 0; i < hidden.size(); ++i) {
    const Term& p = hidden[i];
    if (state[p.cell.row][p.cell.column] != CellState::kSmall) continue;
    // sign_p * p = known - rest, rest = sum of sign * value over the others.
    int64_t rest_min = 0, rest_max = 0;
    bool rest_min_unbounded = false, rest_max_unbounded = false;
    for (size_t j = 0; j < hidden.size(); ++j) {
      if (j == i) continue;
      Range r = Known(state[hidden[j].cell.row][hidden[j].cell.column]);
      if (hidden[j].sign > 0) {
        rest_min += r.lo;
        if (r.unbounded) rest_max_unbounded = true; else rest_max += r.hi;
      } else {
        if (r.unbounded) rest_min_unbounded = true; else rest_min -= r.hi;
        rest_max -= r.lo;
      }
    }
    // The bounds of p itself; an unbounded side never narrows it.
    bool lower_open, upper_open;
    int64_t lower, upper;
    if (p.sign > 0) {
      lower_open = rest_max_unbounded;
      lower = known - rest_max;
      upper_open = rest_min_unbounded;
      upper = known - rest_min;
    } else {
      lower_open = rest_min_unbounded;
      lower = rest_min - known;
      upper_open = rest_max_unbounded;
      upper = rest_max - known;
    }
    if (!lower_open && lower > 1) return false;
    if (!upper_open && upper < kMinCases - 1) return false;
  }
  return true;
}

std::vector<std::vector<CellState>> Suppress(const std::vector<std::vector<int64_t>>& counts,
                                             const std::vector<Line>& lines,
                                             const std::vector<std::vector<bool>>* hidden_first) {
  std::vector<std::vector<CellState>> state(counts.size());
  for (size_t r = 0; r < counts.size(); ++r) {
    state[r].resize(counts[r].size(), CellState::kShown);
    for (size_t c = 0; c < counts[r].size(); ++c) {
      if (IsSmall(counts[r][c])) {
        state[r][c] = CellState::kSmall;
      } else if (hidden_first != nullptr && counts[r][c] > 0 && (*hidden_first)[r][c]) {
        state[r][c] = CellState::kSecondary;
      }
    }
  }
  auto value = [&](const CellRef& x) { return counts[x.row][x.column]; };
  auto shown = [&](const CellRef& x) { return state[x.row][x.column] == CellState::kShown; };
  // Whether hiding `x` alone makes `line` safe.
  auto fixes = [&](const Line& line, const CellRef& x) {
    state[x.row][x.column] = CellState::kSecondary;
    bool safe = LineIsSafe(counts, state, line);
    state[x.row][x.column] = CellState::kShown;
    return safe;
  };
  // Every pass adds at least one hidden cell or ends: it terminates after
  // at most rows × columns passes.
  bool changed = true;
  while (changed) {
    changed = false;
    for (const Line& line : lines) {
      if (LineIsSafe(counts, state, line)) continue;
      // Shown positive parts, smallest first (stable: the first on a tie).
      std::vector<const CellRef*> candidates;
      for (const CellRef& p : line.parts) {
        if (shown(p) && value(p) > 0) candidates.push_back(&p);
      }
      std::stable_sort(candidates.begin(), candidates.end(),
                       [&](const CellRef* a, const CellRef* b) { return value(*a) < value(*b); });
      bool total_candidate = shown(line.total) && value(line.total) > 0;
      const CellRef* pick = nullptr;
      for (const CellRef* c : candidates) {
        if (fixes(line, *c)) {
          pick = c;
          break;
        }
      }
      if (pick == nullptr && total_candidate && fixes(line, line.total)) pick = &line.total;
      // No single cell is enough: the largest part adds the most slack;
      // the line is looked at again.
      if (pick == nullptr && !candidates.empty()) pick = candidates.back();
      if (pick == nullptr && total_candidate) pick = &line.total;
      // Nothing left to hide (a total of 1..4 with several small parts).
      if (pick == nullptr) continue;
      state[pick->row][pick->column] = CellState::kSecondary;
      changed = true;
    }
  }
  return state;
}

int64_t RoundCount(int64_t count) {
  if (count < kMinCases) return count;
  return (count + 2) / 5 * 5;
}

std::string ShowCount(int64_t count, CellState state) {
  switch (state) {
    case CellState::kSmall: return kSuppressedSmall;
    case CellState::kSecondary: return kSuppressedOther;
    case CellState::kShown: break;
  }
  // Defensive: a small count is never shown, whatever state it was given.
  if (IsSmall(count)) return kSuppressedSmall;
  return absl::StrCat(count);
}

std::string ShowMedian(std::vector<double> values) {
  if (values.empty()) return kNoCases;
  if (static_cast<int64_t>(values.size()) < kMinCases) return kSuppressedOther;
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  double median = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  return absl::StrFormat("%.1f", median);
}

std::string ShowShare(int64_t part, int64_t whole) {
  if (whole <= 0) return kNoCases;
  if (whole < kMinCases || IsSmall(part) || IsSmall(whole - part)) return kSuppressedOther;
  return absl::StrCat(static_cast<int64_t>(std::llround(100.0 * part / whole)), "%");
}

}  // namespace schakel::domain
