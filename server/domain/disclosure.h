// Disclosure control of the programme monitor: the rules that turn counts
// and derived figures about residents into cells that can be published
// without identifying anyone (docs/reports.md).
//
//   - a count of 1 to 4 is shown as "<5" (primary suppression); 0 stays "0";
//   - a count of 5 or more is shown rounded to the nearest multiple of 5
//     (RoundCount), the same in every report: a difference of two shown
//     counts is a multiple of 5, never 1 to 4, whichever reports of the
//     period grid are subtracted (docs/reports.md, "Differencing");
//   - a median is shown only when it rests on at least kMinCases cases;
//   - a share k/n only when n >= kMinCases and neither k nor n - k is 1..4
//     (with n known from the other cells, the share would give k away);
//   - secondary suppression: in every line of a table (a total and the parts
//     it is the sum of: a column with its total row, or a row whose cells add
//     up to one of its cells) a reader who knows these rules may solve for
//     the hidden cells ("<5" is 1..4, "x" is 5 or more). Cells are hidden as
//     "x" until, in every line, no hidden cell can be recovered exactly and
//     every "<5" cell can still be any of 1..4 (see Suppress).
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
// `lines` until every line is safe (LineIsSafe), or cannot be made safer.
// A line that is not safe gets one more hidden part: the smallest positive
// shown part that makes the line safe on its own (the first in `parts` on a
// tie); else its total if that does; else the largest positive shown part
// (the most slack), and the line is looked at again; else its total. Never
// a zero, which protects nothing. Repeated over all lines until nothing
// changes (rows and columns interact). Cells outside every line only get
// primary suppression.
//
// The one line that cannot be made safe: a total of 1..4 with two or more
// "<5" parts (each part is then at most 4 - (parts - 1), the total at least
// the number of parts); nothing more is hidden for it.
//
// `hidden_first`, when given (same shape as `counts`), marks cells hidden
// before anything else (a count of 5 or more hidden for another reason:
// the period grid, report.cc); they are protected like any other "x".
std::vector<std::vector<CellState>> Suppress(
    const std::vector<std::vector<int64_t>>& counts, const std::vector<Line>& lines,
    const std::vector<std::vector<bool>>* hidden_first = nullptr);

// Whether a reader who sees the published `line` (shown cells, "<5" as
// 1..4, "x" as 5 or more) and solves total = sum of parts learns nothing
// more about its hidden cells: the line has zero or at least two hidden
// cells, and every "<5" cell p still ranges over all of 1..4, i.e. with
// S = total - shown parts, lower(p) = max(1, S - sum of upper(others)) == 1
// and upper(p) = min(4, S - sum of lower(others)) == 4 (the same, signs
// turned, when the total itself is hidden).
bool LineIsSafe(const std::vector<std::vector<int64_t>>& counts,
                const std::vector<std::vector<CellState>>& state, const Line& line);

// A count of 5 or more rounded to the nearest multiple of 5: 5..7 -> 5,
// 8..12 -> 10, 13..17 -> 15, … (counts are whole, so there is no tie).
// Below 5 it is returned as it is (ShowCount hides 1..4).
int64_t RoundCount(int64_t count);

// "0", "<5", "x" or the decimal count (as given: round it first).
std::string ShowCount(int64_t count, CellState state);

// The median of `values` with one decimal ("3.5"); "." without values;
// "x" when there are fewer than kMinCases.
std::string ShowMedian(std::vector<double> values);

// `part` of `whole` as a whole percentage ("83%"); "." when whole is 0;
// "x" when whole < kMinCases, or part or whole - part is 1..4.
std::string ShowShare(int64_t part, int64_t whole);

}  // namespace schakel::domain

#endif  // SCHAKEL_SERVER_DOMAIN_DISCLOSURE_H_
