// The participation ladder over time: a hand-written SVG step line, one
// marker per measurement, the six rungs with their Dutch labels on the y
// axis and the measurement dates on the x axis. Its text alternative (title
// and desc) says the same in words; the page shows the data as a table
// right under it.
import "./LadderChart.css";

import type { Measurement } from "./gen/schakel/v1/trajectories_pb";
import type { VocabularyTerm } from "./gen/schakel/v1/reference_pb";
import { t } from "./messages";
import { formatDate } from "./time";

const width = 820;
const height = 320;
const left = 360; // room for the longest rung label
const right = 40;
const top = 20;
const bottom = 70; // room for two rows of dates
const plotWidth = width - left - right;
const plotHeight = height - top - bottom;
const inset = 24; // keeps the first and last marker off the axes
const minLabelGap = 120; // closer dates go on alternating rows

function dayNumber(civil: string): number {
  const [y, m, d] = civil.split("-").map(Number);
  return Date.UTC(y, m - 1, d) / 86400000;
}

function rungY(rung: number): number {
  return top + ((6 - rung) * plotHeight) / 5;
}

// "Trede 1 op 5 januari 2026, trede 3 op 1 april 2026; nu trede 3: …".
export function ladderSummary(measurements: Measurement[]): string {
  const points = measurements.map((m, i) => t.participation.chartPoint(i === 0, m.rung, formatDate(m.date)));
  const last = measurements[measurements.length - 1];
  return `${points.join(", ")}; ${t.participation.chartNow(last.rung, last.rungLabelNl)}.`;
}

export function LadderChart({ id, residentName, measurements, rungs }: {
  id: string;
  residentName: string;
  measurements: Measurement[];
  rungs: VocabularyTerm[];
}) {
  const days = measurements.map((m) => dayNumber(m.date));
  const first = Math.min(...days);
  const span = Math.max(...days) - first;
  const x = (day: number) =>
    span === 0 ? left + plotWidth / 2 : left + inset + ((day - first) * (plotWidth - 2 * inset)) / span;
  const points = measurements.map((m, i) => ({ m, x: x(days[i]), y: rungY(m.rung) }));
  const crowded = points.some((p, i) => i > 0 && p.x - points[i - 1].x < minLabelGap);
  // A step line: the rung holds until the next measurement.
  const path = points.map((p, i) => (i === 0 ? `M ${p.x} ${p.y}` : `H ${p.x} V ${p.y}`)).join(" ");
  return (
    <svg
      className="schakel-ladder-chart"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-desc`}
      data-testid="ladder-chart"
    >
      <title id={`${id}-title`}>{t.participation.chartTitle(residentName)}</title>
      <desc id={`${id}-desc`}>{ladderSummary(measurements)}</desc>
      <g className="schakel-ladder-chart__grid">
        {rungs.map((r) => (
          <line key={r.number} x1={left} x2={width - right} y1={rungY(r.number)} y2={rungY(r.number)} />
        ))}
      </g>
      <g className="schakel-ladder-chart__axis">
        <line x1={left} x2={left} y1={top} y2={top + plotHeight} />
        <line x1={left} x2={width - right} y1={top + plotHeight} y2={top + plotHeight} />
      </g>
      <g className="schakel-ladder-chart__labels">
        {rungs.map((r) => (
          <text key={r.number} x={left - 10} y={rungY(r.number)} textAnchor="end" dominantBaseline="middle">
            {`${r.number} ${r.labelNl}`}
          </text>
        ))}
        {points.map((p, i) => (
          <text key={p.m.id} x={p.x} y={top + plotHeight + (crowded && i % 2 ? 44 : 22)} textAnchor="middle">
            {formatDate(p.m.date)}
          </text>
        ))}
        <text x={left + plotWidth / 2} y={height - 4} textAnchor="middle" className="schakel-ladder-chart__axis-title">
          {t.participation.chartXAxis}
        </text>
      </g>
      <path className="schakel-ladder-chart__line" d={path} />
      <g className="schakel-ladder-chart__points">
        {points.map((p) => (
          <circle key={p.m.id} cx={p.x} cy={p.y} r={6} />
        ))}
      </g>
    </svg>
  );
}
