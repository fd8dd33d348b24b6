#include "server/store/postgres_sql.h"

#include <algorithm>
#include <cctype>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace schakel::store {

int PostgresSql::IndexOf(absl::string_view name) const {
  for (const auto& [each, index] : names) {
    if (each == name) return index;
  }
  return 0;
}

namespace {

bool IsWordStart(char c) { return absl::ascii_isalpha(c) || c == '_'; }
bool IsWordChar(char c) { return absl::ascii_isalnum(c) || c == '_'; }

absl::Status Refuse(absl::string_view what) {
  return absl::InternalError(absl::StrCat("SQL for PostgreSQL: ", what));
}

// The end of the literal, quoted identifier or comment that starts at `i`
// (one past its last character), or npos when none starts there, or
// `sql.size() + 1` when it does not end.
size_t SkipQuoted(absl::string_view sql, size_t i) {
  const char c = sql[i];
  if (c == '\'' || c == '"' || c == '`' || c == '[') {
    const char close = c == '[' ? ']' : c;
    for (size_t j = i + 1; j < sql.size(); ++j) {
      if (sql[j] != close) continue;
      // A doubled quote is the quote itself ('it''s').
      if (close != ']' && j + 1 < sql.size() && sql[j + 1] == close) {
        ++j;
        continue;
      }
      return j + 1;
    }
    return sql.size() + 1;
  }
  if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
    size_t end = sql.find('\n', i);
    return end == absl::string_view::npos ? sql.size() : end + 1;
  }
  if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
    size_t end = sql.find("*/", i + 2);
    return end == absl::string_view::npos ? sql.size() + 1 : end + 2;
  }
  return absl::string_view::npos;
}

}  // namespace

absl::StatusOr<PostgresSql> TranslateToPostgres(absl::string_view sql) {
  PostgresSql out;
  out.text.reserve(sql.size() + 32);
  // The words of the statement outside literals, upper-cased, in order: to
  // recognise INSERT OR IGNORE and what is refused.
  std::vector<std::string> words;
  // Where in out.text the "OR IGNORE" of an INSERT OR IGNORE begins.
  size_t or_ignore_at = std::string::npos;
  size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    size_t quoted = SkipQuoted(sql, i);
    if (quoted != absl::string_view::npos) {
      if (quoted > sql.size()) return Refuse("a literal or comment does not end");
      // Square brackets and backticks quote identifiers in SQLite only.
      if (c == '[' || c == '`') {
        absl::StrAppend(&out.text, "\"", sql.substr(i + 1, quoted - i - 2), "\"");
      } else {
        out.text.append(sql.data() + i, quoted - i);
      }
      i = quoted;
      continue;
    }
    if (c == '?') {
      size_t j = i + 1;
      while (j < sql.size() && absl::ascii_isdigit(sql[j])) ++j;
      int index = out.parameters + 1;
      if (j > i + 1 && (!absl::SimpleAtoi(sql.substr(i + 1, j - i - 1), &index) || index < 1 ||
                        index > 32766)) {
        return Refuse("a parameter number is out of range");
      }
      out.parameters = std::max(out.parameters, index);
      absl::StrAppend(&out.text, "$", index);
      i = j;
      continue;
    }
    if ((c == ':' || c == '@' || c == '$') && i + 1 < sql.size() && IsWordStart(sql[i + 1]) &&
        !(c == ':' && i > 0 && sql[i - 1] == ':')) {
      size_t j = i + 1;
      while (j < sql.size() && IsWordChar(sql[j])) ++j;
      std::string name(sql.substr(i, j - i));
      int index = out.IndexOf(name);
      if (index == 0) {
        index = ++out.parameters;
        out.names.emplace_back(name, index);
      }
      absl::StrAppend(&out.text, "$", index);
      i = j;
      continue;
    }
    if (IsWordStart(c)) {
      size_t j = i;
      while (j < sql.size() && IsWordChar(sql[j])) ++j;
      absl::string_view word = sql.substr(i, j - i);
      std::string upper = absl::AsciiStrToUpper(word);
      if (upper == "PRAGMA") return Refuse("PRAGMA is SQLite's");
      if (upper == "GROUP_CONCAT") return Refuse("group_concat is SQLite's (string_agg)");
      if (upper == "SQLITE_MASTER") return Refuse("sqlite_master is SQLite's");
      if (upper == "REPLACE" && words.size() == 2 && words[0] == "INSERT" && words[1] == "OR") {
        return Refuse("INSERT OR REPLACE is SQLite's");
      }
      if (upper == "OR" && words.size() == 1 && words[0] == "INSERT") {
        or_ignore_at = out.text.size();
      }
      if (upper == "IGNORE" && words.size() == 2 && words[0] == "INSERT" && words[1] == "OR") {
        // Drop "OR IGNORE" and the space after it.
        out.text.resize(or_ignore_at);
        while (j < sql.size() && absl::ascii_isspace(sql[j])) ++j;
        words.push_back(upper);
        i = j;
        continue;
      }
      if (upper == "IFNULL" && j < sql.size() && sql[j] == '(') {
        out.text.append("coalesce");
      } else {
        out.text.append(word.data(), word.size());
      }
      words.push_back(std::move(upper));
      i = j;
      continue;
    }
    if (absl::ascii_isdigit(c)) {
      // A number, with whatever letters follow (1e5, 0x1F): never a word.
      size_t j = i;
      while (j < sql.size() && (IsWordChar(sql[j]) || sql[j] == '.')) ++j;
      out.text.append(sql.data() + i, j - i);
      i = j;
      continue;
    }
    out.text.push_back(c);
    ++i;
  }
  if (words.size() >= 3 && words[0] == "INSERT" && words[1] == "OR" && words[2] == "IGNORE") {
    size_t end = out.text.find_last_not_of(" \t\r\n;");
    out.text.resize(end == std::string::npos ? 0 : end + 1);
    out.text.append(" ON CONFLICT DO NOTHING");
  }
  return out;
}

}  // namespace schakel::store
