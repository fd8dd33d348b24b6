// The analyst's part of the console: the programme monitor (/monitor/…).
// One page: choose a report, a period of the fixed grid and a grouping the
// server accepts for them; the figures come back already through
// disclosure control and are laid out as the server wrote them — a chart
// of one count column, the table, and the same table as a CSV file.
import {
  Alert,
  Button,
  DataList,
  FormField,
  FormLabel,
  Heading1,
  Heading2,
  Heading3,
  Paragraph,
  Select,
  SelectOption,
  TableCell,
  TableHeaderCell,
  TableRow,
} from "@utrecht/component-library-react";
import { useEffect, useState } from "react";
import { Navigate, Route, Routes, useSearchParams } from "react-router";

import { reports } from "./api";
import { DataRow } from "./DataRow";
import { describeError } from "./errors";
import { Role } from "./gen/schakel/v1/common_pb";
import type { Report, ReportGrouping } from "./gen/schakel/v1/reports_pb";
import { DataTable } from "./ListSection";
import { hasRole, useMe } from "./Me";
import { t } from "./messages";
import { MonitorChart } from "./MonitorChart";
import {
  allowedGroupings,
  countColumns,
  csvFileName,
  downloadCsv,
  groupings,
  groupingSlug,
  isOverTime,
  periodKindOf,
  periodKinds,
  periodLabel,
  recentPeriods,
  reportGrid,
  reportKinds,
  toCsv,
  type PeriodKind,
  type ReportKind,
} from "./monitorReport";
import { formatDate } from "./time";
import { BusyButton } from "./BusyButton";

export function MonitorRoutes() {
  return (
    <Routes>
      <Route index element={<MonitorPage />} />
      <Route path="*" element={<Navigate to="/monitor" replace />} />
    </Routes>
  );
}

type Choice = { kind: ReportKind; period: string; by: ReportGrouping };

// The choice in the address (?overzicht=signals&periode=2026-Q4&indeling=wijk),
// so that a report can be reloaded, bookmarked and gone back to. One the
// form would not offer (edited by hand) is not asked for.
function choiceFromParams(params: URLSearchParams): Choice | null {
  const kind = params.get("overzicht") as ReportKind;
  const period = params.get("periode") ?? "";
  const by = groupings.find((g) => g.slug === params.get("indeling"))?.by;
  const periodKind = periodKindOf(period);
  if (!reportKinds.includes(kind) || !periodKind || by === undefined) return null;
  if (!allowedGroupings(kind, periodKind).includes(by)) return null;
  return { kind, period, by };
}

function choiceKey(c: Choice | null): string {
  return c ? `${c.kind} ${c.period} ${c.by}` : "";
}

const calls = {
  signals: (c: Choice) => reports.signalReport({ period: c.period, by: c.by }),
  handovers: (c: Choice) => reports.handoverReport({ period: c.period, by: c.by }),
  participation: (c: Choice) => reports.participationReport({ period: c.period, by: c.by }),
};

function MonitorPage() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const asked = choiceFromParams(params);
  const askedKey = choiceKey(asked);
  const [loaded, setLoaded] = useState<{ choice: Choice; report: Report } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const analyst = hasRole(me, Role.ANALYST);

  useEffect(() => {
    if (!asked || !analyst) return;
    let current = true;
    setBusy(true);
    setError(null);
    setLoaded(null);
    calls[asked.kind](asked).then(
      (report) => current && setLoaded({ choice: asked, report }),
      (e) => current && setError(describeError(e)),
    ).finally(() => current && setBusy(false));
    return () => {
      current = false;
    };
    // askedKey names the choice; `asked` is a new object on every render.
  }, [askedKey, analyst]);

  // Only the analyst reads reports (the server refuses everyone else):
  // the others are told so and offered nothing.
  if (!analyst) {
    return (
      <>
        <Heading1>{t.monitor.title}</Heading1>
        <Alert type="error" role="alert">
          <Paragraph>{t.errorPermission}</Paragraph>
        </Alert>
      </>
    );
  }

  return (
    <div className="schakel-monitor">
      <Heading1>{t.monitor.title}</Heading1>
      <Paragraph>{t.monitor.intro}</Paragraph>
      <ChoiceForm
        asked={asked}
        busy={busy}
        onChoose={(c) => setParams({ overzicht: c.kind, periode: c.period, indeling: groupingSlug(c.by) })}
      />
      {error && (
        <Alert type="error" role="alert">
          <Paragraph>{error}</Paragraph>
        </Alert>
      )}
      <div role="status">
        {busy && <Paragraph>{t.loading}</Paragraph>}
        {loaded && <Paragraph className="schakel-visually-hidden">{t.monitor.shown(reportCaption(loaded.choice.kind, loaded.report))}</Paragraph>}
      </div>
      {loaded && <ReportView choice={loaded.choice} report={loaded.report} />}
    </div>
  );
}

function ChoiceForm({ asked, busy, onChoose }: { asked: Choice | null; busy: boolean; onChoose: (c: Choice) => void }) {
  const [kind, setKind] = useState<ReportKind>(asked?.kind ?? "signals");
  const [periodKind, setPeriodKind] = useState<PeriodKind>((asked && periodKindOf(asked.period)) ?? "quarter");
  const periods = recentPeriods(periodKind);
  const [period, setPeriod] = useState(asked?.period ?? periods[0]);
  const allowed = allowedGroupings(kind, periodKind);
  const [by, setBy] = useState<ReportGrouping>(asked?.by ?? allowed[0]);
  // Back and forward change the address: the form shows that choice again.
  const askedKey = choiceKey(asked);
  const [shownKey, setShownKey] = useState(askedKey);
  if (asked && askedKey !== shownKey) {
    setShownKey(askedKey);
    setKind(asked.kind);
    setPeriodKind(periodKindOf(asked.period) ?? "quarter");
    setPeriod(asked.period);
    setBy(asked.by);
  }
  // A grouping that no longer fits the report or period falls back to the
  // first that does.
  const chosenBy = allowed.includes(by) ? by : allowed[0];

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (!busy) onChoose({ kind, period, by: chosenBy });
  };

  return (
    <>
      <Heading2 id="monitor-form-title">{t.monitor.formTitle}</Heading2>
      <form onSubmit={submit} aria-labelledby="monitor-form-title">
        <FormField>
          <FormLabel htmlFor="monitor-kind">{t.monitor.fieldKind}</FormLabel>
          <Select id="monitor-kind" value={kind} onChange={(e) => setKind(e.target.value as ReportKind)}>
            {reportKinds.map((k) => <SelectOption key={k} value={k}>{t.monitor.kinds[k]}</SelectOption>)}
          </Select>
        </FormField>
        <FormField>
          <FormLabel htmlFor="monitor-period-kind">{t.monitor.fieldPeriodKind}</FormLabel>
          <Select
            id="monitor-period-kind"
            value={periodKind}
            onChange={(e) => {
              const pk = e.target.value as PeriodKind;
              setPeriodKind(pk);
              setPeriod(recentPeriods(pk)[0]);
            }}
          >
            {periodKinds.map((k) => <SelectOption key={k} value={k}>{t.monitor.periodKinds[k]}</SelectOption>)}
          </Select>
        </FormField>
        <FormField>
          <FormLabel htmlFor="monitor-period">{t.monitor.fieldPeriod}</FormLabel>
          <Select id="monitor-period" value={period} onChange={(e) => setPeriod(e.target.value)}>
            {(periods.includes(period) ? periods : [period, ...periods]).map((p) => (
              <SelectOption key={p} value={p}>{periodLabel(p)}</SelectOption>
            ))}
          </Select>
        </FormField>
        <FormField>
          <FormLabel htmlFor="monitor-by">{t.monitor.fieldGrouping}</FormLabel>
          <Paragraph small id="monitor-by-hint">{t.monitor.groupingHint}</Paragraph>
          <Select
            id="monitor-by"
            aria-describedby="monitor-by-hint"
            value={String(chosenBy)}
            onChange={(e) => setBy(Number(e.target.value))}
          >
            {allowed.map((g) => <SelectOption key={g} value={String(g)}>{t.monitor.groupingNames[g]}</SelectOption>)}
          </Select>
        </FormField>
        {/* aria-disabled, not disabled: a disabled button loses the focus,
            and the keyboard user would start again from the top. */}
        <BusyButton type="submit" appearance="primary-action-button" busy={busy}>
          {t.monitor.show}
        </BusyButton>
      </form>
    </>
  );
}

function reportCaption(kind: ReportKind, report: Report): string {
  return t.monitor.caption(t.monitor.kinds[kind], periodLabel(report.period), t.monitor.groupingPer[report.by]);
}

function ReportView({ choice, report }: { choice: Choice; report: Report }) {
  const caption = reportCaption(choice.kind, report);
  const counts = countColumns(report);
  const [column, setColumn] = useState(counts[0] ?? -1);
  const [downloaded, setDownloaded] = useState<string | null>(null);
  const grid = reportGrid(report);
  const overTime = isOverTime(report.by);
  const chartName = column < 0 ? "" : (overTime ? t.monitor.lineChartName : t.monitor.barChartName)(
    report.columns[column].labelNl, caption);

  const download = () => {
    const file = csvFileName(choice.kind, report);
    downloadCsv(file, toCsv(grid));
    setDownloaded(file);
  };

  return (
    <section aria-labelledby="monitor-report-title">
      <Heading2 id="monitor-report-title">{caption}</Heading2>
      <Paragraph>{t.monitor.periodDays(formatDate(report.from), formatDate(report.to))}</Paragraph>
      {report.rows.length === 0 && <Paragraph>{t.monitor.noRows}</Paragraph>}

      <Heading3>{t.monitor.legendTitle}</Heading3>
      <DataList className="schakel-monitor-legend" data-testid="monitor-legend">
        {t.monitor.legend.map(([cell, meaning]) => <DataRow key={cell} label={cell} value={meaning} />)}
      </DataList>

      <Heading3>{t.monitor.chartTitle}</Heading3>
      {column < 0 || report.rows.length === 0 ? (
        <Paragraph>{t.monitor.chartNoCounts}</Paragraph>
      ) : (
        <>
          <FormField>
            <FormLabel htmlFor="monitor-column">{t.monitor.fieldChartColumn}</FormLabel>
            <Select id="monitor-column" value={String(column)} onChange={(e) => setColumn(Number(e.target.value))}>
              {counts.map((i) => <SelectOption key={i} value={String(i)}>{report.columns[i].labelNl}</SelectOption>)}
            </Select>
          </FormField>
          <MonitorChart id="monitor-chart" report={report} column={column} overTime={overTime} name={chartName} />
          <Paragraph small>{t.monitor.chartNote} {t.monitor.chartDataNote}</Paragraph>
        </>
      )}

      <div className="schakel-monitor-table" data-testid="monitor-table">
        <DataTable caption={caption} columns={grid[0]}>
          {grid.slice(1).map((row, i) => (
            <TableRow key={i} className={i === report.rows.length ? "schakel-monitor-total" : undefined}>
              <TableHeaderCell scope="row">{row[0]}</TableHeaderCell>
              {row.slice(1).map((cell, j) => <TableCell key={j}>{cell}</TableCell>)}
            </TableRow>
          ))}
        </DataTable>
      </div>

      <Paragraph small id="monitor-download-hint">{t.monitor.downloadHint}</Paragraph>
      <Button appearance="secondary-action-button" aria-describedby="monitor-download-hint" onClick={download}>
        {t.monitor.download}
      </Button>
      <div role="status">{downloaded && <Paragraph>{t.monitor.downloaded(downloaded)}</Paragraph>}</div>
    </section>
  );
}
