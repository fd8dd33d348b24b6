// One warm handover: what the caller may read of it, and a button for each
// action the state machine allows from the caller's side (handoverActions.ts).
import { Code, ConnectError } from "@connectrpc/connect";
import {
  Alert,
  Button,
  ButtonGroup,
  DataList,
  FormField,
  FormLabel,
  Heading1,
  Heading2,
  Paragraph,
  Select,
  SelectOption,
  Textarea,
  Textbox,
} from "@utrecht/component-library-react";
import { useCallback, useEffect, useState } from "react";
import { Link, useParams } from "react-router";

import { handovers } from "./api";
import { describeError } from "./errors";
import { EmergencyAccessMark } from "./EmergencyAccess";
import type { Handover } from "./gen/schakel/v1/handovers_pb";
import { HandoverStatus, Outcome } from "./gen/schakel/v1/handovers_pb";
import { type Action, allowedActions } from "./handoverActions";
import { useMe } from "./Me";
import { DataRow } from "./DataRow";
import { t } from "./messages";
import { formatDate, today } from "./time";
import { BusyButton } from "./BusyButton";

export function statusLabel(s: HandoverStatus): string {
  return t.handoverStatus[`HANDOVER_STATUS_${HandoverStatus[s]}`] ?? "";
}

function basisText(h: Handover): string {
  const b = h.basis?.basis;
  if (b?.case === "consent") return t.basisConsentOn(formatDate(b.value.date));
  if (b?.case === "legalTask") return t.basisLegalTaskRef(b.value.reference);
  if (b?.case === "vitalInterest") return t.basisVitalInterest;
  return "";
}

export function HandoverPage() {
  const { id = "" } = useParams();
  const me = useMe();
  const [h, setH] = useState<Handover | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [open, setOpen] = useState<Action | null>(null);

  const load = useCallback(
    () => handovers.getHandover({ id }).then(setH, (e) => setError(describeError(e))),
    [id],
  );
  useEffect(() => {
    void load();
  }, [load]);

  if (error) return <Alert type="error" role="alert"><Paragraph>{error}</Paragraph></Alert>;
  if (!h) return <Paragraph aria-live="polite">{t.loading}</Paragraph>;

  const actions = allowedActions(h, me);
  return (
    <>
      <Paragraph>
        <Link className="utrecht-link utrecht-link--html-a" to="/">{t.backToMyWork}</Link>
      </Paragraph>
      <Heading1>{t.handoverTitle}</Heading1>
      <EmergencyAccessMark residentIds={[h.residentId]} />
      {notice && (
        <Alert type="ok" role="status">
          <Paragraph>{notice}</Paragraph>
        </Alert>
      )}
      <DataList>
        <DataRow label={t.status} value={statusLabel(h.status)} testId="status" />
        <DataRow label={t.resident} value={h.residentName} />
        <DataRow label={t.from} value={h.fromOrganisationName || h.fromOrganisationId} />
        <DataRow label={t.to} value={h.toOrganisationName || h.toOrganisationId} />
        <DataRow label={t.deadline} value={formatDate(h.deadline) + (h.overdue ? ` — ${t.overdue}` : "")} />
        <DataRow label={t.reason} value={h.reason} />
        <DataRow label={t.basis} value={basisText(h)} />
        {h.introducedDate && <DataRow label={t.introduced} value={formatDate(h.introducedDate)} />}
        {h.outcome !== Outcome.UNSPECIFIED && (
          <DataRow label={t.outcome} value={`${t.outcomes[`OUTCOME_${Outcome[h.outcome]}`] ?? ""} ${h.outcomeText}`} />
        )}
        {h.declineReason && <DataRow label={t.declineReason} value={h.declineReason} />}
        {h.cancelReason && <DataRow label={t.cancelReason} value={h.cancelReason} />}
      </DataList>
      <section aria-labelledby="actions-title">
        <Heading2 id="actions-title">{t.actionsTitle}</Heading2>
        {actions.length === 0 && <Paragraph>{t.noActions}</Paragraph>}
        <ButtonGroup>
          {actions.map((a) => (
            <Button
              key={a}
              appearance={a === "accept" || a === "complete" ? "primary-action-button" : "secondary-action-button"}
              aria-expanded={open === a}
              onClick={() => setOpen(open === a ? null : a)}
            >
              {t.action[a]}
            </Button>
          ))}
        </ButtonGroup>
        {open && (
          <ActionForm
            key={open}
            action={open}
            handover={h}
            onDone={(next) => {
              setH(next);
              setOpen(null);
              setNotice(t.actionDone(statusLabel(next.status)));
            }}
            onStale={() => {
              setOpen(null);
              setNotice(t.stale);
              void load();
            }}
          />
        )}
      </section>
    </>
  );
}


function ActionForm(props: {
  action: Action;
  handover: Handover;
  onDone: (h: Handover) => void;
  onStale: () => void;
}) {
  const { action, handover } = props;
  const [reason, setReason] = useState("");
  const [date, setDate] = useState(today());
  const [withWhom, setWithWhom] = useState("");
  const [outcome, setOutcome] = useState<Outcome>(Outcome.HELPED);
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const base = { id: handover.id, etag: handover.etag };
    try {
      let next: Handover;
      switch (action) {
        case "accept": next = await handovers.acceptHandover(base); break;
        case "decline": next = await handovers.declineHandover({ ...base, reason }); break;
        case "cancel": next = await handovers.cancelHandover({ ...base, reason }); break;
        case "withdrawConsent": next = await handovers.withdrawConsent({ ...base, reason }); break;
        case "introduce": next = await handovers.introduceHandover({ ...base, date, with: withWhom }); break;
        case "complete": next = await handovers.completeHandover({ ...base, outcome, text }); break;
      }
      props.onDone(next);
    } catch (err) {
      if (ConnectError.from(err).code === Code.Aborted) return props.onStale();
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  const needsReason = action === "decline" || action === "cancel" || action === "withdrawConsent";
  return (
    <form onSubmit={submit} aria-label={t.action[action]}>
      {error && (
        <Alert type="error" role="alert">
          <Paragraph>{error}</Paragraph>
        </Alert>
      )}
      {needsReason && (
        <FormField>
          <FormLabel htmlFor="reason">{t.fieldReason}</FormLabel>
          <Paragraph small id="reason-hint">{t.fieldReasonHint}</Paragraph>
          <Textarea id="reason" aria-describedby="reason-hint" required={action === "decline"}
                    value={reason} onChange={(e) => setReason(e.target.value)} />
        </FormField>
      )}
      {action === "introduce" && (
        <>
          <FormField>
            <FormLabel htmlFor="date">{t.fieldIntroducedDate}</FormLabel>
            <Textbox id="date" type="date" max={today()} value={date} onChange={(e) => setDate(e.target.value)} />
          </FormField>
          <FormField>
            <FormLabel htmlFor="with">{t.fieldIntroducedWith}</FormLabel>
            <Textbox id="with" value={withWhom} onChange={(e) => setWithWhom(e.target.value)} />
          </FormField>
        </>
      )}
      {action === "complete" && (
        <>
          <FormField>
            <FormLabel htmlFor="outcome">{t.fieldOutcome}</FormLabel>
            <Select id="outcome" value={String(outcome)} onChange={(e) => setOutcome(Number(e.target.value))}>
              {[Outcome.HELPED, Outcome.NOT_HELPED, Outcome.REFERRED_ON, Outcome.RESIDENT_DECLINED].map((o) => (
                <SelectOption key={o} value={String(o)}>{t.outcomes[`OUTCOME_${Outcome[o]}`]}</SelectOption>
              ))}
            </Select>
          </FormField>
          <FormField>
            <FormLabel htmlFor="text">{t.fieldOutcomeText}</FormLabel>
            <Textarea id="text" value={text} onChange={(e) => setText(e.target.value)} />
          </FormField>
        </>
      )}
      <BusyButton type="submit" appearance="primary-action-button" busy={busy}>
        {t.action[action]}
      </BusyButton>
    </form>
  );
}
