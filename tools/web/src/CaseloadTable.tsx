// A caseload as a table, in the server's order (next measurement due
// first), each client's trajectory one click away: on Mijn werk the short
// form, on the caseload page with the consultant and the status.
import { TableCell, TableRow } from "@utrecht/component-library-react";
import { Link } from "react-router";

import type { Trajectory } from "./gen/schakel/v1/trajectories_pb";
import { DataTable } from "./ListSection";
import { t } from "./messages";
import { nextMeasurementText } from "./participation";
import { rungLabel, trajectoryStatusLabel } from "./trajectory";

export function CaseloadTable({ caption, items, full = false }: { caption: string; items: Trajectory[]; full?: boolean }) {
  const p = t.participation;
  const columns = full
    ? [p.client, p.consultant, t.ladder, p.nextMeasurement, t.status]
    : [t.resident, t.ladder, t.nextMeasurement];
  return (
    <DataTable caption={caption} columns={columns}>
      {items.map((tr) => (
        <TableRow key={tr.id} data-testid="caseload-row">
          <TableCell>
            <Link className="utrecht-link utrecht-link--html-a" to={`/trajecten/${tr.id}`}>
              {tr.residentName || t.open}
            </Link>
          </TableCell>
          {full && <TableCell>{tr.consultantName}</TableCell>}
          <TableCell>{rungLabel(tr)}</TableCell>
          <TableCell className={tr.measurementOverdue ? "schakel-overdue" : undefined}>
            {nextMeasurementText(tr)}
          </TableCell>
          {full && <TableCell>{trajectoryStatusLabel(tr)}</TableCell>}
        </TableRow>
      ))}
    </DataTable>
  );
}
