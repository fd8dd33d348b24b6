// What the caseload and the trajectory page share: the server's words for
// rungs and steps, the consultants of a team as the directory shows them,
// and how the next measurement reads.
import { directory, reference } from "./api";
import type { Person } from "./gen/schakel/v1/common_pb";
import type { VocabularyTerm } from "./gen/schakel/v1/reference_pb";
import type { Trajectory } from "./gen/schakel/v1/trajectories_pb";
import { t } from "./messages";
import { formatDate } from "./time";
import { allPages } from "./pages";

// The ladder's rungs and the step types and statuses, in the server's order
// and with its Dutch labels (the same words the CLI prints).
export type Terms = { rungs: VocabularyTerm[]; stepTypes: VocabularyTerm[]; stepStatuses: VocabularyTerm[] };

export async function loadTerms(): Promise<Terms> {
  const r = await reference.listVocabularies({});
  const terms = (name: string) => r.vocabularies.find((v) => v.name === name)?.terms ?? [];
  return { rungs: terms("ladder_rung"), stepTypes: terms("step_type"), stepStatuses: terms("step_status") };
}

// A term's label by its enum number, with a capital as a cell starts.
export function termLabel(terms: VocabularyTerm[], n: number): string {
  const label = terms.find((x) => x.number === n)?.labelNl ?? "";
  return label.charAt(0).toUpperCase() + label.slice(1);
}

// The consultants of one team of an organisation, as the directory lists
// them (disabled ones only when asked: the one whose caseload moves may
// have left).
export function teamConsultants(organisationId: string, team: string, includeDisabled: boolean): Promise<Person[]> {
  return allPages(async (pageToken) => {
    const r = await directory.listPeople({ organisationId, team, role: "consultant", includeDisabled, pageSize: 100, pageToken });
    return { items: r.people, next: r.nextPageToken };
  });
}

// "1 augustus 2026 — Meting te laat", as the server marks it; a dash when
// the server sent no date (a summary).
export function nextMeasurementText(tr: Trajectory): string {
  if (!tr.nextMeasurementDue) return "—";
  return t.participation.due(formatDate(tr.nextMeasurementDue), tr.measurementDue, tr.measurementOverdue);
}
