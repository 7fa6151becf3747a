#!/usr/bin/env node
// Builds the package in the current directory: src/index.ts -> dist/ as ESM (.js) and
// CommonJS (.cjs) with .d.ts/.d.cts, minified-friendly, version injected from package.json.
import { readFileSync } from "node:fs";
import { build } from "tsup";

const pkg = JSON.parse(readFileSync("package.json", "utf8"));
await build({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: false,
  target: "es2022",
  platform: "neutral",
  outDir: "dist",
  splitting: false,
  treeshake: true,
  silent: true,
  define: { __PACKAGE_VERSION__: JSON.stringify(pkg.version) },
  external: Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies }),
});
console.log(`built ${pkg.name}@${pkg.version}`);
