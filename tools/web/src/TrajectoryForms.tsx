// The forms of a trajectory's page (TrajectoryPage): record a measurement,
// add a step, change a step's status, transfer the trajectory to a
// colleague. Each sends one call and reports its outcome in words; the
// server decides whether it may.
import { Code, ConnectError } from "@connectrpc/connect";
import {
  Alert,
  FormField,
  FormLabel,
  Heading2,
  Heading3,
  Paragraph,
  Select,
  SelectOption,
  Textarea,
  Textbox,
} from "@utrecht/component-library-react";
import { useEffect, useRef, useState } from "react";

import { handovers, trajectories } from "./api";
import { describeError } from "./errors";
import { Field } from "./Field";
import type { Person } from "./gen/schakel/v1/common_pb";
import type { Handover } from "./gen/schakel/v1/handovers_pb";
import type { Trajectory } from "./gen/schakel/v1/trajectories_pb";
import { StepStatus, StepType } from "./gen/schakel/v1/trajectories_pb";
import { statusLabel } from "./HandoverPage";
import { t } from "./messages";
import { type Terms, termLabel } from "./participation";
import { formatDate, today } from "./time";
import { useRequestId } from "./requestId";
import { BusyButton } from "./BusyButton";


const p = t.participation;

// What an action came to, under its form: the refusal in Dutch, or what
// was done.
function ActionOutcome({ error, done }: { error: string | null; done: string | null }) {
  if (error) return <Alert type="error" role="alert"><Paragraph>{error}</Paragraph></Alert>;
  if (done) return <Alert type="ok" role="status"><Paragraph>{done}</Paragraph></Alert>;
  return null;
}

// The state of one form's call: busy while it runs, then its outcome. A
// refusal because the trajectory changed meanwhile reloads it, so the page
// shows the new state under the message. Should the focus fall to the page
// while the page is read again, it goes back where it was, so a keyboard
// user stays at the form; a second submission while busy is ignored.
function useCall(onDone: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const focused = useRef<HTMLElement | null>(null);
  useEffect(() => {
    if (busy || !focused.current) return;
    if (focused.current.isConnected && document.activeElement === document.body) focused.current.focus();
    focused.current = null;
  }, [busy]);
  const call = async (action: () => Promise<string>) => {
    if (busy) return false;
    focused.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setDone(await action());
      onDone();
      return true;
    } catch (e) {
      setError(describeError(e));
      if (ConnectError.from(e).code === Code.Aborted) onDone();
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, done, call };
}

export function RecordMeasurement({ tr, terms, onDone }: { tr: Trajectory; terms: Terms; onDone: () => void }) {
  const [date, setDate] = useState(today());
  const [rung, setRung] = useState("");
  const [note, setNote] = useState("");
  // One request id per measurement: a retry after a lost answer records it once.
  const [requestId, renewRequestId] = useRequestId();
  const { busy, error, done, call } = useCall(onDone);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const ok = await call(async () => {
      await trajectories.recordMeasurement({ requestId, trajectoryId: tr.id, date, rung: Number(rung), note });
      return p.recorded(Number(rung), formatDate(date));
    });
    if (ok) {
      setDate(today());
      setRung("");
      setNote("");
      renewRequestId();
    }
  };
  return (
    <form onSubmit={submit} aria-labelledby="record-title">
      <Heading3 id="record-title">{p.recordTitle}</Heading3>
      <Field id="measure-date" label={p.fieldDate} type="date" max={today()} required value={date} onChange={setDate} />
      <FormField>
        <FormLabel htmlFor="measure-rung">{p.fieldRung}</FormLabel>
        <Select id="measure-rung" required value={rung} onChange={(e) => setRung(e.target.value)}>
          <SelectOption value="">{t.choose}</SelectOption>
          {terms.rungs.map((r) => (
            <SelectOption key={r.number} value={String(r.number)}>{p.rungOption(r.number, r.labelNl)}</SelectOption>
          ))}
        </Select>
      </FormField>
      <FormField>
        <FormLabel htmlFor="measure-note">{p.fieldNote}</FormLabel>
        <Paragraph small id="measure-note-hint">{p.fieldNoteHint}</Paragraph>
        <Textarea id="measure-note" aria-describedby="measure-note-hint" value={note} onChange={(e) => setNote(e.target.value)} />
      </FormField>
      <ActionOutcome error={error} done={done} />
      <BusyButton type="submit" appearance="primary-action-button" busy={busy}>{p.record}</BusyButton>
    </form>
  );
}

export function AddStep({ tr, terms, onDone }: { tr: Trajectory; terms: Terms; onDone: () => void }) {
  const [type, setType] = useState("");
  const [description, setDescription] = useState("");
  const [status, setStatus] = useState(String(StepStatus.PLANNED));
  const [plannedDate, setPlannedDate] = useState("");
  const [handoverId, setHandoverId] = useState("");
  const [outbox, setOutbox] = useState<Handover[] | null>(null);
  const [outboxError, setOutboxError] = useState<string | null>(null);
  const [requestId, renewRequestId] = useRequestId();
  const { busy, error, done, call } = useCall(onDone);
  const referral = Number(type) === StepType.REFERRAL;
  // The handovers it may refer to, read only when a referral is chosen.
  useEffect(() => {
    if (!referral || outbox) return;
    handovers.listOutbox({ residentId: tr.residentId, pageSize: 50 }).then(
      (r) => setOutbox(r.handovers),
      (e) => setOutboxError(describeError(e)),
    );
  }, [referral, outbox, tr.residentId]);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const ok = await call(async () => {
      await trajectories.addStep({
        requestId,
        trajectoryId: tr.id,
        type: Number(type),
        description,
        status: Number(status),
        plannedDate,
        handoverId: referral ? handoverId : "",
      });
      return p.stepAdded(description);
    });
    if (ok) {
      setType("");
      setDescription("");
      setPlannedDate("");
      setHandoverId("");
      renewRequestId();
    }
  };
  return (
    <section aria-labelledby="add-step-title">
      <Heading2 id="add-step-title">{p.addStepTitle}</Heading2>
      <form onSubmit={submit} aria-labelledby="add-step-title">
        <FormField>
          <FormLabel htmlFor="step-type">{p.fieldStepType}</FormLabel>
          <Select id="step-type" required value={type} onChange={(e) => setType(e.target.value)}>
            <SelectOption value="">{t.choose}</SelectOption>
            {terms.stepTypes.map((x) => (
              <SelectOption key={x.number} value={String(x.number)}>{termLabel(terms.stepTypes, x.number)}</SelectOption>
            ))}
          </Select>
        </FormField>
        {referral && (
          <FormField>
            <FormLabel htmlFor="step-handover">{p.fieldHandover}</FormLabel>
            <Paragraph small id="step-handover-hint">{p.fieldHandoverHint}</Paragraph>
            {outboxError ? (
              <Alert type="error" role="alert"><Paragraph>{outboxError}</Paragraph></Alert>
            ) : outbox === null ? (
              <Paragraph aria-live="polite">{t.loading}</Paragraph>
            ) : outbox.length === 0 ? (
              <Paragraph>{p.noHandovers}</Paragraph>
            ) : (
              <Select id="step-handover" aria-describedby="step-handover-hint" required value={handoverId}
                      onChange={(e) => setHandoverId(e.target.value)}>
                <SelectOption value="">{t.choose}</SelectOption>
                {outbox.map((h) => (
                  <SelectOption key={h.id} value={h.id}>
                    {p.handoverOption(h.toOrganisationName || h.toOrganisationId, statusLabel(h.status), formatDate(h.deadline))}
                  </SelectOption>
                ))}
              </Select>
            )}
          </FormField>
        )}
        <FormField>
          <FormLabel htmlFor="step-description">{p.fieldDescription}</FormLabel>
          <Textarea id="step-description" required value={description} onChange={(e) => setDescription(e.target.value)} />
        </FormField>
        <FormField>
          <FormLabel htmlFor="step-status">{p.fieldStepStatus}</FormLabel>
          <Select id="step-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            {terms.stepStatuses.map((x) => (
              <SelectOption key={x.number} value={String(x.number)}>{termLabel(terms.stepStatuses, x.number)}</SelectOption>
            ))}
          </Select>
        </FormField>
        <Field id="step-planned" label={p.fieldPlannedDate} type="date" value={plannedDate} onChange={setPlannedDate} />
        <ActionOutcome error={error} done={done} />
        <BusyButton type="submit" appearance="primary-action-button" busy={busy}>{p.addStep}</BusyButton>
      </form>
    </section>
  );
}

// A step's new status, with the day it started or ended.
export function UpdateStep({ tr, terms, onDone }: { tr: Trajectory; terms: Terms; onDone: () => void }) {
  const [stepId, setStepId] = useState("");
  const [status, setStatus] = useState("");
  const [date, setDate] = useState(today());
  const { busy, error, done, call } = useCall(onDone);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const to = Number(status);
    await call(async () => {
      const s = await trajectories.updateStep({
        trajectoryId: tr.id,
        stepId,
        status: to,
        startDate: to === StepStatus.STARTED ? date : "",
        endDate: to === StepStatus.DONE || to === StepStatus.STOPPED ? date : "",
        etag: tr.etag,
      });
      return p.stepUpdated(s.description, termLabel(terms.stepStatuses, s.status));
    });
  };
  return (
    <section aria-labelledby="update-step-title">
      <Heading2 id="update-step-title">{p.updateStepTitle}</Heading2>
      <form onSubmit={submit} aria-labelledby="update-step-title">
        <FormField>
          <FormLabel htmlFor="update-step">{p.fieldStep}</FormLabel>
          <Select id="update-step" required value={stepId} onChange={(e) => setStepId(e.target.value)}>
            <SelectOption value="">{t.choose}</SelectOption>
            {tr.steps.map((s) => (
              <SelectOption key={s.id} value={s.id}>
                {`${termLabel(terms.stepTypes, s.type)}: ${s.description} (${termLabel(terms.stepStatuses, s.status)})`}
              </SelectOption>
            ))}
          </Select>
        </FormField>
        <FormField>
          <FormLabel htmlFor="update-status">{p.fieldNewStatus}</FormLabel>
          <Select id="update-status" required value={status} onChange={(e) => setStatus(e.target.value)}>
            <SelectOption value="">{t.choose}</SelectOption>
            {terms.stepStatuses.map((x) => (
              <SelectOption key={x.number} value={String(x.number)}>{termLabel(terms.stepStatuses, x.number)}</SelectOption>
            ))}
          </Select>
        </FormField>
        <FormField>
          <FormLabel htmlFor="update-date">{p.fieldStepDate}</FormLabel>
          <Paragraph small id="update-date-hint">{p.fieldStepDateHint}</Paragraph>
          <Textbox id="update-date" type="date" max={today()} aria-describedby="update-date-hint" value={date}
                   onChange={(e) => setDate(e.target.value)} />
        </FormField>
        <ActionOutcome error={error} done={done} />
        <BusyButton type="submit" appearance="primary-action-button" busy={busy}>{p.updateStep}</BusyButton>
      </form>
    </section>
  );
}

// To another consultant of the same team, as the directory lists them.
export function Transfer({ tr, people, peopleError, onDone }: {
  tr: Trajectory;
  people: Person[] | null;
  peopleError: string | null;
  onDone: () => void;
}) {
  const colleagues = (people ?? []).filter((x) => !x.disabled && x.id !== tr.consultantId);
  const [to, setTo] = useState("");
  const { busy, error, done, call } = useCall(onDone);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const ok = await call(async () => {
      const next = await trajectories.transferTrajectory({ id: tr.id, toConsultantId: to, etag: tr.etag });
      return p.transferred(next.consultantName);
    });
    if (ok) setTo("");
  };
  return (
    <section aria-labelledby="transfer-title">
      <Heading2 id="transfer-title">{p.transferTitle}</Heading2>
      <Paragraph>{p.transferIntro}</Paragraph>
      {peopleError ? (
        <Alert type="error" role="alert"><Paragraph>{peopleError}</Paragraph></Alert>
      ) : people === null ? (
        <Paragraph aria-live="polite">{t.loading}</Paragraph>
      ) : colleagues.length === 0 && !done ? (
        <Paragraph>{p.noColleague}</Paragraph>
      ) : (
        <form onSubmit={submit} aria-labelledby="transfer-title">
          <FormField>
            <FormLabel htmlFor="transfer-to">{p.fieldColleague}</FormLabel>
            <Select id="transfer-to" required value={to} onChange={(e) => setTo(e.target.value)}>
              <SelectOption value="">{t.choose}</SelectOption>
              {colleagues.map((x) => (
                <SelectOption key={x.id} value={x.id}>{x.displayName}</SelectOption>
              ))}
            </Select>
          </FormField>
          <ActionOutcome error={error} done={done} />
          <BusyButton type="submit" appearance="primary-action-button" busy={busy}>{p.transfer}</BusyButton>
        </form>
      )}
    </section>
  );
}
