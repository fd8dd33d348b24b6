// Legal hold: whether one is on the resident (from the export, then from
// the server's answer), and placing or releasing it after a confirmation.
import { clone } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { Alert, Button, ButtonGroup, Heading1, Paragraph } from "@utrecht/component-library-react";
import { useEffect, useRef, useState } from "react";

import { privacy } from "./api";
import { ResidentExportSchema } from "./gen/schakel/v1/privacy_pb";
import { t } from "./messages";
import { ResidentRecord } from "./PrivacyRecord";
import { describePrivacyError, type PrivacyRequest, useExport } from "./privacyRequest";
import { BusyButton } from "./BusyButton";

export function PrivacyHoldPage(r: PrivacyRequest) {
  const { document: doc, error: loadError, keep } = useExport(r);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const confirmRef = useRef<HTMLDivElement>(null);
  const askRef = useRef<HTMLButtonElement>(null);
  const asked = useRef(false);
  // The focus goes to the question when it opens, and back to the button
  // that asked it when it closes (answered or not).
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
    else if (asked.current) askRef.current?.focus();
    asked.current ||= confirming;
  }, [confirming]);

  if (loadError) return <><Heading1>{t.privacy.holdTitle}</Heading1><Alert type="error" role="alert"><Paragraph>{loadError}</Paragraph></Alert></>;
  if (!doc?.resident) return <><Heading1>{t.privacy.holdTitle}</Heading1><Paragraph aria-live="polite">{t.loading}</Paragraph></>;
  const held = doc.resident.legalHold;

  const act = async () => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const res = held ? await privacy.release(r) : await privacy.hold(r);
      const next = clone(ResidentExportSchema, doc);
      if (next.resident) next.resident.legalHold = res.held;
      keep(next);
      setNotice(res.held ? t.privacy.holdPlaced : t.privacy.holdReleased);
    } catch (err) {
      if (ConnectError.from(err).code === Code.FailedPrecondition) {
        // Someone else placed or released it meanwhile: read it again.
        setNotice(held ? t.privacy.holdNone : t.privacy.holdAlready);
        keep(null);
      } else {
        setError(describePrivacyError(err));
      }
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  return (
    <>
      <Heading1>{t.privacy.holdTitle}</Heading1>
      <Paragraph>{t.privacy.holdIntro}</Paragraph>
      <Paragraph small>{t.privacy.fromExport}</Paragraph>
      {error && <Alert type="error" role="alert"><Paragraph>{error}</Paragraph></Alert>}
      <div role="status">{notice && <Alert type="ok"><Paragraph>{notice}</Paragraph></Alert>}</div>
      <ResidentRecord resident={doc.resident} />
      {confirming ? (
        <div ref={confirmRef} tabIndex={-1} className="schakel-privacy-confirm" data-testid="hold-confirm">
          <Paragraph>{held ? t.privacy.holdConfirmRelease(r.requestRef) : t.privacy.holdConfirmPlace(r.requestRef)}</Paragraph>
          <ButtonGroup>
            <BusyButton appearance="primary-action-button" busy={busy} onClick={() => void act()}>
              {held ? t.privacy.holdConfirmReleaseButton : t.privacy.holdConfirmPlaceButton}
            </BusyButton>
            <Button appearance="secondary-action-button" onClick={() => setConfirming(false)}>{t.privacy.back}</Button>
          </ButtonGroup>
        </div>
      ) : (
        <Button ref={askRef} appearance="secondary-action-button" onClick={() => setConfirming(true)}>
          {held ? t.privacy.holdRelease : t.privacy.holdPlace}
        </Button>
      )}
    </>
  );
}
