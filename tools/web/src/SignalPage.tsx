// One signal as the caller may read it. Health content the caller may not
// read is shown as withheld, never as if it were missing.
import {
  Alert,
  DataList,
  DataListItem,
  DataListKey,
  DataListValue,
  Heading1,
  Heading2,
  OrderedList,
  OrderedListItem,
  Paragraph,
} from "@utrecht/component-library-react";
import { useEffect, useState } from "react";
import { Link, useLocation, useParams } from "react-router";

import { signals } from "./api";
import { describeError } from "./errors";
import type { Signal } from "./gen/schakel/v1/signals_pb";
import { SignalStatus, TimelineEvent_Kind, Urgency } from "./gen/schakel/v1/signals_pb";
import { t } from "./messages";
import { formatMoment } from "./time";

export function signalStatusLabel(s: SignalStatus): string {
  return t.signalStatus[`SIGNAL_STATUS_${SignalStatus[s]}`] ?? "";
}

const kindLabel: Record<number, string> = {
  [TimelineEvent_Kind.CREATED]: "Vastgelegd",
  [TimelineEvent_Kind.ASSIGNED]: "Toegewezen",
  [TimelineEvent_Kind.STATUS_CHANGED]: "Status gewijzigd",
  [TimelineEvent_Kind.NOTE_ADDED]: "Notitie toegevoegd",
  [TimelineEvent_Kind.HANDOVER_LINKED]: "Warme overdracht gekoppeld",
};

export function SignalPage() {
  const { id = "" } = useParams();
  const location = useLocation();
  const [s, setS] = useState<Signal | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    signals.getSignal({ id }).then(setS, (e) => setError(describeError(e)));
  }, [id]);

  if (error) return <Alert type="error" role="alert"><Paragraph>{error}</Paragraph></Alert>;
  if (!s) return <Paragraph aria-live="polite">{t.loading}</Paragraph>;
  return (
    <>
      <Paragraph>
        <Link className="utrecht-link utrecht-link--html-a" to="/">{t.backToMyWork}</Link>
      </Paragraph>
      <Heading1>{t.signalTitle}</Heading1>
      {(location.state as { created?: boolean } | null)?.created && (
        <Alert type="ok" role="status">
          <Paragraph>{t.signalCreated}</Paragraph>
        </Alert>
      )}
      <DataList>
        <Row label={t.status} value={signalStatusLabel(s.status)} testId="signal-status" />
        <Row label={t.category} value={s.category} />
        <Row label={t.wijk} value={s.wijk} />
        <Row label={t.urgency} value={t.urgencies[`URGENCY_${Urgency[s.urgency]}`] ?? ""} />
        <Row label={t.owner} value={s.ownerOrganisationName || s.ownerOrganisationId} />
        <Row label={t.author} value={`${s.authorName} (${s.authorOrganisationName})`} />
        {s.contentWithheld ? (
          <DataListItem>
            <DataListKey>{t.description}</DataListKey>
            <DataListValue>
              <span data-testid="withheld">{t.withheldHealth}</span>
            </DataListValue>
          </DataListItem>
        ) : (
          <>
            <Row label={t.place} value={s.place} />
            <Row label={t.description} value={s.description} testId="signal-description" />
          </>
        )}
      </DataList>
      <section aria-labelledby="timeline-title">
        <Heading2 id="timeline-title">{t.timeline}</Heading2>
        <OrderedList>
          {s.timeline.map((e, i) => (
            <OrderedListItem key={i}>
              {formatMoment(e.time?.seconds)}: {kindLabel[e.kind] ?? ""}
            </OrderedListItem>
          ))}
        </OrderedList>
      </section>
    </>
  );
}

function Row({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <DataListItem>
      <DataListKey>{label}</DataListKey>
      <DataListValue>
        <span data-testid={testId}>{value}</span>
      </DataListValue>
    </DataListItem>
  );
}
