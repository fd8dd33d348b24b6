// Output of the command-line tools: display width, tables in columns, CSV.
//
// Every table of `schakel` and `schakel-admin` goes through Table, so that
// `-o table` (the default), `-o csv` and `--no-headers` mean the same for
// every command.
#ifndef SCHAKEL_TOOLS_COMMON_TABLE_H_
#define SCHAKEL_TOOLS_COMMON_TABLE_H_

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace schakel::tools {

// Columns `text` takes on a terminal: wcswidth(3) of its code points in the
// C.UTF-8 locale (set for the measurement alone, whatever the user's
// locale: server text is always UTF-8), so that "ë" and "Ü" take one
// column, a CJK character two and a combining mark none. Bytes that are not
// UTF-8 and unprintable code points count one column each.
size_t DisplayWidth(absl::string_view text);

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  // Column i is right-aligned when right[i] (counts); absent: left.
  std::vector<bool> right;
};

// Columns as wide as their widest cell on screen (DisplayWidth), two
// spaces apart; no trailing spaces after a left-aligned last column.
// Without `headers`, the header row is left out. Cells are printed as
// given: make server text safe first.
void PrintTable(std::ostream& out, const Table& table, bool headers);

// RFC 4180: fields holding a comma, a quote or a line break quoted, quotes
// doubled; lines end in "\n".
std::string CsvField(absl::string_view text);
void PrintCsv(std::ostream& out, const Table& table, bool headers);

}  // namespace schakel::tools

#endif  // SCHAKEL_TOOLS_COMMON_TABLE_H_
