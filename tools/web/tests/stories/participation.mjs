// Participation (docs: tools/web/tests/run.mjs): the consultant measures a
// client on the participation ladder in the console and sees the chart and
// its table, refers the client to Woej with a step, and transfers the
// trajectory; the partner sees nothing before accepting the handover and
// only the summary after; the caseload lists by next measurement due and a
// whole caseload moves to a colleague only after confirmation.
const day = 86400000;
const civil = (d) => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" }).format(d);
const daysAgo = (n) => civil(new Date(Date.now() - n * day));
const longDate = new Intl.DateTimeFormat("nl-NL", {
  timeZone: "Europe/Amsterdam", day: "numeric", month: "long", year: "numeric",
});
// "2026-01-05" as the console writes it: "5 januari 2026".
const long = (c) => {
  const [y, m, d] = c.split("-").map(Number);
  return longDate.format(new Date(Date.UTC(y, m - 1, d, 12)));
};

export default async function participation({ url, as, run, check, axe, shot, clean }) {
  // A refusal the story asks for is logged by the browser as a failed
  // resource: those (and only those) are expected; anything else is not.
  const cleanBut = (who, problems, statuses) => {
    const refusal = (s) => `Failed to load resource: the server responded with a status of ${s} `;
    check(statuses.every((s) => problems.some((x) => x.startsWith(refusal(s)))),
          `${who}: the browser saw the refusals asked for (${statuses.join(", ")})`);
    clean(who, problems.filter((x) => !statuses.some((s) => x.startsWith(refusal(s)))));
  };
  const consultantId = run("consultant", ["whoami"]).professional.id;
  const colleagueId = run("consultant-2", ["whoami"]).professional.id;
  const register = (user, name, birth) =>
    run(user, ["resident", "register", "--name", name, "--birth-date", birth,
               "--address", "De Heuvel 3", "--wijk", "heuvel-amstelwijk"]).id;
  const goal = "Betaald werk in de zorg vinden";
  const kees = register("consultant", "Kees Ladder", "1975-06-01");
  const traject = run("consultant", ["trajectory", "start", "--resident", kees, "--goal", goal,
                                     "--start-date", daysAgo(330)]).id;
  // Two more clients whose measurement is overdue: one of the consultant's
  // own, one of the colleague's in the same team.
  const noor = register("consultant", "Noor Wachtrij", "1982-02-02");
  run("consultant", ["trajectory", "start", "--resident", noor, "--start-date", daysAgo(30)]);
  const ruud = register("consultant-2", "Ruud Collega", "1969-09-09");
  run("consultant-2", ["trajectory", "start", "--resident", ruud, "--start-date", daysAgo(60)]);
  // The warm handover to Woej the referral step will be.
  const handover = run("consultant", [
    "handover", "propose", "--resident", kees, "--to", "woej",
    "--reason", "Zoekt vrijwilligerswerk als opstap", "--basis", "consent",
    "--basis-note", "schriftelijke toestemming", "--consent-date", daysAgo(1),
  ]).id;
  const measurements = [
    { rung: 1, date: daysAgo(300), note: "Komt weinig buiten de deur.", label: "geïsoleerd" },
    { rung: 3, date: daysAgo(200), note: "Doet mee aan de taalgroep.", label: "deelname aan georganiseerde activiteiten" },
    { rung: 4, date: daysAgo(100), note: "Helpt twee dagen bij de voedselbank.", label: "onbetaald werk" },
  ];
  const step = "Vrijwilligerswerk via Woej";

  // Story 1: the consultant measures the client three times in the
  // console; the chart and the table under it show the same three points.
  const consultant = await as("consultant");
  {
    const { page, ui } = consultant;
    await page.goto(`${url}/trajecten/${traject}`);
    await page.getByRole("heading", { level: 1, name: "Participatietraject" }).waitFor({ timeout: 15000 });
    check((await page.getByTestId("trajectory-goal").textContent()) === goal &&
          (await page.getByTestId("trajectory-consultant").textContent()) === "Demo consultant" &&
          (await page.getByTestId("trajectory-client").textContent()) === "Kees Ladder",
          "consultant: the trajectory page names the client, the consultant and the goal");
    check(await page.getByText("Er is nog geen meting vastgelegd.").isVisible() &&
          await page.getByRole("img").count() === 0,
          "consultant: before the first measurement the page says so, and draws no chart");
    await axe(page, "Traject zonder metingen (consultant)");
    await shot(page, "traject-leeg-consultant");
    for (const [i, m] of measurements.entries()) {
      await ui.fill(page.locator("#measure-date"), m.date);
      await ui.select(page.locator("#measure-rung"), String(m.rung));
      await ui.fill(page.locator("#measure-note"), m.note);
      await ui.press(page.getByRole("button", { name: "Meting vastleggen" }));
      await page.getByText(`De meting is vastgelegd: trede ${m.rung} op ${long(m.date)}.`).waitFor();
      await page.getByTestId("measurement").nth(i).waitFor();
    }
    check(await page.evaluate(() => document.activeElement?.textContent === "Meting vastleggen"),
          "consultant: after recording, the focus is back on the form's button, not at the top of the page");
    const chart = page.getByRole("img", { name: "Participatieladder van Kees Ladder door de tijd" });
    check(await chart.count() === 1 && (await chart.evaluate((el) => el.tagName)) === "svg",
          "consultant: the chart is an svg with role img and an accessible name");
    check(await chart.locator("circle").count() === 3, "consultant: the chart marks three measurements");
    const summary = `Trede 1 op ${long(measurements[0].date)}, trede 3 op ${long(measurements[1].date)}, ` +
      `trede 4 op ${long(measurements[2].date)}; nu trede 4: onbetaald werk.`;
    const descId = await chart.getAttribute("aria-describedby");
    check((await chart.locator("desc").textContent()) === summary &&
          (await chart.locator("desc").getAttribute("id")) === descId,
          `consultant: the chart's text alternative says "${summary}"`);
    const axis = await chart.locator("text").allTextContents();
    check(["1 geïsoleerd", "4 onbetaald werk", "6 betaald werk"].every((l) => axis.includes(l)) &&
          measurements.every((m) => axis.includes(long(m.date))),
          "consultant: the y axis names the rungs in Dutch, the x axis the measurement dates");
    const rows = page.getByRole("table", { name: "Metingen op de participatieladder" }).getByRole("row");
    const cells = [];
    for (let i = 1; i < await rows.count(); i++) cells.push((await rows.nth(i).getByRole("cell").allTextContents()).join("|"));
    const expected = measurements.map((m) => `${long(m.date)}|${m.rung}: ${m.label}|${m.note}|Demo consultant`);
    check(JSON.stringify(cells) === JSON.stringify(expected),
          "consultant: the table under the chart lists rungs 1, 3 and 4 with their labels, notes and who measured");
    check((await page.getByTestId("trajectory-rung").textContent()) === "4: onbetaald werk",
          "consultant: the trajectory now reads rung 4");
    await axe(page, "Traject met ladder (consultant)");
    await shot(page, "traject-ladder-consultant");

    // The referral step is the handover to Woej; its status follows it.
    await ui.select(page.locator("#step-type"), { label: "Doorverwijzing" });
    await ui.select(page.locator("#step-handover"), handover);
    await ui.fill(page.locator("#step-description"), step);
    await axe(page, "Traject, doorverwijzing toevoegen (consultant)");
    await ui.press(page.getByRole("button", { name: "Stap toevoegen" }));
    await page.getByText(`De stap ‘${step}’ is toegevoegd.`).waitFor();
    const link = page.getByTestId("step").filter({ hasText: step }).getByRole("link");
    await link.waitFor();
    check((await link.getAttribute("href")) === `/overdrachten/${handover}` &&
          (await link.textContent()) === "Warme overdracht (Voorgesteld)",
          "consultant: the referral step links to its handover and shows it proposed");
    await ui.select(page.locator("#update-step"), { label: `Doorverwijzing: ${step} (Gepland)` });
    await ui.select(page.locator("#update-status"), { label: "Gestart" });
    await ui.press(page.getByRole("button", { name: "Status wijzigen" }));
    await page.getByText(`De stap ‘${step}’ staat nu op: Gestart.`).waitFor();
    // The message comes with the answer; the page reads the trajectory
    // again after it: the row is read once it is redrawn.
    await page.getByTestId("step").filter({ hasText: step }).getByRole("cell", { name: "Gestart", exact: true })
      .waitFor({ timeout: 15000 }).catch(() => {});
    const stepCells = await page.getByTestId("step").filter({ hasText: step }).getByRole("cell").allTextContents();
    check(stepCells[2] === "Gestart" && stepCells[4] === long(civil(new Date())),
          "consultant: the step's new status and start date are shown after reloading");
    await axe(page, "Traject met stappen (consultant)");
    await shot(page, "traject-stappen-consultant");
    await ui.press(link);
    await page.getByRole("heading", { level: 1, name: "Warme overdracht", exact: true }).waitFor();
    check(new URL(page.url()).pathname === `/overdrachten/${handover}`, "consultant: the step's link opens the handover");
  }

  // Story 2: the caseload lists by next measurement due, in words too.
  {
    const { page, ui } = consultant;
    await page.goto(`${url}/caseload`);
    await page.getByRole("heading", { level: 1, name: "Uw caseload" }).waitFor({ timeout: 15000 });
    await page.getByTestId("caseload-count").waitFor();
    const names = async () => page.getByTestId("caseload-row").getByRole("link").allTextContents();
    check(JSON.stringify(await names()) === JSON.stringify(["Noor Wachtrij", "Kees Ladder"]),
          "consultant: the own caseload, the overdue measurement first, not the colleague's client");
    const noorRow = page.getByTestId("caseload-row").filter({ hasText: "Noor Wachtrij" });
    check((await noorRow.getByRole("cell").nth(3).textContent()) === `${long(daysAgo(30))} — Meting te laat`,
          "consultant: an overdue measurement is marked in words");
    const keesRow = page.getByTestId("caseload-row").filter({ hasText: "Kees Ladder" });
    check(!(await keesRow.textContent()).includes("Meting") &&
          (await keesRow.getByRole("link").getAttribute("href")) === `/trajecten/${traject}`,
          "consultant: a measurement not yet due is not marked; the row links to the trajectory");
    await axe(page, "Caseload (consultant)");
    await shot(page, "caseload-consultant");
    await ui.select(page.getByLabel("Welke trajecten"), "team");
    await page.getByTestId("caseload-row").filter({ hasText: "Ruud Collega" }).waitFor();
    check(JSON.stringify(await names()) === JSON.stringify(["Ruud Collega", "Noor Wachtrij", "Kees Ladder"]),
          "consultant: the team's caseload adds the colleague's client, by next measurement due");
    await axe(page, "Caseload van het team (consultant)");
    await shot(page, "caseload-team-consultant");
  }

  // Story 3: Woej finds nothing before it accepted the handover, and only
  // the summary after; the caseload is not for partners.
  {
    const { context, page, problems } = await as("partner-woej");
    await page.goto(`${url}/trajecten/${traject}`);
    await page.getByText("Dit bestaat niet, of u heeft er geen toegang toe.").waitFor({ timeout: 15000 });
    check(!(await page.content()).includes("Kees Ladder"), "partner: before accepting, the trajectory is not found, nothing of it shown");
    await axe(page, "Traject niet gevonden (partner)");
    await shot(page, "traject-niet-gevonden-partner");
    run("partner-woej", ["handover", "accept", handover]);
    await page.reload();
    await page.getByTestId("trajectory-summary").waitFor({ timeout: 15000 });
    check((await page.getByTestId("trajectory-summary").textContent()).includes("Samenvatting"),
          "partner: after accepting, the page says it is a summary");
    const html = await page.content();
    check(!html.includes(goal) && measurements.every((m) => !html.includes(m.note)),
          "partner: neither the goal nor a measurement note is in the page");
    check(await page.getByTestId("trajectory-goal").count() === 0 &&
          await page.getByRole("table", { name: "Metingen op de participatieladder" }).count() === 0 &&
          await page.getByRole("img").count() === 0 &&
          await page.getByText("Er is nog geen meting vastgelegd.").count() === 0 &&
          await page.getByTestId("trajectory-next").count() === 0,
          "partner: no goal, measurement table or chart, and not shown as if there were none");
    check((await page.getByTestId("trajectory-rung").textContent()) === "4: onbetaald werk",
          "partner: the summary gives the latest rung");
    check(await page.getByRole("link", { name: "Warme overdracht (Geaccepteerd)" }).isVisible() &&
          await page.getByRole("button").count() === 0,
          "partner: the referral step to Woej is there, and nothing to change");
    await axe(page, "Traject, samenvatting (partner)");
    await shot(page, "traject-samenvatting-partner");
    await page.goto(`${url}/caseload`);
    await page.getByText("Dit mag u met uw rol niet doen.").waitFor({ timeout: 15000 });
    check(await page.getByTestId("caseload-row").count() === 0, "partner: the caseload is refused, in Dutch");
    await axe(page, "Caseload geweigerd (partner)");
    await shot(page, "caseload-geweigerd-partner");
    cleanBut("partner-woej", problems, [404, 403]);
    await context.close();
  }

  // Story 4: the consultant transfers the trajectory to the colleague; a
  // change made meanwhile is said, and the page shows the new state.
  {
    const { context, page, problems, ui } = consultant;
    await page.goto(`${url}/trajecten/${traject}`);
    await page.locator("#transfer-to option").nth(1).waitFor({ state: "attached", timeout: 15000 });
    run("consultant", ["trajectory", "step", traject, "--type", "other", "--description", "Intussen via de CLI"]);
    await ui.select(page.locator("#transfer-to"), colleagueId);
    await ui.press(page.getByRole("button", { name: "Traject overdragen" }));
    await page.getByText("Dit kan nu niet (meer): de stand is intussen veranderd.", { exact: false }).waitFor();
    await page.getByTestId("step").filter({ hasText: "Intussen via de CLI" }).waitFor();
    check((await page.getByTestId("trajectory-consultant").textContent()) === "Demo consultant",
          "consultant: a transfer on a stale read is refused in Dutch, the new state loaded, nothing moved");
    await ui.select(page.locator("#transfer-to"), colleagueId);
    await ui.press(page.getByRole("button", { name: "Traject overdragen" }));
    await page.getByText("Het traject is overgedragen aan Demo consultant-2.").waitFor();
    const moved = await page.getByTestId("trajectory-consultant").filter({ hasText: /^Demo consultant-2$/ })
      .waitFor({ timeout: 10000 }).then(() => true, () => false);
    check(moved, "consultant: after the transfer the page names the colleague as consultant");
    await axe(page, "Traject overgedragen (consultant)");
    await shot(page, "traject-overgedragen-consultant");
    cleanBut("consultant", problems, [409]);
    await context.close();
  }

  // Story 5: the colleague has it in the own caseload, and hands the whole
  // caseload back: nothing moves before the confirmation, the count after.
  {
    const { context, page, problems, ui } = await as("consultant-2");
    await page.goto(`${url}/caseload`);
    await page.getByTestId("caseload-count").waitFor({ timeout: 15000 });
    const names = async () => page.getByTestId("caseload-row").getByRole("link").allTextContents();
    check(JSON.stringify(await names()) === JSON.stringify(["Ruud Collega", "Kees Ladder"]),
          "consultant-2: the transferred trajectory is in the own caseload, after the overdue one");
    await ui.select(page.locator("#transfer-to"), consultantId);
    await ui.press(page.getByRole("button", { name: "Caseload overdragen…" }));
    const question = page.getByText("Weet u het zeker? Alle open trajecten van Demo consultant-2 gaan naar Demo consultant.",
                                    { exact: false });
    await question.waitFor();
    check(await page.evaluate(() => document.activeElement?.id === "transfer-question"),
          "consultant-2: the confirmation question takes the focus");
    check((run("consultant-2", ["trajectory", "list", "--mine"]).trajectories ?? []).length === 2,
          "consultant-2: nothing is transferred before the confirmation");
    await axe(page, "Caseload overdragen, bevestigen (consultant-2)");
    await shot(page, "caseload-bevestigen-consultant-2");
    await ui.press(page.getByRole("button", { name: "Nee, niet overdragen" }));
    await question.waitFor({ state: "detached" });
    check(await page.evaluate(() => document.activeElement?.textContent === "Caseload overdragen…") && (run("consultant-2", ["trajectory", "list", "--mine"]).trajectories ?? []).length === 2,
          "consultant-2: answering no transfers nothing, and the focus returns to the button");
    await ui.press(page.getByRole("button", { name: "Caseload overdragen…" }));
    await ui.press(page.getByRole("button", { name: "Ja, overdragen" }));
    await page.getByText("2 trajecten van Demo consultant-2 zijn overgedragen aan Demo consultant.").waitFor();
    await page.getByTestId("caseload-count").filter({ hasText: "(0 items)" }).waitFor();
    check((run("consultant", ["trajectory", "list", "--mine"]).trajectories ?? []).length === 3,
          "consultant-2: the count transferred is shown, the own caseload is empty, the colleague has all three");
    await axe(page, "Caseload overgedragen (consultant-2)");
    await shot(page, "caseload-overgedragen-consultant-2");
    clean("consultant-2", problems);
    await context.close();
  }
}
