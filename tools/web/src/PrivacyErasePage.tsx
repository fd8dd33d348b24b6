// Wissen (AVG art. 17): who is erased and exactly what happens, confirmed
// by retyping the request reference before "Definitief wissen" works; then
// what the server did, in counts. A legal hold refuses it with its own words.
import { Code, ConnectError } from "@connectrpc/connect";
import {
  Alert,
  DataList,
  FormField,
  FormLabel,
  Heading1,
  Heading2,
  Paragraph,
  Textbox,
  UnorderedList,
  UnorderedListItem,
} from "@utrecht/component-library-react";
import { useState } from "react";
import { Link } from "react-router";

import { privacy } from "./api";
import { DataRow } from "./DataRow";
import type { EraseResponse } from "./gen/schakel/v1/privacy_pb";
import { t } from "./messages";
import { ExportCounts, ResidentRecord } from "./PrivacyRecord";
import { actPath, describePrivacyError, forgetExports, type PrivacyRequest, useExport } from "./privacyRequest";
import { formatMoment } from "./time";
import { BusyButton } from "./BusyButton";

export function PrivacyErasePage(r: PrivacyRequest) {
  const [done, setDone] = useState<EraseResponse | null>(null);
  return (
    <>
      <Heading1>{t.privacy.eraseTitle}</Heading1>
      {done ? <Erased result={done} /> : <ConfirmErase request={r} onErased={setDone} />}
    </>
  );
}

function ConfirmErase({ request: r, onErased }: { request: PrivacyRequest; onErased: (e: EraseResponse) => void }) {
  const { document: doc, error: loadError, keep } = useExport(r);
  const [typed, setTyped] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [held, setHeld] = useState(false);
  const confirmed = typed.trim() === r.requestRef;

  const erase = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!confirmed) return;
    setBusy(true);
    setError(null);
    setHeld(false);
    try {
      const res = await privacy.erase(r);
      // The export kept for this request names the resident: gone with them.
      forgetExports();
      keep(null);
      onErased(res);
    } catch (err) {
      // Only a legal hold makes an erasure wait (privacy.proto).
      if (ConnectError.from(err).code === Code.FailedPrecondition) setHeld(true);
      else setError(describePrivacyError(err));
    } finally {
      setBusy(false);
    }
  };

  if (loadError) return <Alert type="error" role="alert"><Paragraph>{loadError}</Paragraph></Alert>;
  if (!doc?.resident) return <Paragraph aria-live="polite">{t.loading}</Paragraph>;
  return (
    <>
      <Paragraph>{t.privacy.eraseIntro}</Paragraph>
      <Paragraph small>{t.privacy.fromExport}</Paragraph>
      <ResidentRecord resident={doc.resident}>
        <ExportCounts document={doc} />
      </ResidentRecord>
      <section aria-labelledby="erase-what-title">
        <Heading2 id="erase-what-title">{t.privacy.eraseWhat}</Heading2>
        <UnorderedList data-testid="erase-steps">
          {t.privacy.eraseSteps.map((s) => <UnorderedListItem key={s}>{s}</UnorderedListItem>)}
        </UnorderedList>
        {doc.resident.legalHold && (
          <Alert type="warning"><Paragraph>{t.privacy.eraseHeldNow}</Paragraph></Alert>
        )}
      </section>
      <Heading2 id="erase-confirm-title">{t.privacy.eraseConfirmTitle}</Heading2>
      <form onSubmit={erase} aria-labelledby="erase-confirm-title">
        {held && (
          <Alert type="error" role="alert">
            <Paragraph data-testid="erase-held">{t.privacy.errorHeld}</Paragraph>
            <Paragraph>
              <Link className="utrecht-link utrecht-link--html-a" to={actPath("legal-hold", r)}>{t.privacy.holdTitle}</Link>
            </Paragraph>
          </Alert>
        )}
        {error && <Alert type="error" role="alert"><Paragraph>{error}</Paragraph></Alert>}
        <FormField>
          <FormLabel htmlFor="erase-confirm">{t.privacy.eraseConfirmField(r.requestRef)}</FormLabel>
          <Paragraph small id="erase-confirm-hint">{t.privacy.eraseConfirmHint}</Paragraph>
          <Textbox id="erase-confirm" aria-describedby="erase-confirm-hint" autoComplete="off" spellCheck={false}
                   value={typed} onChange={(e) => setTyped(e.target.value)} />
        </FormField>
        <BusyButton type="submit" appearance="primary-action-button" busy={busy} disabled={!confirmed}>
          {t.privacy.eraseButton}
        </BusyButton>
      </form>
    </>
  );
}

function Erased({ result: e }: { result: EraseResponse }) {
  const rows: [string, number, string][] = [
    [t.privacy.signalsWithdrawn, e.signalsWithdrawn, "signals-withdrawn"],
    [t.privacy.handoversCancelled, e.handoversCancelled, "handovers-cancelled"],
    [t.privacy.trajectoriesClosed, e.trajectoriesClosed, "trajectories-closed"],
    [t.privacy.textsErased, e.textsErased, "texts-erased"],
    [t.privacy.rectificationsRemoved, e.rectificationsRemoved, "rectifications-removed"],
  ];
  return (
    <>
      <Alert type="ok" role="status">
        <Paragraph data-testid="erased">{t.privacy.erased(e.residentId, formatMoment(e.eraseTime?.seconds))}</Paragraph>
      </Alert>
      <section aria-labelledby="erased-counts-title">
        <Heading2 id="erased-counts-title">{t.privacy.erasedCounts}</Heading2>
        <DataList>
          {rows.map(([label, n, id]) => <DataRow key={id} label={label} value={String(n)} testId={id} />)}
        </DataList>
      </section>
    </>
  );
}
