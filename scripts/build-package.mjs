#!/usr/bin/env node
// Builds the package in the current directory: src/index.ts -> dist/ as ESM (.js) and
// CommonJS (.cjs) with .d.ts/.d.cts, minified-friendly, version injected from package.json.
// A package with src/transport-node.ts also gets a Node flavour, dist/index.node.{js,cjs}
// (selected by the `node` export condition), where `./transport.js` is that Node transport,
// so that browser bundles never contain node:http; the transport itself is dist/transport-node.*.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { build } from "tsup";

const pkg = JSON.parse(readFileSync("package.json", "utf8"));
const common = {
  format: ["esm", "cjs"],
  sourcemap: false,
  target: "es2022",
  outDir: "dist",
  splitting: false,
  treeshake: true,
  silent: true,
  define: { __PACKAGE_VERSION__: JSON.stringify(pkg.version) },
  // a package may re-export its own names (client-core's `./public` entry): never bundle itself
  external: [pkg.name, ...Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies })],
};
const withNodeTransport = existsSync("src/transport-node.ts");
await build({
  ...common,
  entry: ["src/index.ts", ...(withNodeTransport ? ["src/transport-node.ts"] : [])],
  dts: true,
  clean: true,
  platform: "neutral",
});
if (withNodeTransport) {
  const nodeTransport = resolve("src/transport-node.ts");
  await build({
    ...common,
    entry: { "index.node": "src/index.ts" },
    dts: false,
    clean: false,
    platform: "node",
    esbuildPlugins: [
      {
        name: "node-transport",
        setup(b) {
          b.onResolve({ filter: /^\.\/transport\.js$/ }, () => ({ path: nodeTransport }));
        },
      },
    ],
  });
}
// `src/public.ts` re-exports the package's own names through its `exports` (a self-reference), so
// it is built last: its declarations read dist/index.d.ts, which the first build just wrote.
if (existsSync("src/public.ts")) {
  await build({ ...common, entry: ["src/public.ts"], dts: true, clean: false, platform: "neutral" });
}
console.log(`built ${pkg.name}@${pkg.version}`);
