#!/usr/bin/env node
// Builds the package in the current directory: src/index.ts -> dist/ as ESM (.js) and
// CommonJS (.cjs) with .d.ts/.d.cts, minified-friendly, version injected from package.json.
// A package with src/transport-node.ts also gets a Node flavour, dist/index.node.{js,cjs}
// (selected by the `node` export condition), where `./transport.js` is that Node transport,
// so that browser bundles never contain node:http; the transport itself is dist/transport-node.*.
// The Node flavour also inlines the package's dependencies (their licences go to
// dist/THIRD-PARTY-NOTICES.txt): a bundler can share them with the app's own copy, while Node pays
// for each package it resolves and loads at import. A dependency's `./public` entry (re-exports
// of that dependency only) is bundled into every build, for the same reason.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { build } from "tsup";

const pkg = JSON.parse(readFileSync("package.json", "utf8"));
/** Node's resolution from this package: where its dependencies are. */
const fromHere = createRequire(resolve("package.json"));
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
  noExternal: publicEntries(),
});
if (withNodeTransport) {
  const nodeTransport = resolve("src/transport-node.ts");
  await build({
    ...common,
    entry: { "index.node": "src/index.ts" },
    dts: false,
    clean: false,
    platform: "node",
    // openapi-fetch inlined took 2.6-3.4 ms off a cold import of @org/coze-files (fastest quarter
    // of 30 fresh processes each): one package fewer to resolve, read and link
    external: [pkg.name, ...Object.keys({ ...pkg.peerDependencies })],
    noExternal: Object.keys({ ...pkg.dependencies }),
    esbuildPlugins: [
      {
        name: "node-transport",
        setup(b) {
          b.onResolve({ filter: /^\.\/transport\.js$/ }, () => ({ path: nodeTransport }));
        },
      },
    ],
  });
  writeNotices(Object.keys({ ...pkg.dependencies }));
}

// `src/public.ts` re-exports the package's own names through its `exports` (a self-reference), so
// it is built last: its declarations read dist/index.d.ts, which the first build just wrote.
if (existsSync("src/public.ts")) {
  await build({ ...common, entry: ["src/public.ts"], dts: true, clean: false, platform: "neutral" });
}
// esbuild escapes every non-ASCII character of the code (its default `charset: "ascii"`) but not
// of the comments it keeps: ours and those of an inlined dependency. One such character makes the
// whole file a UTF-16 string for V8: Node decodes it off its ASCII fast path and V8 scans twice the
// bytes (client-core's Node build: 1.4 ms of decoding and 0.45 ms of compiling at a cold import).
// So each one left, comment text since the code's own are escaped, becomes the text `\u{...}`.
for (const file of readdirSync("dist")) {
  if (!/\.c?js$/.test(file)) continue;
  const text = readFileSync(`dist/${file}`, "utf8");
  const ascii = text.replace(/[\u0080-\u{10ffff}]/gu, (c) => `\\u{${c.codePointAt(0).toString(16)}}`);
  if (ascii !== text) writeFileSync(`dist/${file}`, ascii);
}
console.log(`built ${pkg.name}@${pkg.version}`);

/**
 * The `./public` entries of this package's dependencies (client-core's: the names every provider
 * re-exports). Each is only re-exports of its own package, so it is bundled in: the provider's
 * build then says `export { ApiError, ... } from "@org/client-core"`, the very names, and Node
 * resolves, reads and links one module of the dependency instead of two at import. Measured on a
 * cold import of @org/coze-files: 1.9M instructions fewer (162.2M -> 160.3M, callgrind, V8 single-
 * threaded with fixed seeds; an empty process is 93.2M), 21.4 -> 19.9 ms (lower quartile of 61
 * fresh processes each, less an empty one's).
 */
function publicEntries() {
  return Object.keys({ ...pkg.dependencies })
    .filter((name) => {
      const { exports } = JSON.parse(readFileSync(fromHere.resolve(`${name}/package.json`), "utf8"));
      return typeof exports === "object" && exports !== null && "./public" in exports;
    })
    .map((name) => `${name}/public`);
}

/** The licence of every dependency the Node flavour inlines, as their licences ask. */
function writeNotices(names) {
  if (names.length === 0) return;
  const parts = names.map((name) => {
    const root = resolve(fromHere.resolve(`${name}/package.json`), "..");
    const { version, license } = JSON.parse(readFileSync(`${root}/package.json`, "utf8"));
    const file = readdirSync(root).find((f) => /^licen[cs]e(\.|$)/i.test(f));
    if (file === undefined) throw new Error(`${name} has no licence file to reproduce`);
    return `${name}@${version} (${license})\n\n${readFileSync(`${root}/${file}`, "utf8").trim()}\n`;
  });
  const head = "dist/index.node.js and dist/index.node.cjs include the following packages.";
  writeFileSync("dist/THIRD-PARTY-NOTICES.txt", `${head}\n\n${parts.join("\n")}`);
}
