import { createContext, useContext } from "react";

import { Role } from "./gen/schakel/v1/common_pb";
import type { WhoAmIResponse } from "./gen/schakel/v1/directory_pb";

// The signed-in professional, as the server knows them (WhoAmI), and how
// to read them again (after emergency access was opened, say).
export type MeState = { me: WhoAmIResponse; refresh: () => Promise<void> };
export const MeContext = createContext<MeState | null>(null);

export function useMe(): WhoAmIResponse {
  return useMeState().me;
}

export function useRefreshMe(): () => Promise<void> {
  return useMeState().refresh;
}

function useMeState(): MeState {
  const state = useContext(MeContext);
  if (!state) throw new Error("useMe outside a signed-in page");
  return state;
}

export function hasRole(me: WhoAmIResponse, role: Role): boolean {
  return me.professional?.roles.includes(role) ?? false;
}

// The roles that work with cases (signals, handovers, residents): they
// start on Mijn werk. The others work in their own part of the console.
const caseRoles = [Role.REGISSEUR, Role.CONSULTANT, Role.BRIDGE_OFFICER, Role.GGZ, Role.PARTNER];
export function worksWithCases(me: WhoAmIResponse): boolean {
  return caseRoles.some((r) => hasRole(me, r));
}
