// One participation trajectory (/trajecten/:id) exactly as the server shows
// it to the caller: in full to the consultants of its team (the ladder as a
// chart and a table, the steps, and the forms to measure, add or change a
// step and transfer it), or the summary a receiving partner sees, said so,
// with nothing of what the server left out drawn as if it were empty.
import { Code, ConnectError } from "@connectrpc/connect";
import {
  Alert,
  Button,
  DataList,
  DataListItem,
  DataListKey,
  DataListValue,
  FormField,
  FormLabel,
  Heading1,
  Heading2,
  Heading3,
  Paragraph,
  Select,
  SelectOption,
  TableCell,
  TableRow,
  Textarea,
  Textbox,
} from "@utrecht/component-library-react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Link, useParams } from "react-router";

import { directory, handovers, trajectories } from "./api";
import { DataRow } from "./DataRow";
import { describeError } from "./errors";
import { Field } from "./Field";
import { Role } from "./gen/schakel/v1/common_pb";
import type { Person } from "./gen/schakel/v1/common_pb";
import type { Handover } from "./gen/schakel/v1/handovers_pb";
import { Outcome } from "./gen/schakel/v1/handovers_pb";
import type { Step, Trajectory } from "./gen/schakel/v1/trajectories_pb";
import { StepStatus, StepType } from "./gen/schakel/v1/trajectories_pb";
import { statusLabel } from "./HandoverPage";
import { LadderChart } from "./LadderChart";
import { DataTable, ListSection } from "./ListSection";
import { hasRole, useMe } from "./Me";
import { t } from "./messages";
import { loadTerms, nextMeasurementText, type Terms, teamConsultants, termLabel } from "./participation";
import { formatDate, today } from "./time";
import { trajectoryStatusLabel } from "./trajectory";

const p = t.participation;

function dateOrDash(civil: string): string {
  return civil ? formatDate(civil) : "—";
}

export function TrajectoryPage() {
  const { id = "" } = useParams();
  const me = useMe();
  const [tr, setTr] = useState<Trajectory | null>(null);
  const [terms, setTerms] = useState<Terms | null>(null);
  const [teamName, setTeamName] = useState("");
  // null while the directory is read; a failure is said where it matters.
  const [people, setPeople] = useState<Person[] | null>(null);
  const [peopleError, setPeopleError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    () => trajectories.getTrajectory({ id }).then(setTr, (e) => setError(describeError(e))),
    [id],
  );
  useEffect(() => {
    void load();
    loadTerms().then(setTerms, (e) => setError(describeError(e)));
  }, [load]);

  // The team's name, and its consultants (who measured, who may take it
  // over) where the caller sees the whole trajectory.
  const organisationId = tr?.organisationId ?? "";
  const team = tr?.team ?? "";
  const full = tr !== null && !tr.summaryOnly;
  useEffect(() => {
    if (!organisationId) return;
    directory.listTeams({ organisationId }).then(
      (r) => setTeamName(r.teams.find((x) => x.id === team)?.name ?? team),
      () => setTeamName(team),
    );
    if (full) teamConsultants(organisationId, team, true).then(setPeople, (e) => setPeopleError(describeError(e)));
  }, [organisationId, team, full]);

  if (error) return <Alert type="error" role="alert"><Paragraph>{error}</Paragraph></Alert>;
  if (!tr || !terms) return <Paragraph aria-live="polite">{t.loading}</Paragraph>;

  const consultant = hasRole(me, Role.CONSULTANT);
  const nameOf = (professionalId: string) =>
    people?.find((x) => x.id === professionalId)?.displayName ??
    (professionalId === tr.consultantId ? tr.consultantName : professionalId);
  const reload = () => void load();
  return (
    <>
      <Paragraph>
        <Link className="utrecht-link utrecht-link--html-a" to={consultant ? "/caseload" : "/"}>
          {consultant ? p.backToCaseload : t.backToMyWork}
        </Link>
      </Paragraph>
      <Heading1>{p.trajectoryTitle}</Heading1>
      {tr.summaryOnly && (
        <Alert type="info" data-testid="trajectory-summary">
          <Heading2>{p.summaryTitle}</Heading2>
          <Paragraph>{t.trajectorySummaryOnly}</Paragraph>
          <Paragraph>{p.summaryWhat}</Paragraph>
        </Alert>
      )}
      <Details tr={tr} teamName={teamName} />
      {full && (
        <section aria-labelledby="ladder-title">
          <Heading2 id="ladder-title">{p.ladderTitle}</Heading2>
          {tr.measurements.length === 0 ? (
            <Paragraph>{p.noMeasurements}</Paragraph>
          ) : (
            <>
              <LadderChart id="ladder-chart" residentName={tr.residentName} measurements={tr.measurements} rungs={terms.rungs} />
              <DataTable caption={p.measurementsCaption} columns={[p.date, p.rung, p.note, p.measuredBy]}>
                {tr.measurements.map((m) => (
                  <TableRow key={m.id} data-testid="measurement">
                    <TableCell>{formatDate(m.date)}</TableCell>
                    <TableCell>{p.rungWithLabel(m.rung, m.rungLabelNl)}</TableCell>
                    <TableCell>{m.note}</TableCell>
                    <TableCell>{nameOf(m.measuredBy)}</TableCell>
                  </TableRow>
                ))}
              </DataTable>
            </>
          )}
          <RecordMeasurement tr={tr} terms={terms} onDone={reload} />
        </section>
      )}
      <Steps steps={tr.steps} terms={terms} />
      {full && (
        <>
          <AddStep tr={tr} terms={terms} onDone={reload} />
          {tr.steps.length > 0 && <UpdateStep tr={tr} terms={terms} onDone={reload} />}
          <Transfer tr={tr} people={people} peopleError={peopleError} onDone={reload} />
        </>
      )}
    </>
  );
}

// What the server sent of the trajectory; rows it leaves out of a summary
// (the goal, the next measurement) are left out here too.
function Details({ tr, teamName }: { tr: Trajectory; teamName: string }) {
  return (
    <DataList>
      <DataListItem>
        <DataListKey>{p.client}</DataListKey>
        <DataListValue>
          <Link className="utrecht-link utrecht-link--html-a" to={`/inwoners/${tr.residentId}`} data-testid="trajectory-client">
            {tr.residentName || t.open}
          </Link>
        </DataListValue>
      </DataListItem>
      <DataRow label={p.consultant} value={tr.consultantName} testId="trajectory-consultant" />
      <DataRow label={p.team} value={teamName} />
      <DataRow label={p.organisation} value={tr.organisationName || tr.organisationId} />
      <DataRow label={p.startDate} value={dateOrDash(tr.startDate)} />
      {tr.bijstandSince && <DataRow label={p.bijstandSince} value={formatDate(tr.bijstandSince)} />}
      {!tr.summaryOnly && <DataRow label={p.goal} value={tr.goal || p.noGoal} testId="trajectory-goal" />}
      <DataRow label={t.status} value={trajectoryStatusLabel(tr)} testId="trajectory-status" />
      {tr.closeReason && <DataRow label={p.closeReason} value={tr.closeReason} />}
      <DataRow
        label={p.latestRung}
        value={tr.latestRung > 0 ? p.rungWithLabel(tr.latestRung, tr.latestRungLabelNl) : p.noRungYet}
        testId="trajectory-rung"
      />
      {tr.lastMeasured && <DataRow label={p.lastMeasured} value={formatDate(tr.lastMeasured)} />}
      {!tr.summaryOnly && (
        <DataRow label={p.nextMeasurement} value={nextMeasurementText(tr)} testId="trajectory-next" />
      )}
    </DataList>
  );
}

function Steps({ steps, terms }: { steps: Step[]; terms: Terms }) {
  return (
    <ListSection id="steps" title={p.stepsTitle} count={steps.length}>
      <DataTable
        caption={p.stepsCaption}
        columns={[p.stepType, p.description, t.status, p.plannedDate, p.startedDate, p.endDate, p.handover]}
      >
        {steps.map((s) => (
          <TableRow key={s.id} data-testid="step">
            <TableCell>{termLabel(terms.stepTypes, s.type)}</TableCell>
            <TableCell>{s.description}</TableCell>
            <TableCell>{termLabel(terms.stepStatuses, s.status)}</TableCell>
            <TableCell>{dateOrDash(s.plannedDate)}</TableCell>
            <TableCell>{dateOrDash(s.startDate)}</TableCell>
            <TableCell>{dateOrDash(s.endDate)}</TableCell>
            <TableCell>
              {s.handoverId ? (
                <>
                  <Link className="utrecht-link utrecht-link--html-a" to={`/overdrachten/${s.handoverId}`}>
                    {p.handoverLink(statusLabel(s.handoverStatus))}
                  </Link>
                  {s.handoverOutcome !== Outcome.UNSPECIFIED &&
                    ` — ${t.outcomes[`OUTCOME_${Outcome[s.handoverOutcome]}`] ?? ""}`}
                </>
              ) : (
                "—"
              )}
            </TableCell>
          </TableRow>
        ))}
      </DataTable>
    </ListSection>
  );
}

// What an action came to, under its form: the refusal in Dutch, or what
// was done.
function ActionOutcome({ error, done }: { error: string | null; done: string | null }) {
  if (error) return <Alert type="error" role="alert"><Paragraph>{error}</Paragraph></Alert>;
  if (done) return <Alert type="ok" role="status"><Paragraph>{done}</Paragraph></Alert>;
  return null;
}

// The state of one form's call: busy while it runs, then its outcome. A
// refusal because the trajectory changed meanwhile reloads it, so the page
// shows the new state under the message. The button disabled while busy
// loses the focus; it gets it back, so a keyboard user stays at the form.
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

function RecordMeasurement({ tr, terms, onDone }: { tr: Trajectory; terms: Terms; onDone: () => void }) {
  const [date, setDate] = useState(today());
  const [rung, setRung] = useState("");
  const [note, setNote] = useState("");
  // One request id per measurement: a retry after a lost answer records it once.
  const [round, setRound] = useState(0);
  const requestId = useMemo(() => `console-${crypto.randomUUID()}`, [round]);
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
      setRound(round + 1);
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
      <Button type="submit" appearance="primary-action-button" disabled={busy}>{p.record}</Button>
    </form>
  );
}

function AddStep({ tr, terms, onDone }: { tr: Trajectory; terms: Terms; onDone: () => void }) {
  const [type, setType] = useState("");
  const [description, setDescription] = useState("");
  const [status, setStatus] = useState(String(StepStatus.PLANNED));
  const [plannedDate, setPlannedDate] = useState("");
  const [handoverId, setHandoverId] = useState("");
  const [outbox, setOutbox] = useState<Handover[] | null>(null);
  const [round, setRound] = useState(0);
  const requestId = useMemo(() => `console-${crypto.randomUUID()}`, [round]);
  const { busy, error, done, call } = useCall(onDone);
  const referral = Number(type) === StepType.REFERRAL;
  // The handovers it may refer to, read only when a referral is chosen.
  useEffect(() => {
    if (!referral || outbox) return;
    handovers.listOutbox({ residentId: tr.residentId, pageSize: 50 }).then((r) => setOutbox(r.handovers), () => setOutbox([]));
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
      setRound(round + 1);
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
            {outbox === null ? (
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
        <Button type="submit" appearance="primary-action-button" disabled={busy}>{p.addStep}</Button>
      </form>
    </section>
  );
}

// A step's new status, with the day it started or ended.
function UpdateStep({ tr, terms, onDone }: { tr: Trajectory; terms: Terms; onDone: () => void }) {
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
        <Button type="submit" appearance="primary-action-button" disabled={busy}>{p.updateStep}</Button>
      </form>
    </section>
  );
}

// To another consultant of the same team, as the directory lists them.
function Transfer({ tr, people, peopleError, onDone }: {
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
          <Button type="submit" appearance="primary-action-button" disabled={busy}>{p.transfer}</Button>
        </form>
      )}
    </section>
  );
}
