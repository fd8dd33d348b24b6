// How a tab keeps the caller's unread count fresh (docs/design.md,
// "Streaming"): one WatchNotifications stream; each notification it brings
// has the count read again from the server (ListNotifications: its
// unread_count is the server's word, the console counts nothing itself).
// While no stream is open (it failed, or ended with its deadline) the count
// is read every 30 seconds, and a new stream is tried after 5 s, 10 s,
// 20 s … at most 5 minutes. None of this is ever shown as an error: a read
// that fails keeps the last count, and the next one tries again.
import { notifications } from "./api";

export const kPollMs = 30_000;
const kFirstRetryMs = 5_000;
const kMaxRetryMs = 300_000;
// A stream open this long worked: the backoff starts again from the first step.
const kHealthyMs = 60_000;

// The unread count and the newest notification's seq the server reported.
export type Unread = { count: number; newestSeq: bigint };

export function watchUnread(onUnread: (u: Unread) => void, signal: AbortSignal): void {
  let newestSeq = 0n;
  let poll: number | undefined;

  // One read at a time; asked again during one, it reads once more after.
  let reading = false;
  let again = false;
  const read = async () => {
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      do {
        again = false;
        try {
          const r = await notifications.listNotifications({ pageSize: 1 }, { signal });
          const top = r.notifications[0]?.seq ?? 0n;
          if (top > newestSeq) newestSeq = top;
          if (!signal.aborted) onUnread({ count: r.unreadCount, newestSeq });
        } catch {
          // Silent: the last count stays until the next read.
        }
      } while (again && !signal.aborted);
    } finally {
      reading = false;
    }
  };

  // A hidden tab is not polled; it reads at once when shown again.
  const startPolling = () => {
    if (poll !== undefined) return;
    poll = window.setInterval(() => {
      if (document.visibilityState !== "hidden") void read();
    }, kPollMs);
  };
  const stopPolling = () => {
    window.clearInterval(poll);
    poll = undefined;
  };
  const shown = () => {
    if (poll !== undefined && document.visibilityState === "visible") void read();
  };
  document.addEventListener("visibilitychange", shown);
  signal.addEventListener("abort", () => {
    stopPolling();
    document.removeEventListener("visibilitychange", shown);
  });

  const run = async () => {
    await read();
    let attempt = 0;
    while (!signal.aborted) {
      const opened = Date.now();
      try {
        // Resumed after the newest seen: nothing committed in between is missed.
        const stream = notifications.watchNotifications(
          { afterSeq: newestSeq },
          { signal, onHeader: stopPolling },
        );
        for await (const n of stream) {
          if (n.seq > newestSeq) newestSeq = n.seq;
          attempt = 0;
          void read();
        }
      } catch {
        // Silent: polling takes over until a stream opens again.
      }
      if (signal.aborted) return;
      startPolling();
      if (Date.now() - opened >= kHealthyMs) attempt = 0;
      await pause(Math.min(kFirstRetryMs * 2 ** attempt, kMaxRetryMs), signal);
      attempt++;
    }
  };
  void run();
}

// Waits, or less when the watch stops.
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const stopped = () => {
      window.clearTimeout(timer);
      resolve();
    };
    const timer = window.setTimeout(() => {
      signal.removeEventListener("abort", stopped);
      resolve();
    }, ms);
    signal.addEventListener("abort", stopped, { once: true });
  });
}
