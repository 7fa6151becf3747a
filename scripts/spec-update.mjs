#!/usr/bin/env node
// `pnpm spec:update <provider> <file>`: takes a provider's new upstream definition (the vendor's file,
// verbatim) into the repo.
//   With an overlay (specs/<provider>/overlay.yaml, Wooshpay): copies <file> over the upstream file the
//   overlay extends, re-applies the overlay, names every overlay action that no longer selects anything
//   (stale: the vendor renamed or removed what it edits), prints the classified change between the old
//   and the new produced spec (scripts/lib/spec-diff.mjs), regenerates the provider, runs its contract
//   tests and writes `.changeset/spec-update-<provider>-<timestamp>.md` with the computed bump and the
//   changes listed, for you to edit. With stale actions, openapi.yaml and the generated code are left
//   as they were (nothing half-produced): the bump and changeset are provisional (computed with the
//   stale actions skipped), and the command exits 1; fix the overlay and run it again (a rerun
//   replaces the untracked spec-update changeset of that provider).
//   Without an overlay (a hand-written spec: Coze, Cognite): replaces specs/<provider>/upstream.* and
//   runs `pnpm spec:compare <provider>` (new differences fail it); openapi.yaml is not touched.
// Exit codes: 0 done; 1 stale overlay actions, new differences, failed generation or contract tests;
// 2 usage errors (unknown provider, missing or unparsable file).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { OverlayError, overlayProviders, produceSpec, readOverlay, writeIfChanged } from "./lib/spec-build.mjs";
import { upstreamFile, upstreamProviders } from "./lib/spec-compare.mjs";
import { classify, diffSpecs, LEVELS } from "./lib/spec-diff.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const USAGE = "usage: pnpm spec:update <provider> <file>   (file: the provider's new definition, YAML or JSON)";

class UsageError extends Error {}

const log = (line = "") => console.log(line);
const parseSpec = (text) => parse(text, { merge: true, maxAliasCount: -1 });

/** The package generated from `specs/<provider>/openapi.yaml` (its package.json "openapi.spec"). */
function packageOf(provider) {
  const spec = `specs/${provider}/openapi.yaml`;
  for (const dir of readdirSync(join(root, "packages"))) {
    const file = join(root, "packages", dir, "package.json");
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, "utf8"));
    if (pkg.openapi?.spec === spec) return pkg.name;
  }
  return undefined;
}

/** Reads and checks the new definition; throws a UsageError when it is missing or does not parse. */
function readNewDefinition(file, target) {
  if (!existsSync(file)) throw new UsageError(`${file}: no such file`);
  const text = readFileSync(file, "utf8");
  let doc;
  try {
    // the existing upstream file's format is kept (the overlay's `extends` names it): JSON stays JSON
    doc = extname(target) === ".json" ? JSON.parse(text) : parse(text, { merge: true, maxAliasCount: -1 });
  } catch (error) {
    const format = extname(target) === ".json" ? "JSON" : "YAML/JSON";
    throw new UsageError(`${file} does not parse as ${format}: ${error.message.split("\n")[0]}`);
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc) || !("paths" in doc || "openapi" in doc)) {
    throw new UsageError(`${file} is not an OpenAPI document (no "openapi" or "paths" at the top level)`);
  }
  return text;
}

/** Prints the classified changes; returns the overall level. */
function printChanges(changes, label) {
  const level = classify(changes);
  log(`\nchange to ${label}: ${level === "none" ? "none (no semantic change)" : level}`);
  const sorted = [...changes].sort((x, y) => LEVELS.indexOf(y.level) - LEVELS.indexOf(x.level));
  for (const c of sorted) log(`  ${c.level.padEnd(5)} ${c.where}: ${c.message}`);
  log(`bump: ${level}`);
  return level;
}

/** Writes the changeset (replacing an earlier untracked spec-update changeset of the provider). */
function writeChangeset(provider, pkg, level, changes, provisional) {
  const dir = join(root, ".changeset");
  const prefix = `spec-update-${provider}-`;
  const tracked = new Set(
    spawnSync("git", ["ls-files", ".changeset"], { cwd: root, encoding: "utf8" }).stdout?.split("\n") ?? [],
  );
  for (const f of readdirSync(dir)) {
    if (f.startsWith(prefix) && f.endsWith(".md") && !tracked.has(`.changeset/${f}`)) {
      rmSync(join(dir, f));
      log(`removed the earlier (uncommitted) .changeset/${f}`);
    }
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const file = join(dir, `${prefix}${stamp}.md`);
  const sorted = [...changes].sort((x, y) => LEVELS.indexOf(y.level) - LEVELS.indexOf(x.level));
  const body = [
    "---",
    `"${pkg}": ${level}`,
    "---",
    "",
    `Updated to the provider's new definition (specs/${provider}/upstream). Changes to the client:`,
    "",
    ...sorted.map((c) => `- ${c.level}: \`${c.where}\`: ${c.message}`),
    "",
  ].join("\n");
  writeFileSync(file, body);
  log(
    `\nwrote ${relative(root, file)} (${pkg}: ${level})${provisional ? ", provisional: stale overlay actions were skipped" : ""}; edit its text for the changelog`,
  );
}

/** Runs a command in the repo, its output streamed; returns its exit status (and output when captured). */
function run(cmd, args, { capture = false } = {}) {
  const r = spawnSync(cmd, args, {
    cwd: root,
    encoding: "utf8",
    stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit",
    env: { ...process.env, FORCE_COLOR: "0" },
  });
  if (r.error) throw r.error;
  return { status: r.status ?? 1, output: capture ? `${r.stdout}${r.stderr}` : "" };
}

function updateWithOverlay(provider, newText) {
  const { upstream } = readOverlay(root, provider);
  const specFile = join(root, "specs", provider, "openapi.yaml");
  const pkg = packageOf(provider);
  if (!pkg) throw new Error(`no package is generated from specs/${provider}/openapi.yaml`);

  // everything is computed before anything is written: a failure here leaves the repo as it was
  const produced = produceSpec(root, provider, { upstreamText: newText, allowUnmatched: true });
  const oldText = readFileSync(specFile, "utf8");
  const oldUpstream = readFileSync(upstream, "utf8");

  if (produced.unmatched.length) {
    log(
      `✗ ${produced.unmatched.length} overlay action(s) select nothing in the new upstream (stale; fix the overlay):`,
    );
    for (const { index, action } of produced.unmatched) {
      log(`  - action #${index + 1}, target ${action.target}`);
      const description = typeof action.description === "string" ? action.description.trim() : "(no description)";
      for (const line of description.split("\n")) log(`      ${line}`);
    }
  } else {
    log(`overlay: every action of specs/${provider}/overlay.yaml applies to the new upstream`);
  }

  const changes = diffSpecs(parseSpec(oldText), produced.doc);
  const level = printChanges(changes, `specs/${provider}/openapi.yaml (${pkg})`);

  writeIfChanged(upstream, newText);
  log(`\n${relative(root, upstream)}: replaced`);

  const stale = produced.unmatched.length > 0;
  let failed = stale;
  if (stale) {
    log(
      `specs/${provider}/openapi.yaml and packages' generated code left as they were: fix the stale action(s) in ` +
        `specs/${provider}/overlay.yaml, then run \`pnpm spec:update ${provider} ${relative(root, upstream)}\` again ` +
        `(it regenerates and runs the contract tests)`,
    );
  } else {
    log(`\nregenerating ${provider} (node scripts/generate.mjs ${provider})`);
    if (run(process.execPath, ["scripts/generate.mjs", provider]).status !== 0) {
      // put the old upstream back and regenerate from it: nothing half-written
      writeIfChanged(upstream, oldUpstream);
      writeIfChanged(specFile, oldText);
      run(process.execPath, ["scripts/generate.mjs", provider]);
      throw new Error(`generate failed; ${relative(root, upstream)} and the generated code restored`);
    }
    const vitest = join(root, "node_modules", ".bin", "vitest");
    // vitest matches the full name: "contract <package> <operationId> → <status>" (and "… without credentials")
    const filter = `${pkg.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} `;
    log(`\ncontract tests of ${pkg} (vitest run scripts/test/contract.test.ts -t "${filter}")`);
    const contract = run(vitest, ["run", "scripts/test/contract.test.ts", "-t", filter], { capture: true });
    const summary = contract.output
      .split("\n")
      .filter((l) => /^\s*(Test Files|Tests)\s/.test(l) || /FAIL|✗|×/.test(l))
      .map((l) => l.trimEnd());
    for (const line of summary) log(line);
    const passed = Number(/^\s*Tests\s+(?:\d+ failed \| )?(\d+) passed/m.exec(contract.output)?.[1] ?? 0);
    if (contract.status !== 0 || passed === 0) {
      console.error(contract.output);
      log(`✗ contract tests of ${pkg} failed${passed === 0 ? " (none ran)" : ""}`);
      failed = true;
    } else {
      log(`contract tests of ${pkg}: passed`);
    }
  }

  if (level !== "none") writeChangeset(provider, pkg, level, changes, stale);
  else log("\nno changeset written: the produced spec did not change semantically");
  return failed ? 1 : 0;
}

function updateHandWritten(provider, file, newText) {
  const target = upstreamFile(root, provider);
  writeIfChanged(target, newText);
  log(`${relative(root, target)}: replaced (from ${file}); specs/${provider}/openapi.yaml not touched`);
  log(`\nspec:compare ${provider}: where our spec differs from the new upstream`);
  const status = run(process.execPath, ["scripts/spec-compare.mjs", provider]).status;
  if (status !== 0) {
    log(
      `✗ new differences: fix specs/${provider}/openapi.yaml (then \`pnpm generate ${provider}\` and a changeset), ` +
        `or record them with their reason (\`pnpm spec:compare ${provider} --record\`)`,
    );
  }
  return status === 0 ? 0 : 1;
}

function main(argv) {
  const args = argv.filter((a) => a !== "--");
  if (args.length !== 2 || args.some((a) => a.startsWith("-"))) throw new UsageError(USAGE);
  const [provider, fileArg] = args;
  const withOverlay = overlayProviders(root);
  const known = [...new Set([...withOverlay, ...upstreamProviders(root)])].sort();
  if (!known.includes(provider)) {
    throw new UsageError(`unknown provider ${JSON.stringify(provider)} (known: ${known.join(", ")})\n${USAGE}`);
  }
  // `pnpm spec:update` runs in the repo root; INIT_CWD is where the command was typed
  const { npm_lifecycle_event: script, INIT_CWD: typedIn } = process.env;
  const cwd = script === "spec:update" && typedIn;
  const file = resolve(cwd || process.cwd(), fileArg);
  const target = withOverlay.includes(provider) ? readOverlay(root, provider).upstream : upstreamFile(root, provider);
  const newText = readNewDefinition(file, target);
  log(`spec:update ${provider}: ${relative(root, file) || basename(file)} -> ${relative(root, target)}`);
  return withOverlay.includes(provider)
    ? updateWithOverlay(provider, newText)
    : updateHandWritten(provider, file, newText);
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`spec:update: ${error.message}`);
    process.exitCode = 2;
  } else {
    console.error(`spec:update: ${error instanceof OverlayError ? error.message : error.stack || error.message}`);
    process.exitCode = 1;
  }
}
