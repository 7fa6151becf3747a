#!/usr/bin/env node
// Check: every difference between our specs and the providers' own definitions (specs/<provider>/upstream.*)
// is recorded, with its reason, in specs/<provider>/deviations.yaml, and no recorded one is stale
// (scripts/spec-compare.mjs). Reads files only: nothing is sent anywhere.
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const script = join(dirname(fileURLToPath(import.meta.url)), "..", "spec-compare.mjs");
try {
  execFileSync(process.execPath, [script], { stdio: "inherit" });
} catch {
  process.exit(1);
}
