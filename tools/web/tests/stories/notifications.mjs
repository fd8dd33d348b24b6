// Notifications (docs/design.md, "Nothing waits unseen"; tools/web/tests/run.mjs):
// the brugfunctionaris proposes a warm handover to Woej while Woej's
// partner has the console open; the menu's count goes to 1 without a
// reload (the stream, or the polling that takes over when the stream is
// refused — silently), the list names the kind and links to the handover,
// opening it marks it read and the count goes back to 0. "Alles als gelezen
// markeren" marks the rest; Vidomes sees nothing of it; the sender hears
// of the acceptance; a delivery choice is kept after a reload.
import { dutchDate } from "../harness.mjs";

// The console polls every 30 s while no stream is open: a new
// notification shows within that, plus the time a read takes.
const kLive = 45000;

export default async function notifications({ url, as, run, check, axe, shot, clean }) {
  const yara = run("brugfunctionaris", [
    "resident", "register", "--name", "Yara Melding", "--birth-date", "1992-03-04",
    "--address", "Prinsenhoflaan 20", "--wijk", "prinsenhof",
  ]).id;
  const propose = (reason) => run("brugfunctionaris", [
    "handover", "propose", "--resident", yara, "--to", "woej", "--reason", reason,
    "--basis", "consent", "--basis-note", "mondelinge toestemming", "--consent-date", "2026-12-01",
  ]);
  const menu = (page) => page.getByRole("navigation", { name: "Hoofdmenu" });
  const badge = (page) => menu(page).getByTestId("unread-count");

  // Story 1: Woej's partner works in the console; a handover to Woej is
  // proposed; the menu says so without a reload, in the link's own text.
  const woej = await as("partner-woej");
  let first;
  {
    const { page, ui } = woej;
    await page.goto(`${url}/`);
    await page.getByRole("heading", { level: 1, name: "Mijn werk" }).waitFor({ timeout: 15000 });
    await menu(page).getByRole("link", { name: "Meldingen", exact: true }).waitFor();
    check(await badge(page).count() === 0, "partner-woej: nothing unread, no count in the menu");
    first = propose("Zoekt hulp bij het aanvragen van toeslagen");
    await badge(page).waitFor({ timeout: kLive });
    check((await badge(page).textContent()) === "1 ongelezen", "partner-woej: the menu shows 1 unread without a reload");
    check(await menu(page).getByRole("link", { name: "Meldingen 1 ongelezen", exact: true }).isVisible(),
          "partner-woej: the count is in the menu link's name, not only a colour");
    check(await page.getByRole("alert").count() === 0, "partner-woej: no error shown while the count is kept fresh");
    console.log(`     (${woej.refusedStreams.length === 0 ? "the stream" : "polling after a refused stream"} brought it)`);
    await axe(page, "Mijn werk met een ongelezen melding (partner-woej)");
    await shot(page, "melding-ongelezen-menu");

    await ui.press(menu(page).getByRole("link", { name: "Meldingen 1 ongelezen" }));
    await page.getByRole("heading", { level: 1, name: "Meldingen" }).waitFor();
    await page.getByTestId("notifications-count").waitFor();
    check((await page.getByTestId("unread-now").textContent()) === "U heeft 1 ongelezen melding.",
          "partner-woej: the page says 1 unread");
    check((await page.getByTestId("notifications-count").textContent()) === "(1 item)", "partner-woej: one notification listed");
    const row = page.getByTestId("notification");
    const link = row.getByRole("link", { name: "Nieuwe warme overdracht voor uw team" });
    check(new URL(await link.getAttribute("href"), url).pathname === `/overdrachten/${first.id}`,
          "partner-woej: the notification names its kind and links to the handover");
    const cells = await row.getByRole("cell").allTextContents();
    check(cells[1] === dutchDate(first.deadline), `partner-woej: it gives the deadline (${cells[1]})`);
    check(/^\d{1,2} [a-z]+ \d{4} om \d\d:\d\d$/.test(cells[2]), `partner-woej: and when it arrived (${cells[2]})`);
    check(cells[3] === "Ongelezen", "partner-woej: unread, said in words");
    check(!(await page.content()).includes("Yara"), "partner-woej: the list holds no name");
    await ui.select(page.getByLabel("Welke meldingen"), { label: "Alleen ongelezen" });
    await page.getByRole("heading", { level: 2, name: /Uw ongelezen meldingen/ }).waitFor();
    check((await page.getByTestId("notifications-count").textContent()) === "(1 item)",
          "partner-woej: the unread-only list has it too");
    await axe(page, "Meldingen (partner-woej)");
    await shot(page, "meldingen-partner-woej");

    // Opening it: the handover's page, and the notification read.
    await ui.press(page.getByRole("link", { name: "Nieuwe warme overdracht voor uw team" }));
    await page.getByRole("heading", { level: 1, name: "Warme overdracht", exact: true }).waitFor();
    check(new URL(page.url()).pathname === `/overdrachten/${first.id}`, "partner-woej: the link opens the handover");
    await badge(page).waitFor({ state: "detached", timeout: 15000 });
    check(await menu(page).getByRole("link", { name: "Meldingen", exact: true }).isVisible(),
          "partner-woej: opening it marks it read: the count goes to 0");
    await ui.press(menu(page).getByRole("link", { name: "Meldingen", exact: true }));
    await page.getByTestId("notifications-count").waitFor();
    check((await page.getByTestId("unread-now").textContent()) === "U heeft geen ongelezen meldingen.",
          "partner-woej: the page says nothing is unread");
    check(/^Gelezen op /.test(await page.getByTestId("notification").getByRole("cell").nth(3).textContent()),
          "partner-woej: the notification reads as read, with when");
    await ui.select(page.getByLabel("Welke meldingen"), { label: "Alleen ongelezen" });
    await page.getByText("Niets om te tonen.").waitFor();
    check((await page.getByTestId("notifications-count").textContent()) === "(0 items)",
          "partner-woej: the unread-only list is empty");
    check(await page.getByRole("button", { name: "Alles als gelezen markeren" }).count() === 0,
          "partner-woej: nothing to mark, no button for it");
  }

  // Story 2: the stream refused (injected: the browser's traffic), the
  // count and the list are kept right by polling, and nothing says so.
  {
    const { page, ui } = woej;
    await page.route("**/schakel.v1.NotificationService/WatchNotifications", (r) =>
      r.fulfill({ status: 503, contentType: "application/json", body: '{"code":"unavailable","message":"draining"}' }));
    await page.reload();
    await page.getByTestId("notifications-count").waitFor({ timeout: 15000 });
    propose("Zoekt een plek voor vrijwilligerswerk");
    await badge(page).waitFor({ timeout: kLive });
    check((await badge(page).textContent()) === "1 ongelezen", "stream refused: polling brings the count to 1");
    await page.getByTestId("notifications-count").filter({ hasText: "(2 items)" }).waitFor();
    check((await page.getByTestId("unread-now").textContent()) === "U heeft 1 ongelezen melding.",
          "stream refused: the open list is read again with the new one on top");
    check(await page.getByRole("alert").count() === 0 && !(await page.content()).includes("niet bereikbaar"),
          "stream refused: no error is shown for it");
    await ui.press(page.getByRole("button", { name: "Alles als gelezen markeren" }));
    await page.getByText("1 melding is als gelezen gemarkeerd.").waitFor();
    await badge(page).waitFor({ state: "detached", timeout: 15000 });
    check((await page.getByTestId("unread-now").textContent()) === "U heeft geen ongelezen meldingen.",
          "partner-woej: Alles als gelezen markeren leaves nothing unread");
    // A list read again by the stream's fallback poll may still be on its
    // way: give it a moment before asking.
    await page.getByTestId("notification").filter({ hasNotText: "Gelezen op " }).first()
      .waitFor({ state: "detached", timeout: 5000 }).catch(() => {});
    check((await page.getByTestId("notification").getByRole("cell").nth(3).allTextContents()).every((c) => c.startsWith("Gelezen op ")),
          "partner-woej: both read in the list");
    await axe(page, "Meldingen, alles gelezen (partner-woej)");
    await page.unroute("**/schakel.v1.NotificationService/WatchNotifications");
  }

  // Story 3: a delivery choice per kind, kept by the server.
  {
    const { page, ui, problems, context } = woej;
    await ui.press(page.getByRole("link", { name: "Kiezen hoe u meldingen ontvangt" }));
    await page.getByRole("heading", { level: 1, name: "Hoe u meldingen ontvangt" }).waitFor();
    await page.getByLabel("Nieuwe warme overdracht voor uw team").waitFor();
    check(await page.getByText("Een e-mail van schakel bevat nooit persoonsgegevens, alleen een link naar schakel.").isVisible(),
          "settings: says that an e-mail holds no personal data");
    check(await page.locator("form select").count() === 11, "settings: a choice for every kind");
    const proposed = page.getByLabel("Nieuwe warme overdracht voor uw team");
    const assigned = page.getByLabel("Signaal aan uw team toegewezen");
    check(await proposed.locator("option:checked").textContent() === "Alleen in schakel", "settings: in schakel only at first");
    await ui.select(proposed, { label: "Direct per e-mail" });
    await ui.select(assigned, { label: "Dagelijks overzicht per e-mail" });
    await axe(page, "Meldingen, instellingen (partner-woej)");
    await ui.press(page.getByRole("button", { name: "Keuzes opslaan" }));
    await page.getByText("Uw keuzes zijn opgeslagen.").waitFor();
    await shot(page, "meldingen-instellingen-partner-woej");
    await page.reload();
    await proposed.waitFor({ timeout: 15000 });
    check(await proposed.locator("option:checked").textContent() === "Direct per e-mail" &&
          await assigned.locator("option:checked").textContent() === "Dagelijks overzicht per e-mail",
          "settings: the choices are kept after a reload");
    check(await page.getByLabel("Uw overdracht is geaccepteerd").locator("option:checked").textContent() === "Alleen in schakel",
          "settings: the kinds not changed keep theirs");
    clean("partner-woej", problems);
    await context.close();
  }

  // Story 4: Vidomes is no party to either handover: no count, nothing listed.
  {
    const { page, problems, context } = await as("partner-vidomes");
    await page.goto(`${url}/meldingen`);
    await page.getByTestId("notifications-count").waitFor({ timeout: 15000 });
    await page.getByTestId("unread-now").waitFor();
    check((await page.getByTestId("unread-now").textContent()) === "U heeft geen ongelezen meldingen." &&
          (await page.getByTestId("notifications-count").textContent()) === "(0 items)",
          "partner-vidomes: 0 unread and nothing in the list");
    check(await badge(page).count() === 0, "partner-vidomes: no count in the menu");
    await axe(page, "Meldingen, leeg (partner-vidomes)");
    await shot(page, "meldingen-leeg-partner-vidomes");
    clean("partner-vidomes", problems);
    await context.close();
  }

  // Story 5: Woej accepts; the sender's list says so.
  {
    run("partner-woej", ["handover", "accept", first.id]);
    const { page, problems, context, ui } = await as("brugfunctionaris");
    await page.goto(`${url}/meldingen`);
    const accepted = page.getByRole("link", { name: "Uw overdracht is geaccepteerd" });
    await accepted.waitFor({ timeout: 15000 });
    check(new URL(await accepted.getAttribute("href"), url).pathname === `/overdrachten/${first.id}`,
          "brugfunctionaris: the acceptance links to the handover");
    await ui.press(accepted);
    await page.getByRole("heading", { level: 1, name: "Warme overdracht", exact: true }).waitFor();
    check((await page.getByTestId("status").textContent()) === "Geaccepteerd", "brugfunctionaris: it opens accepted");
    clean("brugfunctionaris", problems);
    await context.close();
  }
}
