#!/usr/bin/env node
// The quick-start demo: starts a Prism mock server for each spec (no credentials needed: the demo
// sends placeholder ones) and calls every operation of every provider client, printing the results.
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { exampleParams, generatedPackages, listOperations, loadSpec } from "@org/codegen";
import { startPrism } from "./lib/prism.mjs";

/** JSON, with files and binary results named rather than shown as `{}`. */
const show = (value) =>
  JSON.stringify(value, (_key, v) =>
    v instanceof File ? `File(${v.name}, ${v.size} bytes)` : v instanceof Blob ? `Blob(${v.type}, ${v.size} bytes)` : v,
  );

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const packages = generatedPackages(root);
const servers = await Promise.all(packages.map((p) => startPrism(p.spec)));
let failures = 0;
try {
  for (const [i, pkg] of packages.entries()) {
    const mod = await import(pathToFileURL(join(pkg.dir, "dist", "index.js")).href);
    const client = mod[pkg.client.create]({ ...pkg.client.mockOptions, baseUrl: servers[i].url });
    const spec = loadSpec(pkg.spec);
    console.log(`\n${pkg.name}  (Prism mock at ${servers[i].url})`);
    for (const op of listOperations(spec)) {
      const params = exampleParams(spec, op);
      const method = op.id.split(".").reduce((node, key) => node?.[key], client);
      try {
        const result = await method(params);
        console.log(`  ${op.id}(${show(params)})\n    -> ${show(result)}`);
      } catch (error) {
        failures++;
        console.log(`  ${op.id}(${show(params)})\n    !! ${error.name}: ${error.message}`);
      }
    }
  }
} finally {
  await Promise.all(servers.map((s) => s.stop()));
}
process.exit(failures ? 1 : 0);
