// The published packages of the workspace and packing them the way `pnpm publish` does
// (`workspace:^` ranges rewritten to real versions).
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Every non-private package under `<root>/packages`.
 * @returns {{ name: string, version: string, dir: string, pkg: Record<string, unknown> }[]}
 */
export function publishedPackages(root) {
  const base = join(root, "packages");
  return readdirSync(base)
    .map((entry) => join(base, entry))
    .filter((dir) => existsSync(join(dir, "package.json")))
    .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) }))
    .filter(({ pkg }) => !pkg.private)
    .map(({ dir, pkg }) => ({ name: pkg.name, version: pkg.version, dir, pkg }));
}

/** Fails with a clear message when a package has not been built. */
export function assertBuilt(packages) {
  const missing = packages.filter((p) => !existsSync(join(p.dir, "dist", "index.js")));
  if (missing.length) {
    throw new Error(`not built: ${missing.map((p) => p.name).join(", ")}; run \`pnpm build\` first`);
  }
}

/**
 * `pnpm pack` of one package into `destination`.
 * @returns {string} the tarball's path
 */
export function pack(pkgDir, destination) {
  const out = execFileSync("pnpm", ["pack", "--pack-destination", destination], {
    cwd: pkgDir,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  const tarball = out
    .trim()
    .split("\n")
    .map((line) => line.trim())
    .reverse()
    .find((line) => line.endsWith(".tgz"));
  if (!tarball) throw new Error(`pnpm pack printed no tarball for ${pkgDir}:\n${out}`);
  return tarball.startsWith("/") ? tarball : join(destination, tarball);
}

/** Reads one file (e.g. `package/package.json`) out of a tarball. */
export function readFromTarball(tarball, file) {
  return execFileSync("tar", ["-xzOf", tarball, file], { encoding: "utf8" });
}

/** The paths inside a tarball. */
export function listTarball(tarball) {
  return execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).trim().split("\n");
}
