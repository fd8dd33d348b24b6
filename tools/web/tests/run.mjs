// Browser stories of the web console: a real schakeld on a temporary demo
// deployment (its HTTPS port on 127.0.0.1, a free port), Debian's Chromium
// driven by playwright-core, each demo professional presenting their own
// client certificate. Every page is checked with axe-core for WCAG 2.1 A
// and AA and screenshotted under $SCHAKEL_SCREENSHOTS.
//
//   node tests/run.mjs [--keyboard] [--stories NAME]
//
// The stories are grouped by who works in them (tests/stories/NAME.mjs,
// default "cases"); each group runs on a deployment of its own, so that
// groups run side by side and none depends on another's data. A group is
// a function of the story context below.
//
// With --keyboard every story runs keyboard only (tests/ui.mjs): every
// control is reached with Tab and operated with the keys, never clicked.
//
// Environment: SCHAKEL_BIN (the directory with schakeld and schakel-admin),
// SCHAKEL_WEB_DIST (the built console), SCHAKEL_SCREENSHOTS (output),
// CHROMIUM (default /usr/bin/chromium). Exit status 0 only when every story
// passed.
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import AxeBuilder from "@axe-core/playwright";
import { chromium } from "playwright-core";

import { asProfessional, cli, startDemo } from "./harness.mjs";
import { learnTypedDateOrder, makeUi } from "./ui.mjs";

const bin = process.env.SCHAKEL_BIN;
const dist = process.env.SCHAKEL_WEB_DIST;
const shots = process.env.SCHAKEL_SCREENSHOTS ?? join(tmpdir(), "schakel-screenshots");
const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const keyboard = process.argv.includes("--keyboard");
const storiesAt = process.argv.indexOf("--stories");
const group = storiesAt > 0 ? process.argv[storiesAt + 1] : "cases";
const mode = keyboard ? "keyboard" : "mouse";
if (!bin || !dist || !/^[a-z-]+$/.test(group ?? "")) {
  console.error("run.mjs: SCHAKEL_BIN and SCHAKEL_WEB_DIST are required; --stories takes a group name");
  process.exit(2);
}
mkdirSync(shots, { recursive: true });
console.log(`stories "${group}", ${keyboard ? "keyboard only" : "with the mouse"}`);
const { default: stories } = await import(`./stories/${group}.mjs`);

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

// A full-page screenshot taken while scrolled leaves the page where a next
// click misses its control: every screenshot starts at the top.
async function shot(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  return page.screenshot({ path: join(shots, keyboard ? `${name}-toetsenbord.png` : `${name}.png`), fullPage: true });
}

const uis = [];
// A professional's browser context and how the story operates it.
async function open(browser, url, dir, user) {
  const session = await asProfessional(browser, url, dir, user);
  if (keyboard) await learnTypedDateOrder(session.context);
  const ui = makeUi(session.page, keyboard);
  uis.push(ui);
  return { ...session, ui };
}

let demo;
let browser;
try {
  demo = await startDemo(bin, dist);
  const { dir, url, grpc } = demo;
  browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });
  // What every story is given.
  const context = {
    bin, dir, url, grpc, browser, keyboard, shots,
    // A demo professional's browser context: { context, page, problems, ui }.
    as: (user) => open(browser, url, dir, user),
    // The schakel CLI as a demo professional, over gRPC; its JSON answer.
    run: (user, args) => cli(bin, grpc, dir, user, args),
    check,
    axe,
    shot,
    clean: (who, problems) =>
      check(problems.length === 0, `${who}: no console error or CSP violation (${problems.join("; ")})`),
  };
  await stories(context);
  if (keyboard) {
    const unseen = new Set(uis.flatMap((u) => [...u.invisibleFocus]));
    check(unseen.size === 0, `keyboard: every control reached shows where the focus is (${[...unseen].join(" | ")})`);
  }
} catch (e) {
  for (const c of browser?.contexts() ?? []) {
    for (const p of c.pages()) {
      await p.screenshot({ path: join(shots, `failure-${group}-${mode}.png`), fullPage: true }).catch(() => {});
    }
  }
  failures.push(String(e?.stack ?? e));
  console.log(`FAIL ${e?.stack ?? e}`);
} finally {
  if (browser) await browser.close();
  if (demo) await demo.stop();
}
console.log(failures.length === 0 ? `all stories passed (${group}, ${mode})` : `${failures.length} failed (${group}, ${mode})`);
process.exit(failures.length === 0 ? 0 : 1);
