// What the monitor page knows about reports besides the server's answer:
// the fixed grid of periods to choose from, which groupings the server
// accepts for a report and period, how a cell reads, and the CSV file of
// a report as the page shows it. Every figure comes from the server as a
// string and stays one: nothing here computes or un-suppresses a count.
import { ReportGrouping, type Report } from "./gen/schakel/v1/reports_pb";
import { t } from "./messages";
import { downloadFile } from "./download";
import { today } from "./time";

export type ReportKind = "signals" | "handovers" | "participation";
export const reportKinds: ReportKind[] = ["signals", "handovers", "participation"];

export type PeriodKind = "month" | "quarter" | "year";
export const periodKinds: PeriodKind[] = ["month", "quarter", "year"];

// Groupings in the order the page offers them, with their names in the
// URL and in file names.
export const groupings: { by: ReportGrouping; slug: string }[] = [
  { by: ReportGrouping.MONTH, slug: "maand" },
  { by: ReportGrouping.QUARTER, slug: "kwartaal" },
  { by: ReportGrouping.OPGAVE, slug: "opgave" },
  { by: ReportGrouping.CATEGORY, slug: "categorie" },
  { by: ReportGrouping.WIJK, slug: "wijk" },
  { by: ReportGrouping.ORGANISATION, slug: "organisatie" },
  { by: ReportGrouping.TEAM, slug: "team" },
];

export function groupingSlug(by: ReportGrouping): string {
  return groupings.find((g) => g.by === by)?.slug ?? "";
}

// The server's rules (reports.proto, docs/reports.md): participation has no
// opgave or category, and a month is not split into quarters.
export function allowedGroupings(kind: ReportKind, periodKind: PeriodKind): ReportGrouping[] {
  return groupings
    .map((g) => g.by)
    .filter((by) => !(kind === "participation" && (by === ReportGrouping.OPGAVE || by === ReportGrouping.CATEGORY)))
    .filter((by) => !(periodKind === "month" && by === ReportGrouping.QUARTER));
}

// Over time (a line), or side by side (bars).
export function isOverTime(by: ReportGrouping): boolean {
  return by === ReportGrouping.MONTH || by === ReportGrouping.QUARTER;
}

export function periodKindOf(period: string): PeriodKind | null {
  if (/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) return "month";
  if (/^\d{4}-Q[1-4]$/.test(period)) return "quarter";
  if (/^\d{4}$/.test(period)) return "year";
  return null;
}

// The recent periods of the grid, newest first, from today in
// Europe/Amsterdam: the last 12 months, 8 quarters and 3 years.
export function recentPeriods(kind: PeriodKind): string[] {
  const [y, m] = today().split("-").map(Number);
  const out: string[] = [];
  if (kind === "month") {
    for (let i = 0; i < 12; i++) {
      const n = y * 12 + (m - 1) - i;
      out.push(`${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, "0")}`);
    }
  } else if (kind === "quarter") {
    for (let i = 0; i < 8; i++) {
      const n = y * 4 + Math.floor((m - 1) / 3) - i;
      out.push(`${Math.floor(n / 4)}-Q${(n % 4) + 1}`);
    }
  } else {
    for (let i = 0; i < 3; i++) out.push(String(y - i));
  }
  return out;
}

// "2026-11" as "november 2026", "2026-Q4" as "4e kwartaal 2026".
export function periodLabel(period: string): string {
  const kind = periodKindOf(period);
  const [y, rest] = period.split("-");
  if (kind === "month") return `${t.monitor.months[Number(rest) - 1]} ${y}`;
  if (kind === "quarter") return t.monitor.quarter(rest.slice(1), y);
  return period;
}

// A cell that is a count drawn as a number: "0", "15". Everything else
// ("<5", "x", ".", "") is never drawn as one.
export function isShownCount(cell: string): boolean {
  return /^\d+$/.test(cell);
}

// The columns a chart may draw: counts, not medians or shares.
export function countColumns(report: Report): number[] {
  return report.columns
    .map((_, i) => i)
    .filter((i) => [...report.rows, ...(report.total ? [report.total] : [])]
      .every((r) => /^(\d+|<5|x|)$/.test(r.cells[i] ?? "")))
    .filter((i) => !/^median_|^answered_/.test(report.columns[i].key));
}

// A cell as the table shows it: as the server wrote it; an empty one
// (no such figure for this line) as a dash.
export function shownCell(cell: string): string {
  return cell === "" ? "-" : cell;
}

// The report as the table shows it: the header with the Dutch labels, the
// rows, the total.
export function reportGrid(report: Report): string[][] {
  const header = [t.monitor.groupingNames[report.by] ?? "", ...report.columns.map((c) => c.labelNl)];
  const rows = [...report.rows, ...(report.total ? [report.total] : [])].map((r) => [
    r.label,
    ...report.columns.map((_, i) => shownCell(r.cells[i] ?? "")),
  ]);
  return [header, ...rows];
}

// RFC 4180: a field with a comma, a quote or a line break is quoted, its
// quotes doubled; lines end in CRLF. A field a spreadsheet would take as a
// formula (a name beginning with =, +, - or @; not a lone "-" or a number)
// gets a leading apostrophe, so that opening the file runs nothing.
export function toCsv(grid: string[][]): string {
  const inert = (s: string) => (/^[=+@\t\r]|^-(?!$|\d+(\.\d+)?$)/.test(s) ? `'${s}` : s);
  const field = (raw: string) => {
    const s = inert(raw);
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return grid.map((row) => row.map(field).join(",")).join("\r\n") + "\r\n";
}

export function csvFileName(kind: ReportKind, report: Report): string {
  return `monitor-${t.monitor.kindSlugs[kind]}-${report.period}-${groupingSlug(report.by)}.csv`;
}

// Offers the file to the browser's downloads; the byte order mark makes
// Excel read it as UTF-8.
export function downloadCsv(fileName: string, csv: string) {
  downloadFile(fileName, ["\uFEFF", csv], "text/csv;charset=utf-8");
}
