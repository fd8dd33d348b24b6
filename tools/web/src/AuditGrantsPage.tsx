// The history of roles (AuditService.ListGrants): every professional with
// their roles, every grant with who asked and who decided (dual control),
// and what the server flags in that history.
import { Alert, Heading1, Paragraph, TableCell, TableRow } from "@utrecht/component-library-react";
import { useEffect, useState } from "react";

import { audit } from "./api";
import { useNames } from "./auditNames";
import { describeError } from "./errors";
import type { ListGrantsResponse } from "./gen/schakel/v1/grants_pb";
import { Grant_Status, GrantAnomaly_Kind } from "./gen/schakel/v1/grants_pb";
import { DataTable, ListSection } from "./ListSection";
import { t } from "./messages";
import { formatMoment } from "./time";

export function AuditGrantsPage() {
  const [names, namesError] = useNames();
  const [grants, setGrants] = useState<ListGrantsResponse | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    audit.listGrants({}).then(setGrants, (e) => setError(describeError(e)));
  }, []);

  const person = (id: string) => names?.person(id) ?? id;
  const organisation = (id: string) => names?.organisation(id) ?? id;
  const roles = (list: number[]) => list.map((r) => names?.role(r) ?? String(r)).join(", ");

  return (
    <>
      <Heading1>{t.audit.grantsTitle}</Heading1>
      <Paragraph>{t.audit.grantsIntro}</Paragraph>
      {(error ?? namesError) && <Alert type="error" role="alert"><Paragraph>{error ?? namesError}</Paragraph></Alert>}
      {!error && !grants && <Paragraph aria-live="polite">{t.loading}</Paragraph>}
      {grants && (
        <>
          <ListSection id="professionals" title={t.audit.professionalsTitle} count={grants.professionals.length}>
            <DataTable
              caption={t.audit.professionalsCaption}
              columns={[t.audit.colName, t.audit.colOrganisation, t.audit.colRoles, t.audit.colTeams,
                        t.audit.colPending, t.audit.colDisabled]}
            >
              {grants.professionals.map((p) => (
                <TableRow key={p.id}>
                  <TableCell>{p.displayName}</TableCell>
                  <TableCell>{organisation(p.organisationId)}</TableCell>
                  <TableCell>{roles(p.roles)}</TableCell>
                  <TableCell>{p.teams.join(", ")}</TableCell>
                  <TableCell>{[roles(p.pendingRoles), p.pendingTeams.join(", ")].filter(Boolean).join("; ")}</TableCell>
                  <TableCell>{p.disabled ? t.audit.yes : t.audit.no}</TableCell>
                </TableRow>
              ))}
            </DataTable>
          </ListSection>
          <ListSection id="grants" title={t.audit.grantsListTitle} count={grants.grants.length}>
            <DataTable
              caption={t.audit.grantsCaption}
              columns={[t.audit.colProfessional, t.audit.colOrganisation, t.audit.colRoles, t.audit.colTeam,
                        t.audit.colStatus, t.audit.colRequestedBy, t.audit.colRequestTime,
                        t.audit.colDecidedBy, t.audit.colDecideTime, t.reason]}
            >
              {grants.grants.map((g) => (
                <TableRow key={g.id}>
                  <TableCell>{person(g.professionalId)}</TableCell>
                  <TableCell>{organisation(g.organisationId)}</TableCell>
                  <TableCell>{roles(g.roles)}</TableCell>
                  <TableCell>{g.team}</TableCell>
                  <TableCell>{t.audit.grantStatus[Grant_Status[g.status]] ?? Grant_Status[g.status]}</TableCell>
                  <TableCell>{person(g.requestedBy)}</TableCell>
                  <TableCell>{formatMoment(g.requestTime?.seconds)}</TableCell>
                  <TableCell>{g.decidedBy ? person(g.decidedBy) : ""}</TableCell>
                  <TableCell>{formatMoment(g.decideTime?.seconds)}</TableCell>
                  <TableCell>{g.reason}</TableCell>
                </TableRow>
              ))}
            </DataTable>
          </ListSection>
          <ListSection id="grant-anomalies" title={t.audit.grantAnomaliesTitle} count={grants.anomalies.length}>
            <DataTable
              caption={t.audit.grantAnomaliesCaption}
              columns={[t.audit.colKind, t.audit.colProfessional, t.audit.colGrant, t.audit.colTime]}
            >
              {grants.anomalies.map((a, i) => (
                <TableRow key={i}>
                  <TableCell>{t.audit.anomalyKinds[GrantAnomaly_Kind[a.kind]] ?? GrantAnomaly_Kind[a.kind]}</TableCell>
                  <TableCell>{person(a.professionalId)}</TableCell>
                  <TableCell>{a.grantId}</TableCell>
                  <TableCell>{formatMoment(a.time?.seconds)}</TableCell>
                </TableRow>
              ))}
            </DataTable>
          </ListSection>
        </>
      )}
    </>
  );
}
