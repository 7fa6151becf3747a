#!/usr/bin/env node
// Check: a real release, against a real (local) registry. Starts Verdaccio (scripts/lib/registry.mjs:
// 127.0.0.1, a port the OS picks, temporary storage, no uplinks, a throwaway user), then on a temporary
// copy of the workspace runs the release path of .github/workflows/release.yml round by round —
// `changeset version`, a rebuild of what was bumped (the repo's build script), `changeset publish` —
// and checks what the registry then serves:
//   1. baseline: the pending changesets applied and published (the state "after the last release");
//   2. a spec-only change to one provider + its changeset: only that package gets a new version;
//   3. a @org/client-core change: every package depending on it is bumped and republished, with the
//      new `^` range; no published manifest contains `workspace:`; `npm view` versions and `latest`;
//   4. consumers, in fresh folders outside the workspace: `npm install @org/<a>` alone and
//      `pnpm add @org/<b>` alone from the registry, each imported as ESM and CommonJS, type-checked
//      (tsc --strict, `bundler` and `node16`) and making one real call against a Prism mock;
//   5. a publish that fails halfway (of three packages: one published, one whose new version was
//      already taken on the registry, one refused by npm): the publish step's report says what was
//      published and what was not, and why, and the check asserts it.
// Verdaccio and Prism are stopped on every path (finally, exit, SIGINT/SIGTERM/SIGHUP; each also exits
// by itself when this process dies). Run it alone with `node scripts/checks/registry-release.mjs`.
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { constants, tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import YAML from "yaml";
import { CONSUMER_CONFIGS, writeConsumerProject } from "../lib/consumer-project.mjs";
import { publishedPackages } from "../lib/pack.mjs";
import { startPrism } from "../lib/prism.mjs";
import { addUser, packument, seedPackage, startRegistry } from "../lib/registry.mjs";
import { commitAll, copyWorkspace, externalDependencyClosure, gitTags, initGit } from "../lib/release-workspace.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const CORE = "@org/client-core";
const NAME = "registry-release";
const changesetBin = join(root, "node_modules", ".bin", "changeset");
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
const buildScript = join(root, "scripts", "build-package.mjs");
const started = Date.now();
const seconds = (since = started) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const lap = (label) => console.log(`  ${label} (${seconds()})`);
const execFileAsync = promisify(execFile);
const phases = {}; // seconds spent per kind of step, printed at the end
async function timed(phase, promise) {
  const t = Date.now();
  try {
    return await promise;
  } finally {
    phases[phase] = (phases[phase] ?? 0) + (Date.now() - t) / 1000;
  }
}

// ---------------------------------------------------------------------------------------------------
// processes and temporary files: released on every path

let registry;
let tmp;
const mocks = []; // Prism servers, starting or started
function releaseEverything() {
  registry?.kill(); // a process-group kill; Prism servers are killed by scripts/lib/prism.mjs on exit
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}
process.once("exit", releaseEverything);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.once(signal, () => {
    console.error(`${NAME}: ${signal}: stopping Verdaccio and Prism`);
    process.exit(128 + constants.signals[signal]);
  });
}

/** Runs a command; resolves { code, stdout, stderr } and never rejects on a non-zero exit. */
async function run(command, args, options = {}) {
  try {
    const { stdout, stderr } = await execFileAsync(command, args, { maxBuffer: 32 * 1024 * 1024, ...options });
    return { code: 0, stdout, stderr };
  } catch (error) {
    if (typeof error.code !== "number") throw error;
    return { code: error.code, stdout: error.stdout ?? "", stderr: error.stderr ?? "" };
  }
}
/** Runs a command and throws (with its output) when it fails. */
async function must(command, args, options = {}) {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    const shown = [command, ...args].map((a) => a.replace(root, "<repo>")).join(" ");
    throw new Error(
      `\`${shown}\` exited ${result.code} in ${options.cwd ?? process.cwd()}:\n${result.stdout}${result.stderr}`,
    );
  }
  return result.stdout;
}

/** `pnpm` for changesets and the consumers: the one on PATH, or the version in packageManager via npx. */
function pnpmBinDir(into) {
  if (spawnSync("pnpm", ["--version"], { stdio: "ignore" }).status === 0) return undefined;
  const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).packageManager.split("@")[1];
  const bin = execFileSync("npm", ["exec", "--yes", `--package=pnpm@${version}`, "-c", "command -v pnpm"], {
    encoding: "utf8",
  }).trim();
  mkdirSync(into, { recursive: true });
  symlinkSync(bin, join(into, "pnpm"));
  return into;
}

/**
 * The environment of every npm/pnpm/changeset command: this registry only, no provenance, and `npmrc`
 * instead of the user's ~/.npmrc (an empty global config too).
 */
function isolatedEnv(npmrc, extra = {}) {
  const globalconfig = join(tmp, "global.npmrc");
  writeFileSync(globalconfig, "");
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    // a developer's or CI's npm settings (registry, tokens, provenance, userconfig) must not leak in
    if (/^npm_config_/i.test(key) || /^(NPM_TOKEN|NODE_AUTH_TOKEN)$/.test(key)) continue;
    env[key] = value;
  }
  return {
    ...env,
    FORCE_COLOR: "0",
    NO_COLOR: "1",
    npm_config_userconfig: npmrc,
    npm_config_globalconfig: globalconfig,
    npm_config_registry: registry.url,
    "npm_config_@org:registry": registry.url,
    npm_config_provenance: "false",
    npm_config_update_notifier: "false",
    npm_config_fund: "false",
    npm_config_audit: "false",
    npm_config_loglevel: "warn",
    npm_config_cache: join(tmp, "npm-cache"),
    ...extra,
  };
}

// ---------------------------------------------------------------------------------------------------
// one release round: changesets -> changeset version -> build what was bumped -> changeset publish

const versionsOf = (dir) => Object.fromEntries(publishedPackages(dir).map((p) => [p.name, p.version]));
const bumpPatch = (v) => v.replace(/^(\d+)\.(\d+)\.(\d+).*$/, (_, a, b, c) => `${a}.${b}.${Number(c) + 1}`);

async function versionPackages(ws, env, changesets) {
  for (const [file, body] of Object.entries(changesets)) writeFileSync(join(ws, ".changeset", file), body);
  const before = versionsOf(ws);
  await must(changesetBin, ["version"], { cwd: ws, env });
  const after = versionsOf(ws);
  const bumped = Object.keys(after).filter((name) => after[name] !== before[name]);
  commitAll(ws, "Version Packages");
  return { before, after, bumped };
}

/** Rebuilds the bumped packages (their VERSION constant changes), as `turbo run build` would: core first. */
async function build(ws, names) {
  const dirs = publishedPackages(ws).filter((p) => names.includes(p.name));
  const buildOne = (p) =>
    must(process.execPath, [buildScript], { cwd: p.dir, env: { ...process.env, FORCE_COLOR: "0" } });
  const core = dirs.find((p) => p.name === CORE);
  if (core) await buildOne(core);
  await Promise.all(dirs.filter((p) => p !== core).map(buildOne));
}

/**
 * The publish step: `changeset publish`, then a report built from the registry itself (what each
 * package's local version was there before, and is now) and from changesets' own messages.
 * `intended`: the packages this release means to publish (bumped in this round, or never published).
 * @returns {{ ok: boolean, code: number, rows: { name: string, version: string, status: string, detail: string }[], text: string }}
 */
async function publishWithReport(ws, env, intended) {
  const packages = publishedPackages(ws);
  const has = async (p) => Boolean((await packument(registry.url, p.name))?.versions?.[p.version]);
  const before = await Promise.all(packages.map(has));
  const result = await run(changesetBin, ["publish"], { cwd: ws, env });
  const after = await Promise.all(packages.map(has));
  const output = `${result.stdout}\n${result.stderr}`;
  const rows = packages.map((p, i) => {
    const wanted = intended.includes(p.name) || !before[i];
    const base = { name: p.name, version: p.version };
    if (!wanted) return { ...base, status: "unchanged", detail: "already released, nothing to publish" };
    if (before[i]) {
      return {
        ...base,
        status: "NOT PUBLISHED",
        detail:
          "this version was already on the registry before this publish (taken by another publish, so the " +
          "registry's copy is not this build); changeset publish skipped it — bump it again and republish",
      };
    }
    if (after[i]) return { ...base, status: "published", detail: "" };
    // changesets: "an error occurred while publishing <name>: <code> <summary>"
    const why = output
      .split("\n")
      .map((line) => line.replace(/^🦋\s+\w+\s+/u, "").trim())
      .find((line) => line.includes(`publishing ${p.name}:`));
    return { ...base, status: "NOT PUBLISHED", detail: `publish failed: ${why || "see the changeset publish output"}` };
  });
  const ok = result.code === 0 && rows.every((r) => r.status !== "NOT PUBLISHED");
  const text = [
    `publish report: changeset publish exited ${result.code}; ` +
      `${rows.filter((r) => r.status === "published").length} published, ` +
      `${rows.filter((r) => r.status === "NOT PUBLISHED").length} not published`,
    ...rows.map((r) => `  ${r.status.padEnd(13)} ${r.name}@${r.version}${r.detail ? `: ${r.detail}` : ""}`),
  ].join("\n");
  return { ok, code: result.code, rows, text, output };
}

/** `npm view <pkg> versions dist-tags --json` against the registry, for every published package. */
async function npmView(env, names) {
  const views = await Promise.all(
    names.map((name) =>
      must("npm", ["view", name, "versions", "dist-tags", "--json", "--registry", registry.url], { cwd: tmp, env }),
    ),
  );
  return Object.fromEntries(
    names.map((name, i) => {
      const view = JSON.parse(views[i]);
      const versions = [view.versions ?? []].flat();
      return [name, { versions, latest: view["dist-tags"]?.latest }];
    }),
  );
}

/**
 * Every version of every package on the registry: no `workspace:` anywhere in its manifest, and each
 * dependency on a package of ours a `^` range on a version that is on the registry.
 * @returns {Record<string, object>} the manifests by name@version
 */
async function publishedManifests(names, isOurs, expect) {
  const published = {};
  for (const name of names) {
    const doc = await packument(registry.url, name);
    for (const [version, manifest] of Object.entries(doc?.versions ?? {})) {
      published[`${name}@${version}`] = manifest;
      const text = JSON.stringify(manifest);
      const leaks = text.match(/"[^"]*":"workspace:[^"]*"/g);
      expect(!leaks, `${name}@${version}: the published manifest contains "workspace:": ${leaks?.join(", ")}`);
    }
  }
  for (const [id, manifest] of Object.entries(published)) {
    for (const [dep, range] of Object.entries(manifest.dependencies ?? {})) {
      if (!isOurs(dep) || String(range).startsWith("workspace:")) continue;
      const version = String(range).replace(/^\^/, "");
      expect(
        range === `^${version}` && published[`${dep}@${version}`],
        `${id}: dependency ${dep} "${range}" is not "^" + a version on the registry`,
      );
    }
  }
  return published;
}

// ---------------------------------------------------------------------------------------------------
// consumers outside the workspace

/** One operation of the spec that can be called from its examples alone: a GET whose required params have one. */
export function exampleCall(spec) {
  const resolveRef = (node) => {
    let current = node;
    while (current?.$ref?.startsWith("#/")) {
      current = current.$ref
        .slice(2)
        .split("/")
        .reduce((o, k) => o?.[k.replaceAll("~1", "/").replaceAll("~0", "~")], spec);
    }
    return current;
  };
  for (const item of Object.values(spec.paths ?? {})) {
    const op = item.get;
    if (!op?.operationId || op.requestBody) continue;
    const params = {};
    let callable = true;
    for (const raw of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
      const param = resolveRef(raw);
      if (!param?.required) continue;
      const example = param.example ?? resolveRef(param.schema)?.example ?? resolveRef(param.schema)?.examples?.[0];
      if (example === undefined) callable = false;
      else params[param.name] = example;
    }
    if (callable) return { id: op.operationId, params };
  }
  throw new Error(`${spec.info?.title}: no GET operation callable from its examples`);
}

/** A consumer (ESM .ts and CommonJS .cts from one source) that makes one call and reports VERSION. */
function consumerSource(client, call) {
  return [
    `import { ${client.create} as create, VERSION } from "${client.name}";`,
    "",
    "export async function run(baseUrl: string): Promise<string> {",
    `  const client = create({ ...${JSON.stringify(client.mockOptions)}, baseUrl, maxRetries: 0, timeoutMs: 10_000 });`,
    `  const result = await client.${call.id}(${JSON.stringify(call.params)});`,
    "  const version: string = VERSION;",
    "  return JSON.stringify({ version, result });",
    "}",
    "",
  ].join("\n");
}

/** name@version (and the tarball URL, where the lockfile records one) of everything installed in `app`. */
function installedPackages(app, tool) {
  if (tool === "npm") {
    const lock = JSON.parse(readFileSync(join(app, "package-lock.json"), "utf8"));
    return Object.entries(lock.packages ?? {})
      .filter(([path]) => path.startsWith("node_modules/"))
      .map(([path, meta]) => ({
        name: path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length),
        version: meta.version,
        resolved: meta.resolved,
      }));
  }
  const lock = YAML.parse(readFileSync(join(app, "pnpm-lock.yaml"), "utf8"));
  return Object.entries(lock.packages ?? {}).map(([key, meta]) => {
    const at = key.lastIndexOf("@");
    return { name: key.slice(0, at), version: key.slice(at + 1), resolved: meta?.resolution?.tarball };
  });
}

/**
 * A consumer in a fresh directory outside the workspace: `npm install <pkg>` or `pnpm add <pkg>` alone
 * from the registry, type-checked (bundler and node16, ESM and CJS), then one real call against the
 * provider's Prism mock, as ESM and as CommonJS. Resolves to its report lines.
 */
async function consumer(tool, pkg, expected, mock) {
  const t = Date.now();
  const app = join(tmp, `consumer-${tool}`);
  mkdirSync(join(app, "src"), { recursive: true });
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: `consumer-${tool}`, private: true, type: "module" }));
  const env = isolatedEnv(join(tmp, ".npmrc"), {
    npm_config_store_dir: join(tmp, "pnpm-store"),
    npm_config_cache_dir: join(tmp, "pnpm-cache"),
  });
  if (tool === "npm") await must("npm", ["install", pkg.name], { cwd: app, env });
  else await must("pnpm", ["add", pkg.name], { cwd: app, env });
  const manifest = JSON.parse(readFileSync(join(app, "package.json"), "utf8"));
  const direct = Object.keys(manifest.dependencies ?? {});
  if (direct.length !== 1 || direct[0] !== pkg.name)
    throw new Error(`${tool}: expected ${pkg.name} alone in dependencies, got ${direct.join(", ")}`);
  const installed = installedPackages(app, tool);
  const ours = installed.filter((p) => p.name.startsWith("@org/"));
  const wanted = [CORE, pkg.name].sort();
  if (JSON.stringify(ours.map((p) => p.name).sort()) !== JSON.stringify(wanted))
    throw new Error(`${tool}: installed ${ours.map((p) => p.name).join(", ")}, expected ${wanted.join(", ")}`);
  for (const p of ours) {
    if (p.version !== expected[p.name])
      throw new Error(`${tool}: installed ${p.name}@${p.version}, expected the latest release ${expected[p.name]}`);
  }
  const foreign = installed.filter((p) => p.resolved && !p.resolved.startsWith(registry.url));
  if (foreign.length)
    throw new Error(`${tool}: not from the local registry: ${foreign.map((p) => p.resolved).join(", ")}`);
  const installLine = `${tool} ${tool === "npm" ? "install" : "add"} ${pkg.name} (${seconds(t)})`;

  const call = exampleCall(YAML.parse(readFileSync(join(root, pkg.pkg.openapi.spec), "utf8")));
  const source = consumerSource({ name: pkg.name, ...pkg.pkg.openapi.client }, call);
  writeConsumerProject(app, source);
  for (const config of CONSUMER_CONFIGS) {
    await must(process.execPath, [tsc, "-p", config], { cwd: app });
  }
  writeFileSync(
    join(app, "run.mjs"),
    'const { run } = await import("./out/consumer.js");\nconsole.log(await run(process.argv[2]));\n',
  );
  writeFileSync(
    join(app, "run.cjs"),
    'require("./out/consumer.cjs").run(process.argv[2]).then((r) => console.log(r));\n',
  );
  const { url } = await mock;
  const lines = [installLine, `tsc --strict bundler + node16 (ESM + CJS)`];
  for (const script of ["run.mjs", "run.cjs"]) {
    const out = JSON.parse((await must(process.execPath, [script, url], { cwd: app })).trim());
    if (out.version !== expected[pkg.name])
      throw new Error(`${tool} ${script}: VERSION is ${out.version}, expected ${expected[pkg.name]}`);
    if (out.result === null || typeof out.result !== "object")
      throw new Error(`${tool} ${script}: ${call.id} returned ${JSON.stringify(out.result)}`);
    lines.push(
      `${script === "run.mjs" ? "ESM import" : "CJS require"}: ${call.id} -> ${JSON.stringify(out.result).slice(0, 50)}…`,
    );
  }
  return `${pkg.name}@${expected[pkg.name]}:\n${lines.map((l) => `      ${l}`).join("\n")}`;
}

// ---------------------------------------------------------------------------------------------------

async function main() {
  tmp = mkdtempSync(join(tmpdir(), `${NAME}-`));
  const ws = join(tmp, "workspace");
  const problems = [];
  const expect = (condition, message) => {
    if (!condition) problems.push(message);
    return condition;
  };
  const failIfProblems = (stage) => {
    if (problems.length) throw new Error(`${stage}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  };
  try {
    // 0. registry, throwaway user, the copy of the workspace, third-party dependencies seeded
    registry = await startRegistry(join(tmp, "verdaccio"));
    const token = await addUser(registry.url, `release-${process.pid}`);
    const npmrc = join(tmp, ".npmrc");
    const host = registry.url.replace(/^http:/, "");
    writeFileSync(npmrc, `registry=${registry.url}/\n@org:registry=${registry.url}/\n${host}/:_authToken=${token}\n`);
    const extraPath = pnpmBinDir(join(tmp, "bin"));
    const env = isolatedEnv(npmrc, extraPath ? { PATH: `${extraPath}:${process.env.PATH}` } : {});
    Object.assign(process.env, extraPath ? { PATH: env.PATH } : {}); // for the consumers' pnpm too
    copyWorkspace(root, ws);
    writeFileSync(join(ws, ".npmrc"), readFileSync(npmrc)); // what `pnpm publish` hands to npm
    initGit(ws);
    const ours = publishedPackages(ws);
    const names = ours.map((p) => p.name);
    // changesets publishes to publishConfig's registry when a package names one: never let it leave
    for (const p of ours) {
      const keys = Object.keys(p.pkg.publishConfig ?? {}).filter((k) => /registry/i.test(k));
      if (keys.length)
        throw new Error(
          `${p.name}: publishConfig.${keys[0]} is set; refusing to publish anywhere but the local registry`,
        );
    }
    const isOurs = (name) => names.includes(name) || name.startsWith("@org/");
    const external = externalDependencyClosure(
      publishedPackages(root).map((p) => p.dir),
      isOurs,
    );
    await Promise.all(external.map((d) => seedPackage(registry.url, token, d.dir)));
    lap(
      `Verdaccio on ${registry.url} (no uplinks), ${external.length} third-party package(s) seeded: ${external.map((d) => `${d.name}@${d.version}`).join(", ")}`,
    );
    const providers = ours.filter((p) => p.pkg.openapi?.spec && p.pkg.dependencies?.[CORE]);
    const dependents = ours
      .filter((p) => p.pkg.dependencies?.[CORE] || p.pkg.peerDependencies?.[CORE])
      .map((p) => p.name);
    if (providers.length < 2) throw new Error("needs at least two provider packages");
    // the issue's pair: a spec change to, and `npm install` of, @org/coze-files; `pnpm add` of @org/cognite-files
    const pick = (name, fallback) => providers.find((p) => p.name === name) ?? fallback;
    const specProvider = pick("@org/coze-files", providers[0]);
    const pnpmProvider = pick(
      "@org/cognite-files",
      providers.find((p) => p !== specProvider),
    );

    // 1. baseline: the pending changesets applied and published = "the last release"
    const r1 = await timed("changeset version", versionPackages(ws, env, {}));
    await timed("build", build(ws, names));
    const p1 = await timed("changeset publish", publishWithReport(ws, env, names));
    console.log(
      `  round 1, baseline (the repo's pending changesets): ${names.map((n) => `${n}@${r1.after[n]}`).join(", ")}`,
    );
    console.log(p1.text.replace(/^/gm, "    "));
    if (!p1.ok) throw new Error(`baseline publish failed:\n${p1.text}\n${p1.output}`);
    await publishedManifests(names, isOurs, expect);
    failIfProblems("round 1 (baseline): published manifests");
    lap("round 1 published");

    // 2. a spec-only change to one provider, with its changeset: only that package moves
    const specFile = join(ws, specProvider.pkg.openapi.spec);
    const spec = YAML.parse(readFileSync(specFile, "utf8"));
    spec.info.description = `${spec.info.description ?? ""}\nRelease check: a documentation-only change.\n`;
    writeFileSync(specFile, YAML.stringify(spec));
    const r2 = await timed(
      "changeset version",
      versionPackages(ws, env, {
        "registry-release-spec.md": `---\n"${specProvider.name}": patch\n---\n\nSpec: a clearer description.\n`,
      }),
    );
    expect(
      r2.bumped.length === 1 && r2.bumped[0] === specProvider.name,
      `spec change in ${specProvider.name}: expected only it to be bumped, got [${r2.bumped.join(", ")}]`,
    );
    expect(
      r2.after[specProvider.name] === bumpPatch(r1.after[specProvider.name]),
      `${specProvider.name}: ${r2.after[specProvider.name]}, expected ${bumpPatch(r1.after[specProvider.name])}`,
    );
    failIfProblems("round 2 (spec-only change)");
    await timed("build", build(ws, r2.bumped));
    const p2 = await timed("changeset publish", publishWithReport(ws, env, r2.bumped));
    console.log(`  round 2, spec-only change to ${specProvider.name}:`);
    console.log(p2.text.replace(/^/gm, "    "));
    if (!p2.ok) throw new Error(`round 2 publish failed:\n${p2.text}\n${p2.output}`);
    await publishedManifests(names, isOurs, expect);
    const view2 = await timed("npm view", npmView(env, names));
    for (const name of names) {
      const expected = name === specProvider.name ? [r1.after[name], r2.after[name]] : [r1.after[name]];
      expect(
        JSON.stringify(view2[name].versions) === JSON.stringify(expected) && view2[name].latest === r2.after[name],
        `after round 2, npm view ${name}: versions ${JSON.stringify(view2[name].versions)} latest ${view2[name].latest}; expected ${JSON.stringify(expected)} latest ${r2.after[name]}`,
      );
    }
    failIfProblems("round 2 (spec-only change): npm view");
    lap(`round 2 published: only ${specProvider.name}@${r2.after[specProvider.name]}; npm view agrees`);

    // 3. a client-core change: every dependent is bumped (updateInternalDependents: "always")
    for (const p of [specProvider, pnpmProvider]) {
      const starting = startPrism(join(root, p.pkg.openapi.spec));
      starting.catch(() => {});
      mocks.push(starting);
    }
    const r3 = await timed(
      "changeset version",
      versionPackages(ws, env, {
        "registry-release-core.md": `---\n"${CORE}": patch\n---\n\nRuntime: a fix.\n`,
      }),
    );
    for (const name of names) {
      const shouldMove = name === CORE || dependents.includes(name);
      expect(
        shouldMove ? r3.after[name] === bumpPatch(r2.after[name]) : r3.after[name] === r2.after[name],
        shouldMove
          ? `${name} was not bumped to ${bumpPatch(r2.after[name])} (is ${r3.after[name]}) although ${CORE} was and it depends on it`
          : `${name} was bumped (${r3.after[name]}) although it does not depend on ${CORE}`,
      );
    }
    failIfProblems(`round 3 (${CORE} change)`);
    await timed("build", build(ws, r3.bumped));
    const p3 = await timed("changeset publish", publishWithReport(ws, env, r3.bumped));
    console.log(`  round 3, a ${CORE} change:`);
    console.log(p3.text.replace(/^/gm, "    "));
    if (!p3.ok) throw new Error(`round 3 publish failed:\n${p3.text}\n${p3.output}`);
    const view3 = await timed("npm view", npmView(env, names));
    for (const name of names) {
      expect(
        view3[name].latest === r3.after[name],
        `after round 3, npm view ${name} latest is ${view3[name].latest}, expected ${r3.after[name]}`,
      );
      expect(
        view3[name].versions.includes(r3.after[name]),
        `after round 3, ${name}@${r3.after[name]} is not on the registry`,
      );
    }
    const tags = gitTags(ws);
    for (const [round, r] of [
      [1, r1],
      [2, r2],
      [3, r3],
    ]) {
      for (const name of round === 1 ? names : r.bumped) {
        expect(tags.includes(`${name}@${r.after[name]}`), `round ${round}: no git tag ${name}@${r.after[name]}`);
      }
    }
    const published = await publishedManifests(names, isOurs, expect);
    for (const name of dependents) {
      const range = published[`${name}@${r3.after[name]}`]?.dependencies?.[CORE];
      expect(
        range === `^${r3.after[CORE]}`,
        `${name}@${r3.after[name]}: depends on ${CORE} "${range}", expected "^${r3.after[CORE]}"`,
      );
    }
    failIfProblems(`round 3 (${CORE} change): registry`);
    lap(
      `round 3 published: ${r3.bumped.length} packages; ${Object.keys(published).length} manifests without workspace:, ranges, tags, npm view checked`,
    );

    // 4. consumers: one provider with npm, another with pnpm, each alone, from this registry
    const expected = Object.fromEntries(names.map((n) => [n, r3.after[n]]));
    const consumers = await timed(
      "consumers",
      Promise.all([
        consumer("npm", specProvider, expected, mocks[0]),
        consumer("pnpm", pnpmProvider, expected, mocks[1]),
      ]),
    );
    console.log(`    ${consumers.join("\n    ")}`);
    lap("consumers: installed alone, ESM + CJS, tsc bundler + node16, one call each against Prism");

    // 5. a publish that fails halfway. Three packages bumped together: one publishes; one's new version
    //    was taken on the registry beforehand (changesets only warns and skips it); one is refused by npm
    //    (`publishConfig.provenance` outside GitHub Actions: EUSAGE, the failure this check's setup avoids)
    const taken = pick("@org/wooshpay-files", providers[providers.length - 1]);
    const fine = pick(
      "@org/cognite-files",
      providers.find((p) => p !== taken),
    );
    const refused = providers.find((p) => p !== taken && p !== fine);
    const together = [fine, taken, refused].filter(Boolean);
    if (refused) {
      const file = join(ws, "packages", basename(refused.dir), "package.json");
      const manifest = JSON.parse(readFileSync(file, "utf8"));
      manifest.publishConfig = { ...manifest.publishConfig, provenance: true };
      writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
    }
    const r4 = await timed(
      "changeset version",
      versionPackages(ws, env, {
        "registry-release-halfway.md": `---\n${together.map((p) => `"${p.name}": patch\n`).join("")}---\n\nFixes.\n`,
      }),
    );
    const squatter = join(tmp, "squatter");
    mkdirSync(squatter);
    writeFileSync(
      join(squatter, "package.json"),
      JSON.stringify({ name: taken.name, version: r4.after[taken.name], description: "someone else's publish" }),
    );
    await seedPackage(registry.url, token, squatter);
    const p4 = await timed("changeset publish", publishWithReport(ws, env, r4.bumped));
    console.log(
      `  round 4, ${together.map((p) => p.name).join(" + ")} bumped; ${taken.name}@${r4.after[taken.name]} taken beforehand` +
        (refused ? `, ${refused.name} with publishConfig.provenance:` : ":"),
    );
    console.log(p4.text.replace(/^/gm, "    "));
    const row = (name) => p4.rows.find((r) => r.name === name) ?? {};
    expect(!p4.ok, "round 4: the publish step reported success although packages were not published");
    expect(
      row(fine.name).status === "published",
      `round 4: ${fine.name} should be reported published, got ${row(fine.name).status}`,
    );
    expect(
      row(taken.name).status === "NOT PUBLISHED" && /already on the registry/.test(row(taken.name).detail),
      `round 4: ${taken.name} should be reported not published (version taken), got ${row(taken.name).status} ${row(taken.name).detail}`,
    );
    if (refused) {
      expect(p4.code !== 0, "round 4: changeset publish exited 0 although a publish was refused");
      expect(
        row(refused.name).status === "NOT PUBLISHED" && /EUSAGE|provenance/i.test(row(refused.name).detail),
        `round 4: ${refused.name} should be reported not published (EUSAGE), got ${row(refused.name).status} ${row(refused.name).detail}`,
      );
    }
    for (const name of names.filter((n) => !r4.bumped.includes(n))) {
      expect(
        row(name).status === "unchanged",
        `round 4: ${name} should be reported unchanged, got ${row(name).status}`,
      );
    }
    const view4 = await timed(
      "npm view",
      npmView(
        env,
        together.map((p) => p.name),
      ),
    );
    expect(
      view4[fine.name].latest === r4.after[fine.name],
      `round 4: npm view ${fine.name} latest ${view4[fine.name].latest}, expected ${r4.after[fine.name]}`,
    );
    if (refused) {
      expect(
        !view4[refused.name].versions.includes(r4.after[refused.name]) &&
          view4[refused.name].latest === r3.after[refused.name],
        `round 4: ${refused.name}@${r4.after[refused.name]} should not be on the registry, latest still ${r3.after[refused.name]}`,
      );
    }
    failIfProblems("round 4 (publish failing halfway)");
    lap("round 4: the half-failed publish is reported and asserted");
  } finally {
    // a failure while the mocks were starting must not leave them running
    await Promise.all(
      mocks.map((m) =>
        m.then(
          (s) => s.stop(),
          () => {},
        ),
      ),
    );
    await registry?.stop();
  }
  const breakdown = Object.entries(phases).map(([k, v]) => `${k} ${v.toFixed(1)} s`);
  console.log(`${NAME}: ok (${seconds()}: ${breakdown.join(", ")})`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(`${NAME}: FAILED (${seconds()}): ${error.stderr || error.message}`);
    if (registry) console.error(`Verdaccio's log:\n${registry.output().slice(-3000)}`);
    process.exit(1);
  });
}
