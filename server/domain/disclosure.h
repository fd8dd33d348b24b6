// Disclosure control of the programme monitor: the rules that turn counts
// and derived figures about residents into cells that can be published
// without identifying anyone (docs/reports.md).
//
//   - a count of 1 to 4 is shown as "<5" (primary suppression); 0 stays "0";
//   - a median is shown only when it rests on at least kMinCases cases;
//   - a share k/n only when n >= kMinCases and neither k nor n - k is 1..4
//     (with n known from the other cells, the share would give k away);
//   - secondary suppression: in every line of a table (a total and the parts
//     it is the sum of: a column with its total row, or a row whose cells add
//     up to one of its cells) a single suppressed cell could be recovered by
//     subtraction, so the next-smallest positive cell of that line is
//     suppressed too, shown as "x", until no line has exactly one.
//
// Pure code: no I/O, no clock.
#ifndef SCHAKEL_SERVER_DOMAIN_DISCLOSURE_H_
#define SCHAKEL_SERVER_DOMAIN_DISCLOSURE_H_

#include <cstdint>
#include <string>
#include <vector>

namespace schakel::domain {

// The smallest count shown as it is, and the fewest cases a derived figure
// may rest on.
inline constexpr int64_t kMinCases = 5;

// What a published cell shows.
inline constexpr char kSuppressedSmall[] = "<5";   // a count of 1..4
inline constexpr char kSuppressedOther[] = "x";    // hidden to protect another cell
inline constexpr char kNoCases[] = ".";            // a derived figure without cases
inline constexpr char kNotApplicable[] = "";       // no such figure for this row

enum class CellState { kShown, kSmall, kSecondary };

// A cell of a count table.
struct CellRef {
  int row = 0;
  int column = 0;
  bool operator==(const CellRef& o) const { return row == o.row && column == o.column; }
};

// A total and the cells it is the sum of. Lines that are not exactly
// additive may be given too: suppressing more is always safe.
struct Line {
  CellRef total;
  std::vector<CellRef> parts;
};

// The state of every cell of `counts` (rows × columns; every row the same
// width): primary suppression of 1..4, then secondary suppression over
// `lines` until every line has zero or at least two suppressed cells. The
// second cell is the smallest positive shown part of the line (the first
// such in `parts` on a tie), or else its total. Cells outside every line
// only get primary suppression.
std::vector<std::vector<CellState>> Suppress(const std::vector<std::vector<int64_t>>& counts,
                                             const std::vector<Line>& lines);

// "0", "<5", "x" or the decimal count.
std::string ShowCount(int64_t count, CellState state);

// The median of `values` with one decimal ("3.5"); "." without values;
// "x" when there are fewer than kMinCases.
std::string ShowMedian(std::vector<double> values);

// `part` of `whole` as a whole percentage ("83%"); "." when whole is 0;
// "x" when whole < kMinCases, or part or whole - part is 1..4.
std::string ShowShare(int64_t part, int64_t whole);

}  // namespace schakel::domain

#endif  // SCHAKEL_SERVER_DOMAIN_DISCLOSURE_H_
