// Searching the audit log (AuditService.QueryAudit): every filter the API
// has, a page at a time. The first page of the whole log is shown at once;
// a professional who is not the auditor reads the server's refusal.
import type { MessageInitShape } from "@bufbuild/protobuf";
import { Alert, Heading1, Paragraph, TableCell, TableRow } from "@utrecht/component-library-react";
import { useCallback, useEffect, useState } from "react";
import { Link } from "react-router";

import { audit } from "./api";
import { entryOrganisation, entryProfessional, outcomeWord, useNames } from "./auditNames";
import { periodEnd, periodStart } from "./auditTime";
import { describeError } from "./errors";
import { Field } from "./Field";
import type { AuditEntry, QueryAuditRequestSchema } from "./gen/schakel/v1/audit_pb";
import { DataTable, ListSection } from "./ListSection";
import { t } from "./messages";
import { formatMoment } from "./time";
import { BusyButton } from "./BusyButton";

// A page that fits on a screen; the log itself is long.
const kPageSize = 25;

type Query = MessageInitShape<typeof QueryAuditRequestSchema>;
type Results = { entries: AuditEntry[]; next: string; page: number; query: Query };

export function AuditQueryPage() {
  const [names, namesError] = useNames();
  const [professional, setProfessional] = useState("");
  const [professionalId, setProfessionalId] = useState("");
  const [organisation, setOrganisation] = useState("");
  const [residentId, setResidentId] = useState("");
  const [action, setAction] = useState("");
  const [outcome, setOutcome] = useState("");
  const [fromDate, setFromDate] = useState("");
  const [fromTime, setFromTime] = useState("");
  const [toDate, setToDate] = useState("");
  const [toTime, setToTime] = useState("");
  const [results, setResults] = useState<Results | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async (query: Query, page: number, pageToken = "") => {
    setBusy(true);
    setError(null);
    try {
      const r = await audit.queryAudit({ ...query, pageSize: kPageSize, pageToken });
      setResults({ entries: r.entries, next: r.nextPageToken, page, query });
    } catch (e) {
      setResults(null);
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  }, []);

  useEffect(() => {
    load({}, 1);
  }, [load]);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const query: Query = {
      professionalId: professionalId.trim() || professional,
      organisationId: organisation,
      residentId: residentId.trim(),
      action: action.trim(),
      outcome,
      from: periodStart(fromDate, fromTime),
      to: periodEnd(toDate, toTime),
    };
    load(query, 1);
  };

  return (
    <>
      <Heading1>{t.audit.queryTitle}</Heading1>
      <Paragraph>{t.audit.queryIntro}</Paragraph>
      {namesError && <Alert type="error" role="alert"><Paragraph>{namesError}</Paragraph></Alert>}
      <form className="schakel-audit-filters" onSubmit={submit} aria-label={t.audit.queryTitle}>
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor="q-professional">{t.audit.fieldProfessional}</label>
          <select id="q-professional" className="utrecht-select utrecht-select--html-select"
                  value={professional} onChange={(e) => setProfessional(e.target.value)}>
            <option value="">{t.audit.everyone}</option>
            {names?.people.map((p) => (
              <option key={p.id} value={p.id}>{p.displayName} ({p.organisationName || p.organisationId})</option>
            ))}
          </select>
        </div>
        <Field id="q-professional-id" label={t.audit.fieldProfessionalId} value={professionalId} onChange={setProfessionalId} />
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor="q-organisation">{t.audit.fieldOrganisation}</label>
          <select id="q-organisation" className="utrecht-select utrecht-select--html-select"
                  value={organisation} onChange={(e) => setOrganisation(e.target.value)}>
            <option value="">{t.audit.everyOrganisation}</option>
            {names?.organisations.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
          </select>
        </div>
        <Field id="q-resident" label={t.audit.fieldResidentId} value={residentId} onChange={setResidentId} />
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor="q-action">{t.audit.fieldAction}</label>
          <input id="q-action" className="utrecht-textbox utrecht-textbox--html-input" type="text"
                 aria-describedby="q-action-hint" value={action} onChange={(e) => setAction(e.target.value)} />
          <span id="q-action-hint" className="utrecht-form-field-description">{t.audit.fieldActionHint}</span>
        </div>
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor="q-outcome">{t.audit.fieldOutcome}</label>
          <select id="q-outcome" className="utrecht-select utrecht-select--html-select"
                  value={outcome} onChange={(e) => setOutcome(e.target.value)}>
            <option value="">{t.audit.everyOutcome}</option>
            {Object.entries(t.audit.outcomes).map(([code, label]) => <option key={code} value={code}>{label}</option>)}
          </select>
        </div>
        <Field id="q-from-date" label={t.audit.fieldFromDate} type="date" value={fromDate} onChange={setFromDate} />
        <Field id="q-from-time" label={t.audit.fieldFromTime} type="time" value={fromTime} onChange={setFromTime} />
        <Field id="q-to-date" label={t.audit.fieldToDate} type="date" value={toDate} onChange={setToDate} />
        <Field id="q-to-time" label={t.audit.fieldToTime} type="time" value={toTime} onChange={setToTime} />
        <BusyButton type="submit" appearance="primary-action-button" busy={busy}>{t.audit.search}</BusyButton>
      </form>
      {error && <Alert type="error" role="alert"><Paragraph>{error}</Paragraph></Alert>}
      {!error && !results && <Paragraph aria-live="polite">{t.loading}</Paragraph>}
      {results && (
        <ListSection id="entries" title={t.audit.entriesTitle} count={results.entries.length}>
          <Paragraph role="status">{t.audit.pageNumber(results.page)}</Paragraph>
          {results.query.residentId && (
            <Paragraph>
              <Link className="utrecht-link utrecht-link--html-a"
                    to={`/audit/inwoner?${new URLSearchParams({ inwoner: results.query.residentId })}`}>
                {t.audit.reportForResident}
              </Link>
            </Paragraph>
          )}
          <DataTable
            caption={t.audit.entriesCaption(results.page)}
            columns={[
              t.audit.colTime, t.audit.colProfessional, t.audit.colOrganisation, t.audit.colAction,
              t.audit.colResource, t.audit.colOutcome, t.audit.colPurpose, t.audit.colBreakGlass,
            ]}
          >
            {results.entries.map((e) => (
              <TableRow key={String(e.seq)}>
                <TableCell>{formatMoment(e.time?.seconds)}</TableCell>
                <TableCell>{entryProfessional(e)}</TableCell>
                <TableCell>{entryOrganisation(e)}</TableCell>
                <TableCell>
                  {e.action}
                  {t.audit.actions[e.action] && <><br />{t.audit.actions[e.action]}</>}
                </TableCell>
                <TableCell>
                  {t.audit.resourceTypes[e.resourceType] ?? e.resourceType} {e.resourceId}
                  {e.residentIds.some((id) => id !== e.resourceId) && (
                    <><br />{t.audit.aboutResidents(e.residentIds.join(", "))}</>
                  )}
                </TableCell>
                <TableCell>{outcomeWord(e.outcome)}</TableCell>
                <TableCell>{names ? names.purpose(e.purpose) : e.purpose}</TableCell>
                <TableCell>
                  {e.breakGlass ? <strong>{t.audit.breakGlassYes}</strong> : t.audit.breakGlassNo}
                </TableCell>
              </TableRow>
            ))}
          </DataTable>
        </ListSection>
      )}
      {results && (results.next || results.page > 1) && (
        <Paragraph>
          {results.next && (
            <BusyButton appearance="secondary-action-button" busy={busy}
                    onClick={() => load(results.query, results.page + 1, results.next)}>
              {t.audit.nextPage}
            </BusyButton>
          )}{" "}
          {results.page > 1 && (
            <BusyButton appearance="subtle-button" busy={busy} onClick={() => load(results.query, 1)}>
              {t.audit.firstPage}
            </BusyButton>
          )}
        </Paragraph>
      )}
    </>
  );
}
