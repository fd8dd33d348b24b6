// "Mijn werk": what waits for the caller's organisation or team, and where
// the caller's own handovers stand. Lists come from the server exactly as
// it filters them for this professional.
import {
  Heading1,
  Heading2,
  Paragraph,
  Table,
  TableBody,
  TableCaption,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
} from "@utrecht/component-library-react";
import { useEffect, useState } from "react";
import { Link } from "react-router";

import { handovers, signals } from "./api";
import { describeError } from "./errors";
import type { Handover } from "./gen/schakel/v1/handovers_pb";
import type { Signal } from "./gen/schakel/v1/signals_pb";
import { t } from "./messages";
import { statusLabel } from "./HandoverPage";
import { signalStatusLabel } from "./SignalPage";
import { formatDate } from "./time";

type Lists = { inbox: Handover[]; outbox: Handover[]; signals: Signal[] };

export function MyWork() {
  const [lists, setLists] = useState<Lists | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    Promise.all([
      handovers.listInbox({ pageSize: 50 }),
      handovers.listOutbox({ pageSize: 50 }),
      signals.listSignals({ pageSize: 50 }),
    ]).then(
      ([inbox, outbox, s]) =>
        setLists({ inbox: inbox.handovers, outbox: outbox.handovers, signals: s.signals }),
      (e) => setError(describeError(e)),
    );
  }, []);

  return (
    <>
      <Heading1>{t.myWorkTitle}</Heading1>
      <Paragraph>{t.myWorkIntro}</Paragraph>
      {error && <Paragraph role="alert">{error}</Paragraph>}
      {!error && !lists && <Paragraph aria-live="polite">{t.loading}</Paragraph>}
      {lists && (
        <div className="schakel-cards">
          <HandoverTable id="inbox" title={t.inboxTitle} items={lists.inbox} />
          <HandoverTable id="outbox" title={t.outboxTitle} items={lists.outbox} />
          <section aria-labelledby="signals-title">
            <Heading2 id="signals-title">
              {t.signalsTitle} <span data-testid="signals-count">({t.count(lists.signals.length)})</span>
            </Heading2>
            {lists.signals.length === 0 ? (
              <Paragraph>{t.none}</Paragraph>
            ) : (
              <Table>
                <TableCaption>{t.signalsTitle}</TableCaption>
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell scope="col">{t.category}</TableHeaderCell>
                    <TableHeaderCell scope="col">{t.wijk}</TableHeaderCell>
                    <TableHeaderCell scope="col">{t.status}</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
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
                </TableBody>
              </Table>
            )}
          </section>
        </div>
      )}
    </>
  );
}

function HandoverTable({ id, title, items }: { id: string; title: string; items: Handover[] }) {
  const incoming = id === "inbox";
  return (
    <section aria-labelledby={`${id}-title`}>
      <Heading2 id={`${id}-title`}>
        {title} <span data-testid={`${id}-count`}>({t.count(items.length)})</span>
      </Heading2>
      {items.length === 0 ? (
        <Paragraph>{t.none}</Paragraph>
      ) : (
        <Table>
          <TableCaption>{title}</TableCaption>
          <TableHeader>
            <TableRow>
              <TableHeaderCell scope="col">{t.resident}</TableHeaderCell>
              <TableHeaderCell scope="col">{incoming ? t.from : t.to}</TableHeaderCell>
              <TableHeaderCell scope="col">{t.deadline}</TableHeaderCell>
              <TableHeaderCell scope="col">{t.status}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
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
          </TableBody>
        </Table>
      )}
    </section>
  );
}
