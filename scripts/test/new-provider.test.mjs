// `pnpm new-provider` end to end, in a temporary copy of the repository: scaffolds a provider from a
// small sample spec, proves it touched only specs/<name>/ and packages/<name>-files/, then installs
// (offline), builds, type-checks, and runs the spec-derived contract suite plus the package's own
// tests against Prism.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, test } from "vitest";
import { names } from "../new-provider.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const sample = join(root, "scripts", "test", "fixtures", "sample-provider.yaml");
const EXCLUDED = new Set(["node_modules", ".git", ".turbo", "dist", "bench", "coverage", "test-results", ".tmp"]);
const tmp = mkdtempSync(join(tmpdir(), "new-provider-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Every file under `dir` (minus EXCLUDED) → sha1 of its content. */
function snapshot(dir, base = dir, out = new Map()) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (EXCLUDED.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) snapshot(path, base, out);
    else if (entry.isFile()) out.set(relative(base, path), createHash("sha1").update(readFileSync(path)).digest("hex"));
  }
  return out;
}

const env = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST") && k !== "NODE_ENV"),
);
const run = (command, args, cwd = tmp) => {
  try {
    return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env });
  } catch (error) {
    throw new Error(`${command} ${args.join(" ")} failed:\n${error.stdout}\n${error.stderr}`);
  }
};

test("names: package, factory and env variable from a provider name", () => {
  expect(names("acme-cloud")).toMatchObject({
    __PASCAL__: "AcmeCloud",
    __CONST__: "ACME_CLOUD",
    __PACKAGE__: "@org/acme-cloud-files",
    __SPEC__: "specs/acme-cloud/openapi.yaml",
  });
});

test("a scaffolded provider builds and passes its contract tests against Prism", { timeout: 600_000 }, () => {
  const timings = [];
  const started = Date.now();
  const lap = (label) => timings.push(`${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const copy = (dir) =>
    statSync(join(root, dir), { throwIfNoEntry: false }) &&
    execFileSync("sh", [
      "-c",
      `tar -C "${root}" ${[...EXCLUDED].map((e) => `--exclude=${e}`).join(" ")} -cf - ${dir} | tar -C "${tmp}" -xf -`,
    ]);
  for (const entry of readdirSync(root)) if (!EXCLUDED.has(entry)) copy(entry);
  run("flock", ["/tmp/pnpm.lock", "pnpm", "install", "--offline", "--frozen-lockfile", "--reporter=silent"]);
  lap("copy + pnpm install --offline");

  const before = snapshot(tmp);
  const out = run(process.execPath, ["scripts/new-provider.mjs", "notes", sample]);
  expect(out).toContain("@org/notes-files: 2 operations");
  const after = snapshot(tmp);
  const touched = [...after.keys()].filter((f) => before.get(f) !== after.get(f));
  const removed = [...before.keys()].filter((f) => !after.has(f));
  expect(removed).toEqual([]);
  expect(touched.filter((f) => !f.startsWith("specs/notes/") && !f.startsWith("packages/notes-files/"))).toEqual([]);
  expect(touched).toEqual(
    expect.arrayContaining([
      "specs/notes/openapi.yaml",
      "packages/notes-files/package.json",
      "packages/notes-files/README.md",
      "packages/notes-files/LICENSE",
      "packages/notes-files/src/generated/operations.ts",
      "packages/notes-files/test/client.test.ts",
    ]),
  );
  const pkg = JSON.parse(readFileSync(join(tmp, "packages/notes-files/package.json"), "utf8"));
  expect(pkg.openapi).toEqual({
    spec: "specs/notes/openapi.yaml",
    client: { create: "createNotesClient", mockOptions: { token: "demo-token" }, errorClass: "NotesApiError" },
  });
  expect(readFileSync(join(tmp, "packages/notes-files/src/client.ts"), "utf8")).toContain(
    'NOTES_BASE_URL = "https://api.notes.example.test/v1"',
  );
  expect(() => run(process.execPath, ["scripts/new-provider.mjs", "notes", sample])).toThrow(/already exists/);
  lap("scaffold");

  // The new importer must be resolved, which needs registry metadata: a frozen-lockfile install
  // (all a fresh machine has done) never downloads any, so resolve online when the cache lacks it.
  run("flock", ["/tmp/pnpm.lock", "pnpm", "install", "--prefer-offline", "--no-frozen-lockfile", "--reporter=silent"]);
  const build = join(tmp, "scripts", "build-package.mjs");
  run(process.execPath, [build], join(tmp, "packages", "client-core"));
  expect(run(process.execPath, [build], join(tmp, "packages", "notes-files"))).toContain(
    "built @org/notes-files@0.0.0",
  );
  run(process.execPath, [
    join(tmp, "node_modules", "typescript", "bin", "tsc"),
    "--noEmit",
    "-p",
    "packages/notes-files",
  ]);
  lap("pnpm install, build, typecheck");

  const vitest = run(join(tmp, "node_modules", ".bin", "vitest"), [
    "run",
    "scripts/test/contract.test.ts",
    "packages/notes-files/test",
    "--reporter=verbose",
  ]);
  lap("contract suite + package tests against Prism");
  console.log(timings.join("\n"));
  for (const title of ["@org/notes-files notes.retrieve → 200", "@org/notes-files notes.create → 201"]) {
    expect(vitest).toContain(title);
  }
  expect(vitest).toMatch(/notes-files.*404/);
  expect(vitest).toContain("packages/notes-files/test/client.test.ts");
  expect(vitest).not.toMatch(/\bfailed\b/i);
});
