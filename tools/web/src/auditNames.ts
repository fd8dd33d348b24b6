// What the auditor's pages share: the directory (to name the professionals
// and organisations the log and the sessions carry by id), the Dutch labels
// of purposes and roles from the server's reference data, and Dutch words
// for an entry's outcome and action.
import { useEffect, useState } from "react";

import { directory, reference } from "./api";
import { describeError } from "./errors";
import type { AuditEntry } from "./gen/schakel/v1/audit_pb";
import type { Organisation, Person } from "./gen/schakel/v1/common_pb";
import { t } from "./messages";
import { allPages } from "./pages";

export type Names = {
  people: Person[];
  organisations: Organisation[];
  person: (id: string) => string;
  organisation: (id: string) => string;
  purpose: (code: string) => string;
  role: (number: number) => string;
};

async function allPeople(): Promise<Person[]> {
  const people = await allPages(async (pageToken) => {
    const r = await directory.listPeople({ includeDisabled: true, pageSize: 100, pageToken });
    return { items: r.people, next: r.nextPageToken };
  });
  return people.sort((a, b) => a.displayName.localeCompare(b.displayName, "nl"));
}

function allOrganisations(): Promise<Organisation[]> {
  return allPages(async (pageToken) => {
    const r = await directory.listOrganisations({ pageSize: 100, pageToken });
    return { items: r.organisations, next: r.nextPageToken };
  });
}

// The names (null while loading), and a failure to load them in Dutch.
export function useNames(): [Names | null, string | null] {
  const [names, setNames] = useState<Names | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    Promise.all([
      allPeople(),
      allOrganisations(),
      reference.listPurposes({}),
      reference.listVocabularies({ name: "role" }),
    ]).then(([people, organisations, purposes, roles]) => {
      const personById = new Map(people.map((p) => [p.id, p.displayName]));
      const orgById = new Map(organisations.map((o) => [o.id, o.name]));
      const purposeByCode = new Map(purposes.purposes.map((p) => [p.code, p.labelNl]));
      const roleByNumber = new Map(
        (roles.vocabularies[0]?.terms ?? []).map((term) => [term.number, term.labelNl]),
      );
      setNames({
        people,
        organisations,
        // "init" made the grants of the installation (server/deployment/
        // init.cc); an id the directory does not know (erased) is shown as
        // it is.
        person: (id) => personById.get(id) ?? (id === "init" ? t.audit.atInstallation : id),
        organisation: (id) => orgById.get(id) ?? id,
        purpose: (code) => purposeByCode.get(code) ?? code,
        role: (n) => roleByNumber.get(n) ?? String(n),
      });
    }, (e) => setError(describeError(e)));
  }, []);
  return [names, error];
}

export function outcomeWord(outcome: string): string {
  return t.audit.outcomes[outcome] ?? outcome;
}

// What the entry did in plain Dutch, with a refusal or failure said so.
export function actionWords(entry: AuditEntry): string {
  const what = t.audit.actions[entry.action] ?? entry.action;
  if (entry.outcome === "denied") return t.audit.refused(what);
  if (entry.outcome === "failed") return t.audit.failed(what);
  return what;
}

// The professional as the entry names them (looked up by the server when
// read), else the id.
export function entryProfessional(entry: AuditEntry): string {
  return entry.professionalName || entry.professionalId || t.audit.unknownPerson;
}

export function entryOrganisation(entry: AuditEntry): string {
  return entry.organisationName || entry.organisationId;
}
