// One participation trajectory (/trajecten/:id) exactly as the server shows
// it to the caller: in full to the consultants of its team (the ladder as a
// chart and a table, the steps, and the forms to measure, add or change a
// step and transfer it), or the summary a receiving partner sees, said so,
// with nothing of what the server left out drawn as if it were empty.
import {
  Alert,
  DataList,
  Heading1,
  Heading2,
  Paragraph,
  TableCell,
  TableRow,
} from "@utrecht/component-library-react";
import { useCallback, useEffect, useState } from "react";
import { Link, useParams } from "react-router";

import { directory, trajectories } from "./api";
import { DataLinkRow, DataRow } from "./DataRow";
import { describeError } from "./errors";
import { EmergencyAccessMark } from "./EmergencyAccess";
import { Role } from "./gen/schakel/v1/common_pb";
import type { Person } from "./gen/schakel/v1/common_pb";
import { Outcome } from "./gen/schakel/v1/handovers_pb";
import type { Step, Trajectory } from "./gen/schakel/v1/trajectories_pb";
import { statusLabel } from "./HandoverPage";
import { LadderChart } from "./LadderChart";
import { DataTable, ListSection } from "./ListSection";
import { hasRole, useMe } from "./Me";
import { t } from "./messages";
import { loadTerms, nextMeasurementText, type Terms, teamConsultants, termLabel } from "./participation";
import { formatDate } from "./time";
import { trajectoryStatusLabel } from "./trajectory";
import { AddStep, RecordMeasurement, Transfer, UpdateStep } from "./TrajectoryForms";

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
      <EmergencyAccessMark residentIds={[tr.residentId]} />
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
      <Steps steps={tr.steps} terms={terms} summary={tr.summaryOnly} />
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
      <DataLinkRow label={p.client} to={`/inwoners/${tr.residentId}`} text={tr.residentName || t.open} testId="trajectory-client" />
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

// A summary holds only the steps referred to the reader's team: said so.
function Steps({ steps, terms, summary }: { steps: Step[]; terms: Terms; summary: boolean }) {
  return (
    <ListSection id="steps" title={summary ? p.summaryStepsTitle : p.stepsTitle} count={steps.length}>
      <DataTable
        caption={summary ? p.summaryStepsTitle : p.stepsCaption}
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
