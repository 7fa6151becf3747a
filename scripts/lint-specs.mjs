#!/usr/bin/env node
// Lints every hand-maintained spec (specs/*/openapi.yaml) with Redocly's recommended-strict rules
// (redocly.yaml), which include validating every example against its schema — Prism never does.
//   node scripts/lint-specs.mjs [spec.yaml …]   (default: every specs/*/openapi.yaml)
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const redocly = join(dirname(createRequire(import.meta.url).resolve("@redocly/cli/package.json")), "bin", "cli.js");

export function lintSpec(spec, config = join(root, "redocly.yaml")) {
  const run = spawnSync(process.execPath, [redocly, "lint", spec, `--config=${config}`, "--format=stylish"], {
    encoding: "utf8",
    env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" },
  });
  const output = `${run.stdout}${run.stderr}`
    .split("\n")
    .filter((l) => !/[║╔╚]/.test(l))
    .join("\n");
  return { ok: run.status === 0, output };
}

function main(args) {
  const specs = args.length
    ? args
    : readdirSync(join(root, "specs"))
        .map((d) => join(root, "specs", d, "openapi.yaml"))
        .filter((f) => existsSync(f));
  let failed = 0;
  for (const spec of specs) {
    const { ok, output } = lintSpec(spec);
    console.log(`${ok ? "ok  " : "FAIL"} ${spec.replace(`${root}/`, "")}`);
    if (!ok) {
      failed++;
      console.log(output);
    }
  }
  if (failed) {
    console.error(`lint-specs: ${failed} spec(s) failed`);
    process.exit(1);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
