// Every page of a paginated list, one request after another (the server's
// page tokens); for the short lists a form chooses from and the reports
// that must be whole.
export async function allPages<T>(
  fetch: (pageToken: string) => Promise<{ items: T[]; next: string }>,
): Promise<T[]> {
  const out: T[] = [];
  let pageToken = "";
  do {
    const page = await fetch(pageToken);
    out.push(...page.items);
    pageToken = page.next;
  } while (pageToken);
  return out;
}
