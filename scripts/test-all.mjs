#!/usr/bin/env node
// The test command (`pnpm test`): every check and test, in order, stopping at the first failure.
//   1. biome (lint + format)   2. spec lint + example validation   3. drift check
//   4. build + typecheck (turbo)   5. typecheck of all tests   6. vitest (unit, contract, fault, property, e2e)
//   7. every scripts/checks/*.mjs (packaging, release dry run, size budgets, …), in name order
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const report = join(mkdtempSync(join(tmpdir(), "vitest-")), "report.json");

const steps = [
  ["lint", bin("biome"), ["ci", "."]],
  ["spec lint", process.execPath, ["scripts/lint-specs.mjs"]],
  ["drift", process.execPath, ["scripts/check-drift.mjs"]],
  ["build + typecheck", bin("turbo"), ["run", "build", "typecheck", "--output-logs=errors-only"]],
  ["typecheck tests", bin("tsc"), ["-p", "tsconfig.test.json"]],
  ["vitest", bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`]],
];
const checks = join(root, "scripts", "checks");
if (existsSync(checks)) {
  for (const file of readdirSync(checks)
    .filter((f) => f.endsWith(".mjs"))
    .sort()) {
    steps.push([`check ${file}`, process.execPath, [join("scripts", "checks", file)]]);
  }
}

const timings = [];
let failedStep;
for (const [name, command, args] of steps) {
  console.log(`\n=== ${name}`);
  const started = Date.now();
  const run = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, FORCE_COLOR: "0" } });
  timings.push(`${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (run.status !== 0) {
    failedStep = name;
    break;
  }
}

console.log(`\n=== summary\n${timings.join("\n")}`);
// Pipeline steps on a line of their own; the closing line counts tests (vitest's), nothing else.
console.log(failedStep ? `steps: FAILED at ${failedStep}` : `steps: all ${steps.length} passed`);
let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(report)) {
  const result = JSON.parse(readFileSync(report, "utf8"));
  passed = result.numPassedTests;
  failed = result.numFailedTests;
  skipped = result.numPendingTests + result.numTodoTests;
}
// a step that failed outside vitest (lint, build, a packaging check) still makes the run red
if (failedStep && failed === 0) failed = 1;
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failedStep ? 1 : 0);
