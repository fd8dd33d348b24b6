// Writes FILE.gz beside every script and style sheet of the build, which
// schakeld serves to browsers that accept gzip (the bundle is ~540 KB, ~160
// KB compressed). Level 9: compressed once at build time, served many times.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const out = process.env.SCHAKEL_WEB_OUT ?? "dist";
const assets = join(out, "assets");
let n = 0;
for (const name of readdirSync(assets)) {
  if (!/\.(js|css|svg)$/.test(name)) continue;
  const path = join(assets, name);
  writeFileSync(`${path}.gz`, gzipSync(readFileSync(path), { level: 9 }));
  n++;
}
console.log(`compressed ${n} files in ${assets}`);
