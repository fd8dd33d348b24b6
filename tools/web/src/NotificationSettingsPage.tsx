// How the caller receives each kind of notification (/meldingen/instellingen):
// in schakel only, an e-mail at once, or a daily digest. The server lists
// every kind with its current choice and keeps what is saved.
import {
  Alert,
  FormField,
  FormLabel,
  Heading1,
  Paragraph,
  Select,
  SelectOption,
} from "@utrecht/component-library-react";
import { useEffect, useState } from "react";
import { Link } from "react-router";

import { notifications } from "./api";
import { BusyButton } from "./BusyButton";
import { describeError } from "./errors";
import { Delivery, NotificationKind, type NotificationSettings_Choice } from "./gen/schakel/v1/notifications_pb";
import { t } from "./messages";
import { kindLabel } from "./NotificationsPage";

const n = t.notifications;
const deliveries = [Delivery.IN_APP, Delivery.EMAIL_NOW, Delivery.DAILY_DIGEST];

export function NotificationSettingsPage() {
  const [choices, setChoices] = useState<NotificationSettings_Choice[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    notifications.getNotificationSettings({}).then((s) => setChoices(s.choices), (e) => setError(describeError(e)));
  }, []);

  const choose = (kind: NotificationKind, delivery: Delivery) => {
    setNotice(null);
    setChoices((cs) => cs && cs.map((c) => (c.kind === kind ? { ...c, delivery } : c)));
  };

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!choices) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const s = await notifications.setNotificationSettings({
        choices: choices.map(({ kind, delivery }) => ({ kind, delivery })),
      });
      setChoices(s.choices);
      setNotice(n.saved);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Paragraph>
        <Link className="utrecht-link utrecht-link--html-a" to="/meldingen">{n.backToList}</Link>
      </Paragraph>
      <Heading1>{n.settingsTitle}</Heading1>
      <Paragraph>{n.settingsIntro}</Paragraph>
      <Paragraph>{n.noPersonalData}</Paragraph>
      {error && <Alert type="error" role="alert"><Paragraph>{error}</Paragraph></Alert>}
      {!error && !choices && <Paragraph aria-live="polite">{t.loading}</Paragraph>}
      {choices && (
        <form onSubmit={save} aria-label={n.settingsTitle}>
          {choices.map((c) => {
            const id = `delivery-${NotificationKind[c.kind] ?? c.kind}`;
            return (
              <FormField key={c.kind}>
                <FormLabel htmlFor={id}>{kindLabel(c.kind)}</FormLabel>
                <Select id={id} value={String(c.delivery)} onChange={(e) => choose(c.kind, Number(e.target.value))}>
                  {deliveries.map((d) => (
                    <SelectOption key={d} value={String(d)}>{n.deliveries[Delivery[d]]}</SelectOption>
                  ))}
                </Select>
              </FormField>
            );
          })}
          {notice && <Alert type="ok" role="status"><Paragraph>{notice}</Paragraph></Alert>}
          <BusyButton type="submit" appearance="primary-action-button" busy={busy}>
            {n.save}
          </BusyButton>
        </form>
      )}
    </>
  );
}
