// One resident as the caller may read them: their details, and of their
// signals, warm handovers and participation trajectories exactly what the
// server lists for this caller; a warm handover proposed from here.
import {
  Alert,
  DataList,
  Heading1,
  Paragraph,
  TableCell,
  TableRow,
  UnorderedList,
  UnorderedListItem,
} from "@utrecht/component-library-react";
import { Code, ConnectError } from "@connectrpc/connect";
import { useEffect, useState } from "react";
import { Link, useParams } from "react-router";

import { handovers, residents, signals, trajectories } from "./api";
import { DataRow } from "./DataRow";
import { describeError } from "./errors";
import { EmergencyAccessMark, OpenEmergencyAccess } from "./EmergencyAccess";
import type { Handover } from "./gen/schakel/v1/handovers_pb";
import type { Resident } from "./gen/schakel/v1/residents_pb";
import type { Signal } from "./gen/schakel/v1/signals_pb";
import type { Trajectory } from "./gen/schakel/v1/trajectories_pb";
import { statusLabel } from "./HandoverPage";
import { DataTable, ListSection } from "./ListSection";
import { useMe } from "./Me";
import { t } from "./messages";
import { ProposeHandoverForm } from "./ProposeHandoverForm";
import { signalStatusLabel } from "./SignalPage";
import { formatDate } from "./time";
import { rungLabel, trajectoryStatusLabel } from "./trajectory";

type Lists = { signals: Signal[]; handovers: Handover[]; trajectories: Trajectory[] };

// The caller's handovers about one resident: those it received and those it
// sent (a handover between two teams of the caller's organisation is both).
async function residentHandovers(residentId: string): Promise<Handover[]> {
  const [inbox, outbox] = await Promise.all([
    handovers.listInbox({ residentId, pageSize: 50 }),
    handovers.listOutbox({ residentId, pageSize: 50 }),
  ]);
  const byId = new Map<string, Handover>();
  for (const h of [...inbox.handovers, ...outbox.handovers]) byId.set(h.id, h);
  return [...byId.values()].sort((a, b) => b.deadline.localeCompare(a.deadline));
}

export function ResidentPage() {
  const { id = "" } = useParams();
  const [r, setR] = useState<Resident | null>(null);
  const [lists, setLists] = useState<Lists | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [unreachable, setUnreachable] = useState(false);
  const me = useMe();
  // Read again when emergency access to this resident opens or ends (not
  // when another resident's does).
  const openHere = me.emergencyAccess.some((a) => a.residentId === id);
  useEffect(() => {
    let current = true;
    setR(null);
    setLists(null);
    setError(null);
    setUnreachable(false);
    // An answer to an earlier visit (another resident, or before emergency
    // access opened) that arrives late is dropped.
    residents.getResident({ id }).then(
      (got) => current && setR(got),
      (e) => {
        if (!current) return;
        setError(describeError(e));
        setUnreachable(ConnectError.from(e).code === Code.NotFound);
      },
    );
    Promise.all([
      signals.listSignals({ residentId: id, pageSize: 50 }),
      residentHandovers(id),
      trajectories.listResidentTrajectories({ residentId: id, includeClosed: true }),
    ]).then(
      ([s, h, tr]) => current && setLists({ signals: s.signals, handovers: h, trajectories: tr.trajectories }),
      (e) => current && setError(describeError(e)),
    );
    return () => {
      current = false;
    };
  }, [id, openHere]);
  if (error) {
    return (
      <>
        <Heading1>{t.residentTitle}</Heading1>
        <Alert type="error" role="alert"><Paragraph>{error}</Paragraph></Alert>
        {unreachable && <OpenEmergencyAccess residentId={id} unreachable />}
      </>
    );
  }
  if (!r || !lists) return <Paragraph aria-live="polite">{t.loading}</Paragraph>;
  return (
    <>
      <Heading1>{t.residentTitle}</Heading1>
      <EmergencyAccessMark residentIds={[r.id]} />
      <DataList>
        <DataRow label={t.fieldName} value={r.name} />
        <DataRow label={t.fieldBirthDate} value={formatDate(r.birthDate)} />
        <DataRow label={t.fieldAddress} value={r.address} />
        <DataRow label={t.wijk} value={r.wijk} />
      </DataList>
      <ListSection id="resident-signals" title={t.residentSignals} count={lists.signals.length}>
        <UnorderedList>
          {lists.signals.map((s) => (
            <UnorderedListItem key={s.id}>
              <Link className="utrecht-link utrecht-link--html-a" to={`/signalen/${s.id}`}>{s.category}</Link>{" "}
              ({signalStatusLabel(s.status)})
            </UnorderedListItem>
          ))}
        </UnorderedList>
      </ListSection>
      <ResidentHandovers items={lists.handovers} />
      <ResidentTrajectories items={lists.trajectories} />
      <ProposeHandoverForm residentId={r.id} />
      <OpenEmergencyAccess residentId={r.id} />
    </>
  );
}

function ResidentHandovers({ items }: { items: Handover[] }) {
  return (
    <ListSection id="resident-handovers" title={t.residentHandovers} count={items.length}>
      <DataTable caption={t.residentHandovers} columns={[t.from, t.to, t.deadline, t.status]}>
        {items.map((h) => (
          <TableRow key={h.id}>
            <TableCell>{h.fromOrganisationName || h.fromOrganisationId}</TableCell>
            <TableCell>
              <Link className="utrecht-link utrecht-link--html-a" to={`/overdrachten/${h.id}`}>
                {h.toOrganisationName || h.toOrganisationId}
              </Link>
            </TableCell>
            <TableCell>{formatDate(h.deadline)}</TableCell>
            <TableCell>{statusLabel(h.status)}</TableCell>
          </TableRow>
        ))}
      </DataTable>
    </ListSection>
  );
}

// A trajectory is shown in full to its consultant's team; a partner holding
// an accepted handover for the resident sees only the summary, and is told so.
function ResidentTrajectories({ items }: { items: Trajectory[] }) {
  return (
    <ListSection id="resident-trajectories" title={t.residentTrajectories} count={items.length}>
      <DataTable caption={t.residentTrajectories} columns={[t.trajectoryGoal, t.ladder, t.status, t.trajectoryHeldBy]}>
        {items.map((tr) => (
          <TableRow key={tr.id} data-testid="trajectory">
            <TableCell>
              <Link className="utrecht-link utrecht-link--html-a" to={`/trajecten/${tr.id}`}>
                {tr.summaryOnly ? t.trajectorySummaryLink : tr.goal}
              </Link>
              {tr.summaryOnly && <Paragraph data-testid="trajectory-summary">{t.trajectorySummaryOnly}</Paragraph>}
            </TableCell>
            <TableCell>{rungLabel(tr)}</TableCell>
            <TableCell>{trajectoryStatusLabel(tr)}</TableCell>
            <TableCell>{tr.organisationName || tr.organisationId}</TableCell>
          </TableRow>
        ))}
      </DataTable>
    </ListSection>
  );
}
