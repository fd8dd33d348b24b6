// The caller's unread notifications as the whole tab sees them: the menu's
// count and the notifications page share one state, kept fresh by
// notificationWatch.ts and set again from every answer that carries the
// server's count (a list, a marking read). Only for the professionals who
// work with cases; for the others there is nothing to watch.
import { NumberBadge } from "@utrecht/component-library-react";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";

import { notifications } from "./api";
import { t } from "./messages";
import { type Unread, watchUnread } from "./notificationWatch";

type UnreadState = {
  // null until the server first answered.
  count: number | null;
  newestSeq: bigint;
  // An answer with the server's count (and the newest seq it listed, if any).
  report: (count: number, newestSeq?: bigint) => void;
  // Opening a notification: marked read, the count as the server answers.
  // A failure is silent: the resource page the professional opens is what
  // matters, and the notification stays unread.
  markRead: (id: string) => void;
};

const UnreadContext = createContext<UnreadState | null>(null);

export function UnreadProvider({ enabled, children }: { enabled: boolean; children: ReactNode }) {
  const [unread, setUnread] = useState<{ count: number | null; newestSeq: bigint }>({ count: null, newestSeq: 0n });

  const report = useCallback((count: number, newestSeq?: bigint) => {
    setUnread((u) => ({
      count,
      newestSeq: newestSeq !== undefined && newestSeq > u.newestSeq ? newestSeq : u.newestSeq,
    }));
  }, []);
  const markRead = useCallback((id: string) => {
    notifications.markNotificationsRead({ ids: [id] }).then((r) => report(r.unreadCount), () => undefined);
  }, [report]);

  useEffect(() => {
    if (!enabled) return;
    const stop = new AbortController();
    watchUnread((u: Unread) => report(u.count, u.newestSeq), stop.signal);
    return () => stop.abort();
  }, [enabled, report]);

  const state = useMemo(() => ({ ...unread, report, markRead }), [unread, report, markRead]);
  return <UnreadContext.Provider value={state}>{children}</UnreadContext.Provider>;
}

export function useUnread(): UnreadState {
  const state = useContext(UnreadContext);
  if (!state) throw new Error("useUnread outside UnreadProvider");
  return state;
}

// The menu item's text: "Meldingen" and, when there are any, a badge "3
// ongelezen" — the count is in the link's text, not only in a colour.
export function NotificationsMenuLabel() {
  const { count } = useUnread();
  return (
    <>
      {t.navNotifications}
      {count !== null && count > 0 && (
        <>
          {" "}
          <NumberBadge data-testid="unread-count">{t.notifications.unreadBadge(count)}</NumberBadge>
        </>
      )}
    </>
  );
}

// Said to a screen reader when the count goes up while the professional
// works (WCAG 4.1.3): a polite status outside the menu's link.
export function NewNotificationStatus() {
  const { count } = useUnread();
  const last = useRef<number | null>(null);
  const [said, setSaid] = useState("");
  useEffect(() => {
    // Once read, the news is old: nothing stale is left to be found there.
    if (count !== null && last.current !== null) {
      if (count > last.current) setSaid(t.notifications.arrived(count));
      else if (count < last.current) setSaid("");
    }
    last.current = count;
  }, [count]);
  return (
    <span role="status" className="schakel-visually-hidden">
      {said}
    </span>
  );
}
