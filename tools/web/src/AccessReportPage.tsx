// A resident's access report (AuditService.ResidentAccessReport, every
// page): the answer to a resident's request to know who looked at their
// data, in plain Dutch, ready to print or save as PDF. It names the
// resident by id only: the auditor does not read a resident's name.
import { Alert, Button, Heading1, Heading2, Paragraph, TableCell, TableRow } from "@utrecht/component-library-react";
import { useEffect, useState } from "react";
import { useSearchParams } from "react-router";

import { audit } from "./api";
import { actionWords, entryOrganisation, entryProfessional, useNames } from "./auditNames";
import { BusyButton } from "./BusyButton";
import { describeError } from "./errors";
import { Field } from "./Field";
import type { AuditEntry } from "./gen/schakel/v1/audit_pb";
import { DataTable } from "./ListSection";
import { t } from "./messages";
import { formatDate, formatMoment, today } from "./time";
import { allPages } from "./pages";

function allAccesses(residentId: string): Promise<AuditEntry[]> {
  return allPages(async (pageToken) => {
    const r = await audit.residentAccessReport({ residentId, pageSize: 500, pageToken });
    return { items: r.accesses, next: r.nextPageToken };
  });
}

export function AccessReportPage() {
  // The resident's id is in the address (?inwoner=…), so the report can be
  // opened again or from the log.
  const [params, setParams] = useSearchParams();
  const residentId = params.get("inwoner") ?? "";
  const [names, namesError] = useNames();
  const [typed, setTyped] = useState(residentId);
  const [accesses, setAccesses] = useState<AuditEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setAccesses(null);
    setError(null);
    if (!residentId) return;
    // A report asked for another resident before, answering late, is
    // dropped: never one resident's accesses under another's id.
    let live = true;
    allAccesses(residentId).then(
      (got) => live && setAccesses(got),
      (e) => live && setError(describeError(e)),
    );
    return () => {
      live = false;
    };
  }, [residentId]);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setParams({ inwoner: typed.trim() });
  };

  return (
    <>
      <div className="schakel-audit-noprint">
        <Heading1>{t.audit.reportTitle}</Heading1>
        <Paragraph>{t.audit.reportFormIntro}</Paragraph>
        <form onSubmit={submit} aria-label={t.audit.reportTitle}>
          <Field id="report-resident" label={t.audit.fieldResidentId} value={typed} onChange={setTyped} required />
          <BusyButton type="submit" appearance="primary-action-button" busy={!!residentId && !accesses && !error}>
            {t.audit.makeReport}
          </BusyButton>
        </form>
      </div>
      {(error ?? namesError) && <Alert type="error" role="alert"><Paragraph>{error ?? namesError}</Paragraph></Alert>}
      {residentId && !error && !namesError && !(accesses && names) && <Paragraph aria-live="polite">{t.loading}</Paragraph>}
      {accesses && names && (
        <section className="schakel-access-report" aria-labelledby="report-heading">
          <Paragraph className="schakel-audit-noprint">
            <Button appearance="secondary-action-button" onClick={() => window.print()}>{t.audit.print}</Button>
          </Paragraph>
          <Heading2 id="report-heading">{t.audit.reportHeading}</Heading2>
          <Paragraph>{t.audit.reportIntro}</Paragraph>
          <Paragraph data-testid="report-made">{t.audit.reportMadeOn(formatDate(today()))}</Paragraph>
          <Paragraph>{t.audit.reportResident(residentId)}</Paragraph>
          <Paragraph role="status" data-testid="report-count">
            {accesses.length === 0 ? t.audit.reportNone : t.audit.reportCount(accesses.length)}
          </Paragraph>
          {accesses.length > 0 && (
            <DataTable
              caption={t.audit.reportCaption}
              columns={[t.audit.colWhen, t.audit.colWho, t.audit.colOrganisation, t.audit.colWhat, t.audit.colWhy, t.audit.colEmergency]}
            >
              {accesses.map((e) => (
                <TableRow key={String(e.seq)} data-action={e.action}>
                  <TableCell>{formatMoment(e.time?.seconds)}</TableCell>
                  <TableCell>{entryProfessional(e)}</TableCell>
                  <TableCell>{entryOrganisation(e)}</TableCell>
                  <TableCell>{actionWords(e)}</TableCell>
                  <TableCell>{names.purpose(e.purpose)}</TableCell>
                  <TableCell>{e.breakGlass ? <strong>{t.audit.emergencyYes}</strong> : t.audit.emergencyNo}</TableCell>
                </TableRow>
              ))}
            </DataTable>
          )}
        </section>
      )}
    </>
  );
}
