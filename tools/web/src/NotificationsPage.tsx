// The caller's notifications (/meldingen), newest first as the server lists
// them, all or only the unread, page by page. A notification names its kind,
// dates and the resource, never a name: its link opens the handover, signal
// or trajectory, whose page reads it as the caller may (that read is the
// audited one); opening marks the notification read.
import {
  Alert,
  FormField,
  FormLabel,
  Heading1,
  Paragraph,
  Select,
  SelectOption,
  TableCell,
  TableRow,
} from "@utrecht/component-library-react";
import { useCallback, useEffect, useRef, useState } from "react";
import { Link } from "react-router";

import { notifications } from "./api";
import { BusyButton } from "./BusyButton";
import { describeError } from "./errors";
import { type Notification, NotificationKind } from "./gen/schakel/v1/notifications_pb";
import { DataTable, ListSection } from "./ListSection";
import { t } from "./messages";
import { formatDate, formatMoment } from "./time";
import { useUnread } from "./Unread";

const n = t.notifications;
const pageSize = 50;

export function kindLabel(kind: NotificationKind): string {
  return n.kinds[NotificationKind[kind]] ?? n.kindOther;
}

// The page of the resource a notification is about; none for a type this
// console does not know.
const resourcePages: Record<string, string> = { handover: "/overdrachten", signal: "/signalen", trajectory: "/trajecten" };
function resourcePath(x: Notification): string | null {
  const base = resourcePages[x.resourceType];
  return base && x.resourceId ? `${base}/${x.resourceId}` : null;
}

type Page = { items: Notification[]; next: string };

export function NotificationsPage() {
  const unread = useUnread();
  const { report } = unread;
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [page, setPage] = useState<Page | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [marking, setMarking] = useState(false);
  // The newest seq the tab knew of when the list was read: one that
  // arrives later has the first page read again, in place.
  const loadedAt = useRef(0n);
  const newest = useRef(unread.newestSeq);
  newest.current = unread.newestSeq;
  // The button goes once nothing is unread: the focus moves to what it did
  // rather than to the start of the page (WCAG 2.4.3).
  const noticeRef = useRef<HTMLDivElement>(null);

  // The first page again, or the next one after what is shown. Only the
  // latest request's answer is shown (as on the caseload).
  const latest = useRef(0);
  const load = useCallback(async (after?: Page) => {
    const asked = ++latest.current;
    setBusy(true);
    try {
      const r = await notifications.listNotifications({ unreadOnly, pageSize, pageToken: after?.next ?? "" });
      if (asked !== latest.current) return;
      const items = [...(after?.items ?? []), ...r.notifications];
      if (!after) {
        const top = items[0]?.seq ?? 0n;
        loadedAt.current = top > newest.current ? top : newest.current;
      }
      report(r.unreadCount, r.notifications[0]?.seq);
      setPage({ items, next: r.nextPageToken });
      setError(null);
    } catch (e) {
      if (asked === latest.current) setError(describeError(e));
    } finally {
      if (asked === latest.current) setBusy(false);
    }
  }, [unreadOnly, report]);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (page && unread.newestSeq > loadedAt.current) void load();
  }, [unread.newestSeq, page, load]);

  // Everything up to the newest notification shown; one that arrived since
  // is not marked unseen.
  const markAll = async () => {
    const upToSeq = page?.items[0]?.seq;
    if (!upToSeq) return;
    setMarking(true);
    setNotice(null);
    try {
      const r = await notifications.markNotificationsRead({ upToSeq });
      report(r.unreadCount);
      // The list is read again before the notice says it is done: what the
      // notice announces is then what the list shows.
      await load();
      setNotice(n.markedAll(r.marked));
      noticeRef.current?.focus();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setMarking(false);
    }
  };

  const caption = unreadOnly ? n.captionUnread : n.captionAll;
  return (
    <>
      <Heading1>{n.title}</Heading1>
      <Paragraph>{n.intro}</Paragraph>
      {unread.count !== null && <Paragraph data-testid="unread-now">{n.unreadNow(unread.count)}</Paragraph>}
      <Paragraph>
        <Link className="utrecht-link utrecht-link--html-a" to="/meldingen/instellingen">{n.settingsLink}</Link>
      </Paragraph>
      <FormField>
        <FormLabel htmlFor="notifications-show">{n.show}</FormLabel>
        <Select
          id="notifications-show"
          value={unreadOnly ? "unread" : "all"}
          onChange={(e) => {
            setPage(null);
            setUnreadOnly(e.target.value === "unread");
          }}
        >
          <SelectOption value="all">{n.showAll}</SelectOption>
          <SelectOption value="unread">{n.showUnread}</SelectOption>
        </Select>
      </FormField>
      <div ref={noticeRef} tabIndex={-1}>
        {notice && <Alert type="ok" role="status"><Paragraph>{notice}</Paragraph></Alert>}
      </div>
      {error && <Alert type="error" role="alert"><Paragraph>{error}</Paragraph></Alert>}
      {!error && !page && <Paragraph aria-live="polite">{t.loading}</Paragraph>}
      {page && (
        <ListSection id="notifications" title={caption} count={page.items.length}>
          {(unread.count ?? 0) > 0 && (
            <Paragraph>
              <BusyButton appearance="secondary-action-button" busy={marking} onClick={() => void markAll()}>
                {n.markAll}
              </BusyButton>
            </Paragraph>
          )}
          <DataTable caption={caption} columns={[n.colNotification, n.colDue, n.colTime, n.colRead]}>
            {page.items.map((x) => (
              <NotificationRow key={x.id} item={x} onOpen={() => !x.readTime && unread.markRead(x.id)} />
            ))}
          </DataTable>
          {page.next && (
            <BusyButton appearance="secondary-action-button" busy={busy} onClick={() => void load(page)}>
              {n.more}
            </BusyButton>
          )}
        </ListSection>
      )}
    </>
  );
}

function NotificationRow({ item, onOpen }: { item: Notification; onOpen: () => void }) {
  const path = resourcePath(item);
  const label = kindLabel(item.kind);
  return (
    <TableRow data-testid="notification" className={item.readTime ? undefined : "schakel-unread"}>
      <TableCell>
        {path ? (
          <Link className="utrecht-link utrecht-link--html-a" to={path} onClick={onOpen}>{label}</Link>
        ) : (
          label
        )}
      </TableCell>
      <TableCell>{item.dueDate ? formatDate(item.dueDate) : ""}</TableCell>
      <TableCell>{formatMoment(item.createTime?.seconds)}</TableCell>
      <TableCell>{item.readTime ? n.read(formatMoment(item.readTime.seconds)) : n.unread}</TableCell>
    </TableRow>
  );
}
