// Verifying the audit log (AuditService.VerifyAudit): the server recomputes
// the hash chain and checks the signed checkpoints, and optionally that a
// head the auditor noted earlier is still in the chain. Checked once when
// the page opens, and again on request.
import { Alert, DataList, Heading1, Heading2, Paragraph } from "@utrecht/component-library-react";
import { useCallback, useEffect, useState } from "react";

import { audit } from "./api";
import { DataRow } from "./DataRow";
import { describeError } from "./errors";
import { Field } from "./Field";
import type { VerifyAuditResponse } from "./gen/schakel/v1/audit_pb";
import { t } from "./messages";
import { BusyButton } from "./BusyButton";

function problemInDutch(problem: string): string {
  const known = t.audit.problems.find(([pattern]) => pattern.test(problem));
  return known ? problem.replace(known[0], known[1]) : problem;
}

export function AuditVerifyPage() {
  const [expectSeq, setExpectSeq] = useState("");
  const [expectHash, setExpectHash] = useState("");
  const [result, setResult] = useState<VerifyAuditResponse | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const verify = useCallback(async (seq: string, hash: string) => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await audit.verifyAudit({ expectSeq: /^\d+$/.test(seq) ? BigInt(seq) : 0n, expectHash: hash }));
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  }, []);

  useEffect(() => {
    verify("", "");
  }, [verify]);

  // A head recorded earlier is both its number and its hash; a mistyped
  // number is refused here, never checked as if no head were given.
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const seq = expectSeq.trim();
    const hash = expectHash.trim();
    if (seq !== "" || hash !== "") {
      if (!/^\d{1,19}$/.test(seq) || BigInt(seq) > 9223372036854775807n) {
        setResult(null);
        setError(t.audit.expectSeqInvalid);
        return;
      }
      if (hash === "") {
        setResult(null);
        setError(t.audit.expectHashMissing);
        return;
      }
    }
    verify(seq, hash);
  };

  return (
    <>
      <Heading1>{t.audit.verifyTitle}</Heading1>
      <Paragraph>{t.audit.verifyIntro}</Paragraph>
      <form onSubmit={submit} aria-label={t.audit.verifyTitle}>
        <Field id="v-seq" label={t.audit.fieldExpectSeq} value={expectSeq} onChange={setExpectSeq} />
        <Field id="v-hash" label={t.audit.fieldExpectHash} value={expectHash} onChange={setExpectHash} />
        <BusyButton type="submit" appearance="primary-action-button" busy={busy}>{t.audit.verify}</BusyButton>
      </form>
      {error && <Alert type="error" role="alert"><Paragraph>{error}</Paragraph></Alert>}
      {busy && <Paragraph aria-live="polite">{t.loading}</Paragraph>}
      {result && (
        <section aria-labelledby="verify-result">
          <Heading2 id="verify-result">{t.audit.verifyResultTitle}</Heading2>
          {result.intact ? (
            <Paragraph role="status" data-testid="verify-verdict">{t.audit.intact}</Paragraph>
          ) : (
            <Alert type="error" role="alert"><Paragraph data-testid="verify-verdict">{t.audit.notIntact}</Paragraph></Alert>
          )}
          <DataList>
            <DataRow label={t.audit.verifyEntries} value={String(result.entries)} testId="verify-entries" />
            <DataRow label={t.audit.verifyHeadSeq} value={String(result.headSeq)} testId="verify-head-seq" />
            <DataRow label={t.audit.verifyHeadHash} value={result.headHash} testId="verify-head-hash" />
            <DataRow label={t.audit.verifyCheckpoints} value={String(result.checkpoints)} testId="verify-checkpoints" />
            {!result.intact && (
              <>
                <DataRow label={t.audit.verifyFirstBad} value={String(result.firstBadSeq)} testId="verify-first-bad" />
                <DataRow label={t.audit.verifyProblem} value={problemInDutch(result.problem)} testId="verify-problem" />
              </>
            )}
          </DataList>
        </section>
      )}
    </>
  );
}
