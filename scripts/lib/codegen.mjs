// Loads the generator, @org/codegen (packages/codegen), for scripts that may run before anything is
// built (a fresh clone: `node scripts/generate.mjs`, `pnpm new-provider`): its dist/ is built
// first with tsc when it is missing or older than its sources.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const dir = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "packages", "codegen");

/** Whether dist/index.js is missing or older than a source file, tsconfig.json or package.json. */
function stale() {
  const built = join(dir, "dist", "index.js");
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  const sources = readdirSync(join(dir, "src"), { recursive: true })
    .map((f) => join(dir, "src", String(f)))
    .concat(join(dir, "tsconfig.json"), join(dir, "package.json"));
  return sources.some((f) => statSync(f).isFile() && statSync(f).mtimeMs > builtAt);
}

/** Builds @org/codegen if needed, then imports it. */
export async function loadCodegen() {
  if (stale()) {
    const tsc = createRequire(join(dir, "package.json")).resolve("typescript/bin/tsc");
    execFileSync(process.execPath, [tsc, "-p", dir], { stdio: "inherit" });
  }
  return import("@org/codegen");
}
