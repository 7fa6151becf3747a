#!/usr/bin/env node
// Drift check: regenerates every package from its spec and fails when the generated files differ
// from what is committed (openapi-typescript's own --check is not reliable with several APIs). That
// includes the specs produced from an upstream definition + an overlay (specs/<provider>/overlay.yaml).
import { execFileSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { overlayProviders } from "./lib/spec-build.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
execFileSync(process.execPath, ["scripts/generate.mjs"], { cwd: root, stdio: "inherit" });
const produced = overlayProviders(root).map((p) => `specs/${p}/openapi.yaml`);
const pathspec = [":(glob)packages/*/src/generated/**", ...produced];
const status = execFileSync("git", ["status", "--porcelain", "--", ...pathspec], {
  cwd: root,
  encoding: "utf8",
});
if (status.trim()) {
  console.error(
    `check-drift: generated code is stale (or a spec produced from an overlay); run \`pnpm generate\` and commit:\n${status}`,
  );
  console.error(
    execFileSync("git", ["diff", "--stat", "--", ...pathspec], {
      cwd: root,
      encoding: "utf8",
    }),
  );
  process.exit(1);
}
console.log("check-drift: generated code matches the specs, produced specs match upstream + overlay");
