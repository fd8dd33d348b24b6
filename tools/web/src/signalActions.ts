// Which signal controls to show (docs/design.md: the status machine and the
// policy table). The server decides again; this only hides what it would
// refuse.
import type { WhoAmIResponse } from "./gen/schakel/v1/directory_pb";
import { Role } from "./gen/schakel/v1/common_pb";
import type { Signal } from "./gen/schakel/v1/signals_pb";
import { SignalStatus } from "./gen/schakel/v1/signals_pb";

// open → in_progress → resolved → closed; resolved → in_progress;
// open|in_progress → withdrawn; closed and withdrawn are final.
const next: Record<number, SignalStatus[]> = {
  [SignalStatus.OPEN]: [SignalStatus.IN_PROGRESS, SignalStatus.WITHDRAWN],
  [SignalStatus.IN_PROGRESS]: [SignalStatus.RESOLVED, SignalStatus.WITHDRAWN],
  [SignalStatus.RESOLVED]: [SignalStatus.CLOSED, SignalStatus.IN_PROGRESS],
};

export function isRegisseur(me: WhoAmIResponse): boolean {
  return me.professional?.roles.includes(Role.REGISSEUR) ?? false;
}

function owns(s: Signal, me: WhoAmIResponse): boolean {
  const p = me.professional;
  return !!p && s.ownerOrganisationId === p.organisationId && p.teams.includes(s.ownerTeam);
}

export function statusChanges(s: Signal, me: WhoAmIResponse): SignalStatus[] {
  if (!isRegisseur(me) && !owns(s, me)) return [];
  return next[s.status] ?? [];
}

// Still being followed up: closed and withdrawn are final.
export function stillFollowedUp(s: Signal): boolean {
  return (next[s.status] ?? []).length > 0;
}

export function mayAssign(s: Signal, me: WhoAmIResponse): boolean {
  return isRegisseur(me) && stillFollowedUp(s);
}
