// Which handover buttons to show: the server's state machine
// (server/domain/handover.cc, kRules) read from the caller's side. The
// server decides every action again; this only hides what it would refuse.
import { HandoverStatus } from "./gen/schakel/v1/handovers_pb";
import type { Handover } from "./gen/schakel/v1/handovers_pb";
import type { WhoAmIResponse } from "./gen/schakel/v1/directory_pb";

export type Action = "accept" | "decline" | "introduce" | "complete" | "cancel" | "withdrawConsent";
type Side = "sender" | "receiver" | "either";

const rules: { action: Action; from: HandoverStatus[]; by: Side }[] = [
  { action: "accept", from: [HandoverStatus.PROPOSED], by: "receiver" },
  { action: "decline", from: [HandoverStatus.PROPOSED], by: "receiver" },
  { action: "introduce", from: [HandoverStatus.ACCEPTED], by: "either" },
  { action: "complete", from: [HandoverStatus.ACCEPTED, HandoverStatus.INTRODUCED], by: "receiver" },
  { action: "cancel", from: [HandoverStatus.PROPOSED, HandoverStatus.ACCEPTED], by: "sender" },
  {
    action: "withdrawConsent",
    from: [HandoverStatus.PROPOSED, HandoverStatus.ACCEPTED, HandoverStatus.INTRODUCED],
    by: "sender",
  },
];

// The caller's side of `h`: a party is an organisation's team.
export function sidesOf(h: Handover, me: WhoAmIResponse): { sender: boolean; receiver: boolean } {
  const org = me.professional?.organisationId ?? "";
  const teams = me.professional?.teams ?? [];
  return {
    sender: h.fromOrganisationId === org && teams.includes(h.fromTeam),
    receiver: h.toOrganisationId === org && teams.includes(h.toTeam),
  };
}

export function allowedActions(h: Handover, me: WhoAmIResponse): Action[] {
  const side = sidesOf(h, me);
  return rules
    .filter((r) => r.from.includes(h.status))
    .filter((r) => (r.by === "either" ? side.sender || side.receiver : side[r.by]))
    .filter((r) => r.action !== "withdrawConsent" || h.basis?.basis.case === "consent")
    .map((r) => r.action);
}
