// The privacy officer's start: the request (resident id and request
// reference) named once, the act chosen for it, and the officers' acts of
// the last 30 days (four eyes on what hands out or removes data).
import {
  Alert,
  Button,
  ButtonGroup,
  Fieldset,
  FieldsetLegend,
  FormField,
  FormLabel,
  Heading1,
  Heading2,
  Paragraph,
  TableCell,
  TableRow,
  Textbox,
} from "@utrecht/component-library-react";
import { useEffect, useState } from "react";
import { useNavigate } from "react-router";

import { audit } from "./api";
import { describeError } from "./errors";
import type { AuditEntry } from "./gen/schakel/v1/audit_pb";
import { DataTable, ListSection } from "./ListSection";
import { t } from "./messages";
import { actPath, acts, useRequestParams } from "./privacyRequest";
import { formatMoment } from "./time";

export function PrivacyStartPage() {
  const given = useRequestParams();
  const [residentId, setResidentId] = useState(given.residentId);
  const [requestRef, setRequestRef] = useState(given.requestRef);
  const navigate = useNavigate();

  const submit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const act = ((e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null)?.value ?? "";
    if (acts.includes(act)) {
      navigate(actPath(act, { residentId: residentId.trim(), requestRef: requestRef.trim() }));
    }
  };

  return (
    <>
      <Heading1>{t.privacy.title}</Heading1>
      <Paragraph>{t.privacy.intro}</Paragraph>
      <Heading2 id="privacy-request-title">{t.privacy.requestTitle}</Heading2>
      <Paragraph data-testid="no-search">{t.privacy.noSearch}</Paragraph>
      {/* Enter in a field would press the first act (an export, itself an
          act in the log): an act runs only when its button is pressed. */}
      <form
        onSubmit={submit}
        onKeyDown={(e) => {
          if (e.key === "Enter" && e.target instanceof HTMLInputElement) e.preventDefault();
        }}
        aria-labelledby="privacy-request-title"
      >
        <FormField>
          <FormLabel htmlFor="privacy-resident">{t.privacy.fieldResident}</FormLabel>
          <Paragraph small id="privacy-resident-hint">{t.privacy.fieldResidentHint}</Paragraph>
          <Textbox id="privacy-resident" aria-describedby="privacy-resident-hint" required autoComplete="off"
                   spellCheck={false} value={residentId} onChange={(e) => setResidentId(e.target.value)} />
        </FormField>
        <FormField>
          <FormLabel htmlFor="privacy-ref">{t.privacy.fieldRequest}</FormLabel>
          <Paragraph small id="privacy-ref-hint">{t.privacy.fieldRequestHint}</Paragraph>
          <Textbox id="privacy-ref" aria-describedby="privacy-ref-hint" required maxLength={64} autoComplete="off"
                   spellCheck={false} value={requestRef} onChange={(e) => setRequestRef(e.target.value)} />
        </FormField>
        <Fieldset>
          <FieldsetLegend>{t.privacy.chooseAct}</FieldsetLegend>
          <ButtonGroup>
            {acts.map((a) => (
              <Button key={a} type="submit" value={a} appearance="secondary-action-button">
                {t.privacy.act[a]}
              </Button>
            ))}
          </ButtonGroup>
        </Fieldset>
      </form>
      <PrivacyActs />
    </>
  );
}

function PrivacyActs() {
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    audit.listPrivacyActs({}).then((r) => setEntries(r.entries), (e) => setError(describeError(e)));
  }, []);
  if (error) {
    return (
      <section aria-labelledby="privacy-acts-title">
        <Heading2 id="privacy-acts-title">{t.privacy.actsTitle}</Heading2>
        <Alert type="error" role="alert"><Paragraph>{error}</Paragraph></Alert>
      </section>
    );
  }
  if (!entries) return <Paragraph aria-live="polite">{t.loading}</Paragraph>;
  return (
    <ListSection id="privacy-acts" title={t.privacy.actsTitle} count={entries.length}>
      <Paragraph>{t.privacy.actsIntro}</Paragraph>
      <DataTable
        caption={t.privacy.actsCaption}
        columns={[t.privacy.colTime, t.privacy.colProfessional, t.privacy.colAction, t.privacy.colResident,
                  t.privacy.colRequest, t.privacy.colOutcome]}
      >
        {entries.map((e) => (
          <TableRow key={String(e.seq)} data-testid="privacy-act">
            <TableCell>{formatMoment(e.time?.seconds)}</TableCell>
            <TableCell>{e.professionalName || e.professionalId}</TableCell>
            <TableCell>{t.privacy.actions[e.action] ?? e.action}</TableCell>
            <TableCell>{e.residentIds.join(", ") || e.resourceId}</TableCell>
            <TableCell>{e.privacyRequest}</TableCell>
            <TableCell>{t.privacy.outcomes[e.outcome] ?? e.outcome}</TableCell>
          </TableRow>
        ))}
      </DataTable>
    </ListSection>
  );
}
