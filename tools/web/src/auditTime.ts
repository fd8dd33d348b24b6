// The auditor's periods: a date (and optionally a time) as read on a clock
// in the Netherlands, whatever the browser's own time zone, turned into
// the moment the API takes.
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";

const clock = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Europe/Amsterdam",
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

// How far Amsterdam's clock is ahead of UTC at a moment (milliseconds).
function amsterdamOffset(at: number): number {
  const parts = clock.formatToParts(new Date(at));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(part("year"), part("month") - 1, part("day"), part("hour"), part("minute"), part("second")) - at;
}

// "2026-12-02" with "14:05" (or "" for midnight) in Amsterdam. The offset
// is looked up twice so that a moment near a clock change gets its own.
function amsterdamMoment(date: string, time: string): number {
  const [y, m, d] = date.split("-").map(Number);
  const [hh, mm] = (time || "00:00").split(":").map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  return wall - amsterdamOffset(wall - amsterdamOffset(wall));
}

// The start of a period; undefined when no date is given.
export function periodStart(date: string, time = ""): Timestamp | undefined {
  if (!date) return undefined;
  return timestampFromDate(new Date(amsterdamMoment(date, time)));
}

// The end of a period, including the given minute, or the whole day when
// no time is given (up to the next midnight: a day of a clock change is
// not 24 hours long).
export function periodEnd(date: string, time = ""): Timestamp | undefined {
  if (!date) return undefined;
  if (time) return timestampFromDate(new Date(amsterdamMoment(date, time) + 60_000 - 1));
  const [y, m, d] = date.split("-").map(Number);
  const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  return timestampFromDate(new Date(amsterdamMoment(next, "") - 1));
}
