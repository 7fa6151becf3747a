#!/usr/bin/env node
// Check: every spec changed since the base branch has a changeset for its package, with a bump at
// least as high as the change (see scripts/spec-changes.mjs; skips when there is no base branch).
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const script = join(dirname(fileURLToPath(import.meta.url)), "..", "spec-changes.mjs");
try {
  execFileSync(process.execPath, [script, ...process.argv.slice(2)], { stdio: "inherit" });
} catch {
  process.exit(1);
}
