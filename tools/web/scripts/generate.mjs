// Generates the TypeScript messages and service descriptors of proto/ into
// src/gen with protoc-gen-es, so the console's Connect clients are made from
// the very same proto the server serves. Uses the system protoc
// (protobuf-compiler, installed by deploy/install-deps.sh).
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const web = resolve(here, "..");
const protoRoot = resolve(web, "../../proto");
const out = join(web, "src/gen");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const files = readdirSync(join(protoRoot, "schakel/v1"))
  .filter((f) => f.endsWith(".proto"))
  .map((f) => `schakel/v1/${f}`);
execFileSync(
  "protoc",
  [
    `-I${protoRoot}`,
    `--plugin=protoc-gen-es=${join(web, "node_modules/.bin/protoc-gen-es")}`,
    `--es_out=${out}`,
    "--es_opt=target=ts",
    ...files,
  ],
  { stdio: "inherit" },
);
console.log(`generated ${files.length} files into src/gen`);
