// What the console's browser stories and its load measurement share: a
// temporary demo deployment served by the real schakeld (gRPC and HTTPS on
// free ports of 127.0.0.1), the schakel CLI as a demo professional, and a
// Chromium context presenting that professional's certificate.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export async function startDemo(bin, dist) {
  const dir = mkdtempSync(join(tmpdir(), "schakel-console-"));
  execFileSync(join(bin, "schakel-admin"), ["init", dir, "--demo"], { stdio: "ignore" });
  cpSync(dist, join(dir, "web"), { recursive: true });
  const started = await startServer(bin, dir);
  return {
    dir,
    ...started,
    async stop() {
      started.server.kill("SIGTERM");
      await sleep(500);
      if (started.server.exitCode === null) started.server.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// The schakel CLI as a demo professional; its JSON answer.
export function cli(bin, grpc, dir, user, args) {
  const out = execFileSync(
    join(bin, "schakel"),
    ["--server", grpc, "--identity", join(dir, "users", user), "-o", "json", ...args],
    { encoding: "utf8" },
  );
  return JSON.parse(out);
}

async function startServer(bin, dir) {
  const server = spawn(
    join(bin, "schakeld"),
    ["--deployment", dir, "--listen", "127.0.0.1:0", "--web-listen", "127.0.0.1:0"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  server.stdout.on("data", (d) => (out += d));
  server.stderr.on("data", () => {});
  for (let i = 0; i < 200; i++) {
    const m = out.match(/HTTPS API on (https:\/\/[0-9.]+:\d+)\//);
    const g = out.match(/listening on ([0-9.]+:\d+)/);
    if (m && g) return { server, url: m[1], grpc: g[1] };
    if (server.exitCode !== null) break;
    await sleep(50);
  }
  server.kill("SIGKILL");
  throw new Error(`schakeld did not start: ${out}`);
}

export async function asProfessional(browser, url, dir, user) {
  const context = await browser.newContext({
    ignoreHTTPSErrors: true, // the deployment's own CA is not in Chromium's store
    locale: "nl-NL",
    timezoneId: "Europe/Amsterdam",
    // The demo identity's PKCS#12 file, as a professional imports it.
    clientCertificates: [
      {
        origin: url,
        pfxPath: join(dir, "users", user, "identity.p12"),
        passphrase: readFileSync(join(dir, "users", user, "p12-password"), "utf8").trim(),
      },
    ],
  });
  const page = await context.newPage();
  const problems = [];
  // Refused notification streams, apart: that line is Chromium's own, not
  // the console's, which falls back to polling without a word
  // (src/notificationWatch.ts). Every other failed load is a problem.
  const refusedStreams = [];
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    if (/^Failed to load resource/.test(m.text()) && m.location().url.endsWith(kWatchPath)) refusedStreams.push(m.text());
    else problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(String(e)));
  return { context, page, problems, refusedStreams };
}

const kWatchPath = "/schakel.v1.NotificationService/WatchNotifications";


// A civil date "2026-01-05" as the console writes it (src/time.ts
// formatDate): "5 januari 2026".
const longDate = new Intl.DateTimeFormat("nl-NL", {
  timeZone: "Europe/Amsterdam", day: "numeric", month: "long", year: "numeric",
});
export function dutchDate(civil) {
  const [y, m, d] = civil.split("-").map(Number);
  return longDate.format(new Date(Date.UTC(y, m - 1, d, 12)));
}
