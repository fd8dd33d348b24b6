import { createContext, useContext } from "react";

import type { WhoAmIResponse } from "./gen/schakel/v1/directory_pb";

// The signed-in professional, as the server knows them (WhoAmI).
export const MeContext = createContext<WhoAmIResponse | null>(null);

export function useMe(): WhoAmIResponse {
  const me = useContext(MeContext);
  if (!me) throw new Error("useMe outside a signed-in page");
  return me;
}
