// What the privacy officer's pages share: the request they work on (the
// resident's id and the request reference, carried in the address so that
// a reload keeps them), the last export under it, and the refusals these
// calls have in the officer's words.
import { Code, ConnectError } from "@connectrpc/connect";
import { useEffect, useState } from "react";
import { useSearchParams } from "react-router";

import { privacy } from "./api";
import { describeError } from "./errors";
import type { ResidentExport } from "./gen/schakel/v1/privacy_pb";
import { t } from "./messages";

export type PrivacyRequest = { residentId: string; requestRef: string };

// The acts' pages, by the last part of their address.
export const acts = ["inzage", "rectificatie", "wissen", "legal-hold"];

// The address of one act's page for a request: /privacy/inzage?inwoner=…&verzoek=….
export function actPath(act: string, r: PrivacyRequest): string {
  const q = new URLSearchParams({ inwoner: r.residentId, verzoek: r.requestRef });
  return `/privacy${act ? `/${act}` : ""}?${q}`;
}

export function useRequestParams(): PrivacyRequest {
  const [q] = useSearchParams();
  return { residentId: q.get("inwoner") ?? "", requestRef: q.get("verzoek") ?? "" };
}

// The last export, kept while the officer moves between the acts of one
// request, so that each page does not export again (every export is an act
// in the audit log). Kept outside React (the console mounts each page
// afresh), for five minutes at most: the resident's data does not stay in
// the tab longer than the work on the request. The export page itself
// always asks the server anew. An erasure forgets every export, and one
// that answers after it is not kept.
let kept: { key: string; document: ResidentExport; at: number } | null = null;
let generation = 0;
const kMaxAgeMs = 5 * 60 * 1000;

const keyOf = (r: PrivacyRequest) => `${r.residentId}\n${r.requestRef}`;

function keptFor(key: string): ResidentExport | null {
  if (!kept || kept.key !== key || Date.now() - kept.at > kMaxAgeMs) return null;
  return kept.document;
}

// After an erasure: nothing of the resident stays, nor arrives later.
export function forgetExports(): void {
  kept = null;
  generation += 1;
}

function useKeptExport(r: PrivacyRequest, fresh: boolean) {
  const key = keyOf(r);
  const [document, setDocument] = useState(() => (fresh ? null : keptFor(key)));
  const keep = (d: ResidentExport | null) => {
    kept = d ? { key, document: d, at: Date.now() } : null;
    setDocument(d);
  };
  return { document, keep };
}

// A new export of the request; null when an erasure came in between (the
// answer is then dropped, not shown).
async function exportNow(r: PrivacyRequest): Promise<ResidentExport | null> {
  const asked = generation;
  const res = await privacy.export(r);
  return asked === generation ? (res.document ?? null) : null;
}

// The request's export: the one kept, else a new one; `fresh` (the export
// page itself): always a new one, kept for the request's other pages.
export function useExport(r: PrivacyRequest, fresh = false) {
  const { document, keep } = useKeptExport(r, fresh);
  const [error, setError] = useState<string | null>(null);
  const missing = document === null;
  useEffect(() => {
    if (!missing) return;
    let live = true;
    setError(null);
    exportNow(r).then(
      (d) => live && d && keep(d),
      (e) => live && setError(describePrivacyError(e)),
    );
    return () => {
      live = false;
    };
    // Asked again only when the kept export is dropped: the request itself
    // is fixed for the page's life (ForRequest keys the page by it).
  }, [missing]);
  return { document, error, keep };
}

// The request's own fields by the form's words; any other refusal as
// describeError says it.
export function describePrivacyError(e: unknown): string {
  const err = ConnectError.from(e);
  if (err.code === Code.InvalidArgument) {
    if (err.rawMessage.startsWith("request_ref:")) return t.errorInvalid(t.privacy.errorRequestRef);
    if (err.rawMessage.startsWith("resident_id:")) return t.errorInvalid(t.privacy.errorResidentId);
  }
  return describeError(e);
}
