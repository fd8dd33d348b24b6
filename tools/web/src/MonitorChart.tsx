// One count column of a report as a chart: bars per group, or a line over
// the months or quarters. Hand-written SVG, because a suppressed cell must
// never be drawn as a number: "<5", "x", "." and "" get no bar and no
// point, only a dotted box with the cell's own text at its place, and the
// text alternative says what it means. Rounded counts are drawn as given.
import type { Report } from "./gen/schakel/v1/reports_pb";
import { t } from "./messages";
import { isShownCount, shownCell } from "./monitorReport";
import "./MonitorChart.css";

const width = 640;

type Point = { key: string; label: string; cell: string };

export function MonitorChart({ id, report, column, overTime, name }: {
  id: string;
  report: Report;
  column: number;
  overTime: boolean;
  name: string;
}) {
  const points: Point[] = report.rows.map((r) => ({ key: r.key, label: r.label, cell: r.cells[column] ?? "" }));
  // The scale reaches the largest shown count, in steps of 5 (counts are
  // rounded to 5 anyway); never 0, so that an all-zero chart still draws.
  const top = Math.max(5, Math.ceil(Math.max(0, ...points.filter((p) => isShownCount(p.cell)).map((p) => Number(p.cell))) / 5) * 5);
  const desc = points.map((p) => t.monitor.chartValue(p.label, spoken(p.cell))).join("; ");
  return (
    <svg
      className="schakel-chart"
      role="img"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-desc`}
      data-chart={overTime ? "line" : "bar"}
      viewBox={`0 0 ${width} ${overTime ? lineHeight : barTop + points.length * barRow + 8}`}
    >
      <title id={`${id}-title`}>{name}</title>
      <desc id={`${id}-desc`}>{desc}</desc>
      {overTime ? <Line points={points} top={top} /> : <Bars points={points} top={top} />}
    </svg>
  );
}

// What a cell says in words, for the text alternative.
function spoken(cell: string): string {
  if (isShownCount(cell)) return cell;
  if (cell === "<5") return t.monitor.chartLessThan5;
  if (cell === "x") return t.monitor.chartHidden;
  if (cell === ".") return t.monitor.chartNoCases;
  return t.monitor.chartNoFigure;
}

// The place of a cell that is not drawn: a dotted box with its text.
function Marker({ x, y, row, cell }: { x: number; y: number; row: string; cell: string }) {
  return (
    <g data-marker={row}>
      <rect className="schakel-chart__marker" x={x} y={y} width={36} height={22} rx={3} />
      <text className="schakel-chart__text" x={x + 18} y={y + 16} textAnchor="middle">{shownCell(cell)}</text>
    </g>
  );
}

const barTop = 8;
const barRow = 54;
const barLeft = 8;
const barRight = 560;

function Bars({ points, top }: { points: Point[]; top: number }) {
  const scale = (barRight - barLeft) / top;
  return (
    <>
      <line className="schakel-chart__axis" x1={barLeft} x2={barLeft} y1={barTop} y2={barTop + points.length * barRow} />
      {points.map((p, i) => {
        const y = barTop + i * barRow;
        const shown = isShownCount(p.cell);
        const w = shown ? Number(p.cell) * scale : 0;
        return (
          <g key={p.key || `row-${i}`}>
            <text className="schakel-chart__text schakel-chart__text--small" x={barLeft + 4} y={y + 16}>{p.label}</text>
            {shown ? (
              <>
                <rect className="schakel-chart__bar" data-bar={p.key} data-value={p.cell}
                      x={barLeft} y={y + 22} width={w} height={22} />
                <text className="schakel-chart__text" x={barLeft + w + 6} y={y + 38}>{p.cell}</text>
              </>
            ) : (
              <Marker x={barLeft + 4} y={y + 22} row={p.key} cell={p.cell} />
            )}
          </g>
        );
      })}
    </>
  );
}

// The scale's lines: 0, the top, and a middle one when it is a multiple of
// 5 (a count is never 2.5).
function ticks(top: number): number[] {
  const middle = Math.round(top / 10) * 5;
  return middle > 0 && middle < top ? [0, middle, top] : [0, top];
}

const lineHeight = 330;
const plotLeft = 48;
const plotRight = width - 16;
const plotTop = 24;
const plotBottom = 236;

function Line({ points, top }: { points: Point[]; top: number }) {
  const step = (plotRight - plotLeft) / Math.max(1, points.length);
  const x = (i: number) => plotLeft + (i + 0.5) * step;
  const y = (v: number) => plotBottom - (v / top) * (plotBottom - plotTop);
  // The line runs only between neighbouring shown counts: it never passes
  // through a suppressed cell, which would suggest a value there.
  const runs: number[][] = [];
  points.forEach((p, i) => {
    if (!isShownCount(p.cell)) return;
    const last = runs[runs.length - 1];
    if (last && last[last.length - 1] === i - 1) last.push(i);
    else runs.push([i]);
  });
  const slanted = points.length > 8;
  return (
    <>
      {ticks(top).map((v) => (
        <g key={v}>
          <line className="schakel-chart__grid" x1={plotLeft} x2={plotRight} y1={y(v)} y2={y(v)} />
          <text className="schakel-chart__text" x={plotLeft - 6} y={y(v) + 5} textAnchor="end">{v}</text>
        </g>
      ))}
      <line className="schakel-chart__axis" x1={plotLeft} x2={plotLeft} y1={plotTop} y2={plotBottom} />
      {runs.filter((r) => r.length > 1).map((r) => (
        <polyline key={r[0]} className="schakel-chart__line"
                  points={r.map((i) => `${x(i)},${y(Number(points[i].cell))}`).join(" ")} />
      ))}
      {points.map((p, i) => (
        <g key={p.key || `row-${i}`}>
          {isShownCount(p.cell) ? (
            <>
              <circle className="schakel-chart__point" data-point={p.key} data-value={p.cell}
                      cx={x(i)} cy={y(Number(p.cell))} r={5} />
              <text className="schakel-chart__text" x={x(i)} y={y(Number(p.cell)) - 10} textAnchor="middle">{p.cell}</text>
            </>
          ) : (
            // In a band under the axis, outside the plot: no height on the
            // value axis could be read into it.
            <Marker x={x(i) - 18} y={plotBottom + 6} row={p.key} cell={p.cell} />
          )}
          <text
            className="schakel-chart__text schakel-chart__text--small"
            x={x(i)}
            y={plotBottom + 48}
            textAnchor={slanted ? "end" : "middle"}
            transform={slanted ? `rotate(-40 ${x(i)} ${plotBottom + 48})` : undefined}
          >
            {p.label}
          </text>
        </g>
      ))}
    </>
  );
}
