#!/usr/bin/env node
// Drift check: regenerates every package from its spec and fails when the generated files differ
// from what is committed (openapi-typescript's own --check is not reliable with several APIs).
import { execFileSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
execFileSync(process.execPath, ["scripts/generate.mjs"], { cwd: root, stdio: "inherit" });
const status = execFileSync("git", ["status", "--porcelain", "--", ":(glob)packages/*/src/generated/**"], {
  cwd: root,
  encoding: "utf8",
});
if (status.trim()) {
  console.error(`check-drift: generated code is stale; run \`pnpm generate\` and commit:\n${status}`);
  console.error(
    execFileSync("git", ["diff", "--stat", "--", ":(glob)packages/*/src/generated/**"], {
      cwd: root,
      encoding: "utf8",
    }),
  );
  process.exit(1);
}
console.log("check-drift: generated code matches the specs");
