// "Mijn werk": what waits for the caller's organisation or team, and where
// the caller's own handovers stand. Lists come from the server exactly as
// it filters them for this professional.
import { Heading1, Paragraph, TableCell, TableRow } from "@utrecht/component-library-react";
import { useEffect, useState } from "react";
import { Link } from "react-router";

import { handovers, signals, trajectories } from "./api";
import { Role } from "./gen/schakel/v1/common_pb";
import type { Trajectory } from "./gen/schakel/v1/trajectories_pb";
import { useMe } from "./Me";
import { CaseloadTable } from "./CaseloadTable";
import { describeError } from "./errors";
import { EmergencyAccessMark } from "./EmergencyAccess";
import type { Handover } from "./gen/schakel/v1/handovers_pb";
import type { Signal } from "./gen/schakel/v1/signals_pb";
import { DataTable, ListSection } from "./ListSection";
import { t } from "./messages";
import { statusLabel } from "./HandoverPage";
import { signalStatusLabel } from "./SignalPage";
import { formatDate } from "./time";

type Lists = { inbox: Handover[]; outbox: Handover[]; signals: Signal[]; caseload: Trajectory[] | null };

export function MyWork() {
  const [lists, setLists] = useState<Lists | null>(null);
  const [error, setError] = useState<string | null>(null);
  const me = useMe();
  const consultant = me.professional?.roles.includes(Role.CONSULTANT) ?? false;

  useEffect(() => {
    Promise.all([
      handovers.listInbox({ pageSize: 50 }),
      handovers.listOutbox({ pageSize: 50 }),
      signals.listSignals({ pageSize: 50 }),
      consultant ? trajectories.listCaseload({ mine: true, pageSize: 50 }) : Promise.resolve(null),
    ]).then(
      ([inbox, outbox, s, caseload]) =>
        setLists({
          inbox: inbox.handovers,
          outbox: outbox.handovers,
          signals: s.signals,
          caseload: caseload ? caseload.trajectories : null,
        }),
      (e) => setError(describeError(e)),
    );
  }, [consultant]);

  return (
    <>
      <Heading1>{t.myWorkTitle}</Heading1>
      <Paragraph>{t.myWorkIntro}</Paragraph>
      {error && <Paragraph role="alert">{error}</Paragraph>}
      {!error && !lists && <Paragraph aria-live="polite">{t.loading}</Paragraph>}
      {lists && (
        <EmergencyAccessMark
          residentIds={[
            ...lists.inbox.map((h) => h.residentId),
            ...lists.outbox.map((h) => h.residentId),
            ...lists.signals.map((s) => s.residentId),
          ]}
        />
      )}
      {lists && (
        <div className="schakel-cards">
          {lists.caseload && <Caseload items={lists.caseload} />}
          <HandoverTable id="inbox" title={t.inboxTitle} items={lists.inbox} />
          <HandoverTable id="outbox" title={t.outboxTitle} items={lists.outbox} />
          <ListSection id="signals" title={t.signalsTitle} count={lists.signals.length}>
            <DataTable caption={t.signalsTitle} columns={[t.category, t.wijk, t.status]}>
              {lists.signals.map((s) => (
                <TableRow key={s.id}>
                  <TableCell>
                    <Link className="utrecht-link utrecht-link--html-a" to={`/signalen/${s.id}`}>
                      {s.category}
                    </Link>
                  </TableCell>
                  <TableCell>{s.wijk}</TableCell>
                  <TableCell>{signalStatusLabel(s.status)}</TableCell>
                </TableRow>
              ))}
            </DataTable>
          </ListSection>
        </div>
      )}
    </>
  );
}

function HandoverTable({ id, title, items }: { id: string; title: string; items: Handover[] }) {
  const incoming = id === "inbox";
  return (
    <ListSection id={id} title={title} count={items.length}>
      <DataTable caption={title} columns={[t.resident, incoming ? t.from : t.to, t.deadline, t.status]}>
        {items.map((h) => (
          <TableRow key={h.id}>
            <TableCell>
              <Link className="utrecht-link utrecht-link--html-a" to={`/overdrachten/${h.id}`}>
                {h.residentName || t.open}
              </Link>
            </TableCell>
            <TableCell>
              {incoming ? h.fromOrganisationName || h.fromOrganisationId : h.toOrganisationName || h.toOrganisationId}
            </TableCell>
            <TableCell className={h.overdue ? "schakel-overdue" : undefined}>
              {formatDate(h.deadline)}
              {h.overdue && ` — ${t.overdue}`}
            </TableCell>
            <TableCell>{statusLabel(h.status)}</TableCell>
          </TableRow>
        ))}
      </DataTable>
    </ListSection>
  );
}

// The consultant's caseload, the measurements due first (as the server
// orders it).
function Caseload({ items }: { items: Trajectory[] }) {
  return (
    <ListSection id="caseload" title={t.caseloadTitle} count={items.length}>
      <CaseloadTable caption={t.caseloadTitle} items={items} />
    </ListSection>
  );
}
