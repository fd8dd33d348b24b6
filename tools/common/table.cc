#include "tools/common/table.h"

#include <locale.h>
#include <wchar.h>

#include <algorithm>

#include "absl/strings/str_join.h"

namespace schakel::tools {
namespace {

// The next code point of `text` from `*i`, or -1 for a byte that does not
// start a well-formed UTF-8 sequence (then one byte is consumed).
int32_t NextCodePoint(absl::string_view text, size_t* i) {
  unsigned char c = static_cast<unsigned char>(text[*i]);
  int length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
  if (length == 0 || *i + length > text.size()) {
    ++*i;
    return -1;
  }
  int32_t cp = length == 1 ? c : c & (0x7f >> length);
  for (int k = 1; k < length; ++k) {
    unsigned char next = static_cast<unsigned char>(text[*i + k]);
    if ((next & 0xc0) != 0x80) {
      ++*i;
      return -1;
    }
    cp = (cp << 6) | (next & 0x3f);
  }
  *i += length;
  return cp;
}

// C.UTF-8, made once; (locale_t)0 when the system has none.
locale_t Utf8Locale() {
  static const locale_t locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0));
  return locale;
}

}  // namespace

size_t DisplayWidth(absl::string_view text) {
  std::wstring wide;
  wide.reserve(text.size());
  size_t extra = 0;  // bytes that are no UTF-8: one column each
  for (size_t i = 0; i < text.size();) {
    int32_t cp = NextCodePoint(text, &i);
    if (cp < 0) {
      ++extra;
    } else {
      wide.push_back(static_cast<wchar_t>(cp));
    }
  }
  locale_t utf8 = Utf8Locale();
  if (utf8 == static_cast<locale_t>(0)) return wide.size() + extra;
  locale_t previous = uselocale(utf8);
  size_t width = extra;
  for (wchar_t c : wide) {
    int w = wcwidth(c);
    width += w < 0 ? 1 : static_cast<size_t>(w);  // unprintable: shown as something
  }
  uselocale(previous);
  return width;
}

void PrintTable(std::ostream& out, const Table& table, bool headers) {
  std::vector<const std::vector<std::string>*> lines;
  if (headers) lines.push_back(&table.header);
  for (const auto& row : table.rows) lines.push_back(&row);
  std::vector<size_t> widths(table.header.size(), 0);
  std::vector<std::vector<size_t>> cell_widths;
  for (const auto* row : lines) {
    std::vector<size_t> w;
    for (size_t i = 0; i < row->size() && i < widths.size(); ++i) {
      w.push_back(DisplayWidth((*row)[i]));
      widths[i] = std::max(widths[i], w.back());
    }
    cell_widths.push_back(std::move(w));
  }
  for (size_t r = 0; r < lines.size(); ++r) {
    const std::vector<std::string>& row = *lines[r];
    std::string line;
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      if (i > 0) line += "  ";
      std::string fill(widths[i] - cell_widths[r][i], ' ');
      bool right_aligned = i < table.right.size() && table.right[i];
      bool last = i + 1 == widths.size();
      line += right_aligned ? fill + row[i] : last ? row[i] : row[i] + fill;
    }
    out << line << "\n";
  }
}

std::string CsvField(absl::string_view text) {
  if (text.find_first_of(",\"\r\n") == absl::string_view::npos) return std::string(text);
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

void PrintCsv(std::ostream& out, const Table& table, bool headers) {
  auto line = [&](const std::vector<std::string>& row) {
    std::vector<std::string> fields;
    for (const std::string& cell : row) fields.push_back(CsvField(cell));
    out << absl::StrJoin(fields, ",") << "\n";
  };
  if (headers) line(table.header);
  for (const auto& row : table.rows) line(row);
}

}  // namespace schakel::tools
