// The console's first load on the demo, measured (a benchmark, not a test):
// the compressed JavaScript a browser with an empty cache downloads, and
// the time from navigation until "Mijn werk" shows the professional's
// lists, over a cold browser context each run, against a real schakeld on
// 127.0.0.1. Prints the figures; the README carries the last ones.
//
//   SCHAKEL_BIN=build/bin SCHAKEL_WEB_DIST=build/web node tools/web/scripts/measure-load.mjs [RUNS]
import { chromium } from "playwright-core";

import { asProfessional, startDemo } from "../tests/harness.mjs";

const bin = process.env.SCHAKEL_BIN;
const dist = process.env.SCHAKEL_WEB_DIST;
const runs = Number(process.argv[2] ?? 5);
if (!bin || !dist) {
  console.error("measure-load: SCHAKEL_BIN and SCHAKEL_WEB_DIST are required");
  process.exit(2);
}
const demo = await startDemo(bin, dist);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox"],
});
try {
  const times = [];
  let jsBytes = 0;
  let jsEncoded = "";
  for (let i = 0; i < runs; i++) {
    const { context, page } = await asProfessional(browser, demo.url, demo.dir, "regisseur");
    let bytes = 0;
    page.on("response", async (r) => {
      if (!r.url().endsWith(".js")) return;
      const sizes = await r.request().sizes();
      bytes += sizes.responseBodySize;
      jsEncoded = (await r.headerValue("content-encoding")) ?? "identity";
    });
    const start = Date.now();
    await page.goto(`${demo.url}/`);
    await page.getByTestId("outbox-count").waitFor({ timeout: 15000 });
    times.push(Date.now() - start);
    jsBytes = bytes;
    await context.close();
  }
  times.sort((a, b) => a - b);
  console.log(`JavaScript transferred on a cold load: ${(jsBytes / 1024).toFixed(1)} KiB (content-encoding ${jsEncoded})`);
  console.log(`until Mijn werk shows its lists, ${runs} cold loads: median ${times[Math.floor(runs / 2)]} ms, ` +
              `fastest ${times[0]} ms, slowest ${times[runs - 1]} ms`);
} finally {
  await browser.close();
  await demo.stop();
}
