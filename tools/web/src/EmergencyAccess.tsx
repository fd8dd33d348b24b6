// Emergency access (break-glass): the banner on every page while a session
// is open.
export function EmergencyAccessBanner() {
  return null;
}
