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
import { Button, ButtonGroup, FormField, FormLabel, Select, SelectOption, Textarea } from "@utrecht/component-library-react";
import { useCallback, useEffect, useState } from "react";
import { Link, useLocation, useParams } from "react-router";

import { directory, signals } from "./api";
import type { Organisation } from "./gen/schakel/v1/common_pb";
import { useMe } from "./Me";
import { mayAssign, statusChanges, stillFollowedUp } from "./signalActions";
import { describeError } from "./errors";
import { EmergencyAccessMark } from "./EmergencyAccess";
import type { Signal } from "./gen/schakel/v1/signals_pb";
import { NoteVisibility } from "./gen/schakel/v1/common_pb";
import { SignalStatus, TimelineEvent_Kind, Urgency } from "./gen/schakel/v1/signals_pb";
import { DataLinkRow, DataRow } from "./DataRow";
import { ProposeHandoverForm } from "./ProposeHandoverForm";
import { t } from "./messages";
import { formatMoment } from "./time";
import { useRequestId } from "./requestId";

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
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const me = useMe();

  const load = useCallback(
    () => signals.getSignal({ id }).then(setS, (e) => setError(describeError(e))),
    [id],
  );
  useEffect(() => {
    void load();
  }, [load]);

  const run = async (call: () => Promise<Signal>, message: (s: Signal) => string) => {
    setActionError(null);
    try {
      const next = await call();
      setS(next);
      setNotice(message(next));
    } catch (e) {
      setActionError(describeError(e));
      void load();
    }
  };

  if (error) return <Alert type="error" role="alert"><Paragraph>{error}</Paragraph></Alert>;
  if (!s) return <Paragraph aria-live="polite">{t.loading}</Paragraph>;
  return (
    <>
      <Paragraph>
        <Link className="utrecht-link utrecht-link--html-a" to="/">{t.backToMyWork}</Link>
      </Paragraph>
      <Heading1>{t.signalTitle}</Heading1>
      <EmergencyAccessMark residentIds={[s.residentId]} />
      {notice && (
        <Alert type="ok" role="status">
          <Paragraph>{notice}</Paragraph>
        </Alert>
      )}
      {actionError && (
        <Alert type="error" role="alert">
          <Paragraph>{actionError}</Paragraph>
        </Alert>
      )}
      {!notice && (location.state as { created?: boolean } | null)?.created && (
        <Alert type="ok" role="status">
          <Paragraph>{t.signalCreated}</Paragraph>
        </Alert>
      )}
      <DataList>
        <DataRow label={t.status} value={signalStatusLabel(s.status)} testId="signal-status" />
        <DataRow label={t.category} value={s.category} />
        <DataRow label={t.wijk} value={s.wijk} />
        <DataRow label={t.urgency} value={t.urgencies[`URGENCY_${Urgency[s.urgency]}`] ?? ""} />
        <DataRow label={t.owner} value={s.ownerOrganisationName || s.ownerOrganisationId} testId="signal-owner" />
        <DataRow label={t.author} value={`${s.authorName} (${s.authorOrganisationName})`} />
        {s.residentId && (
          <DataLinkRow label={t.resident} to={`/inwoners/${s.residentId}`} text={s.residentName || t.open} testId="signal-resident" />
        )}
        {s.contentWithheld ? (
          <DataListItem>
            <DataListKey>{t.description}</DataListKey>
            <DataListValue>
              <span data-testid="withheld">{t.withheldHealth}</span>
            </DataListValue>
          </DataListItem>
        ) : (
          <>
            <DataRow label={t.place} value={s.place} />
            <DataRow label={t.description} value={s.description} testId="signal-description" />
          </>
        )}
      </DataList>
      {(statusChanges(s, me).length > 0 || mayAssign(s, me)) && (
        <section aria-labelledby="signal-actions-title">
          <Heading2 id="signal-actions-title">{t.signalActionsTitle}</Heading2>
          <ButtonGroup>
            {statusChanges(s, me).map((to) => (
              <Button
                key={to}
                appearance="secondary-action-button"
                onClick={() =>
                  run(
                    () => signals.changeSignalStatus({ id: s.id, etag: s.etag, status: to }),
                    (n) => t.statusChanged(signalStatusLabel(n.status)),
                  )
                }
              >
                {t.statusTo(signalStatusLabel(to))}
              </Button>
            ))}
          </ButtonGroup>
          {mayAssign(s, me) && (
            <AssignForm
              onAssign={(org) =>
                run(
                  () => signals.assignSignal({ id: s.id, etag: s.etag, ownerOrganisationId: org }),
                  (n) => t.assigned(n.ownerOrganisationName || n.ownerOrganisationId),
                )
              }
            />
          )}
        </section>
      )}
      {s.residentId && stillFollowedUp(s) && <ProposeFromSignal signal={s} />}
      <Notes signal={s} onAdded={(n) => { setS(n); setNotice(t.noteAdded); }} />
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

// A warm handover of the signal's resident, linked to the signal; the form
// opens on request so that the follow-up stays in view.
function ProposeFromSignal({ signal }: { signal: Signal }) {
  const [shown, setShown] = useState(false);
  return (
    <div className="schakel-disclosure">
      <Button appearance="secondary-action-button" aria-expanded={shown} aria-controls="propose-from-signal"
              onClick={() => setShown(!shown)}>
        {t.proposeFromSignal}
      </Button>
      <div id="propose-from-signal" hidden={!shown}>
        {shown && <ProposeHandoverForm residentId={signal.residentId} signalId={signal.id} />}
      </div>
    </div>
  );
}

function AssignForm({ onAssign }: { onAssign: (organisationId: string) => void }) {
  const [orgs, setOrgs] = useState<Organisation[]>([]);
  const [org, setOrg] = useState("");
  useEffect(() => {
    directory.listOrganisations({ pageSize: 100 }).then((r) => setOrgs(r.organisations), () => setOrgs([]));
  }, []);
  return (
    <form
      aria-label={t.assignTitle}
      onSubmit={(e) => {
        e.preventDefault();
        if (org) onAssign(org);
      }}
    >
      <FormField>
        <FormLabel htmlFor="owner">{t.fieldOwner}</FormLabel>
        <Select id="owner" required value={org} onChange={(e) => setOrg(e.target.value)}>
          <SelectOption value="">{t.choose}</SelectOption>
          {orgs.map((o) => (
            <SelectOption key={o.id} value={o.id}>
              {o.name}
            </SelectOption>
          ))}
        </Select>
      </FormField>
      <Button type="submit" appearance="primary-action-button">
        {t.assign}
      </Button>
    </form>
  );
}

// The notes the caller may read, and a new one with its visibility chosen.
function Notes({ signal, onAdded }: { signal: Signal; onAdded: (s: Signal) => void }) {
  const [text, setText] = useState("");
  const [visibility, setVisibility] = useState<NoteVisibility>(NoteVisibility.INVOLVED);
  const [error, setError] = useState<string | null>(null);
  const [requestId, renewRequestId] = useRequestId();
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await signals.addSignalNote({ requestId, signalId: signal.id, visibility, text });
      setText("");
      renewRequestId();
      onAdded(await signals.getSignal({ id: signal.id }));
    } catch (err) {
      setError(describeError(err));
    }
  };
  return (
    <section aria-labelledby="notes-title">
      <Heading2 id="notes-title">{t.notesTitle}</Heading2>
      {signal.notes.length === 0 ? (
        <Paragraph>{t.none}</Paragraph>
      ) : (
        <OrderedList>
          {signal.notes.map((n) => (
            <OrderedListItem key={n.id}>
              <span data-testid="note">{n.text}</span> — {n.authorName} ({n.authorOrganisationName}),{" "}
              {formatMoment(n.createTime?.seconds)};{" "}
              {t.noteVisibility[`NOTE_VISIBILITY_${NoteVisibility[n.visibility]}`] ?? ""}
            </OrderedListItem>
          ))}
        </OrderedList>
      )}
      <form aria-label={t.addNoteTitle} onSubmit={submit}>
        {error && <Alert type="error" role="alert"><Paragraph>{error}</Paragraph></Alert>}
        <FormField>
          <FormLabel htmlFor="note-text">{t.fieldNoteText}</FormLabel>
          <Textarea id="note-text" required value={text} onChange={(e) => setText(e.target.value)} />
        </FormField>
        <FormField>
          <FormLabel htmlFor="note-visibility">{t.fieldNoteVisibility}</FormLabel>
          <Select id="note-visibility" value={String(visibility)} onChange={(e) => setVisibility(Number(e.target.value))}>
            {[NoteVisibility.INVOLVED, NoteVisibility.OWN_ORGANISATION, NoteVisibility.HEALTH].map((v) => (
              <SelectOption key={v} value={String(v)}>
                {t.noteVisibility[`NOTE_VISIBILITY_${NoteVisibility[v]}`]}
              </SelectOption>
            ))}
          </Select>
        </FormField>
        <Button type="submit" appearance="secondary-action-button">{t.addNote}</Button>
      </form>
    </section>
  );
}
