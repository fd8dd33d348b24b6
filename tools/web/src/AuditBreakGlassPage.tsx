// Emergency access and anomalies of a period (AuditService.ListBreakGlass
// and ListAnomalies; both default to the last 30 days). Every emergency
// access is an exception the auditor reviews, its reason included.
import { Alert, Heading1, Paragraph, TableCell, TableRow } from "@utrecht/component-library-react";
import { useCallback, useEffect, useState } from "react";

import { audit } from "./api";
import { useNames } from "./auditNames";
import { periodEnd, periodStart } from "./auditTime";
import { describeError } from "./errors";
import { Field } from "./Field";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { Anomaly_Kind } from "./gen/schakel/v1/audit_pb";
import type { Anomaly, BreakGlassSession } from "./gen/schakel/v1/audit_pb";
import { DataTable, ListSection } from "./ListSection";
import { t } from "./messages";
import { formatDate, formatMoment } from "./time";
import { BusyButton } from "./BusyButton";

// The anomaly in Dutch from its numbers (the server's detail is English).
function anomalyDetail(a: Anomaly): string {
  const count = String(a.count);
  switch (a.kind) {
    case Anomaly_Kind.READ_VOLUME:
      return t.audit.anomalyDetail.READ_VOLUME(count, String(a.usual));
    case Anomaly_Kind.DENIALS:
      return t.audit.anomalyDetail.DENIALS(count);
    case Anomaly_Kind.BREAK_GLASS:
      return t.audit.anomalyDetail.BREAK_GLASS(count);
    default:
      return count;
  }
}

type Period = { from?: Timestamp; to?: Timestamp };
type Found = { sessions: BreakGlassSession[]; anomalies: Anomaly[] };

export function AuditBreakGlassPage() {
  const [names, namesError] = useNames();
  const [fromDate, setFromDate] = useState("");
  const [toDate, setToDate] = useState("");
  const [found, setFound] = useState<Found | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async (period: Period) => {
    setBusy(true);
    setError(null);
    try {
      const [s, a] = await Promise.all([audit.listBreakGlass(period), audit.listAnomalies(period)]);
      setFound({ sessions: s.sessions, anomalies: a.anomalies });
    } catch (e) {
      setFound(null);
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  }, []);

  useEffect(() => {
    load({});
  }, [load]);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    load({ from: periodStart(fromDate), to: periodEnd(toDate) });
  };

  const person = (id: string) => names?.person(id) ?? id;
  const organisation = (id: string) => names?.organisation(id) ?? id;

  return (
    <>
      <Heading1>{t.audit.breakGlassTitle}</Heading1>
      <form onSubmit={submit} aria-label={t.audit.breakGlassTitle}>
        <Paragraph>{t.audit.periodIntro}</Paragraph>
        <Field id="bg-from" label={t.audit.fieldFromDate} type="date" value={fromDate} onChange={setFromDate} />
        <Field id="bg-to" label={t.audit.fieldToDate} type="date" value={toDate} onChange={setToDate} />
        <BusyButton type="submit" appearance="primary-action-button" busy={busy}>{t.audit.show}</BusyButton>
      </form>
      {(error ?? namesError) && <Alert type="error" role="alert"><Paragraph>{error ?? namesError}</Paragraph></Alert>}
      {!error && !found && <Paragraph aria-live="polite">{t.loading}</Paragraph>}
      {found && (
        <>
          <ListSection id="sessions" title={t.audit.sessionsTitle} count={found.sessions.length}>
            <DataTable
              caption={t.audit.sessionsCaption}
              columns={[t.audit.colProfessional, t.audit.colOrganisation, t.audit.colResident,
                        t.audit.colReason, t.audit.colStart, t.audit.colEnd]}
            >
              {found.sessions.map((s) => (
                <TableRow key={s.id}>
                  <TableCell>{person(s.professionalId)}</TableCell>
                  <TableCell>{organisation(s.organisationId)}</TableCell>
                  <TableCell>{s.residentId}</TableCell>
                  <TableCell>{s.reason}</TableCell>
                  <TableCell>{formatMoment(s.startTime?.seconds)}</TableCell>
                  <TableCell>{formatMoment(s.endTime?.seconds)}</TableCell>
                </TableRow>
              ))}
            </DataTable>
          </ListSection>
          <ListSection id="anomalies" title={t.audit.anomaliesTitle} count={found.anomalies.length}>
            <DataTable
              caption={t.audit.anomaliesCaption}
              columns={[t.audit.colKind, t.audit.colProfessional, t.audit.colOrganisation, t.audit.colDay,
                        t.audit.colDetail]}
            >
              {found.anomalies.map((a, i) => (
                <TableRow key={i}>
                  <TableCell>{t.audit.anomalyKinds[Anomaly_Kind[a.kind]] ?? Anomaly_Kind[a.kind]}</TableCell>
                  <TableCell>{person(a.professionalId)}</TableCell>
                  <TableCell>{organisation(a.organisationId)}</TableCell>
                  <TableCell>{formatDate(a.day)}</TableCell>
                  <TableCell>{anomalyDetail(a)}</TableCell>
                </TableRow>
              ))}
            </DataTable>
          </ListSection>
        </>
      )}
    </>
  );
}
