// schakel report signals | handovers | participation
//     --period 2026-11|2026-Q4|2026
//     --by month|quarter|opgave|category|wijk|organisation|team [--csv]
//
// The programme monitor (analysts only), over a month, a quarter or a year
// (no free dates: docs/reports.md). The cells arrive already through
// disclosure control (counts rounded to fives, "<5", "x"; see
// proto/schakel/v1/reports.proto); the CLI only lays them out: a
// plain-text table with Dutch labels, or CSV (RFC 4180) with the column
// keys as header.
#include <algorithm>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/cli/command.h"

namespace schakel::cli {
namespace {

using ReportCall = absl::StatusOr<v1::Report> (Client::*)(const std::string&,
                                                          v1::ReportGrouping);

// A CSV field: control characters made spaces (Cell), quoted when it holds
// a comma or a quote.
std::string CsvField(const std::string& text) {
  if (text.empty()) return "";
  std::string safe = Cell(text);
  if (safe.find_first_of(",\"") == std::string::npos) return safe;
  std::string out = "\"";
  for (char c : safe) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

void PrintCsv(const v1::Report& r, bool headers) {
  std::vector<std::string> header = {"key", "label"};
  for (const auto& c : r.columns()) header.push_back(CsvField(c.key()));
  if (headers) std::cout << absl::StrJoin(header, ",") << "\n";
  auto row = [&](const std::string& key, const v1::ReportRow& row) {
    std::vector<std::string> fields = {CsvField(key), CsvField(row.label())};
    for (const auto& cell : row.cells()) fields.push_back(CsvField(cell));
    std::cout << absl::StrJoin(fields, ",") << "\n";
  };
  for (const auto& x : r.rows()) row(x.key(), x);
  row("total", r.total());
}

void PrintReport(const v1::Report& r) {
  std::vector<std::vector<std::string>> lines;
  std::vector<std::string> header = {"groep"};
  for (const auto& c : r.columns()) header.push_back(Cell(c.label_nl()));
  lines.push_back(header);
  auto add = [&](const v1::ReportRow& row) {
    std::vector<std::string> line = {Cell(row.label())};
    for (const auto& cell : row.cells()) line.push_back(Cell(cell));
    lines.push_back(std::move(line));
  };
  for (const auto& x : r.rows()) add(x);
  add(r.total());
  std::vector<bool> right(header.size(), true);
  right[0] = false;  // the group label; the counts line up on the right
  PrintTable(lines, right);
  std::cout << "counts rounded to the nearest 5; <5: 1 to 4; x: hidden to protect another "
               "cell, or resting on fewer than 5 cases; .: no cases; -: not applicable\n";
}

int Run(Invocation& in, ReportCall call) {
  if (in.args().Has("from") || in.args().Has("to")) {
    return Fail(absl::InvalidArgumentError(
        "--from, --to: reports no longer take free dates; use --period with a month (2026-11), "
        "a quarter (2026-Q4) or a year (2026)"));
  }
  Flags f(in);
  std::string period = f.Required("period");
  int by = f.Enum("by", v1::ReportGrouping_descriptor(), "REPORT_GROUPING_", /*required=*/true);
  if (!f.ok()) return Fail(f.status());
  auto client = in.Connect();
  if (!client.ok()) return Fail(client.status());
  auto report = ((*client)->*call)(period, static_cast<v1::ReportGrouping>(by));
  if (!report.ok()) return Fail(report.status());
  return Print(in, *report, [&] {
    if (in.args().Has("csv") || in.csv()) {  // --csv, the older spelling of -o csv
      PrintCsv(*report, in.headers());
    } else {
      PrintReport(*report);
    }
  });
}

constexpr char kSynopsis[] =
    "--period YYYY-MM|YYYY-Qn|YYYY\n"
    "        --by month|quarter|opgave|category|wijk|organisation|team [--csv | -o csv]\n"
    "        (team: rows ORGANISATION/TEAM)";

}  // namespace

std::vector<Command> ReportCommands() {
  return {
      {"report", "signals", "", {"period", "by", "csv", "from", "to"}, kSynopsis,
       [](Invocation& in) { return Run(in, &Client::SignalReport); }},
      {"report", "handovers", "", {"period", "by", "csv", "from", "to"}, kSynopsis,
       [](Invocation& in) { return Run(in, &Client::HandoverReport); }},
      {"report", "participation", "", {"period", "by", "csv", "from", "to"},
       "--period YYYY-MM|YYYY-Qn|YYYY --by month|quarter|wijk|organisation|team [--csv]",
       [](Invocation& in) { return Run(in, &Client::ParticipationReport); }},
  };
}

}  // namespace schakel::cli
