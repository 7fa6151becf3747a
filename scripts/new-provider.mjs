#!/usr/bin/env node
// Scaffolds a provider package from a spec:
//   pnpm new-provider <name> <spec-path>
// copies the spec to specs/<name>/openapi.yaml, creates packages/<name>-files (package.json with the
// "openapi" field the generator, the Prism mocks and the contract suite read; tsconfig, turbo.json,
// src/ on createCoreClient with bearer-token auth, README skeleton, test/), then generates
// src/generated. Touches nothing outside specs/<name>/ and packages/<name>-files/.
// Then: `pnpm install` (links the workspace), `pnpm build`, `pnpm test`, and `pnpm changeset`.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { loadCodegen } from "./lib/codegen.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const templates = join(root, "scripts", "templates", "provider");
const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** The placeholders of a provider called `name` (e.g. `acme-cloud` → AcmeCloud, ACME_CLOUD). */
export function names(name) {
  return {
    __NAME__: name,
    __PASCAL__: name
      .split("-")
      .map((w) => w[0].toUpperCase() + w.slice(1))
      .join(""),
    __CONST__: name.toUpperCase().replace(/-/g, "_"),
    __PACKAGE__: `@org/${name}-files`,
    __SPEC__: `specs/${name}/openapi.yaml`,
  };
}

const fill = (text, values) => Object.entries(values).reduce((out, [k, v]) => out.split(k).join(v), text);

function packageJson(values, title) {
  const core = JSON.parse(readFileSync(join(root, "packages", "client-core", "package.json"), "utf8"));
  const rootPkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  return {
    name: values.__PACKAGE__,
    version: "0.0.0",
    description: `Typed client for the ${title}, generated from its OpenAPI spec.`,
    license: "MIT",
    type: "module",
    sideEffects: false,
    engines: core.engines,
    main: "./dist/index.cjs",
    module: "./dist/index.js",
    types: "./dist/index.d.ts",
    exports: {
      ".": {
        import: { types: "./dist/index.d.ts", default: "./dist/index.js" },
        require: { types: "./dist/index.d.cts", default: "./dist/index.cjs" },
      },
      "./package.json": "./package.json",
    },
    files: ["dist", "README.md", "LICENSE"],
    openapi: {
      spec: values.__SPEC__,
      client: {
        create: `create${values.__PASCAL__}Client`,
        mockOptions: { token: "demo-token" },
        errorClass: `${values.__PASCAL__}ApiError`,
      },
    },
    scripts: {
      generate: "node ../../scripts/generate.mjs .",
      build: "node ../../scripts/build-package.mjs",
      typecheck: "tsc --noEmit -p tsconfig.json",
    },
    dependencies: {
      "@org/client-core": "workspace:^",
      "openapi-fetch": core.dependencies["openapi-fetch"],
    },
    publishConfig: { access: "public" },
    repository: { ...core.repository, directory: `packages/${values.__NAME__}-files` },
    devDependencies: { "@types/node": rootPkg.devDependencies["@types/node"] },
  };
}

/** Scaffolds the provider into `repoRoot`; returns the files written (relative to it). */
export async function scaffold(name, specPath, repoRoot = root) {
  if (!NAME.test(name)) throw new Error(`name must be lower-case words joined by "-", got "${name}"`);
  const values = names(name);
  const { exampleParams, generatePackage, listOperations, loadSpec } = await loadCodegen();
  const pkgDir = join(repoRoot, "packages", `${name}-files`);
  const specDir = join(repoRoot, "specs", name);
  for (const dir of [pkgDir, specDir]) {
    if (existsSync(dir)) throw new Error(`${relative(repoRoot, dir)} already exists`);
  }
  const spec = loadSpec(specPath);
  const operations = listOperations(spec); // validates operationIds like the generator does
  if (!operations.length) throw new Error(`${specPath} has no operations`);
  const baseUrl = spec.servers?.[0]?.url;
  if (!/^https?:\/\//.test(baseUrl ?? "")) throw new Error(`${specPath}: servers[0].url must be an absolute URL`);
  const title = `${String(spec.info?.title ?? name).replace(/\s*API$/i, "")} API`;
  const first = operations[0];
  Object.assign(values, {
    __TITLE__: title,
    __BASE_URL__: baseUrl.replace(/\/$/, ""),
    __FIRST_OP__: first.id,
    __FIRST_PARAMS__: JSON.stringify(exampleParams(spec, first)),
  });

  const written = [];
  const write = (file, text) => {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    written.push(relative(repoRoot, file));
  };
  mkdirSync(specDir, { recursive: true });
  copyFileSync(specPath, join(specDir, "openapi.yaml"));
  written.push(relative(repoRoot, join(specDir, "openapi.yaml")));
  write(join(pkgDir, "package.json"), `${JSON.stringify(packageJson(values, title), null, 2)}\n`);
  write(
    join(pkgDir, "tsconfig.json"),
    `${JSON.stringify({ extends: "../../tsconfig.base.json", include: ["src"], compilerOptions: { types: ["node"] } }, null, 2)}\n`,
  );
  write(
    join(pkgDir, "turbo.json"),
    `${JSON.stringify(
      {
        $schema: "https://turbo.build/schema.json",
        extends: ["//"],
        tasks: {
          generate: {
            inputs: [
              `$TURBO_ROOT$/${values.__SPEC__}`,
              "$TURBO_ROOT$/scripts/generate.mjs",
              "$TURBO_ROOT$/packages/codegen/src/**",
              "package.json",
            ],
            dependsOn: ["@org/codegen#build"],
          },
        },
      },
      null,
      2,
    )}\n`,
  );
  copyFileSync(join(repoRoot, "LICENSE"), join(pkgDir, "LICENSE"));
  written.push(relative(repoRoot, join(pkgDir, "LICENSE")));
  const walk = (dir) =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
    );
  for (const file of walk(templates)) {
    const target = join(pkgDir, relative(templates, file).replace(/\.tmpl$/, ""));
    write(target, fill(readFileSync(file, "utf8"), values));
  }
  const generated = await generatePackage({ dir: pkgDir, spec: join(specDir, "openapi.yaml") }, repoRoot);
  written.push(...generated.files);
  const schemes = Object.values(spec.components?.securitySchemes ?? {});
  const bearer = schemes.every((s) => s.type === "http" && s.scheme?.toLowerCase() === "bearer");
  return { values, written, operations: operations.length, bearer };
}

async function main([name, specPath]) {
  if (!name || !specPath) {
    console.error("usage: pnpm new-provider <name> <spec-path>");
    process.exit(2);
  }
  const { values, written, operations, bearer } = await scaffold(name, resolve(process.cwd(), specPath));
  console.log(`${values.__PACKAGE__}: ${operations} operations\n${written.map((f) => `  + ${f}`).join("\n")}`);
  if (!bearer) {
    console.warn("note: the spec's security schemes are not all HTTP bearer; adapt authenticate() in src/client.ts");
  }
  console.log(
    [
      "next:",
      "  pnpm install                 # link the new package into the workspace",
      "  pnpm build && pnpm test      # builds it; the contract suite now covers it against Prism",
      `  pnpm changeset               # "minor" for ${values.__PACKAGE__}: its first release`,
      "  edit README.md, src/client.ts (auth, request-id header), src/errors.ts (error body), and",
      '  "openapi.client" in package.json (mockOptions, errorCodePath/errorFields for the contract suite)',
    ].join("\n"),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(`new-provider: ${error.message}`);
    process.exit(1);
  });
}
