// Emergency access (break-glass, docs/design.md): a regisseur or GGZ worker
// opens a resident's records for 60 minutes with a written reason. The
// console asks for it in a dialog that says what it means, shows a banner
// with the minutes left on every page while it is open, and marks every
// page about that resident: each of those reads is flagged for the auditor.
// Which sessions are open, the server says (WhoAmI); the console never
// decides it.
import { Alert, Button, FormField, FormLabel, Paragraph, Textarea } from "@utrecht/component-library-react";
import { useEffect, useRef, useState } from "react";
import { Link, useNavigate } from "react-router";

import "./EmergencyAccess.css";
import { residents } from "./api";
import { describeError } from "./errors";
import { Role } from "./gen/schakel/v1/common_pb";
import type { EmergencyAccess, WhoAmIResponse } from "./gen/schakel/v1/directory_pb";
import { hasRole, useMe, useRefreshMe } from "./Me";
import { t } from "./messages";
import { formatMoment } from "./time";
import { BusyButton } from "./BusyButton";

// The server's minimum (OpenBreakGlassRequest.reason), said before sending.
const kMinReason = 20;

// The sessions still open now, with the minutes left (rounded up).
function openSessions(all: EmergencyAccess[], now: number) {
  return all
    .map((a) => ({ access: a, left: Math.ceil((Number(a.endTime?.seconds ?? 0) * 1000 - now) / 60000) }))
    .filter((s) => s.left > 0);
}

// The time now; the component is drawn again every 15 seconds, so that
// the minutes left stay right.
function useNow(): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = window.setInterval(() => setTick((n) => n + 1), 15000);
    return () => window.clearInterval(timer);
  }, []);
  return Date.now();
}

export function EmergencyAccessBanner() {
  const me = useMe();
  const refresh = useRefreshMe();
  const now = useNow();
  const open = openSessions(me.emergencyAccess, now);
  const ended = open.length < me.emergencyAccess.length;
  // A session that ended: read again what the server says is open.
  useEffect(() => {
    // A failure changes nothing: the banner goes by the end time anyway.
    if (ended) refresh().catch(() => undefined);
  }, [ended, refresh]);
  if (open.length === 0) return null;
  return (
    <section aria-label={t.emergency.bannerLabel} className="schakel-emergency-banner" data-testid="emergency-banner">
      <Alert type="warning" role="note">
        {open.map(({ access, left }) => (
          <Paragraph key={access.residentId}>
            <strong>{t.emergency.bannerOpen(left, formatMoment(access.endTime?.seconds))}</strong>{" "}
            <Link className="utrecht-link utrecht-link--html-a" to={`/inwoners/${access.residentId}`}>
              {t.emergency.toResident}
            </Link>
          </Paragraph>
        ))}
        <Paragraph>{t.emergency.bannerFlagged}</Paragraph>
      </Alert>
    </section>
  );
}

// On a page that shows something of these residents (one record, or the
// rows of a list): said when one of them is read under emergency access.
// The server flags exactly these reads: every entry about a resident the
// caller holds a session for, a list's included. What was read under it
// stays marked after the session ends, for as long as the page shows it.
export function EmergencyAccessMark({ residentIds }: { residentIds: string[] }) {
  const me = useMe();
  const now = useNow();
  const seen = useRef(new Set<string>());
  const open = new Set(openSessions(me.emergencyAccess, now).map((s) => s.access.residentId));
  for (const id of residentIds) if (open.has(id)) seen.current.add(id);
  if (!residentIds.some((id) => seen.current.has(id))) return null;
  return (
    <Alert type="warning" role="note">
      <Paragraph data-testid="emergency-mark">{t.emergency.pageMarked}</Paragraph>
    </Alert>
  );
}

// Whether the caller's roles may open emergency access (the server decides
// again: auth::Decide, kBreakGlass).
export function mayBreakGlass(me: WhoAmIResponse): boolean {
  return hasRole(me, Role.REGISSEUR) || hasRole(me, Role.GGZ);
}

// The button and the dialog that open emergency access to one resident;
// only for the roles that may (regisseur, GGZ), and not while it is open.
// `unreachable`: the caller cannot read the resident now (NOT_FOUND).
export function OpenEmergencyAccess({ residentId, unreachable = false }: { residentId: string; unreachable?: boolean }) {
  const me = useMe();
  const refresh = useRefreshMe();
  const navigate = useNavigate();
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const now = useNow();
  const mayOpen = mayBreakGlass(me);
  const alreadyOpen = openSessions(me.emergencyAccess, now).some((s) => s.access.residentId === residentId);
  if (!mayOpen || !residentId || alreadyOpen) return null;

  const show = () => {
    setError(null);
    dialog.current?.showModal();
  };
  const close = () => dialog.current?.close();
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if ([...reason.trim()].length < kMinReason) {
      setError(t.emergency.reasonTooShort(kMinReason));
      return;
    }
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await residents.openBreakGlass({ residentId, reason: reason.trim() });
      await refresh();
      close();
      setReason("");
      navigate(`/inwoners/${residentId}`);
      // This section goes once access is open: the focus goes to the page.
      document.getElementById("inhoud")?.focus();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="emergency-title" className="schakel-emergency">
      <h2 id="emergency-title" className="utrecht-heading-2">{t.emergency.title}</h2>
      {unreachable && <Paragraph>{t.emergency.notVisible}</Paragraph>}
      <Paragraph>{t.emergency.intro}</Paragraph>
      <Button appearance="secondary-action-button" onClick={show}>{t.emergency.openButton}</Button>
      <dialog ref={dialog} aria-labelledby="emergency-dialog-title" className="schakel-emergency-dialog">
        <form onSubmit={submit}>
          <h2 id="emergency-dialog-title" className="utrecht-heading-2">{t.emergency.dialogTitle}</h2>
          <Paragraph>{t.emergency.dialogWhat}</Paragraph>
          <Paragraph>{t.emergency.dialogFlagged}</Paragraph>
          <FormField>
            <FormLabel htmlFor="emergency-reason">{t.emergency.reasonLabel}</FormLabel>
            <span id="emergency-reason-hint">{t.emergency.reasonHint(kMinReason)}</span>
            <Textarea
              id="emergency-reason"
              aria-describedby={error ? "emergency-reason-hint emergency-error" : "emergency-reason-hint"}
              aria-invalid={error ? true : undefined}
              required
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </FormField>
          {error && (
            <Alert type="error" role="alert" id="emergency-error">
              <Paragraph>{error}</Paragraph>
            </Alert>
          )}
          <div className="schakel-emergency-actions">
            <BusyButton type="submit" appearance="primary-action-button" busy={busy}>
              {t.emergency.confirm}
            </BusyButton>
            <Button type="button" appearance="secondary-action-button" onClick={close}>
              {t.emergency.cancel}
            </Button>
          </div>
        </form>
      </dialog>
    </section>
  );
}
