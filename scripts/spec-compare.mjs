#!/usr/bin/env node
// `pnpm spec:compare [provider…] [--record]`: where our spec differs from the provider's own definition
// (specs/<provider>/upstream.*), operation by operation (scripts/lib/spec-compare.mjs), each difference
// with the reason recorded for it in specs/<provider>/deviations.yaml. Fails on a difference nobody
// recorded, on a recorded one without a reason ("TODO"), and on a recorded one that no longer exists
// (stale: remove it). `--record` appends the unrecorded ones to deviations.yaml under `reason: TODO`,
// for you to explain (or fix the spec).
import { appendFileSync, existsSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { checkProvider, upstreamProviders } from "./lib/spec-compare.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);
const record = argv.includes("--record");
const verbose = argv.includes("--verbose");
const names = argv.filter((a) => !a.startsWith("--"));
const known = upstreamProviders(root);
for (const n of names) {
  if (!known.includes(n)) {
    console.error(
      `spec:compare: no upstream definition for ${n} (specs/${n}/upstream.{yaml,json}); known: ${known.join(", ")}`,
    );
    process.exit(2);
  }
}

let failed = false;
for (const provider of names.length ? names : known) {
  const r = checkProvider(root, provider);
  const recorded = r.differences.length - r.unrecorded.length;
  console.log(`${provider}: ${r.differences.length} difference(s) from upstream, ${recorded} recorded as intended`);
  let operation;
  for (const d of r.differences) {
    if (d.reason !== undefined && !verbose) continue;
    if (d.operation !== operation) {
      operation = d.operation;
      console.log(`  ${operation}`);
    }
    const why = d.reason === undefined ? "✗ not recorded" : `✓ ${d.reason.split("\n")[0].slice(0, 90)}`;
    console.log(`    ${d.message}\n      ${why}`);
  }
  for (const d of r.unexplained) console.log(`  ✗ recorded without a reason: ${d.key}`);
  for (const k of r.stale) console.log(`  ✗ stale (no such difference any more; remove it): ${k}`);
  if (r.unrecorded.length || r.unexplained.length || r.stale.length) failed = true;
  if (record && r.unrecorded.length) {
    const file = join(root, "specs", provider, "deviations.yaml");
    if (!existsSync(file))
      writeFileSync(file, `# Intended differences from upstream (pnpm spec:compare ${provider}).\ndeviations:\n`);
    appendFileSync(
      file,
      `  - reason: TODO\n    differences:\n${r.unrecorded.map((d) => `      - ${JSON.stringify(d.key)}\n`).join("")}`,
    );
    console.log(`  recorded ${r.unrecorded.length} under "reason: TODO" in specs/${provider}/deviations.yaml`);
  }
}
if (failed) {
  console.error(
    "spec:compare: FAILED — fix the spec, or record each difference with its reason in specs/<provider>/deviations.yaml",
  );
  process.exit(1);
}
console.log("spec:compare: every difference from upstream is recorded with its reason");
