#include "server/domain/disclosure.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace schakel::domain {
namespace {

bool IsSmall(int64_t count) { return count >= 1 && count < kMinCases; }

}  // namespace

std::vector<std::vector<CellState>> Suppress(const std::vector<std::vector<int64_t>>& counts,
                                             const std::vector<Line>& lines) {
  std::vector<std::vector<CellState>> state(counts.size());
  for (size_t r = 0; r < counts.size(); ++r) {
    state[r].resize(counts[r].size(), CellState::kShown);
    for (size_t c = 0; c < counts[r].size(); ++c) {
      if (IsSmall(counts[r][c])) state[r][c] = CellState::kSmall;
    }
  }
  auto value = [&](const CellRef& x) { return counts[x.row][x.column]; };
  auto shown = [&](const CellRef& x) { return state[x.row][x.column] == CellState::kShown; };
  // Every pass adds at least one suppressed cell or ends: it terminates
  // after at most rows × columns passes.
  bool changed = true;
  while (changed) {
    changed = false;
    for (const Line& line : lines) {
      int hidden = shown(line.total) ? 0 : 1;
      for (const CellRef& p : line.parts) hidden += shown(p) ? 0 : 1;
      if (hidden != 1) continue;
      // A zero hidden beside the single suppressed cell protects nothing:
      // the reader could still subtract. Take the smallest positive part.
      const CellRef* pick = nullptr;
      for (const CellRef& p : line.parts) {
        if (shown(p) && value(p) > 0 && (pick == nullptr || value(p) < value(*pick))) pick = &p;
      }
      if (pick == nullptr && shown(line.total) && value(line.total) > 0) pick = &line.total;
      if (pick == nullptr) continue;
      state[pick->row][pick->column] = CellState::kSecondary;
      changed = true;
    }
  }
  return state;
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
