// Dates as the professionals read them: Dutch, in Europe/Amsterdam.
const dateFormat = new Intl.DateTimeFormat("nl-NL", {
  timeZone: "Europe/Amsterdam",
  day: "numeric",
  month: "long",
  year: "numeric",
});

// A civil date "2026-12-03" (a handover deadline) as "3 december 2026".
export function formatDate(civil: string): string {
  const [y, m, d] = civil.split("-").map(Number);
  if (!y || !m || !d) return civil;
  return dateFormat.format(new Date(Date.UTC(y, m - 1, d, 12)));
}

// Today's civil date in Europe/Amsterdam.
export function today(): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" }).format(new Date());
}

const timeFormat = new Intl.DateTimeFormat("nl-NL", {
  timeZone: "Europe/Amsterdam",
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

// A moment (seconds since 1970) in Amsterdam time: "2 december 2026 om 14:05".
export function formatMoment(seconds: bigint | number | undefined): string {
  if (seconds === undefined) return "";
  return timeFormat.format(new Date(Number(seconds) * 1000));
}
