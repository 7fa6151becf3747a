#!/usr/bin/env node
// Check: the packed packages work for a real consumer. Packs every published package (`pnpm pack`),
// installs the tarballs with plain npm into a fresh project outside the workspace, then
//   (a) imports each package with Node ESM `import` and CommonJS `require`,
//   (b) type-checks a consumer (written from the specs' examples) with tsc --strict, moduleResolution
//       `bundler` and `node16` (ESM .ts and CommonJS .cts),
//   (c) runs the compiled consumer, ESM and CJS, against a Prism mock of each spec,
//   (d) runs each provider README's quick start, as written, against its Prism mock.
import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { exampleParams, generatedPackages, listOperations, loadSpec } from "@org/codegen";
import ts from "typescript";
import { CONSUMER_CONFIGS, tsconfig, writeConsumerProject } from "../lib/consumer-project.mjs";
import { assertBuilt, pack, publishedPackages } from "../lib/pack.mjs";
import { startPrism } from "../lib/prism.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
const started = Date.now();
const lap = (label) => console.log(`  ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
const sh = (command, args, cwd) =>
  execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

/** TypeScript that calls every operation of every client with the spec's example params. */
export function consumerSource(clients) {
  const lines = [
    "// Written by scripts/checks/pack-smoke.mjs: a consumer of the published packages.",
    'import { ApiError, type ClientOptions } from "@org/client-core";',
  ];
  for (const [i, c] of clients.entries()) {
    lines.push(`import { ${c.create} as create${i}, VERSION as version${i} } from "${c.name}";`);
  }
  lines.push(
    "",
    "/** Calls every operation; `urls` maps package name to its mock server. */",
    "export async function run(urls: Record<string, string>): Promise<string[]> {",
    "  const results: string[] = [];",
    "  const options: ClientOptions = { maxRetries: 0, timeoutMs: 10_000 };",
  );
  clients.forEach((c, i) => {
    lines.push(
      `  const client${i} = create${i}({ ...options, ...${JSON.stringify(c.mockOptions)}, baseUrl: urls[${JSON.stringify(c.name)}] ?? "" });`,
      `  const v${i}: string = version${i};`,
      `  results.push(\`${c.name}@\${v${i}}\`);`,
    );
    for (const op of c.operations) {
      // a multipart file field gets a real file, as a user would pass
      const files = (op.fileFields ?? []).map(
        (field) =>
          `, ${JSON.stringify(field)}: new File(["pack-smoke upload\\n"], "${field}.txt", { type: "text/plain" })`,
      );
      const params = files.length ? `{ ...${JSON.stringify(op.params)}${files.join("")} }` : JSON.stringify(op.params);
      lines.push(
        "  try {",
        `    const result = await client${i}.${op.id}(${params});`,
        `    results.push(\`${op.id} -> \${JSON.stringify(result).slice(0, 60)}\`);`,
        "  } catch (error) {",
        `    if (error instanceof ApiError) throw new Error(\`${op.id} failed: \${error.status} \${error.message}\`);`,
        "    throw error;",
        "  }",
      );
    }
  });
  lines.push("  return results;", "}", "");
  return lines.join("\n");
}

async function main() {
  const packages = publishedPackages(root);
  assertBuilt(packages);
  const tmp = mkdtempSync(join(tmpdir(), "pack-smoke-"));
  const servers = [];
  let starting;
  try {
    // 1. pack + install with npm, outside the workspace
    const tarballs = packages.map((p) => pack(p.dir, tmp));
    const app = join(tmp, "app");
    mkdirSync(join(app, "src"), { recursive: true });
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    sh("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error", ...tarballs], app);
    lap(`packed ${packages.length} packages, npm install of the tarballs`);
    // Prism starts while the checks below run.
    const generated = generatedPackages(root);
    starting = Promise.all(
      generated.map((g) =>
        startPrism(g.spec).then((server) => {
          servers.push(server);
          return server;
        }),
      ),
    );
    starting.catch(() => {});

    // (a) plain import and require of every package
    const names = JSON.stringify(packages.map((p) => [p.name, p.version]));
    const probe = `for (const [name, version] of ${names}) {
      const mod = IMPORT;
      const exported = Object.keys(mod).length;
      if (!exported) throw new Error(name + ": no exports");
      if ("VERSION" in mod && mod.VERSION !== version) throw new Error(name + ": VERSION " + mod.VERSION + " != " + version);
    }`;
    writeFileSync(join(app, "import.mjs"), probe.replace("IMPORT", "await import(name)"));
    writeFileSync(join(app, "require.cjs"), probe.replace("IMPORT", "require(name)"));
    sh(process.execPath, ["import.mjs"], app);
    sh(process.execPath, ["require.cjs"], app);
    lap("ESM import + CJS require of every package");

    // (b) type-check a consumer under bundler and node16 (ESM + CJS), emitting the node16 build
    const clients = generated.map((g) => {
      const spec = loadSpec(g.spec);
      const operations = listOperations(spec).map((op) => ({
        id: op.id,
        params: exampleParams(spec, op),
        fileFields: op.fileFields,
      }));
      return { name: g.name, create: g.client.create, mockOptions: g.client.mockOptions, operations };
    });
    const source = consumerSource(clients);
    writeConsumerProject(app, source);
    await Promise.all(
      CONSUMER_CONFIGS.map((config) =>
        promisify(execFile)(process.execPath, [tsc, "-p", config], { cwd: app }).catch((error) => {
          throw new Error(`tsc -p ${config} failed:\n${error.stdout}${error.stderr}`);
        }),
      ),
    );
    lap("tsc --strict: bundler, node16 ESM + CJS");

    // (c) run the compiled consumer (ESM and CJS) against Prism
    const mocks = await starting;
    const urls = JSON.stringify(Object.fromEntries(generated.map((g, i) => [g.name, mocks[i].url])));
    const runner = (load) =>
      `const { run } = ${load};\nconst lines = await run(${urls});\nconsole.log(lines.join("\\n"));`;
    writeFileSync(join(app, "run-esm.mjs"), runner('await import("./out/consumer.js")'));
    writeFileSync(
      join(app, "run-cjs.mjs"),
      runner('(await import("node:module")).createRequire(import.meta.url)("./out/consumer.cjs")'),
    );
    for (const script of ["run-esm.mjs", "run-cjs.mjs"]) {
      const out = sh(process.execPath, [script], app);
      console.log(`  ${script}:\n${out.trim().replace(/^/gm, "    ")}`);
    }
    lap("consumer (ESM + CJS) against Prism");

    // (d) each README's quick start (its first ```ts block), pasted into the consumer project:
    // type-checked against the installed tarballs under the strictest common settings, then run
    const quickStarts = generated.filter((g) => g.client.quickStartEnv);
    mkdirSync(join(app, "quickstart"), { recursive: true });
    for (const [i, g] of quickStarts.entries()) {
      const block = /```ts\n([\s\S]*?)```/.exec(readFileSync(join(g.dir, "README.md"), "utf8"))?.[1] ?? "";
      writeFileSync(join(app, "quickstart", `quickstart-${i}.ts`), `${block}\nexport {};\n`);
    }
    writeFileSync(
      join(app, "tsconfig.quickstart.json"),
      tsconfig(
        {
          module: "esnext",
          moduleResolution: "bundler",
          noEmit: true,
          // the quick starts read process.env: Node's types, from the workspace
          types: ["node"],
          typeRoots: [join(root, "node_modules", "@types")],
        },
        ["quickstart/*.ts"],
      ),
    );
    try {
      sh(process.execPath, [tsc, "-p", "tsconfig.quickstart.json"], app);
    } catch (error) {
      throw new Error(`README quick starts do not type-check against the tarballs:\n${error.stdout ?? error.message}`);
    }
    lap("README quick starts type-checked (strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess)");
    for (const [i, g] of generated.entries()) {
      const env = g.client.quickStartEnv;
      if (!env) continue;
      const readme = readFileSync(join(g.dir, "README.md"), "utf8");
      const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
      if (!block) throw new Error(`${g.name}: README has no \`\`\`ts quick start`);
      const js = ts.transpileModule(block, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      }).outputText;
      const file = join(app, `quickstart-${i}.mjs`);
      writeFileSync(file, js);
      const vars = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.replace("{mock}", mocks[i].url)]));
      const out = execFileSync(process.execPath, [file], {
        cwd: app,
        encoding: "utf8",
        env: { ...process.env, ...vars },
        stdio: ["ignore", "pipe", "pipe"],
      });
      if (!out.trim() || /\bundefined\b/.test(out))
        throw new Error(`${g.name} quick start printed ${JSON.stringify(out)}`);
      console.log(`  ${g.name} README quick start: ${out.trim().slice(0, 100)}`);
    }
    lap("README quick starts against Prism");
  } finally {
    await starting?.catch(() => {}); // a failure before the mocks were up must not leave them running
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`pack-smoke: ok (${Date.now() - started} ms)`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(`pack-smoke: FAILED: ${error.stderr || error.message}`);
    process.exit(1);
  });
}
