// The purpose of use, chosen once per browser session from the
// deployment's list (ReferenceService.ListPurposes) and sent with every
// call as x-schakel-purpose; the audit log records it with each access.
const key = "schakel.purpose";

export function currentPurpose(): string | null {
  return window.sessionStorage.getItem(key);
}

export function choosePurpose(code: string): void {
  window.sessionStorage.setItem(key, code);
}
