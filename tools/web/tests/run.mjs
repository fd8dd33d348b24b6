// Browser stories of the web console: a real schakeld on a temporary demo
// deployment (its HTTPS port on 127.0.0.1, a free port), Debian's Chromium
// driven by playwright-core, each demo professional presenting their own
// client certificate. Every page is checked with axe-core for WCAG 2.1 A
// and AA and screenshotted under $SCHAKEL_SCREENSHOTS.
//
// Environment: SCHAKEL_BIN (the directory with schakeld and schakel-admin),
// SCHAKEL_WEB_DIST (the built console), SCHAKEL_SCREENSHOTS (output),
// CHROMIUM (default /usr/bin/chromium). Exit status 0 only when every story
// passed.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import AxeBuilder from "@axe-core/playwright";
import { chromium } from "playwright-core";

import { asProfessional, cli, startDemo } from "./harness.mjs";

const bin = process.env.SCHAKEL_BIN;
const dist = process.env.SCHAKEL_WEB_DIST;
const shots = process.env.SCHAKEL_SCREENSHOTS ?? join(tmpdir(), "schakel-screenshots");
const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
if (!bin || !dist) {
  console.error("run.mjs: SCHAKEL_BIN and SCHAKEL_WEB_DIST are required");
  process.exit(2);
}
mkdirSync(shots, { recursive: true });

const failures = [];
function check(ok, what) {
  if (!ok) failures.push(what);
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
}

async function axe(page, name) {
  const result = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  for (const v of result.violations) {
    console.log(`     axe ${v.id}: ${v.help} (${v.nodes.length} elements)`);
  }
  check(result.violations.length === 0, `${name}: axe finds no WCAG 2.1 A/AA violation`);
}

// Keyboard only: Tab until the control named `name` has the focus, then
// Enter. Fails when Tab never reaches it.
async function byKeyboard(page, name) {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press("Tab");
    const text = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? "");
    if (text === name) {
      await page.keyboard.press("Enter");
      return true;
    }
  }
  return false;
}


let demo;
let browser;
try {
  const started = await startDemo(bin, dist);
  demo = started;
  const dir = started.dir;
  const url = started.url;
  const grpc = started.grpc;
  // A warm handover from the regisseur to Woej, made with the CLI over gRPC:
  // the console must show the same data over HTTPS.
  const resident = cli(bin, started.grpc, dir, "regisseur", [
    "resident", "register", "--name", "Fatima Demo", "--birth-date", "1980-01-01",
    "--address", "Prinsenhoflaan 1", "--wijk", "prinsenhof",
  ]);
  cli(bin, started.grpc, dir, "regisseur", [
    "handover", "propose", "--resident", resident.id, "--to", "woej",
    "--reason", "Huurachterstand, wil hulp bij een regeling", "--basis", "consent",
    "--basis-note", "mondelinge toestemming", "--consent-date", "2026-12-01",
  ]);
  browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });

  // Story 1: the regisseur opens the console and sees "Mijn werk".
  {
    const { context, page, problems } = await asProfessional(browser, url, dir, "regisseur");
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
    await page.screenshot({ path: join(shots, "mijn-werk-regisseur.png"), fullPage: true });
    // Keyboard only: the first Tab reaches the skip link, Enter moves to the content.
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => document.activeElement?.textContent ?? "");
    check(focused.includes("Naar de inhoud"), "keyboard: the first Tab reaches the skip link");
    check(problems.length === 0, `regisseur: no console error or CSP violation (${problems.join("; ")})`);
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

  // Story 3: a partner sees its own organisation in the header.
  {
    const { context, page, problems } = await asProfessional(browser, url, dir, "partner-woej");
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
    await page.screenshot({ path: join(shots, "mijn-werk-partner.png"), fullPage: true });
    // The receiver opens the handover and accepts it.
    await page.getByRole("link", { name: "Fatima Demo" }).click();
    await page.getByRole("heading", { level: 1, name: "Warme overdracht" }).waitFor();
    check((await page.getByTestId("status").textContent()) === "Voorgesteld",
          "partner: the handover page shows it proposed");
    check(await page.getByRole("button", { name: "Accepteren" }).isVisible() &&
          await page.getByRole("button", { name: "Afwijzen" }).isVisible(),
          "partner (receiver): accept and decline are offered");
    check(await page.getByRole("button", { name: "Annuleren" }).count() === 0,
          "partner (receiver): cancel, the sender's action, is not offered");
    await page.getByRole("button", { name: "Afwijzen" }).click();
    await axe(page, "Warme overdracht, afwijzen (partner)");
    await page.screenshot({ path: join(shots, "overdracht-afwijzen-partner.png"), fullPage: true });
    await page.getByRole("button", { name: "Accepteren" }).first().click();
    await page.getByRole("form", { name: "Accepteren" }).getByRole("button", { name: "Accepteren" }).click();
    await page.getByText("Gelukt. De overdracht staat nu op: Geaccepteerd.").waitFor();
    check((await page.getByTestId("status").textContent()) === "Geaccepteerd",
          "partner: accepting makes it Geaccepteerd");
    check(await page.getByRole("button", { name: "Introductie gehad" }).isVisible() &&
          await page.getByRole("button", { name: "Afronden" }).isVisible(),
          "partner: then introduce and complete are offered");
    await axe(page, "Warme overdracht, geaccepteerd (partner)");
    await page.screenshot({ path: join(shots, "overdracht-geaccepteerd-partner.png"), fullPage: true });
    check(problems.length === 0, `partner: no console error (${problems.join("; ")})`);
    await context.close();
  }
  // Story 4: the sender sees where its handover stands now.
  {
    const { context, page, problems } = await asProfessional(browser, url, dir, "regisseur");
    await page.goto(`${url}/`);
    await page.getByTestId("outbox-count").waitFor({ timeout: 15000 });
    check(await page.getByRole("cell", { name: "Geaccepteerd" }).isVisible(),
          "regisseur: the outbox shows the handover accepted");
    await page.getByRole("link", { name: "Fatima Demo" }).click();
    await page.getByRole("heading", { level: 1, name: "Warme overdracht" }).waitFor();
    check(await page.getByRole("button", { name: "Annuleren" }).isVisible() &&
          await page.getByRole("button", { name: "Accepteren" }).count() === 0,
          "regisseur (sender): cancel is offered, accept is not");
    await axe(page, "Warme overdracht (regisseur)");
    await page.screenshot({ path: join(shots, "overdracht-regisseur.png"), fullPage: true });
    check(problems.length === 0, `regisseur: no console error (${problems.join("; ")})`);
    await context.close();
  }
  // Story 5: the GGZ worker records a health signal in the browser; the
  // regisseur, who may see every non-justice signal of the area, sees it
  // withheld, never as if it had no content.
  let healthSignalPath = "";
  {
    const { context, page, problems } = await asProfessional(browser, url, dir, "ggz");
    await page.goto(`${url}/signalen/nieuw`);
    await page.getByRole("heading", { level: 1, name: "Signaal vastleggen" }).waitFor({ timeout: 15000 });
    await page.getByLabel("Soort signaal").selectOption("JO-ZORG-JONG-KIND");
    await page.getByLabel("Wijk").selectOption("prinsenhof");
    await page.getByLabel("Plek", { exact: true }).fill("Speeltuin Prinsenhof");
    await page.getByLabel("Wat heeft u opgemerkt?").fill("Moeder vertelt over zorgen om de ontwikkeling van haar peuter.");
    await axe(page, "Signaal vastleggen (ggz)");
    await page.screenshot({ path: join(shots, "signaal-vastleggen-ggz.png"), fullPage: true });
    await page.getByRole("button", { name: "Vastleggen" }).click();
    await page.getByText("Het signaal is vastgelegd.").waitFor();
    healthSignalPath = new URL(page.url()).pathname;
    check(/^\/signalen\/s[a-z2-7]{16}$/.test(healthSignalPath), "ggz: the new signal's page opens");
    check((await page.getByTestId("signal-description").textContent())?.includes("zorgen om de ontwikkeling") ?? false,
          "ggz (author): reads the health content");
    await axe(page, "Signaal (ggz)");
    await page.screenshot({ path: join(shots, "signaal-ggz.png"), fullPage: true });
    check(problems.length === 0, `ggz: no console error (${problems.join("; ")})`);
    await context.close();
  }
  {
    const { context, page, problems } = await asProfessional(browser, url, dir, "regisseur");
    await page.goto(`${url}${healthSignalPath}`);
    await page.getByRole("heading", { level: 1, name: "Signaal" }).waitFor({ timeout: 15000 });
    check(await page.getByTestId("withheld").isVisible(), "regisseur: the health content is shown as withheld");
    check(!(await page.content()).includes("zorgen om de ontwikkeling"),
          "regisseur: the health text is nowhere in the page");
    await axe(page, "Signaal, afgeschermd (regisseur)");
    await page.screenshot({ path: join(shots, "signaal-afgeschermd-regisseur.png"), fullPage: true });
    check(problems.length === 0, `regisseur: no console error (${problems.join("; ")})`);
    await context.close();
  }
  // Story 6: the regisseur records a rats signal and assigns it to Woej;
  // Woej sees it and resolves it, keyboard only; Vidomes cannot find it.
  let ratsPath = "";
  {
    const { context, page, problems } = await asProfessional(browser, url, dir, "regisseur");
    await page.goto(`${url}/signalen/nieuw`);
    await page.getByLabel("Soort signaal").selectOption("FVW-RATTEN");
    await page.getByLabel("Wijk").selectOption("heuvel-amstelwijk");
    await page.getByLabel("Plek", { exact: true }).fill("Achter de containers aan de Heuvelweg");
    await page.getByLabel("Wat heeft u opgemerkt?").fill("Ratten bij de ondergrondse containers, al twee weken.");
    await page.getByRole("button", { name: "Vastleggen" }).click();
    await page.getByText("Het signaal is vastgelegd.").waitFor();
    ratsPath = new URL(page.url()).pathname;
    await page.getByLabel("Organisatie", { exact: true }).selectOption("woej");
    await axe(page, "Signaal, toewijzen (regisseur)");
    await page.getByRole("button", { name: "Toewijzen" }).click();
    await page.getByText("Toegewezen aan Woej.").waitFor();
    check((await page.getByTestId("signal-owner").textContent()) === "Woej", "regisseur: the rats signal is now owned by Woej");
    await page.screenshot({ path: join(shots, "signaal-toegewezen-regisseur.png"), fullPage: true });
    check(problems.length === 0, `regisseur: no console error (${problems.join("; ")})`);
    await context.close();
  }
  {
    const { context, page, problems } = await asProfessional(browser, url, dir, "partner-woej");
    await page.goto(`${url}/`);
    await page.getByTestId("signals-count").waitFor({ timeout: 15000 });
    check(await byKeyboard(page, "FVW-RATTEN"), "partner (keyboard): Tab reaches the rats signal in Mijn werk");
    await page.getByRole("heading", { level: 1, name: "Signaal" }).waitFor();
    check(await byKeyboard(page, "Zet op: In behandeling"), "partner (keyboard): takes it in progress");
    await page.getByText("De status is nu: In behandeling.").waitFor();
    check(await byKeyboard(page, "Zet op: Opgelost"), "partner (keyboard): resolves it");
    await page.getByText("De status is nu: Opgelost.").waitFor();
    check((await page.getByTestId("signal-status").textContent()) === "Opgelost", "partner: the signal is resolved");
    check(await page.getByRole("button", { name: "Toewijzen" }).count() === 0, "partner: assigning is the regisseur's, not offered");
    for (const [text, visibility] of [["Ongediertebestrijder ingeschakeld.", "Iedereen die dit signaal mag zien"],
                                      ["Intern: factuur naar afdeling vastgoed.", "Alleen mijn organisatie"]]) {
      await page.getByLabel("Notitie", { exact: true }).fill(text);
      await page.getByLabel("Wie mag deze notitie lezen?").selectOption({ label: visibility });
      await page.getByRole("button", { name: "Notitie toevoegen" }).click();
      await page.getByTestId("note").filter({ hasText: text }).waitFor();
    }
    check(await page.getByTestId("note").count() === 2, "partner: both notes are on the signal");
    await axe(page, "Signaal, opgelost (partner)");
    await page.screenshot({ path: join(shots, "signaal-opgelost-partner.png"), fullPage: true });
    check(problems.length === 0, `partner: no console error (${problems.join("; ")})`);
    await context.close();
  }
  {
    const { context, page } = await asProfessional(browser, url, dir, "regisseur");
    await page.goto(`${url}${ratsPath}`);
    await page.getByRole("heading", { level: 2, name: "Notities" }).waitFor({ timeout: 15000 });
    const notes = await page.getByTestId("note").allTextContents();
    check(notes.length === 1 && notes[0] === "Ongediertebestrijder ingeschakeld.",
          "regisseur: reads the note for everyone involved, not Woej's own-organisation note");
    await context.close();
  }
  {
    const { context, page } = await asProfessional(browser, url, dir, "partner-vidomes");
    await page.goto(`${url}${ratsPath}`);
    await page.getByText("Dit bestaat niet, of u heeft er geen toegang toe.").waitFor({ timeout: 15000 });
    check(!(await page.content()).includes("Heuvelweg"), "another partner: the signal is not found, nothing of it shown");
    await axe(page, "Niet gevonden (andere partner)");
    await page.screenshot({ path: join(shots, "niet-gevonden-vidomes.png"), fullPage: true });
    await context.close();
  }
  // Story 8: the brugfunctionaris registers a resident (a second time: the
  // console asks whether she is already known), proposes a warm handover to
  // Vidomes; Vidomes accepts, records the introduction and completes it;
  // the referrer sees the outcome on Mijn werk.
  let handoverPath = "";
  {
    const { context, page, problems } = await asProfessional(browser, url, dir, "brugfunctionaris");
    for (let round = 0; round < 2; round++) {
      await page.goto(`${url}/inwoners`);
      await page.getByRole("heading", { level: 2, name: "Nieuwe inwoner registreren" }).waitFor({ timeout: 15000 });
      await page.locator("#reg-name").fill("Yasmina El Idrissi");
      await page.locator("#reg-birth").fill("1988-04-12");
      await page.locator("#reg-address").fill("Prinsenhoflaan 12");
      await page.locator("#reg-wijk").selectOption("prinsenhof");
      if (round === 1) await axe(page, "Inwoners (brugfunctionaris)");
      await page.getByRole("button", { name: "Registreren" }).click();
      if (round === 0) await page.getByRole("heading", { level: 1, name: "Inwoner" }).waitFor();
    }
    await page.getByText("Deze inwoner is misschien al bekend.", { exact: false }).waitFor();
    check(await page.getByRole("link", { name: "Yasmina El Idrissi" }).count() === 1,
          "brugfunctionaris: registering her again shows the one she may already see");
    await page.screenshot({ path: join(shots, "inwoner-misschien-bekend.png"), fullPage: true });
    await page.getByRole("link", { name: "Yasmina El Idrissi" }).click();
    await page.getByRole("heading", { level: 1, name: "Inwoner" }).waitFor();
    await page.getByLabel("Naar organisatie").selectOption("vidomes");
    await page.locator("#propose-reason").fill("Moeder zoekt hulp bij een betalingsregeling voor de huur.");
    await page.locator("#basis-note").fill("Doorverwijzing naar de woonconsulent van Vidomes");
    await axe(page, "Inwoner, overdracht voorstellen (brugfunctionaris)");
    await page.screenshot({ path: join(shots, "inwoner-brugfunctionaris.png"), fullPage: true });
    await page.getByRole("button", { name: "Voorstellen" }).click();
    await page.getByRole("heading", { level: 1, name: "Warme overdracht" }).waitFor();
    handoverPath = new URL(page.url()).pathname;
    check((await page.getByTestId("status").textContent()) === "Voorgesteld", "brugfunctionaris: the handover is proposed");
    check(problems.length === 0, `brugfunctionaris: no console error (${problems.join("; ")})`);
    await context.close();
  }
  {
    const { context, page, problems } = await asProfessional(browser, url, dir, "partner-vidomes");
    await page.goto(`${url}${handoverPath}`);
    await page.getByRole("heading", { level: 1, name: "Warme overdracht" }).waitFor({ timeout: 15000 });
    const act = async (button, expect) => {
      await page.getByRole("button", { name: button }).first().click();
      const form = page.getByRole("form", { name: button });
      return { form, submit: async () => {
        await form.getByRole("button", { name: button }).click();
        await page.getByText(`Gelukt. De overdracht staat nu op: ${expect}.`).waitFor();
      } };
    };
    // Keyboard only: Tab to "Accepteren", Enter opens its form, Tab on to
    // the form's own "Accepteren", Enter sends it.
    check(await byKeyboard(page, "Accepteren"), "partner (keyboard): reaches Accepteren");
    await page.getByRole("form", { name: "Accepteren" }).waitFor();
    check(await byKeyboard(page, "Accepteren"), "partner (keyboard): reaches the form's Accepteren");
    await page.getByText("Gelukt. De overdracht staat nu op: Geaccepteerd.").waitFor();
    const intro = await act("Introductie gehad", "Introductie gehad");
    await intro.form.locator("#with").fill("A. de Vries, woonconsulent");
    await intro.submit();
    const done = await act("Afronden", "Afgerond");
    await done.form.locator("#outcome").selectOption({ label: "Geholpen" });
    await done.form.locator("#text").fill("Betalingsregeling afgesproken voor zes maanden.");
    await axe(page, "Warme overdracht, afronden (partner)");
    await done.submit();
    check((await page.getByTestId("status").textContent()) === "Afgerond", "partner: accepted, introduced and completed");
    check(await page.getByRole("button").filter({ hasText: /Accepteren|Afronden|Annuleren/ }).count() === 0,
          "partner: a completed handover offers no action");
    await page.screenshot({ path: join(shots, "overdracht-afgerond-partner.png"), fullPage: true });
    check(problems.length === 0, `partner: no console error (${problems.join("; ")})`);
    await context.close();
  }
  {
    const { context, page, problems } = await asProfessional(browser, url, dir, "brugfunctionaris");
    await page.goto(`${url}/`);
    await page.getByTestId("outbox-count").waitFor({ timeout: 15000 });
    check(await page.getByRole("cell", { name: "Afgerond" }).isVisible(),
          "brugfunctionaris: Mijn werk shows the handover completed");
    await page.getByRole("link", { name: "Yasmina El Idrissi" }).click();
    await page.getByRole("heading", { level: 1, name: "Warme overdracht" }).waitFor();
    check((await page.content()).includes("Betalingsregeling afgesproken"),
          "brugfunctionaris: the referrer reads the outcome the partner reported back");
    await axe(page, "Warme overdracht, uitkomst (brugfunctionaris)");
    await page.screenshot({ path: join(shots, "overdracht-uitkomst-brugfunctionaris.png"), fullPage: true });
    check(problems.length === 0, `brugfunctionaris: no console error (${problems.join("; ")})`);
    await context.close();
  }

  // Story 9: the purpose of use is chosen once and recorded with every call.
  {
    const { context, page, problems } = await asProfessional(browser, url, dir, "regisseur");
    await page.goto(`${url}/`);
    await page.getByTestId("outbox-count").waitFor({ timeout: 15000 });
    await page.getByLabel("Doel van gebruik").selectOption({ label: "Opvolgen van een signaal" });
    await page.getByRole("link", { name: "Inwoners" }).click();
    await page.getByRole("link", { name: "Mijn werk" }).click();
    await page.getByTestId("outbox-count").waitFor();
    await page.reload();
    await page.getByTestId("outbox-count").waitFor();
    check((await page.getByLabel("Doel van gebruik").inputValue()) === "signaalopvolging",
          "regisseur: the chosen purpose stays for the session");
    const me = cli(bin, grpc, dir, "regisseur", ["whoami"]).professional.id;
    const out = execFileSync(join(bin, "schakel"),
      ["--server", grpc, "--identity", join(dir, "users", "auditor"), "-o", "json", "audit", "query",
       "--professional", me, "--action", "ListOutbox", "--all"], { encoding: "utf8" });
    const purposes = out.split("\n").filter((l) => l.includes('"purpose"')).map((l) => l.trim());
    check(purposes.some((l) => l.includes('"signaalopvolging"')),
          "auditor: the console's calls after the choice are recorded with that purpose");
    await axe(page, "Mijn werk met doel van gebruik (regisseur)");
    check(problems.length === 0, `regisseur: no console error (${problems.join("; ")})`);
    await context.close();
  }

  // Story 10: the consultant's caseload on Mijn werk.
  {
    const client = cli(bin, grpc, dir, "consultant", [
      "resident", "register", "--name", "Kees Bijstand", "--birth-date", "1975-06-01",
      "--address", "De Heuvel 3", "--wijk", "heuvel-amstelwijk",
    ]);
    cli(bin, grpc, dir, "consultant", ["trajectory", "start", "--resident", client.id, "--goal", "Vrijwilligerswerk vinden"]);
    const { context, page, problems } = await asProfessional(browser, url, dir, "consultant");
    await page.goto(`${url}/`);
    await page.getByTestId("caseload-count").waitFor({ timeout: 15000 });
    check((await page.getByTestId("caseload-count").textContent()) === "(1 item)",
          "consultant: the trajectory is in the caseload on Mijn werk");
    await axe(page, "Mijn werk (consultant)");
    await page.screenshot({ path: join(shots, "mijn-werk-consultant.png"), fullPage: true });
    check(problems.length === 0, `consultant: no console error (${problems.join("; ")})`);
    await context.close();
  }

  // Story 7: a revoked certificate gets a Dutch message, not a blank page.
  {
    const { context, page } = await asProfessional(browser, url, dir, "brugfunctionaris");
    await page.goto(`${url}/`);
    await page.getByRole("heading", { level: 1, name: "Mijn werk" }).waitFor({ timeout: 15000 });
    const serial = cli(bin, grpc, dir, "brugfunctionaris", ["whoami"]).certificate.serial;
    execFileSync(join(bin, "schakel-admin"),
                 ["--server", grpc, "--identity", join(dir, "users", "admin"), "cert", "revoke", "--serial", serial],
                 { stdio: "ignore" });
    await page.reload();
    const shown = await page.getByText("Uw certificaat wordt niet (meer) geaccepteerd.", { exact: false })
      .waitFor({ timeout: 15000 }).then(() => true, () => false);
    check(shown, "revoked: the console shows the Dutch message at the next call");
    await axe(page, "Certificaat ingetrokken (brugfunctionaris)");
    await page.screenshot({ path: join(shots, "ingetrokken-brugfunctionaris.png"), fullPage: true });
    await context.close();
  }
} catch (e) {
  for (const c of browser?.contexts() ?? []) {
    for (const p of c.pages()) await p.screenshot({ path: join(shots, "failure.png"), fullPage: true }).catch(() => {});
  }
  failures.push(String(e?.stack ?? e));
  console.log(`FAIL ${e?.stack ?? e}`);
} finally {
  if (browser) await browser.close();
  if (demo) await demo.stop();
}
console.log(failures.length === 0 ? "all stories passed" : `${failures.length} failed`);
process.exit(failures.length === 0 ? 0 : 1);
