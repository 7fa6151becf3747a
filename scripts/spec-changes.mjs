#!/usr/bin/env node
// Spec change => changeset. changesets only sees files inside a package folder, so a change under
// specs/<provider>/ would slip past `changeset status`. This maps the spec folders changed since the
// base branch to their packages (each package.json's `openapi.spec`), classifies each spec change
// against the base version (scripts/lib/spec-diff.mjs: major / minor / patch), prints it, and fails
// when such a package has no changeset since the base, or one whose bump is lower than the change.
//
//   node scripts/spec-changes.mjs [--base <ref>]
// Base: --base, else $SPEC_CHANGES_BASE, else origin/$GITHUB_BASE_REF (pull requests), else
// origin/main when it exists; with none of them (e.g. a fresh clone of main) it skips, saying so.
// Compares the merge-base with the work tree (committed, uncommitted and untracked files).
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { parse } from "yaml";
import { classify, diffSpecs, LEVELS } from "./lib/spec-diff.mjs";

const git = (cwd, args) => execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const refExists = (cwd, ref) => {
  try {
    git(cwd, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
    return true;
  } catch {
    return false;
  }
};
const parseSpec = (text) => parse(text, { merge: true, maxAliasCount: -1 });

/** The base ref to compare with, or undefined (with the reason) when there is none. */
export function resolveBase(cwd, argBase, env = process.env) {
  const candidates = [
    argBase && { ref: argBase, from: "--base" },
    env.SPEC_CHANGES_BASE && { ref: env.SPEC_CHANGES_BASE, from: "$SPEC_CHANGES_BASE" },
    env.GITHUB_BASE_REF && { ref: `origin/${env.GITHUB_BASE_REF}`, from: "$GITHUB_BASE_REF" },
  ].filter(Boolean);
  for (const c of candidates) {
    if (!refExists(cwd, c.ref)) throw new Error(`base ${c.ref} (from ${c.from}) is not a commit here`);
    return c;
  }
  if (refExists(cwd, "origin/main")) return { ref: "origin/main", from: "default" };
  return undefined;
}

/** `{ name: bump }` of one changeset file's front matter. */
export function parseChangeset(text) {
  const match = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
  if (!match) return {};
  return parse(match[1]) ?? {};
}

/** Packages generated from a spec: [{ name, spec, specDir }]. */
function specPackages(root) {
  const dir = join(root, "packages");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((entry) => existsSync(join(dir, entry, "package.json")))
    .map((entry) => JSON.parse(readFileSync(join(dir, entry, "package.json"), "utf8")))
    .filter((pkg) => pkg.openapi?.spec && !pkg.private)
    .map((pkg) => ({ name: pkg.name, spec: pkg.openapi.spec, specDir: dirname(pkg.openapi.spec) }));
}

/**
 * Runs the check in the git work tree `cwd`.
 * @returns {{ ok: boolean, skipped?: string, lines: string[], results: object[] }}
 */
export function checkSpecChanges({ cwd = process.cwd(), base: argBase, env = process.env } = {}) {
  const root = git(cwd, ["rev-parse", "--show-toplevel"]).trim();
  const base = resolveBase(root, argBase, env);
  if (!base) {
    return {
      ok: true,
      skipped: "no base branch to compare with (no origin/main; pass --base <ref> or set SPEC_CHANGES_BASE)",
      lines: [],
      results: [],
    };
  }
  const mergeBase = git(root, ["merge-base", base.ref, "HEAD"]).trim();
  const changed = new Set(
    [
      ...git(root, ["diff", "--name-only", "--no-renames", mergeBase]).split("\n"),
      ...git(root, ["ls-files", "--others", "--exclude-standard"]).split("\n"),
    ].filter(Boolean),
  );

  const bumps = new Map();
  for (const file of changed) {
    if (!/^\.changeset\/[^/]+\.md$/.test(file) || file === ".changeset/README.md") continue;
    if (!existsSync(join(root, file))) continue;
    for (const [name, bump] of Object.entries(parseChangeset(readFileSync(join(root, file), "utf8")))) {
      const previous = bumps.get(name) ?? "none";
      if (LEVELS.indexOf(bump) > LEVELS.indexOf(previous)) bumps.set(name, bump);
    }
  }

  const lines = [`base: ${base.ref} (${base.from}), merge-base ${mergeBase.slice(0, 10)}`];
  const results = [];
  for (const pkg of specPackages(root)) {
    const touched = [...changed].filter((f) => f.startsWith(`${pkg.specDir}/`));
    if (!touched.length) continue;
    let needed = "none";
    let changes = [];
    if (!changed.has(pkg.spec)) {
      lines.push(`${pkg.name}: ${touched.join(", ")} changed, ${pkg.spec} did not: no changeset needed`);
    } else if (!existsSync(join(root, pkg.spec))) {
      lines.push(`${pkg.name}: ${pkg.spec} was removed`);
    } else {
      const after = parseSpec(readFileSync(join(root, pkg.spec), "utf8"));
      let before;
      try {
        before = parseSpec(git(root, ["show", `${mergeBase}:${pkg.spec}`]));
      } catch {
        before = undefined;
      }
      if (before === undefined) {
        needed = "minor";
        changes = [{ level: "minor", where: pkg.spec, message: "new spec (first release of the package)" }];
      } else {
        changes = diffSpecs(before, after);
        needed = classify(changes);
      }
    }
    const bump = bumps.get(pkg.name) ?? "none";
    const ok = LEVELS.indexOf(bump) >= LEVELS.indexOf(needed);
    results.push({ name: pkg.name, spec: pkg.spec, needed, bump, ok, changes });
    if (needed === "none" && changed.has(pkg.spec)) {
      lines.push(
        `${pkg.name}: ${pkg.spec} changed without a semantic change (formatting/comments): no changeset needed`,
      );
    }
    if (needed === "none") continue;
    lines.push(`${pkg.name}: ${pkg.spec} changed -> needs a ${needed} changeset; changesets since base: ${bump}`);
    const sorted = [...changes].sort((x, y) => LEVELS.indexOf(y.level) - LEVELS.indexOf(x.level));
    for (const c of sorted.slice(0, 12)) lines.push(`    ${c.level.padEnd(5)} ${c.where}: ${c.message}`);
    if (sorted.length > 12) lines.push(`    … ${sorted.length - 12} more`);
    if (!ok) {
      lines.push(
        bump === "none"
          ? `  ✗ no changeset for ${pkg.name}: run \`pnpm changeset\` and pick "${needed}" (or higher)`
          : `  ✗ the changeset bumps ${pkg.name} by "${bump}", the spec change needs "${needed}"`,
      );
    }
  }
  if (!results.length) lines.push("no spec folder changed since the base");
  return { ok: results.every((r) => r.ok), lines, results };
}

function main(argv) {
  const i = argv.indexOf("--base");
  const base = i >= 0 ? argv[i + 1] : undefined;
  const result = checkSpecChanges({ base });
  if (result.skipped) {
    console.log(`spec-changes: skipped: ${result.skipped}`);
    return 0;
  }
  for (const line of result.lines) (result.ok ? console.log : console.error)(line);
  console.log(result.ok ? "spec-changes: ok" : "spec-changes: FAILED");
  return result.ok ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    console.error(`spec-changes: ${error.stderr || error.message}`);
    process.exitCode = 1;
  }
}
