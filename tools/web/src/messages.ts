// Every text the console shows, in one catalogue per language (Dutch first;
// English can be added as a second object of the same shape).
export const nl = {
  appName: "schakel",
  skipToContent: "Naar de inhoud",
  navMyWork: "Mijn werk",
  loading: "Bezig met laden…",
  signedInAs: (name: string, organisation: string) => `Ingelogd als ${name} (${organisation})`,
  myWorkTitle: "Mijn werk",
  myWorkIntro: "Wat op u en uw team wacht, en waar uw overdrachten staan.",
  inboxTitle: "Warme overdrachten voor uw team",
  outboxTitle: "Uw verstuurde overdrachten",
  signalsTitle: "Signalen van uw organisatie",
  count: (n: number) => (n === 1 ? "1 item" : `${n} items`),
  deadline: "Uiterlijk",
  status: "Status",
  overdue: "Te laat",
  none: "Niets om te tonen.",
  withheld: "Afgeschermd",
  errorTitle: "Er ging iets mis",
  errorUnauthenticated:
    "Uw certificaat wordt niet (meer) geaccepteerd. Neem contact op met de functioneel beheerder.",
  errorUnavailable: "schakel is even niet bereikbaar. Probeer het zo opnieuw.",
  errorOther: (code: string) => `De server weigerde het verzoek (${code}).`,
  handoverStatus: {
    HANDOVER_STATUS_PROPOSED: "Voorgesteld",
    HANDOVER_STATUS_ACCEPTED: "Geaccepteerd",
    HANDOVER_STATUS_DECLINED: "Afgewezen",
    HANDOVER_STATUS_INTRODUCED: "Introductie gehad",
    HANDOVER_STATUS_COMPLETED: "Afgerond",
    HANDOVER_STATUS_EXPIRED: "Verlopen",
    HANDOVER_STATUS_CANCELLED: "Geannuleerd",
  } as Record<string, string>,
};

export type Messages = typeof nl;
export const t: Messages = nl;
