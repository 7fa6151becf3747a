#!/usr/bin/env node
// Check: a release works end to end without publishing. In a temporary copy of the workspace (the real
// .changeset/ and package versions are never touched) it adds a patch changeset for @org/client-core
// to the pending ones, runs `changeset version`, verifies that every dependent of client-core was
// bumped too (internal dependency bumps), packs each published package with pnpm (which rewrites
// `workspace:^` to the new versions) and runs `npm publish --dry-run` on each tarball.
import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { assertBuilt, pack, publishedPackages, readFromTarball } from "../lib/pack.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const CORE = "@org/client-core";
const COPIED = ["package.json", "dist", "README.md", "LICENSE", "CHANGELOG.md"];

/** Copies what a release needs (manifests, .changeset/, built output) into `dest`. */
export function copyForRelease(from, dest) {
  for (const file of ["package.json", "pnpm-workspace.yaml", ".changeset"]) {
    cpSync(join(from, file), join(dest, file), { recursive: true });
  }
  for (const entry of readdirSync(join(from, "packages"))) {
    const src = join(from, "packages", entry);
    if (!existsSync(join(src, "package.json"))) continue;
    for (const file of COPIED) {
      if (existsSync(join(src, file)))
        cpSync(join(src, file), join(dest, "packages", entry, file), { recursive: true });
    }
  }
}

/** Links each package's workspace dependencies the way pnpm does, so `pnpm pack` can resolve them. */
function linkWorkspaceDeps(dest, packages) {
  const dirOf = new Map(packages.map((p) => [p.name, join(dest, "packages", basename(p.dir))]));
  for (const p of packages) {
    const dir = dirOf.get(p.name);
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    for (const name of Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies })) {
      if (!dirOf.has(name)) continue;
      const link = join(dir, "node_modules", name);
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(relative(dirname(link), dirOf.get(name)), link);
    }
  }
}

function main() {
  const started = Date.now();
  const lap = (label) => console.log(`  ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  const packages = publishedPackages(root);
  assertBuilt(packages);
  const tmp = mkdtempSync(join(tmpdir(), "release-dry-run-"));
  const problems = [];
  try {
    copyForRelease(root, tmp);
    const pending = readdirSync(join(tmp, ".changeset")).filter((f) => f.endsWith(".md") && f !== "README.md");
    writeFileSync(
      join(tmp, ".changeset", "release-dry-run.md"),
      `---\n"${CORE}": patch\n---\n\nRelease dry run: a runtime fix.\n`,
    );
    execFileSync(join(root, "node_modules", ".bin", "changeset"), ["version"], { cwd: tmp, stdio: "pipe" });
    lap(`changeset version: ${pending.length} pending changeset(s) + a ${CORE} patch`);

    const left = readdirSync(join(tmp, ".changeset")).filter((f) => f.endsWith(".md") && f !== "README.md");
    if (left.length) problems.push(`changeset version left ${left.join(", ")} unconsumed`);
    const after = publishedPackages(tmp);
    const core = after.find((p) => p.name === CORE);
    for (const p of after) {
      const before = packages.find((q) => q.name === p.name);
      const dependsOnCore = Boolean(p.pkg.dependencies?.[CORE]);
      if ((p.name === CORE || dependsOnCore) && p.version === before?.version) {
        problems.push(`${p.name} was not bumped (still ${p.version}) although ${CORE} was`);
      }
      if (!existsSync(join(p.dir, "CHANGELOG.md")) && p.version !== before?.version) {
        problems.push(`${p.name}: no CHANGELOG.md written`);
      }
    }

    linkWorkspaceDeps(tmp, after);
    const tarballs = join(tmp, "tarballs");
    mkdirSync(tarballs);
    for (const p of after) {
      const tarball = pack(p.dir, tarballs);
      const packed = JSON.parse(readFromTarball(tarball, "package/package.json"));
      const range = packed.dependencies?.[CORE];
      if (range !== undefined && range !== `^${core.version}`) {
        problems.push(`${p.name}: packed dependency ${CORE} is "${range}", expected "^${core.version}"`);
      }
      const out = execFileSync("npm", ["publish", "--dry-run", "--ignore-scripts", tarball], {
        cwd: tmpdir(),
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, npm_config_loglevel: "error" },
      });
      if (!out.includes(`+ ${p.name}@${p.version}`)) problems.push(`${p.name}: npm publish --dry-run printed:\n${out}`);
      console.log(`  ${p.name}@${p.version}${range ? ` (${CORE} ${range})` : ""}: npm publish --dry-run ok`);
    }
    lap("packed + npm publish --dry-run");
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  if (problems.length) {
    console.error(`release-dry-run: FAILED\n${problems.map((p) => `  ${p}`).join("\n")}`);
    process.exit(1);
  }
  console.log(`release-dry-run: ok (${Date.now() - started} ms)`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    main();
  } catch (error) {
    console.error(`release-dry-run: ${error.stderr || error.message}`);
    process.exit(1);
  }
}
