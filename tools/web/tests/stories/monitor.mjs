// The programme monitor: the analyst chooses reports of the fixed grid and
// reads them as a table, a chart and a CSV file, each exactly as the
// server wrote the cells (the CLI's own report is the reference); a
// suppressed cell is never drawn as a number. The regisseur gets no figures.
import { readFileSync } from "node:fs";

// Today's month, quarter and year in Europe/Amsterdam, as the page offers them.
function thisPeriod() {
  const [y, m] = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" }).format(new Date()).split("-");
  return { year: y, month: `${y}-${m}`, quarter: `${y}-Q${Math.floor((Number(m) - 1) / 3) + 1}` };
}

// The report as the page must show it: the grouping's name, the Dutch
// column labels, every row and the total, cells as written ("" as "-").
function expectedGrid(report, groupingName) {
  const cells = (r) => [r.label, ...report.columns.map((_, i) => (r.cells[i] ?? "") === "" ? "-" : r.cells[i])];
  return [[groupingName, ...report.columns.map((c) => c.labelNl)], ...report.rows.map(cells), cells(report.total)];
}

async function tableGrid(page) {
  return page.getByTestId("monitor-table").locator("tr").evaluateAll((trs) =>
    trs.map((tr) => Array.from(tr.querySelectorAll("th, td")).map((c) => c.textContent.trim())));
}

// RFC 4180, enough for the monitor's file.
function parseCsv(text) {
  const rows = [[]];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { rows[rows.length - 1].push(field); field = ""; }
    else if (c === "\r" && text[i + 1] === "\n") { rows[rows.length - 1].push(field); field = ""; rows.push([]); i++; }
    else field += c;
  }
  if (rows[rows.length - 1].length === 0 && field === "") rows.pop();
  return rows;
}

export default async function monitor({ url, keyboard, as, run, check, axe, shot, clean }) {
  const { year, quarter, month } = thisPeriod();
  const quarterName = `${quarter.slice(-1)}e kwartaal ${year}`;

  // A little data this month: signals in a few categories and both wijken,
  // by the regisseur and a partner, two of them resolved; one handover.
  const signal = (user, category, wijk) => run(user, [
    "signal", "create", "--category", category, "--wijk", wijk,
    "--place", "Bij het winkelcentrum", "--description", "Gezien tijdens de wijkronde.",
  ]);
  const made = [];
  for (let i = 0; i < 8; i++) made.push(signal("regisseur", "FVW-RATTEN", "heuvel-amstelwijk"));
  for (let i = 0; i < 6; i++) signal("regisseur", "FVW-AFVALDUMP", "heuvel-amstelwijk");
  for (let i = 0; i < 3; i++) signal("regisseur", "FVW-RATTEN", "prinsenhof");
  signal("regisseur", "JO-ZORG-JONG-KIND", "prinsenhof");
  signal("partner-woej", "FVW-AFVAL-BIJPLAATSING", "prinsenhof");
  signal("brugfunctionaris", "JO-TAAL-NT2-KIND", "prinsenhof"); // a label with a comma
  for (const s of made.slice(0, 2)) {
    run("regisseur", ["signal", "status", s.id, "--to", "in_progress"]);
    run("regisseur", ["signal", "status", s.id, "--to", "resolved"]);
  }
  const resident = run("regisseur", [
    "resident", "register", "--name", "Monitor Demo", "--birth-date", "1975-05-05",
    "--address", "Prinsenhoflaan 9", "--wijk", "prinsenhof",
  ]);
  run("regisseur", [
    "handover", "propose", "--resident", resident.id, "--to", "woej",
    "--reason", "Hulp bij administratie", "--basis", "consent",
    "--basis-note", "mondelinge toestemming", "--consent-date", "2026-12-01",
  ]);

  // Story 1: the analyst reads the signal report of this quarter by
  // category, by wijk, the year by month, and the handovers by organisation.
  {
    const { context, page, problems, ui } = await as("analyst");
    await page.goto(`${url}/monitor`);
    await page.getByRole("heading", { level: 1, name: "Programmamonitor" }).waitFor({ timeout: 15000 });
    await axe(page, "Programmamonitor (analyst)");
    await shot(page, "monitor-analyst");

    // A month cannot be split into quarters, and participation has no
    // opgave or category: the page does not offer them.
    await ui.select(page.getByLabel("Soort periode"), "month");
    const monthGroupings = await page.locator("#monitor-by option").allTextContents();
    check(!monthGroupings.includes("Kwartaal") && monthGroupings.includes("Maand"),
          "analyst: a month is not offered grouped by quarter");
    await ui.select(page.getByLabel("Overzicht", { exact: true }), "participation");
    const participationGroupings = await page.locator("#monitor-by option").allTextContents();
    check(!participationGroupings.includes("Opgave") && !participationGroupings.includes("Soort signaal") &&
          participationGroupings.includes("Wijk"),
          "analyst: participation is not offered by opgave or category");

    // Chooses a report and compares what the page shows with the CLI's own.
    async function show(kind, periodKind, period, by, groupingName, cliKind, cliBy, slug, caption) {
      await ui.select(page.getByLabel("Overzicht", { exact: true }), kind);
      await ui.select(page.getByLabel("Soort periode"), periodKind);
      await ui.select(page.getByLabel("Periode", { exact: true }), period);
      await ui.select(page.getByLabel("Verdeeld naar"), { label: groupingName });
      await ui.press(page.getByRole("button", { name: "Overzicht tonen" }));
      const report = run("analyst", ["report", cliKind, "--period", period, "--by", cliBy]);
      // The new report is there when its heading names it.
      await page.waitForFunction(([s, c]) => new URL(location.href).searchParams.get("indeling") === s &&
        document.querySelector("#monitor-report-title")?.textContent === c, [slug, caption], { timeout: 15000 });
      if (keyboard) {
        check(await page.evaluate(() => document.activeElement?.textContent === "Overzicht tonen"),
              "keyboard: the focus stays on the button after the report is shown");
      }
      const expected = expectedGrid(report, groupingName);
      const shown = await tableGrid(page);
      const what = `${cliKind} ${period} by ${cliBy}`;
      check(JSON.stringify(shown) === JSON.stringify(expected),
            `analyst: the table of ${what} equals the CLI's report cell for cell (${JSON.stringify(shown)})`);
      const shownCaption = await page.locator("caption").textContent();
      check(shownCaption === caption, `analyst: the table of ${what} has the caption "${caption}" (${shownCaption})`);
      return { report, expected };
    }

    // The chart of one column: a bar or point exactly for the rows whose
    // cell is a shown count, a marker with the cell's text for the others,
    // and the text alternative saying "minder dan 5 (afgeschermd)".
    async function checkChart(report, column, type, what) {
      const chart = page.locator("svg[role=img]");
      check(await chart.getAttribute("data-chart") === type, `analyst: ${what} is drawn as a ${type} chart`);
      const name = type === "bar" ? /^Staafdiagram van ‘/ : /^Lijndiagram van ‘/;
      check(await page.getByRole("img", { name }).count() === 1, `analyst: the chart of ${what} has role img and a name`);
      const mark = type === "bar" ? "data-bar" : "data-point";
      const drawn = await chart.locator(`[${mark}]`).evaluateAll((els, m) => els.map((e) => [e.getAttribute(m), e.getAttribute("data-value")]), mark);
      const markers = await chart.locator("[data-marker]").evaluateAll((els) => els.map((e) => [e.getAttribute("data-marker"), e.textContent]));
      const counts = report.rows.filter((r) => /^\d+$/.test(r.cells[column]));
      const hidden = report.rows.filter((r) => !/^\d+$/.test(r.cells[column]));
      check(JSON.stringify(drawn) === JSON.stringify(counts.map((r) => [r.key, r.cells[column]])),
            `analyst: in ${what} exactly the shown counts are drawn, as given (${JSON.stringify(drawn)})`);
      check(JSON.stringify(markers) === JSON.stringify(hidden.map((r) => [r.key, r.cells[column] || "-"])),
            `analyst: in ${what} every suppressed cell is a marker with its text, never a bar (${JSON.stringify(markers)})`);
      const desc = await chart.locator("desc").textContent();
      check(report.rows.filter((r) => r.cells[column] === "<5").every((r) => desc.includes(`${r.label}: minder dan 5 (afgeschermd)`)),
            `analyst: the text alternative of ${what} reads every <5 as "minder dan 5 (afgeschermd)"`);
      return { counts, hidden };
    }

    // By category.
    const byCategory = await show("signals", "quarter", quarter, "4", "Soort signaal", "signals", "category", "categorie",
                                  `Signalen, ${quarterName}, per soort signaal`);
    const small = byCategory.report.rows.filter((r) => r.cells.includes("<5"));
    check(small.length > 0, "analyst: the category report has a <5 cell (one health signal, one partner signal)");
    const tableCells = (await tableGrid(page)).slice(1).flat();
    check(tableCells.filter((c) => c === "<5").length === byCategory.expected.slice(1).flat().filter((c) => c === "<5").length,
          "analyst: every <5 is shown as <5 in the table");
    const cat = await checkChart(byCategory.report, 0, "bar", "signals by category");
    check(cat.counts.length > 0 && cat.hidden.some((r) => r.cells[0] === "<5"),
          "analyst: the category chart has bars and a <5 marker");
    check(await page.getByTestId("monitor-legend").getByText("1 tot 4, niet precies getoond").isVisible() &&
          await page.getByTestId("monitor-legend").getByText("afgeschermd zodat een klein aantal niet te herleiden is").isVisible(),
          "analyst: the legend says what <5 and x mean in words");
    await axe(page, "Programmamonitor, signalen per soort (analyst)");
    await shot(page, "monitor-signalen-categorie-analyst");

    // The CSV file is the table, "<5" kept, with a byte order mark.
    const [download] = await Promise.all([
      page.waitForEvent("download", { timeout: 15000 }),
      ui.press(page.getByRole("button", { name: "Downloaden als CSV" })),
    ]);
    check(download.suggestedFilename() === `monitor-signalen-${quarter}-categorie.csv`,
          `analyst: the file is named monitor-signalen-${quarter}-categorie.csv (${download.suggestedFilename()})`);
    const bytes = readFileSync(await download.path());
    check(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf, "analyst: the CSV starts with the UTF-8 byte order mark");
    const csv = parseCsv(bytes.toString("utf8").slice(1));
    check(JSON.stringify(csv) === JSON.stringify(await tableGrid(page)),
          `analyst: the CSV holds the table as shown, header, rows and total (${JSON.stringify(csv)})`);
    check(csv.flat().includes("<5"), "analyst: the CSV keeps <5 as <5");
    check(bytes.toString("utf8").includes('\r\n"Kind met Nederlands als 2e taal, taal onvoldoende onder de knie",'),
          "analyst: the CSV quotes a label with a comma");
    await page.getByRole("status").getByText(`Het bestand monitor-signalen-${quarter}-categorie.csv`).waitFor();

    // By wijk.
    const byWijk = await show("signals", "quarter", quarter, "5", "Wijk", "signals", "wijk", "wijk", `Signalen, ${quarterName}, per wijk`);
    await checkChart(byWijk.report, 0, "bar", "signals by wijk");
    await axe(page, "Programmamonitor, signalen per wijk (analyst)");
    await shot(page, "monitor-signalen-wijk-analyst");

    // The year by month: a line over the months; the two resolved this
    // month are "<5", a marker and no point.
    const byMonth = await show("signals", "year", year, "1", "Maand", "signals", "month", "maand", `Signalen, ${year}, per maand`);
    await checkChart(byMonth.report, 0, "line", "signals opened by month");
    await ui.select(page.getByLabel("Cijfer in de grafiek"), { label: "opgelost" });
    const resolved = await checkChart(byMonth.report, 1, "line", "signals resolved by month");
    check(resolved.hidden.some((r) => r.cells[1] === "<5"), "analyst: the resolved line has a <5 marker this month");
    check(!(await page.getByLabel("Cijfer in de grafiek").locator("option").allTextContents()).includes("mediaan dagen tot opgelost"),
          "analyst: a median is not offered as a count to chart");
    await axe(page, "Programmamonitor, signalen per maand (analyst)");
    await shot(page, "monitor-signalen-maand-analyst");

    // The handovers of this quarter by receiving organisation.
    const handovers = await show("handovers", "quarter", quarter, "6", "Organisatie", "handovers", "organisation", "organisatie",
                               `Warme overdrachten, ${quarterName}, per organisatie`);
    await checkChart(handovers.report, 0, "bar", "handovers by organisation");
    await axe(page, "Programmamonitor, overdrachten per organisatie (analyst)");
    await shot(page, "monitor-overdrachten-organisatie-analyst");
    // An address edited to a month by quarter asks for nothing.
    await page.goto(`${url}/monitor?overzicht=signals&periode=${month}&indeling=kwartaal`);
    await page.getByRole("button", { name: "Overzicht tonen" }).waitFor({ timeout: 15000 });
    await page.waitForLoadState("networkidle");
    check(await page.locator("table, svg[role=img]").count() === 0 && await page.getByRole("alert").count() === 0,
          "analyst: a month by quarter in the address shows no report and no error");
    await axe(page, "Programmamonitor, maand per kwartaal in het adres (analyst)");
    await shot(page, "monitor-adres-maand-per-kwartaal-analyst");
    clean("analyst", problems);
    await context.close();
  }

  // Story 2: the regisseur may not read reports: the server refuses, and
  // the page says so in Dutch without a figure.
  {
    let refused = "";
    try {
      run("regisseur", ["report", "signals", "--period", quarter, "--by", "wijk"]);
    } catch (e) {
      refused = String(e.stderr ?? e);
    }
    check(refused.includes("PERMISSION_DENIED"), "regisseur: the server refuses the report");
    const { context, page, problems } = await as("regisseur");
    await page.goto(`${url}/monitor?overzicht=signals&periode=${quarter}&indeling=wijk`);
    await page.getByRole("heading", { level: 1, name: "Programmamonitor" }).waitFor({ timeout: 15000 });
    check(await page.getByRole("alert").getByText("Dit mag u met uw rol niet doen.").isVisible(),
          "regisseur: the monitor says in Dutch that this role may not see it");
    check(await page.locator("table, svg[role=img]").count() === 0 && await page.getByLabel("Overzicht").count() === 0,
          "regisseur: no table, no chart, no form");
    check(await page.getByRole("link", { name: "Monitor" }).count() === 0, "regisseur: the menu has no Monitor");
    await axe(page, "Programmamonitor, geen toegang (regisseur)");
    await shot(page, "monitor-geen-toegang-regisseur");
    clean("regisseur", problems);
    await context.close();
  }
}
