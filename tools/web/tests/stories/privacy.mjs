// The privacy officer's stories (docs: tools/web/tests/run.mjs): a
// resident's request handled in the console — inzage with its download,
// rectification and its history, a legal hold that refuses an erasure,
// its release, the erasure itself — and the officers' acts listed for four
// eyes; a partner is refused.
import { readFile } from "node:fs/promises";

export default async function privacy({ url, as, run, check, axe, shot, clean }) {
  // The regisseur registers a resident, records a signal about her and
  // proposes a warm handover to Woej (CLI over gRPC).
  const petra = run("regisseur", [
    "resident", "register", "--name", "Petra Verhoeven", "--birth-date", "1975-05-05",
    "--address", "Lange Laan 3", "--wijk", "prinsenhof",
  ]);
  const rid = petra.id;
  const signal = run("regisseur", [
    "signal", "create", "--category", "FZ-SCHULDEN", "--wijk", "prinsenhof", "--place", "Lange Laan",
    "--description", "Briefjes van de deurwaarder in de bus", "--resident", rid,
  ]);
  run("regisseur", [
    "handover", "propose", "--resident", rid, "--to", "woej", "--reason", "Hulp bij een betalingsregeling",
    "--basis", "consent", "--basis-note", "mondelinge toestemming", "--consent-date", "2026-12-01",
  ]);
  const find = () => run("regisseur", ["resident", "find", "--name", "Petra", "--birth-date", "1975-05-05"]).residents ?? [];
  check(find().length === 1, "regisseur: finds Petra Verhoeven before the erasure");
  const ref = "AVG-2026-0042";
  // The failed calls a story provokes show up as the browser's own console line.
  const besides = (problems, status) =>
    problems.filter((p) => !p.includes(`Failed to load resource: the server responded with a status of ${status}`));

  const { context, page, problems, ui } = await as("privacy");
  const acts = page.getByRole("navigation", { name: "Andere handelingen voor dit verzoek" });
  const heading = (name) => page.getByRole("heading", { level: 1, name, exact: true }).waitFor({ timeout: 15000 });

  // The start page: the officer lands on it, names the request once.
  await page.goto(`${url}/`);
  await heading("Verzoeken van inwoners");
  check(new URL(page.url()).pathname === "/privacy", "privacy: the start page of the privacy officer is /privacy");
  check(await page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name: "Verzoeken van inwoners" }).isVisible(),
        "privacy: the menu offers Verzoeken van inwoners");
  check(/op id, niet op naam/.test(await page.getByTestId("no-search").textContent()),
        "privacy: the page says residents are found by id, not by name");
  await page.getByTestId("privacy-acts-count").waitFor();
  check((await page.getByTestId("privacy-acts-count").textContent()) === "(0 items)", "privacy: no acts yet");
  await axe(page, "Verzoeken van inwoners (privacy)");
  await shot(page, "privacy-start");
  await ui.fill(page.getByLabel("Id van de inwoner"), rid);
  await ui.fill(page.getByLabel("Verzoeknummer"), ref);

  // Inzage: the document is downloaded and holds her name and the signal.
  await ui.press(page.getByRole("button", { name: "Inzage", exact: true }));
  await heading("Inzage");
  const downloadButton = page.getByRole("button", { name: "Inzagedocument downloaden (JSON)" });
  await downloadButton.waitFor();
  check((await page.getByTestId("privacy-request").textContent()) === `Verzoek ${ref}, inwoner ${rid}`,
        "privacy: the act's page names the request and the resident");
  check((await page.getByTestId("record-name").textContent()) === "Petra Verhoeven", "privacy: inzage shows the record");
  check((await page.getByTestId("count-signals").textContent()) === "1" &&
        (await page.getByTestId("count-handovers").textContent()) === "1" &&
        (await page.getByTestId("count-rectifications").textContent()) === "0" &&
        Number(await page.getByTestId("count-accesses").textContent()) >= 3,
        "privacy: the summary counts one signal, one handover, no rectification and the accesses");
  await axe(page, "Inzage (privacy)");
  await shot(page, "privacy-inzage");
  const [download] = await Promise.all([page.waitForEvent("download"), ui.press(downloadButton)]);
  check(download.suggestedFilename() === `inzage-${rid}-${ref}.json`, "privacy: the file is inzage-ID-REF.json");
  const doc = JSON.parse(await readFile(await download.path(), "utf8"));
  check(doc.requestRef === ref && doc.resident?.name === "Petra Verhoeven" && doc.resident?.address === "Lange Laan 3",
        "privacy: the downloaded document holds her record under the request");
  check(doc.signals?.some((s) => s.id === signal.id && s.description === "Briefjes van de deurwaarder in de bus"),
        "privacy: the downloaded document holds the signal about her");
  check(doc.resident?.legalHold === false, "privacy: the document names every field, the legal hold too");
  await page.getByText(`Het document is gedownload als inzage-${rid}-${ref}.json.`).waitFor();

  // Rectificatie: the address corrected, the history shown.
  await ui.press(acts.getByRole("link", { name: "Rectificatie" }));
  await heading("Rectificatie");
  await page.getByTestId("rectifications-count").waitFor();
  check((await page.getByTestId("rectifications-count").textContent()) === "(0 items)", "privacy: no rectification yet");
  check((await page.getByLabel("Adres").inputValue()) === "Lange Laan 3", "privacy: the form starts from the record");
  await ui.fill(page.getByLabel("Adres"), "Korte Laan 5");
  await axe(page, "Rectificatie (privacy)");
  await shot(page, "privacy-rectificatie");
  await ui.press(page.getByRole("button", { name: "Correctie opslaan" }));
  await page.getByText("Het gegeven is gecorrigeerd.").waitFor();
  check((await page.getByTestId("record-address").textContent()) === "Korte Laan 5", "privacy: the record has the new address");
  check((await page.getByTestId("record-name").textContent()) === "Petra Verhoeven", "privacy: the name, unchanged, stays");
  const row = page.getByTestId("rectification");
  check((await row.count()) === 1, "privacy: only the changed field was rectified");
  const cells = await row.first().getByRole("cell").allTextContents();
  check(cells[0] === "Adres" && cells[1] === "Lange Laan 3" && cells[2] === "Korte Laan 5" &&
        cells[3] === "Demo privacy" && cells[4] === ref,
        `privacy: the history names field, old and new, the officer and the request (${cells.join(" | ")})`);
  await axe(page, "Rectificatie, opgeslagen (privacy)");
  await shot(page, "privacy-rectificatie-opgeslagen");

  // Legal hold placed, after a confirmation.
  await ui.press(acts.getByRole("link", { name: "Legal hold" }));
  await heading("Legal hold");
  check((await page.getByTestId("record-hold").textContent()) === "Nee", "privacy: no legal hold yet");
  await ui.press(page.getByRole("button", { name: "Legal hold plaatsen" }));
  await page.getByTestId("hold-confirm").waitFor();
  await axe(page, "Legal hold, bevestigen (privacy)");
  await shot(page, "privacy-legal-hold-bevestigen");
  await ui.press(page.getByRole("button", { name: "Ja, legal hold plaatsen" }));
  await page.getByText("De legal hold is geplaatst.").waitFor();
  check((await page.getByTestId("record-hold").textContent())?.startsWith("Ja") ?? false, "privacy: the legal hold is on");
  check(await page.evaluate(() => document.activeElement?.textContent) === "Legal hold opheffen",
        "privacy: after the confirmation the focus is back on the legal-hold button");
  await axe(page, "Legal hold, geplaatst (privacy)");
  await shot(page, "privacy-legal-hold");

  // Wissen under the hold: confirmed, then refused in Dutch.
  const eraseButton = page.getByRole("button", { name: "Definitief wissen" });
  await ui.press(acts.getByRole("link", { name: "Wissen" }));
  await heading("Wissen");
  await eraseButton.waitFor();
  const steps = await page.getByTestId("erase-steps").textContent();
  check(/signalen .*ingetrokken/.test(steps) && /overdrachten .*geannuleerd/.test(steps) &&
        /rectificaties worden gewist/.test(steps) && /logboek blijven staan/.test(steps),
        "privacy: the confirmation states what erasure does and that the audit log stays");
  check(await eraseButton.isDisabled(), "privacy: Definitief wissen is disabled before the confirmation");
  await ui.fill(page.getByLabel(/Typ ter bevestiging het verzoeknummer over/), "AVG-2026-004");
  check(await eraseButton.isDisabled(), "privacy: a wrong reference leaves it disabled");
  await ui.fill(page.getByLabel(/Typ ter bevestiging het verzoeknummer over/), ref);
  check(await eraseButton.isEnabled(), "privacy: the retyped reference enables it");
  await axe(page, "Wissen, bevestigen (privacy)");
  await shot(page, "privacy-wissen-bevestigen");
  await ui.press(eraseButton);
  await page.getByTestId("erase-held").waitFor();
  check(/legal hold/.test(await page.getByTestId("erase-held").textContent()),
        "privacy: under a legal hold the erasure is refused with the legal-hold message");
  await axe(page, "Wissen, geweigerd (privacy)");
  await shot(page, "privacy-wissen-geweigerd");

  // The hold released, then the erasure.
  await ui.press(acts.getByRole("link", { name: "Legal hold" }));
  await heading("Legal hold");
  await ui.press(page.getByRole("button", { name: "Legal hold opheffen" }));
  await ui.press(page.getByRole("button", { name: "Ja, legal hold opheffen" }));
  await page.getByText("De legal hold is opgeheven.").waitFor();
  check((await page.getByTestId("record-hold").textContent()) === "Nee", "privacy: the legal hold is released");
  await ui.press(acts.getByRole("link", { name: "Wissen" }));
  await heading("Wissen");
  await eraseButton.waitFor();
  check(await eraseButton.isDisabled(), "privacy: Definitief wissen is disabled again on a new visit");
  await ui.fill(page.getByLabel(/Typ ter bevestiging het verzoeknummer over/), ref);
  await ui.press(eraseButton);
  await page.getByTestId("erased").waitFor();
  const count = (id) => page.getByTestId(id).textContent();
  check(await count("signals-withdrawn") === "1" && await count("handovers-cancelled") === "1" &&
        await count("rectifications-removed") === "1" && Number(await count("texts-erased")) >= 1,
        "privacy: the counts show the signal withdrawn, the handover cancelled, the rectification removed");
  check(!(await page.content()).includes("Petra Verhoeven"), "privacy: her name is no longer on the page");
  await axe(page, "Wissen, gewist (privacy)");
  await shot(page, "privacy-gewist");
  check(find().length === 0, "regisseur: no longer finds Petra Verhoeven");
  check(run("regisseur", ["resident", "show", rid]).name !== "Petra Verhoeven", "regisseur: her record no longer holds her name");

  // The acts, newest first, with the request reference: four eyes.
  await ui.press(page.getByRole("link", { name: "Terug naar de verzoeken" }));
  await heading("Verzoeken van inwoners");
  check((await page.getByLabel("Id van de inwoner").inputValue()) === rid, "privacy: back on the start, the request is still filled in");
  await page.getByTestId("privacy-acts-count").waitFor();
  const listed = [];
  for (const r of await page.getByTestId("privacy-act").all()) {
    const c = await r.getByRole("cell").allTextContents();
    if (c[3] === rid && c[4] === ref) listed.push(`${c[2]}:${c[5]}`);
  }
  check(JSON.stringify(listed) === JSON.stringify([
    "Wissen:Uitgevoerd", "Legal hold opgeheven:Uitgevoerd", "Wissen:Mislukt", "Legal hold geplaatst:Uitgevoerd",
    "Rectificatie:Uitgevoerd", "Inzage:Uitgevoerd",
  ]), `privacy: the act list shows every act on her with the reference, newest first (${listed.join(", ")})`);
  await axe(page, "Verzoeken van inwoners, handelingen (privacy)");
  await shot(page, "privacy-handelingen");
  clean("privacy", besides(problems, 400));
  await context.close();

  // A partner opening /privacy is refused by the server, in Dutch.
  {
    const { context, page, problems, ui } = await as("partner-woej");
    await page.goto(`${url}/privacy`);
    await page.getByRole("heading", { level: 1, name: "Verzoeken van inwoners" }).waitFor({ timeout: 15000 });
    check(await page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name: "Verzoeken van inwoners" }).count() === 0,
          "partner: the menu does not offer Verzoeken van inwoners");
    await page.getByText("Dit mag u met uw rol niet doen.").waitFor();
    check(await page.getByTestId("privacy-act").count() === 0, "partner: the officers' acts are not listed");
    await ui.fill(page.getByLabel("Id van de inwoner"), rid);
    await ui.fill(page.getByLabel("Verzoeknummer"), "AVG-2026-0043");
    await ui.press(page.getByRole("button", { name: "Inzage", exact: true }));
    await page.getByRole("heading", { level: 1, name: "Inzage" }).waitFor();
    await page.getByRole("alert").filter({ hasText: "Dit mag u met uw rol niet doen." }).waitFor();
    check(await page.getByRole("button", { name: "Inzagedocument downloaden (JSON)" }).count() === 0,
          "partner: an export is refused with the Dutch permission message, nothing to download");
    await axe(page, "Inzage, geweigerd (partner)");
    await shot(page, "privacy-inzage-partner");
    clean("partner", besides(problems, 403));
    await context.close();
  }
}
