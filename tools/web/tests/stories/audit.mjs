// The auditor's stories: a warm handover and an emergency access made with
// the CLI leave their trail in the audit log; the auditor searches the log,
// makes the resident's access report (and prints it), reviews the emergency
// access and the anomalies, the history of grants and the chain. Someone
// else who opens the log reads the refusal.
const reason = "Acute zorgen, inwoner reageert niet op contact";

export default async function audit({ url, as, run, check, axe, shot, clean }) {
  // The handover story, with the CLI: the regisseur registers a resident and
  // proposes a warm handover to Woej, which accepts, introduces, completes
  // and reads it; the GGZ worker opens emergency access and reads the
  // resident.
  const resident = run("regisseur", [
    "resident", "register", "--name", "Fatima Audit", "--birth-date", "1981-02-03",
    "--address", "Prinsenhoflaan 3", "--wijk", "prinsenhof",
  ]);
  const handover = run("regisseur", [
    "handover", "propose", "--resident", resident.id, "--to", "woej",
    "--reason", "Huurachterstand, wil hulp bij een regeling", "--basis", "consent",
    "--basis-note", "mondelinge toestemming", "--consent-date", "2026-12-01",
  ]);
  run("partner-woej", ["handover", "accept", handover.id]);
  run("partner-woej", ["handover", "introduce", handover.id, "--with", "collega van de intake"]);
  run("partner-woej", ["handover", "complete", handover.id, "--outcome", "helped", "--text", "Regeling getroffen"]);
  run("partner-woej", ["handover", "show", handover.id]);
  run("ggz", ["breakglass", "open", "--resident", resident.id, "--reason", reason]);
  run("ggz", ["resident", "show", resident.id]);

  // Story 1: the regisseur is not the auditor: no menu item, and opening
  // the log anyway shows the server's refusal in Dutch and no entry.
  {
    const { context, page, problems } = await as("regisseur");
    await page.goto(`${url}/`);
    await page.getByRole("heading", { level: 1, name: "Mijn werk" }).waitFor({ timeout: 15000 });
    check(await page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name: "Logboek" }).count() === 0,
          "regisseur: the menu has no Logboek");
    await page.goto(`${url}/audit`);
    await page.getByRole("heading", { level: 1, name: "Het logboek doorzoeken" }).waitFor({ timeout: 15000 });
    await page.getByRole("alert").filter({ hasText: "Dit mag u met uw rol niet doen." }).waitFor();
    check(await page.getByRole("table").count() === 0 && !(await page.content()).includes("HandoverService"),
          "regisseur: opening the log shows the refusal and no entry");
    await axe(page, "Logboek geweigerd (regisseur)");
    await shot(page, "logboek-geweigerd-regisseur");
    // The refused call is the only thing the browser reports.
    check(problems.length >= 1 && problems.every((p) => /status of 403/.test(p)),
          `regisseur: nothing but the refusal in the console (${problems.join("; ")})`);
    await context.close();
  }

  // What the CLI, as the auditor, lists for the resident: the console's
  // report must show the same.
  const cliReport = run("auditor", ["audit", "resident-report", "--resident", resident.id, "--all"]).accesses;
  const trail = cliReport.map((e) => e.action);
  check(["ResidentService.RegisterResident", "HandoverService.ProposeHandover", "HandoverService.AcceptHandover",
         "HandoverService.IntroduceHandover", "HandoverService.CompleteHandover", "HandoverService.GetHandover",
         "ResidentService.OpenBreakGlass", "ResidentService.GetResident"].every((a) => trail.includes(a)),
        "CLI: the resident's trail holds the whole handover story and the emergency access");
  const cliEmergency = cliReport.filter((e) => e.breakGlass).length;
  check(cliEmergency >= 2, "CLI: the GGZ worker's accesses are marked as emergency access");

  const { context, page, problems, ui } = await as("auditor");
  const sections = page.getByRole("navigation", { name: "Onderdelen van het logboek" });
  const rows = (table) => table.locator("tbody tr");
  // Waits for a page of the log asked by pressing `control`.
  const query = async (control) => {
    const answered = page.waitForResponse((r) => r.url().includes("QueryAudit"));
    await ui.press(control);
    await answered;
    await page.getByRole("button", { name: "Zoeken" }).and(page.locator(":enabled")).waitFor();
  };

  // Story 2: the auditor starts in the log and searches it by resident.
  {
    await page.goto(`${url}/`);
    await page.getByRole("heading", { level: 1, name: "Het logboek doorzoeken" }).waitFor({ timeout: 15000 });
    await page.getByTestId("entries-count").waitFor();
    const entries = page.getByRole("table", { name: /Regels die passen/ });
    check(await rows(entries).count() === 25 && await page.getByRole("status").filter({ hasText: "Pagina 1" }).isVisible(),
          "auditor: the log opens on its first page of 25 entries");
    const firstSeen = await rows(entries).first().textContent();
    await axe(page, "Logboek doorzoeken (auditor)");
    await shot(page, "logboek-auditor");
    await query(page.getByRole("button", { name: "Volgende pagina" }));
    await page.getByRole("status").filter({ hasText: "Pagina 2" }).waitFor();
    check(await rows(entries).first().textContent() !== firstSeen, "auditor: Volgende pagina shows the next entries");

    await page.goto(`${url}/audit`);
    await ui.fill(page.getByLabel("Id van de inwoner"), resident.id);
    await query(page.getByRole("button", { name: "Zoeken" }));
    const text = await entries.textContent();
    const count = await rows(entries).count();
    check(count >= cliReport.length && count < 25, `auditor: the search by resident lists its entries (${count})`);
    check(text.includes("HandoverService.CompleteHandover") && text.includes("Warme overdracht afgerond") &&
          text.includes("ResidentService.OpenBreakGlass") && !text.includes("AuditService.VerifyAudit"),
          "auditor: they are the resident's, with the actions in Dutch, and nothing else");
    const emergencyRow = rows(entries).filter({ hasText: "ResidentService.GetResident" }).filter({ hasText: "Demo ggz" });
    check(/Noodtoegang$/.test((await emergencyRow.first().locator("td").last().textContent()) ?? ""),
          "auditor: the GGZ worker's read is marked Noodtoegang in words");
    check((await rows(entries).filter({ hasText: "Demo partner-woej" }).first().textContent()).includes("Woej"),
          "auditor: an entry names the professional and the organisation");
    await axe(page, "Logboek per inwoner (auditor)");
    await shot(page, "logboek-inwoner-auditor");

    // The period, in Dutch dates: up to yesterday holds none of it, up to
    // today all of it.
    const day = (offset) => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" })
      .format(new Date(Date.now() + offset * 86400_000));
    await ui.fill(page.getByLabel("Tot en met datum"), day(-1));
    await query(page.getByRole("button", { name: "Zoeken" }));
    check((await page.getByTestId("entries-count").textContent()) === "(0 items)" &&
          await page.getByText("Niets om te tonen.").isVisible(),
          "auditor: nothing of the resident's up to yesterday");
    await ui.fill(page.getByLabel("Vanaf datum"), day(0));
    await ui.fill(page.getByLabel("Tot en met datum"), day(0));
    await query(page.getByRole("button", { name: "Zoeken" }));
    // The answered page may still be on its way into the table: give it a
    // moment before counting (the check below still decides).
    await rows(entries).nth(Math.max(count - 1, 0)).waitFor({ timeout: 5000 }).catch(() => {});
    check(await rows(entries).count() >= count, "auditor: all of it today");

    // By outcome and professional: the regisseur's refusals.
    await page.goto(`${url}/audit`);
    await ui.select(page.getByLabel("Uitkomst"), { label: "Geweigerd" });
    await ui.select(page.getByLabel("Professional", { exact: true }), { label: "Demo regisseur (Gemeente Leidschendam-Voorburg)" });
    await query(page.getByRole("button", { name: "Zoeken" }));
    const outcomes = await rows(entries).locator("td:nth-child(6)").allTextContents();
    const who = await rows(entries).locator("td:nth-child(2)").allTextContents();
    check(outcomes.length >= 1 && outcomes.every((o) => o === "Geweigerd") && who.every((w) => w === "Demo regisseur"),
          `auditor: the search by outcome and professional lists only the regisseur's refusals (${outcomes.length})`);
    check((await entries.textContent()).includes("AuditService.QueryAudit"),
          "auditor: the regisseur's attempt to read the log is among them");
    await axe(page, "Logboek geweigerd per professional (auditor)");
    await shot(page, "logboek-geweigerd-auditor");
  }

  // Story 3: the resident's access report, the same as the CLI's listing,
  // ready to print.
  {
    await ui.press(sections.getByRole("link", { name: "Overzicht voor een inwoner" }));
    await page.getByRole("heading", { level: 1, name: "Overzicht voor een inwoner" }).waitFor();
    await ui.fill(page.getByLabel("Id van de inwoner"), resident.id);
    await ui.press(page.getByRole("button", { name: "Overzicht maken" }));
    await page.getByRole("heading", { level: 2, name: "Wie heeft uw gegevens ingezien" }).waitFor();
    check((await page.getByTestId("report-made").textContent()).startsWith("Dit overzicht is gemaakt op "),
          "report: it says when it was made");
    const report = page.getByRole("table", { name: /Alle keren dat uw gegevens/ });
    const shown = await rows(report).evaluateAll((trs) => trs.map((tr) => ({
      action: tr.dataset.action,
      cells: Array.from(tr.cells).map((c) => c.textContent),
    })));
    // The CLI's listing, then only the auditor's own reads since (reading
    // the log is itself logged, and concerns the resident too).
    const same = cliReport.every((e, i) => shown[i]?.action === e.action);
    const after = shown.slice(cliReport.length);
    check(same && after.every((r) => r.action.startsWith("AuditService.") && r.cells[1] === "Demo auditor"),
          `report: it lists every access the CLI lists, in order (${cliReport.length}), then the auditor's own reads (${after.length})`);
    check(cliReport.every((e, i) => shown[i]?.cells[5] === (e.breakGlass ? "Ja, met noodtoegang" : "Nee")),
          `report: the ${cliEmergency} emergency accesses are marked as such, the others not`);
    const proposeRow = shown.find((r) => r.action === "HandoverService.ProposeHandover");
    // The CLI sent no purpose, so the default was recorded: the one the
    // header has chosen, by its Dutch label.
    const purposeLabel = await page.locator("#purpose option:checked").textContent();
    check(proposeRow?.cells[1] === "Demo regisseur" && proposeRow?.cells[3] === "Warme overdracht voorgesteld" &&
          proposeRow?.cells[4] === purposeLabel && cliReport.find((e) => e.action === "HandoverService.ProposeHandover")?.purpose !== purposeLabel,
          "report: an access says who, what in plain Dutch and why in words");
    check(shown.some((r) => r.cells[3] === "Noodtoegang tot uw gegevens geopend" && r.cells[1] === "Demo ggz"),
          "report: the GGZ worker's emergency access is named");
    check(!(await page.content()).includes("Fatima"), "report: the resident's name is never shown");
    await axe(page, "Overzicht voor een inwoner (auditor)");
    await shot(page, "inzage-inwoner-auditor");

    await page.evaluate(() => {
      window.printed = 0;
      window.print = () => { window.printed += 1; };
    });
    await ui.press(page.getByRole("button", { name: "Afdrukken of opslaan als PDF" }));
    check(await page.evaluate(() => window.printed) === 1, "report: the button opens the browser's printing");
    await page.emulateMedia({ media: "print" });
    check(!(await page.getByRole("navigation", { name: "Hoofdmenu" }).isVisible()) &&
          !(await sections.isVisible()) &&
          !(await page.getByRole("button", { name: "Afdrukken of opslaan als PDF" }).isVisible()) &&
          !(await page.getByLabel("Id van de inwoner").isVisible()) &&
          await page.getByRole("heading", { name: "Wie heeft uw gegevens ingezien" }).isVisible() &&
          await report.isVisible(),
          "report: printed, it is the report alone (no menu, form or buttons)");
    await shot(page, "inzage-inwoner-afdruk");
    await page.emulateMedia({ media: "screen" });
    check(await page.getByRole("navigation", { name: "Hoofdmenu" }).isVisible(), "report: on screen the menu is back");
  }

  // Story 4: emergency access and anomalies of the last 30 days.
  {
    await ui.press(sections.getByRole("link", { name: "Noodtoegang en bijzonderheden" }));
    await page.getByRole("heading", { level: 1, name: "Noodtoegang en bijzonderheden" }).waitFor();
    await page.getByTestId("sessions-count").waitFor();
    const session = rows(page.getByRole("table", { name: /Geopende noodtoegang/ })).filter({ hasText: resident.id });
    const cells = await session.first().locator("td").allTextContents();
    check(await session.count() === 1 && cells[0] === "Demo ggz" && cells[1].includes("GGZ") && cells[3] === reason &&
          cells[4] !== "" && cells[5] !== "",
          "auditor: the GGZ worker's emergency access is listed with its reason, start and end");
    const anomaly = rows(page.getByRole("table", { name: /Bijzonderheden per professional/ }))
      .filter({ hasText: "Noodtoegang" }).filter({ hasText: "Demo ggz" }).filter({ hasText: "1 keer noodtoegang geopend" });
    check(await anomaly.count() >= 1, "auditor: the anomalies list the emergency access");
    await axe(page, "Noodtoegang en bijzonderheden (auditor)");
    await shot(page, "noodtoegang-auditor");
  }

  // Story 5: the history of grants names the demo professionals.
  {
    const cliGrants = run("auditor", ["audit", "grants"]);
    await ui.press(sections.getByRole("link", { name: "Rollen en toekenningen" }));
    await page.getByRole("heading", { level: 1, name: "Rollen en toekenningen" }).waitFor();
    await page.getByTestId("professionals-count").waitFor();
    const people = await rows(page.getByRole("table", { name: /Alle professionals/ })).locator("td:first-child").allTextContents();
    check(people.length === cliGrants.professionals.length &&
          cliGrants.professionals.every((p) => people.includes(p.displayName)) &&
          ["Demo regisseur", "Demo auditor", "Demo ggz", "Demo partner-woej"].every((n) => people.includes(n)),
          `auditor: the grants history lists every professional (${people.length})`);
    const auditorRow = rows(page.getByRole("table", { name: /Alle professionals/ })).filter({ hasText: "Demo auditor" });
    check((await auditorRow.first().locator("td:nth-child(3)").textContent()) !== "",
          "auditor: with their roles in words");
    check(await rows(page.getByRole("table", { name: /Elke aanvraag/ })).count() === cliGrants.grants.length &&
          await rows(page.getByRole("table", { name: /Elke aanvraag/ })).filter({ hasText: "Goedgekeurd" }).count() >= 1,
          "auditor: every grant is listed with its status");
    check((await rows(page.getByRole("table", { name: /Elke aanvraag/ })).first().locator("td:nth-child(6)").textContent()) ===
            "Bij de installatie (schakel-admin init)",
          "auditor: the grants made at installation say so, in words");
    await axe(page, "Rollen en toekenningen (auditor)");
    await shot(page, "rollen-auditor");
  }

  // Story 6: the chain is intact, also against a head noted earlier; a head
  // that does not match is reported, with where.
  {
    const head = run("auditor", ["audit", "verify"]);
    await ui.press(sections.getByRole("link", { name: "Keten controleren" }));
    await page.getByRole("heading", { level: 1, name: "De keten van het logboek controleren" }).waitFor();
    await page.getByTestId("verify-verdict").waitFor();
    check((await page.getByTestId("verify-verdict").textContent()).startsWith("De keten is intact") &&
          Number(await page.getByTestId("verify-head-seq").textContent()) > Number(head.headSeq) &&
          Number(await page.getByTestId("verify-checkpoints").textContent()) >= 1,
          "auditor: the chain is intact, with its head and checkpoints");
    await axe(page, "Keten controleren (auditor)");
    await shot(page, "keten-auditor");
    await ui.fill(page.getByLabel("Eerder genoteerd volgnummer (niet verplicht)"), String(head.headSeq));
    await ui.fill(page.getByLabel("Eerder genoteerde hash (niet verplicht)"), head.headHash);
    await ui.press(page.getByRole("button", { name: "Controleren" }));
    await page.getByTestId("verify-verdict").waitFor();
    check((await page.getByTestId("verify-verdict").textContent()).startsWith("De keten is intact"),
          "auditor: the head noted earlier is still in the chain");
    await ui.fill(page.getByLabel("Eerder genoteerde hash (niet verplicht)"), "0".repeat(64));
    await ui.press(page.getByRole("button", { name: "Controleren" }));
    await page.getByTestId("verify-first-bad").waitFor();
    check((await page.getByTestId("verify-verdict").textContent()).startsWith("De keten is NIET intact") &&
          (await page.getByTestId("verify-first-bad").textContent()) === String(head.headSeq) &&
          (await page.getByTestId("verify-problem").textContent()) ===
            `Regel ${head.headSeq} is niet meer de regel die u eerder noteerde.`,
          "auditor: a head that does not match is reported, with its sequence number, in Dutch");
    await axe(page, "Keten niet intact (auditor)");
    await shot(page, "keten-niet-intact-auditor");
    // A mistyped number is refused, not checked as if no head were given.
    await ui.fill(page.getByLabel("Eerder genoteerd volgnummer (niet verplicht)"), "12a");
    await ui.press(page.getByRole("button", { name: "Controleren" }));
    await page.getByRole("alert").waitFor();
    check((await page.getByRole("alert").textContent()).includes("moet een volgnummer uit het logboek zijn") &&
          await page.getByTestId("verify-verdict").count() === 0,
          "auditor: a mistyped sequence number is refused in Dutch, with no verdict");
  }
  clean("auditor", problems);
  await context.close();
}
