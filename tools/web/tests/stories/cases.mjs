// The console's first stories (docs: tools/web/tests/run.mjs): Mijn werk,
// signals, warm handovers, residents, the purpose of use, the caseload and
// the errors, as the regisseur, the partners, the school, the GGZ worker
// and the consultant work with them.
import { execFileSync } from "node:child_process";
import { join } from "node:path";

export default async function cases({ bin, url, dir, grpc, browser, as, run, check, axe, shot, clean }) {
  // A warm handover from the regisseur to Woej, made with the CLI over gRPC:
  // the console must show the same data over HTTPS.
  const fatima = run("regisseur", [
    "resident", "register", "--name", "Fatima Demo", "--birth-date", "1980-01-01",
    "--address", "Prinsenhoflaan 1", "--wijk", "prinsenhof",
  ]);
  run("regisseur", [
    "handover", "propose", "--resident", fatima.id, "--to", "woej",
    "--reason", "Huurachterstand, wil hulp bij een regeling", "--basis", "consent",
    "--basis-note", "mondelinge toestemming", "--consent-date", "2026-12-01",
  ]);

  // Story 1: the regisseur opens the console and sees "Mijn werk".
  {
    const { context, page, problems } = await as("regisseur");
    await page.goto(`${url}/`);
    await page.getByRole("heading", { level: 1, name: "Mijn werk" }).waitFor({ timeout: 15000 });
    const who = await page.getByTestId("signed-in").textContent();
    check(who?.includes("Demo regisseur") ?? false, "regisseur: the header names the signed-in professional");
    await page.getByTestId("inbox-count").waitFor();
    check(await page.getByRole("heading", { name: /Warme overdrachten voor uw team/ }).isVisible(),
          "regisseur: Mijn werk shows the team's incoming handovers");
    check((await page.getByTestId("outbox-count").textContent()) === "(1 item)",
          "regisseur: the handover sent is in the outbox");
    check(await page.getByRole("cell", { name: "Voorgesteld" }).isVisible(),
          "regisseur: its status reads Voorgesteld");
    await axe(page, "Mijn werk (regisseur)");
    await shot(page, "mijn-werk-regisseur");
    // The first Tab reaches the skip link, and Enter moves to the content.
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => document.activeElement?.textContent ?? "");
    check(focused.includes("Naar de inhoud"), "keyboard: the first Tab reaches the skip link");
    await page.keyboard.press("Enter");
    check(await page.evaluate(() => document.activeElement?.id === "inhoud"),
          "keyboard: Enter on the skip link moves to the content");
    clean("regisseur", problems);
    await context.close();
  }

  // Story 2: without a certificate the HTTPS port refuses the connection.
  {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    let refused = false;
    try {
      await page.goto(`${url}/`, { timeout: 10000 });
    } catch {
      refused = true;
    }
    check(refused, "no certificate: the console does not load");
    await context.close();
  }

  // Story 3: a partner sees its organisation's inbox and accepts the
  // handover; only the receiver's actions are offered.
  {
    const { context, page, problems, ui } = await as("partner-woej");
    await page.goto(`${url}/`);
    await page.getByRole("heading", { level: 1, name: "Mijn werk" }).waitFor({ timeout: 15000 });
    const who = await page.getByTestId("signed-in").textContent();
    check(/Woej/i.test(who ?? ""), "partner: the header names the partner's organisation");
    await page.getByTestId("inbox-count").waitFor();
    check((await page.getByTestId("inbox-count").textContent()) === "(1 item)",
          "partner: the handover to Woej waits in its inbox");
    check((await page.getByTestId("outbox-count").textContent()) === "(0 items)",
          "partner: nothing in its outbox");
    await axe(page, "Mijn werk (partner)");
    await shot(page, "mijn-werk-partner");
    await ui.press(page.getByRole("link", { name: "Fatima Demo" }));
    await page.getByRole("heading", { level: 1, name: "Warme overdracht", exact: true }).waitFor();
    check((await page.getByTestId("status").textContent()) === "Voorgesteld",
          "partner: the handover page shows it proposed");
    check(await page.getByRole("button", { name: "Accepteren" }).isVisible() &&
          await page.getByRole("button", { name: "Afwijzen" }).isVisible(),
          "partner (receiver): accept and decline are offered");
    check(await page.getByRole("button", { name: "Annuleren" }).count() === 0,
          "partner (receiver): cancel, the sender's action, is not offered");
    await ui.press(page.getByRole("button", { name: "Afwijzen" }));
    await page.getByRole("form", { name: "Afwijzen" }).waitFor();
    await axe(page, "Warme overdracht, afwijzen (partner)");
    await shot(page, "overdracht-afwijzen-partner");
    await ui.press(page.getByRole("button", { name: "Accepteren" }).first());
    await ui.press(page.getByRole("form", { name: "Accepteren" }).getByRole("button", { name: "Accepteren" }));
    await page.getByText("Gelukt. De overdracht staat nu op: Geaccepteerd.").waitFor();
    check((await page.getByTestId("status").textContent()) === "Geaccepteerd",
          "partner: accepting makes it Geaccepteerd");
    check(await page.getByRole("button", { name: "Introductie gehad" }).isVisible() &&
          await page.getByRole("button", { name: "Afronden" }).isVisible(),
          "partner: then introduce and complete are offered");
    await axe(page, "Warme overdracht, geaccepteerd (partner)");
    await shot(page, "overdracht-geaccepteerd-partner");
    clean("partner", problems);
    await context.close();
  }
  // Story 4: the sender sees where its handover stands now.
  {
    const { context, page, problems, ui } = await as("regisseur");
    await page.goto(`${url}/`);
    await page.getByTestId("outbox-count").waitFor({ timeout: 15000 });
    check(await page.getByRole("cell", { name: "Geaccepteerd" }).isVisible(),
          "regisseur: the outbox shows the handover accepted");
    await ui.press(page.getByRole("link", { name: "Fatima Demo" }));
    await page.getByRole("heading", { level: 1, name: "Warme overdracht", exact: true }).waitFor();
    check(await page.getByRole("button", { name: "Annuleren" }).isVisible() &&
          await page.getByRole("button", { name: "Accepteren" }).count() === 0,
          "regisseur (sender): cancel is offered, accept is not");
    await axe(page, "Warme overdracht (regisseur)");
    await shot(page, "overdracht-regisseur");
    clean("regisseur", problems);
    await context.close();
  }
  // Story 5: the GGZ worker records a health signal in the browser; the
  // regisseur, who may see every non-justice signal of the area, sees it
  // withheld, never as if it had no content.
  let healthSignalPath = "";
  {
    const { context, page, problems, ui } = await as("ggz");
    await page.goto(`${url}/signalen/nieuw`);
    await page.getByRole("heading", { level: 1, name: "Signaal vastleggen" }).waitFor({ timeout: 15000 });
    await ui.select(page.getByLabel("Soort signaal"), "JO-ZORG-JONG-KIND");
    await ui.select(page.locator("#wijk"), "prinsenhof");
    await ui.fill(page.getByLabel("Plek", { exact: true }), "Speeltuin Prinsenhof");
    await ui.fill(page.getByLabel("Wat heeft u opgemerkt?"), "Moeder vertelt over zorgen om de ontwikkeling van haar peuter.");
    await axe(page, "Signaal vastleggen (ggz)");
    await shot(page, "signaal-vastleggen-ggz");
    await ui.press(page.getByRole("button", { name: "Vastleggen" }));
    await page.getByText("Het signaal is vastgelegd.").waitFor();
    healthSignalPath = new URL(page.url()).pathname;
    check(/^\/signalen\/s[a-z2-7]{16}$/.test(healthSignalPath), "ggz: the new signal's page opens");
    check((await page.getByTestId("signal-description").textContent())?.includes("zorgen om de ontwikkeling") ?? false,
          "ggz (author): reads the health content");
    await axe(page, "Signaal (ggz)");
    await shot(page, "signaal-ggz");
    clean("ggz", problems);
    await context.close();
  }
  {
    const { context, page, problems } = await as("regisseur");
    await page.goto(`${url}${healthSignalPath}`);
    await page.getByRole("heading", { level: 1, name: "Signaal", exact: true }).waitFor({ timeout: 15000 });
    check(await page.getByTestId("withheld").isVisible(), "regisseur: the health content is shown as withheld");
    check(!(await page.content()).includes("zorgen om de ontwikkeling"),
          "regisseur: the health text is nowhere in the page");
    check(!(await page.content()).includes("Speeltuin Prinsenhof"), "regisseur: nor its place");
    await axe(page, "Signaal, afgeschermd (regisseur)");
    await shot(page, "signaal-afgeschermd-regisseur");
    clean("regisseur", problems);
    await context.close();
  }
  // Story 6: the regisseur records a rats signal and assigns it to Woej;
  // Woej sees it and resolves it; Vidomes cannot find it.
  let ratsPath = "";
  {
    const { context, page, problems, ui } = await as("regisseur");
    await page.goto(`${url}/signalen/nieuw`);
    await page.getByRole("heading", { level: 1, name: "Signaal vastleggen" }).waitFor({ timeout: 15000 });
    await ui.select(page.getByLabel("Soort signaal"), "FVW-RATTEN");
    await ui.select(page.locator("#wijk"), "heuvel-amstelwijk");
    await ui.fill(page.getByLabel("Plek", { exact: true }), "Achter de containers aan de Heuvelweg");
    await ui.fill(page.getByLabel("Wat heeft u opgemerkt?"), "Ratten bij de ondergrondse containers, al twee weken.");
    await ui.select(page.getByLabel("Urgentie"), { label: "Hoog" });
    await ui.press(page.getByRole("button", { name: "Vastleggen" }));
    await page.getByText("Het signaal is vastgelegd.").waitFor();
    ratsPath = new URL(page.url()).pathname;
    check(await page.getByTestId("signal-resident").count() === 0, "regisseur: a signal about a place has no resident");
    await ui.select(page.getByLabel("Organisatie", { exact: true }), "woej");
    await axe(page, "Signaal, toewijzen (regisseur)");
    await ui.press(page.getByRole("button", { name: "Toewijzen" }));
    await page.getByText("Toegewezen aan Woej.").waitFor();
    check((await page.getByTestId("signal-owner").textContent()) === "Woej", "regisseur: the rats signal is now owned by Woej");
    await shot(page, "signaal-toegewezen-regisseur");
    clean("regisseur", problems);
    await context.close();
  }
  {
    const { context, page, problems, ui } = await as("partner-woej");
    await page.goto(`${url}/`);
    await page.getByTestId("signals-count").waitFor({ timeout: 15000 });
    await ui.press(page.getByRole("link", { name: "FVW-RATTEN" }));
    await page.getByRole("heading", { level: 1, name: "Signaal", exact: true }).waitFor();
    check(await page.getByRole("button", { name: "Zet op: Opgelost" }).count() === 0,
          "partner: an open signal cannot be resolved before it is in progress");
    await ui.press(page.getByRole("button", { name: "Zet op: In behandeling" }));
    await page.getByText("De status is nu: In behandeling.").waitFor();
    await ui.press(page.getByRole("button", { name: "Zet op: Opgelost" }));
    await page.getByText("De status is nu: Opgelost.").waitFor();
    check((await page.getByTestId("signal-status").textContent()) === "Opgelost", "partner: the signal is resolved");
    check(await page.getByRole("button", { name: "Toewijzen" }).count() === 0, "partner: assigning is the regisseur's, not offered");
    for (const [text, visibility] of [["Ongediertebestrijder ingeschakeld.", "Iedereen die dit signaal mag zien"],
                                      ["Intern: factuur naar afdeling vastgoed.", "Alleen mijn organisatie"]]) {
      await ui.fill(page.getByLabel("Notitie", { exact: true }), text);
      await ui.select(page.getByLabel("Wie mag deze notitie lezen?"), { label: visibility });
      await ui.press(page.getByRole("button", { name: "Notitie toevoegen" }));
      await page.getByTestId("note").filter({ hasText: text }).waitFor();
    }
    check(await page.getByTestId("note").count() === 2, "partner: both notes are on the signal");
    await axe(page, "Signaal, opgelost (partner)");
    await shot(page, "signaal-opgelost-partner");
    clean("partner", problems);
    await context.close();
  }
  {
    const { context, page } = await as("regisseur");
    await page.goto(`${url}${ratsPath}`);
    await page.getByRole("heading", { level: 2, name: "Notities" }).waitFor({ timeout: 15000 });
    const notes = await page.getByTestId("note").allTextContents();
    check(notes.length === 1 && notes[0] === "Ongediertebestrijder ingeschakeld.",
          "regisseur: reads the note for everyone involved, not Woej's own-organisation note");
    await context.close();
  }
  {
    const { context, page } = await as("partner-vidomes");
    await page.goto(`${url}${ratsPath}`);
    await page.getByText("Dit bestaat niet, of u heeft er geen toegang toe.").waitFor({ timeout: 15000 });
    check(!(await page.content()).includes("Heuvelweg"), "another partner: the signal is not found, nothing of it shown");
    await axe(page, "Niet gevonden (andere partner)");
    await shot(page, "niet-gevonden-vidomes");
    await page.goto(`${url}/`);
    await page.getByTestId("signals-count").waitFor({ timeout: 15000 });
    check(await page.getByRole("link", { name: "FVW-RATTEN" }).count() === 0, "another partner: the signal is not in its lists");
    await context.close();
  }
  // Story 8: the brugfunctionaris registers a resident, then records a
  // signal about her; registering her again inside the signal form, the
  // console says she may already be known and she is chosen. From the
  // signal a warm handover goes to Vidomes; Vidomes accepts, records the
  // introduction and completes it; the referrer sees the outcome on Mijn
  // werk, and both see the handover on the resident's page.
  let handoverPath = "";
  let yasminaPath = "";
  {
    const { context, page, problems, ui } = await as("brugfunctionaris");
    await page.goto(`${url}/inwoners`);
    await page.getByRole("heading", { level: 2, name: "Nieuwe inwoner registreren" }).waitFor({ timeout: 15000 });
    const register = async (prefix) => {
      await ui.fill(page.locator(`#${prefix}-name`), "Yasmina El Idrissi");
      await ui.fill(page.locator(`#${prefix}-birth`), "1988-04-12");
      await ui.fill(page.locator(`#${prefix}-address`), "Prinsenhoflaan 12");
      await ui.select(page.locator(`#${prefix}-wijk`), "prinsenhof");
      await ui.press(page.getByRole("form", { name: "Nieuwe inwoner registreren" }).getByRole("button", { name: "Registreren" }));
    };
    await axe(page, "Inwoners (brugfunctionaris)");
    await register("reg");
    await page.getByRole("heading", { level: 1, name: "Inwoner", exact: true }).waitFor();
    yasminaPath = new URL(page.url()).pathname;
    await page.goto(`${url}/signalen/nieuw`);
    await page.getByRole("heading", { level: 2, name: "Over welke inwoner? (niet verplicht)" }).waitFor({ timeout: 15000 });
    await register("signal-reg");
    await page.getByText("Deze inwoner is misschien al bekend.", { exact: false }).waitFor();
    const match = page.getByRole("button", { name: "Kies Yasmina El Idrissi, geboren 12 april 1988" });
    check(await match.count() === 1, "brugfunctionaris: registering her again in the signal form shows the one she may already see");
    await axe(page, "Signaal vastleggen, misschien bekend (brugfunctionaris)");
    await shot(page, "signaal-inwoner-misschien-bekend");
    await ui.press(match);
    check((await page.getByTestId("chosen-resident").textContent())?.includes("Yasmina El Idrissi") ?? false,
          "brugfunctionaris: the known resident is chosen for the signal");
    check(await page.evaluate(() => document.activeElement?.getAttribute("data-testid") === "chosen-resident"),
          "brugfunctionaris: the focus moves to the chosen resident, not back to the top of the page");
    await ui.select(page.getByLabel("Soort signaal"), "FZ-FINANCIELE-ZORGEN");
    await ui.select(page.locator("#wijk"), "prinsenhof");
    await ui.fill(page.getByLabel("Plek", { exact: true }), "Schoolplein De Waterlelie");
    await ui.fill(page.getByLabel("Wat heeft u opgemerkt?"), "Moeder vertelt dat de huur twee maanden achterloopt.");
    await ui.press(page.getByRole("button", { name: "Vastleggen" }));
    await page.getByText("Het signaal is vastgelegd.").waitFor();
    check(new URL(await page.getByTestId("signal-resident").getAttribute("href"), url).pathname === yasminaPath,
          "brugfunctionaris: the signal is about the resident registered before, not a second record");
    await ui.press(page.getByRole("button", { name: "Warme overdracht voorstellen voor deze inwoner" }));
    await ui.select(page.getByLabel("Naar organisatie"), "vidomes");
    await ui.fill(page.locator("#propose-reason"), "Moeder zoekt hulp bij een betalingsregeling voor de huur.");
    await ui.fill(page.locator("#basis-note"), "Doorverwijzing naar de woonconsulent van Vidomes");
    await axe(page, "Signaal, overdracht voorstellen (brugfunctionaris)");
    await shot(page, "signaal-overdracht-voorstellen-brugfunctionaris");
    await ui.press(page.getByRole("button", { name: "Voorstellen", exact: true }));
    await page.getByRole("heading", { level: 1, name: "Warme overdracht", exact: true }).waitFor();
    handoverPath = new URL(page.url()).pathname;
    check((await page.getByTestId("status").textContent()) === "Voorgesteld", "brugfunctionaris: the handover is proposed");
    clean("brugfunctionaris", problems);
    await context.close();
    // A second handover about her, to Woej: Vidomes is no party to it.
    run("brugfunctionaris", [
      "handover", "propose", "--resident", yasminaPath.split("/").pop(), "--to", "woej",
      "--reason", "Zoekt een plek voor vrijwilligerswerk", "--basis", "consent",
      "--basis-note", "mondelinge toestemming", "--consent-date", "2026-12-01",
    ]);
  }
  {
    const { context, page, problems, ui } = await as("partner-vidomes");
    await page.goto(`${url}/`);
    await page.getByTestId("inbox-count").waitFor({ timeout: 15000 });
    await ui.press(page.getByRole("link", { name: "Yasmina El Idrissi" }));
    await page.getByRole("heading", { level: 1, name: "Warme overdracht", exact: true }).waitFor();
    check(new URL(page.url()).pathname === handoverPath, "partner: the handover waits in Vidomes's inbox");
    const act = async (button, expect, fill = async () => {}) => {
      await ui.press(page.getByRole("button", { name: button }).first());
      const form = page.getByRole("form", { name: button });
      await form.waitFor();
      await fill(form);
      await ui.press(form.getByRole("button", { name: button }));
      await page.getByText(`Gelukt. De overdracht staat nu op: ${expect}.`).waitFor();
    };
    await act("Accepteren", "Geaccepteerd");
    await act("Introductie gehad", "Introductie gehad", (form) => ui.fill(form.locator("#with"), "A. de Vries, woonconsulent"));
    await act("Afronden", "Afgerond", async (form) => {
      await ui.select(form.locator("#outcome"), { label: "Geholpen" });
      await ui.fill(form.locator("#text"), "Betalingsregeling afgesproken voor zes maanden.");
      await axe(page, "Warme overdracht, afronden (partner)");
    });
    check((await page.getByTestId("status").textContent()) === "Afgerond", "partner: accepted, introduced and completed");
    check(await page.getByRole("button").filter({ hasText: /Accepteren|Afronden|Annuleren/ }).count() === 0,
          "partner: a completed handover offers no action");
    await shot(page, "overdracht-afgerond-partner");
    // The folded-name search finds her for Vidomes now that it is party to
    // a handover about her; her page lists it.
    await page.goto(`${url}/inwoners`);
    await page.getByRole("heading", { level: 2, name: "Inwoner zoeken" }).waitFor({ timeout: 15000 });
    await ui.fill(page.locator("#find-name"), "yasmina el");
    await ui.fill(page.locator("#find-birth"), "1988-04-12");
    await ui.press(page.getByRole("button", { name: "Zoeken" }));
    await page.getByText("1 inwoner gevonden").waitFor();
    await ui.press(page.getByRole("link", { name: "Yasmina El Idrissi" }));
    await page.getByRole("heading", { level: 1, name: "Inwoner", exact: true }).waitFor();
    await page.getByTestId("resident-handovers-count").waitFor();
    check((await page.getByTestId("resident-handovers-count").textContent()) === "(1 item)",
          "partner: the resident's page lists the handover to Vidomes, not the one to Woej");
    check((await page.getByTestId("resident-signals-count").textContent()) === "(0 items)",
          "partner: not the school's signal about her, which Vidomes is not involved in");
    await axe(page, "Inwoner (partner)");
    await shot(page, "inwoner-partner");
    clean("partner", problems);
    await context.close();
  }
  {
    const { context, page, problems, ui } = await as("brugfunctionaris");
    await page.goto(`${url}/`);
    await page.getByTestId("outbox-count").waitFor({ timeout: 15000 });
    check(await page.getByRole("cell", { name: "Afgerond" }).isVisible(),
          "brugfunctionaris: Mijn werk shows the handover completed");
    await ui.press(page.getByRole("row").filter({ hasText: "Afgerond" }).getByRole("link", { name: "Yasmina El Idrissi" }));
    await page.getByRole("heading", { level: 1, name: "Warme overdracht", exact: true }).waitFor();
    check((await page.content()).includes("Betalingsregeling afgesproken"),
          "brugfunctionaris: the referrer reads the outcome the partner reported back");
    await axe(page, "Warme overdracht, uitkomst (brugfunctionaris)");
    await shot(page, "overdracht-uitkomst-brugfunctionaris");
    await page.goto(`${url}${yasminaPath}`);
    await page.getByTestId("resident-handovers-count").waitFor({ timeout: 15000 });
    check((await page.getByTestId("resident-signals-count").textContent()) === "(1 item)" &&
          (await page.getByTestId("resident-handovers-count").textContent()) === "(2 items)",
          "brugfunctionaris: the resident's page lists her signal and both her handovers");
    const row = page.getByRole("table", { name: "Warme overdrachten van deze inwoner" }).getByRole("row")
      .filter({ hasText: "Vidomes" });
    const cells = (await row.getByRole("cell").allTextContents()).join("|");
    check(cells.match(/^Kwadraad.*\|Vidomes\|.*\|Afgerond$/) !== null,
          "brugfunctionaris: the handover on her page goes to Vidomes and reads Afgerond");
    await axe(page, "Inwoner (brugfunctionaris)");
    await shot(page, "inwoner-brugfunctionaris");
    clean("brugfunctionaris", problems);
    await context.close();
  }

  // Story 9: the purpose of use is chosen once and recorded with every call.
  {
    const { context, page, problems, ui } = await as("regisseur");
    await page.goto(`${url}/`);
    await page.getByTestId("outbox-count").waitFor({ timeout: 15000 });
    await ui.select(page.getByLabel("Doel van gebruik"), { label: "Opvolgen van een signaal" });
    await ui.press(page.getByRole("link", { name: "Inwoners" }));
    await page.getByRole("heading", { level: 1, name: "Inwoners" }).waitFor();
    await ui.press(page.getByRole("link", { name: "Mijn werk" }));
    await page.getByTestId("outbox-count").waitFor();
    await page.reload();
    await page.getByTestId("outbox-count").waitFor();
    check((await page.getByLabel("Doel van gebruik").inputValue()) === "signaalopvolging",
          "regisseur: the chosen purpose stays for the session");
    const me = run("regisseur", ["whoami"]).professional.id;
    const out = execFileSync(join(bin, "schakel"),
      ["--server", grpc, "--identity", join(dir, "users", "auditor"), "-o", "json", "audit", "query",
       "--professional", me, "--action", "ListOutbox", "--all"], { encoding: "utf8" });
    const purposes = out.split("\n").filter((l) => l.includes('"purpose"')).map((l) => l.trim());
    check(purposes.some((l) => l.includes('"signaalopvolging"')),
          "auditor: the console's calls after the choice are recorded with that purpose");
    await axe(page, "Mijn werk met doel van gebruik (regisseur)");
    clean("regisseur", problems);
    await context.close();
  }

  // Story 10: the consultant's caseload on Mijn werk, and the trajectory on
  // the resident's page: in full for the consultant, only the summary for a
  // partner that accepted a handover of the client.
  {
    const client = run("consultant", [
      "resident", "register", "--name", "Kees Bijstand", "--birth-date", "1975-06-01",
      "--address", "De Heuvel 3", "--wijk", "heuvel-amstelwijk",
    ]);
    run("consultant", ["trajectory", "start", "--resident", client.id, "--goal", "Vrijwilligerswerk vinden"]);
    const h = run("consultant", [
      "handover", "propose", "--resident", client.id, "--to", "woej",
      "--reason", "Zoekt vrijwilligerswerk in de wijk", "--basis", "consent",
      "--basis-note", "schriftelijke toestemming", "--consent-date", "2026-12-01",
    ]);
    const { context, page, problems, ui } = await as("consultant");
    await page.goto(`${url}/`);
    await page.getByTestId("caseload-count").waitFor({ timeout: 15000 });
    check((await page.getByTestId("caseload-count").textContent()) === "(1 item)",
          "consultant: the trajectory is in the caseload on Mijn werk");
    await axe(page, "Mijn werk (consultant)");
    await shot(page, "mijn-werk-consultant");
    await ui.press(page.getByRole("link", { name: "Kees Bijstand" }).first());
    await page.getByRole("heading", { level: 1, name: "Participatietraject" }).waitFor({ timeout: 15000 });
    await ui.press(page.getByTestId("trajectory-client"));
    await page.getByRole("heading", { level: 1, name: "Inwoner", exact: true }).waitFor({ timeout: 15000 });
    await page.getByTestId("resident-trajectories-count").waitFor();
    check((await page.getByTestId("trajectory").textContent())?.includes("Vrijwilligerswerk vinden") ?? false,
          "consultant: the resident's page shows the trajectory in full");
    await axe(page, "Inwoner met traject (consultant)");
    await shot(page, "inwoner-consultant");
    clean("consultant", problems);
    await context.close();

    const woej = await as("partner-woej");
    await woej.page.goto(`${url}/inwoners/${client.id}`);
    await woej.page.getByTestId("resident-trajectories-count").waitFor({ timeout: 15000 });
    check((await woej.page.getByTestId("resident-trajectories-count").textContent()) === "(0 items)",
          "partner: before accepting, the client's trajectory is not shown");
    run("partner-woej", ["handover", "accept", h.id]);
    await woej.page.reload();
    await woej.page.getByTestId("resident-trajectories-count").waitFor({ timeout: 15000 });
    check(await woej.page.getByTestId("trajectory-summary").isVisible(),
          "partner: after accepting, the trajectory is shown as a summary, and said so");
    check(!(await woej.page.content()).includes("Vrijwilligerswerk vinden"), "partner: the goal is not in the page");
    await axe(woej.page, "Inwoner met samenvatting (partner)");
    await shot(woej.page, "inwoner-samenvatting-partner");
    clean("partner", woej.problems);
    await woej.context.close();
  }

  // Story 11: every error reads as a Dutch message, never a blank page or
  // a stack: a page that does not exist, an answer the browser cannot
  // read, and schakel unreachable (both injected into the browser's
  // traffic: the server never answers so).
  {
    const { context, page, problems } = await as("partner-woej");
    await page.goto(`${url}/bestaat-niet`);
    await page.getByRole("heading", { level: 1, name: "Deze pagina bestaat niet." }).waitFor({ timeout: 15000 });
    check(await page.getByRole("link", { name: "Terug naar Mijn werk" }).isVisible(),
          "unknown page: a Dutch message with the way back");
    await axe(page, "Pagina bestaat niet (partner)");
    // The server's refusal of a field, in the words of the form.
    await page.goto(`${url}/inwoners`);
    await page.getByRole("heading", { level: 2, name: "Nieuwe inwoner registreren" }).waitFor({ timeout: 15000 });
    await page.locator("#reg-name").fill("A".repeat(201));
    await page.locator("#reg-birth").fill("1990-01-01");
    await page.locator("#reg-address").fill("Heuvelweg 2");
    await page.locator("#reg-wijk").selectOption("heuvel-amstelwijk");
    await page.getByRole("button", { name: "Registreren" }).click();
    check(await page.getByText("Dit klopt nog niet: ‘Naam’ mag hoogstens 200 tekens lang zijn.")
            .waitFor({ timeout: 15000 }).then(() => true, () => false),
          "invalid field: the server's rule in Dutch, under the form's own label");
    await page.route("**/schakel.v1.SignalService/GetSignal", (r) =>
      r.fulfill({ status: 200, contentType: "application/json", body: "<html>proxy error</html>" }));
    await page.goto(`${url}${ratsPath}`);
    await page.getByText("Er ging iets mis bij schakel.", { exact: false }).waitFor({ timeout: 15000 });
    check(!(await page.content()).includes("proxy error") && !(await page.content()).includes("SyntaxError"),
          "unreadable answer: a Dutch message, no server text and no stack");
    await page.unroute("**/schakel.v1.SignalService/GetSignal");
    await page.route("**/schakel.v1.SignalService/GetSignal", (r) =>
      r.fulfill({ status: 503, contentType: "application/json", body: '{"code":"unavailable","message":"draining"}' }));
    await page.reload();
    await page.getByText("schakel is even niet bereikbaar. Probeer het zo opnieuw.").waitFor({ timeout: 15000 });
    check(!(await page.content()).includes("draining"), "unavailable: the Dutch message, not the server's text");
    await axe(page, "Niet bereikbaar (partner)");
    await shot(page, "niet-bereikbaar-partner");
    check(problems.every((p) => /Failed to load resource/.test(p)),
          `errors: nothing but the injected failures in the console (${problems.join("; ")})`);
    await context.close();
  }

  // Story 7: a revoked certificate gets a Dutch message, not a blank page.
  {
    const { context, page } = await as("brugfunctionaris");
    await page.goto(`${url}/`);
    await page.getByRole("heading", { level: 1, name: "Mijn werk" }).waitFor({ timeout: 15000 });
    const serial = run("brugfunctionaris", ["whoami"]).certificate.serial;
    execFileSync(join(bin, "schakel-admin"),
                 ["--server", grpc, "--identity", join(dir, "users", "admin"), "cert", "revoke", "--serial", serial],
                 { stdio: "ignore" });
    await page.reload();
    const shown = await page.getByText("Uw certificaat wordt niet (meer) geaccepteerd.", { exact: false })
      .waitFor({ timeout: 15000 }).then(() => true, () => false);
    check(shown, "revoked: the console shows the Dutch message at the next call");
    await axe(page, "Certificaat ingetrokken (brugfunctionaris)");
    await shot(page, "ingetrokken-brugfunctionaris");
    await context.close();
  }
}
