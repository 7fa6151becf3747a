#!/usr/bin/env node
// Check: every published package is ready to publish. Packs each one (`pnpm pack`, as `pnpm publish`
// would) and runs on the tarball: publint --strict, @arethetypeswrong/cli (ESM and CJS must both
// resolve with types), and this repo's own rules (LICENSE + README shipped, sideEffects false,
// engines, publishConfig with access public and without provenance, no `workspace:` ranges left; the
// built JavaScript ASCII only and importing no dependency's `./public` entry; a Node flavour that
// inlines its dependencies, with their licences), and that the release workflow publishes with
// provenance (NPM_CONFIG_PROVENANCE on its publish step, OIDC).
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import YAML from "yaml";
import { assertBuilt, listTarball, pack, publishedPackages, readFromTarball } from "../lib/pack.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const attw = join(root, "node_modules", ".bin", "attw");
const run = promisify(execFile);

/** This repo's rules for a packed package.json and file list; returns the problems found. */
export function repoRules(pkg, files) {
  const problems = [];
  const has = (f) => files.includes(`package/${f}`);
  if (!has("LICENSE")) problems.push("LICENSE is not in the tarball");
  if (!has("README.md")) problems.push("README.md is not in the tarball");
  if (pkg.sideEffects !== false) problems.push('"sideEffects" must be false');
  if (!pkg.engines?.node) problems.push('"engines.node" is missing');
  if (pkg.license !== "MIT") problems.push('"license" must be "MIT"');
  if (pkg.publishConfig?.access !== "public") problems.push('"publishConfig.access" must be "public"');
  // provenance comes from the release workflow's environment (see releaseWorkflowRules): set in
  // publishConfig it makes every publish outside GitHub Actions fail (EUSAGE), a local registry included
  if ("provenance" in (pkg.publishConfig ?? {})) {
    problems.push('"publishConfig.provenance" must not be set: the release workflow sets NPM_CONFIG_PROVENANCE');
  }
  if (!pkg.repository?.directory) problems.push('"repository.directory" is missing (needed for provenance)');
  const root = pkg.exports?.["."];
  for (const condition of ["import", "require"]) {
    if (!root?.[condition]?.types || !root?.[condition]?.default) {
      problems.push(`"exports['.'].${condition}" needs "types" and "default"`);
    }
  }
  for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) {
    for (const [name, range] of Object.entries(pkg[field] ?? {})) {
      if (String(range).startsWith("workspace:")) problems.push(`${field}.${name} is still "${range}"`);
    }
  }
  for (const file of files) {
    if (/\/(src|test)\//.test(file) || file.endsWith(".tsbuildinfo")) problems.push(`ships ${file}`);
  }
  return problems;
}

/**
 * Rules for the built files (see scripts/build-package.mjs): every `.js`/`.cjs` is ASCII (one other
 * character makes V8 hold and scan the whole file as UTF-16: slower cold imports), and a Node flavour
 * (`dist/index.node.*`) imports none of the package's dependencies (it inlines them: one package
 * fewer to resolve and load at import) and ships their licences in `dist/THIRD-PARTY-NOTICES.txt`.
 * No built file imports a dependency's `./public` entry (only re-exports of that dependency: the
 * build bundles it in, so Node resolves and links one module of the dependency, not two).
 * `readFile(file)` returns a file of the tarball as text (each one is read once).
 */
export function distRules(pkg, files, readFile) {
  const problems = [];
  const texts = new Map();
  const read = (file) => texts.get(file) ?? texts.set(file, readFile(file)).get(file);
  const code = files.filter((f) => /^package\/dist\/.*\.c?js$/.test(f));
  const publicEntry = importOf(`(@[^/"']+/)?[^/"']+/public`);
  for (const file of code) {
    const text = read(file);
    const at = text.search(/[\u0080-\u{10ffff}]/u);
    if (at !== -1) problems.push(`${file} is not ASCII (offset ${at})`);
    const entry = text.match(publicEntry);
    if (entry) problems.push(`${file} imports ${entry[0].replace(entry[1], "")} (the build bundles it in)`);
  }
  const nodeFlavour = code.filter((f) => /\/index\.node\.c?js$/.test(f));
  if (nodeFlavour.length === 0) return problems;
  const dependencies = Object.keys(pkg.dependencies ?? {});
  for (const file of nodeFlavour) {
    const text = read(file);
    for (const name of dependencies) {
      if (importOf(`${name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}(/[^"']*)?`).test(text)) {
        problems.push(`${file} imports ${name} (the Node flavour inlines its dependencies)`);
      }
    }
  }
  if (dependencies.length > 0) {
    const notices = "package/dist/THIRD-PARTY-NOTICES.txt";
    if (!files.includes(notices)) problems.push(`${notices} is missing (the licences of the inlined dependencies)`);
    else {
      const text = read(notices);
      for (const name of dependencies) {
        if (!text.includes(`${name}@`) || !/Permission is hereby granted|Licensed under/i.test(text)) {
          problems.push(`${notices} lacks ${name} and its licence text`);
        }
      }
    }
  }
  return problems;
}

/**
 * A pattern for an import, `require` or dynamic `import()` of a specifier matching `specifier` (a
 * regular expression source); its first group is what comes before the quoted specifier.
 */
function importOf(specifier) {
  return new RegExp(`(\\bfrom\\s*|\\brequire\\(\\s*|\\bimport\\(\\s*)["']${specifier}["']`);
}

/** The release workflow publishes with provenance: OIDC allowed, NPM_CONFIG_PROVENANCE on the publish step. */
export function releaseWorkflowRules(workflow) {
  const problems = [];
  const steps = Object.values(workflow.jobs ?? {}).flatMap((job) => job.steps ?? []);
  const publishing = steps.filter(
    (step) => step.with?.publish || /\b(changeset|pnpm|npm) (publish|release)\b/.test(step.run ?? ""),
  );
  if (workflow.permissions?.["id-token"] !== "write")
    problems.push('permissions: "id-token: write" is missing (provenance)');
  if (!publishing.length) problems.push("no step publishes");
  for (const step of publishing) {
    if (String(step.env?.NPM_CONFIG_PROVENANCE) !== "true") {
      problems.push(`step "${step.name ?? step.uses ?? step.run}" publishes without env NPM_CONFIG_PROVENANCE: "true"`);
    }
  }
  return problems;
}

async function checkOne(p, out) {
  const tarball = pack(p.dir, out);
  const problems = [];
  const packed = JSON.parse(readFromTarball(tarball, "package/package.json"));
  const files = listTarball(tarball);
  problems.push(...repoRules(packed, files));
  problems.push(...distRules(packed, files, (file) => readFromTarball(tarball, file)));
  const lint = await publint({ pack: { tarball: readFileSync(tarball).buffer }, strict: true, level: "suggestion" });
  for (const message of lint.messages) {
    problems.push(`publint ${message.type}: ${formatMessage(message, lint.pkg) ?? message.code}`);
  }
  try {
    await run(
      attw,
      [tarball, "--profile", "strict", "--no-definitely-typed", "--format", "ascii", "--no-emoji", "--no-color"],
      { cwd: out },
    );
  } catch (error) {
    problems.push(`attw:\n${error.stdout || error.message}`);
  }
  return { name: `${p.name}@${p.version}`, problems };
}

async function main() {
  const started = Date.now();
  const packages = publishedPackages(root);
  assertBuilt(packages);
  const out = mkdtempSync(join(tmpdir(), "publish-ready-"));
  try {
    const results = await Promise.all(packages.map((p) => checkOne(p, out)));
    let failed = 0;
    for (const { name, problems } of results) {
      if (problems.length) {
        failed++;
        console.error(`✗ ${name}\n${problems.map((m) => `    ${m}`).join("\n")}`);
      } else {
        console.log(`✓ ${name}: publint --strict, attw (node10, node16 CJS+ESM, bundler), LICENSE + README`);
      }
    }
    console.log(
      `publish-ready: ${packages.length - failed}/${packages.length} packages clean (${Date.now() - started} ms)`,
    );
    const workflow = releaseWorkflowRules(
      YAML.parse(readFileSync(join(root, ".github", "workflows", "release.yml"), "utf8")),
    );
    if (workflow.length)
      console.error(`✗ .github/workflows/release.yml\n${workflow.map((m) => `    ${m}`).join("\n")}`);
    else
      console.log(
        "✓ .github/workflows/release.yml: publishes with provenance (id-token: write, NPM_CONFIG_PROVENANCE)",
      );
    if (failed || workflow.length) process.exitCode = 1;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(`publish-ready: ${error.message}`);
    process.exit(1);
  });
}
