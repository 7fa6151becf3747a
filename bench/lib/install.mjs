// 4. Install footprint: `npm install` of each package into an empty temp dir: packages installed
// and bytes on disk. Ours from `pnpm pack` tarballs (workspace ranges rewritten), the official SDKs
// from the registry.
import { execFileSync } from "node:child_process";
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * How to run pnpm: the one running us (`pnpm bench`), else `pnpm` on the PATH, else the
 * workspace's `packageManager` version through npx (`node bench/run.mjs` without pnpm installed).
 */
function pnpm(root, args, options) {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/.test(execPath)) {
    return execFileSync(process.execPath, [execPath, ...args], options);
  }
  try {
    return execFileSync("pnpm", args, options);
  } catch (error) {
    if (error.code !== "ENOENT") throw error;
    const { packageManager = "pnpm@10" } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    return execFileSync("npx", ["-y", packageManager.split("+")[0], ...args], options);
  }
}

function pack(root, dir, destination) {
  const out = pnpm(root, ["pack", "--pack-destination", destination], { cwd: dir, encoding: "utf8" });
  const line = out
    .trim()
    .split("\n")
    .reverse()
    .find((l) => l.trim().endsWith(".tgz"));
  if (!line) throw new Error(`pnpm pack printed no tarball for ${dir}`);
  return line.trim().startsWith("/") ? line.trim() : join(destination, line.trim());
}

/** Packages (directories under node_modules), their names, and bytes of every file. */
function footprint(nodeModules) {
  let packages = 0;
  let bytes = 0;
  const names = [];
  const walk = (dir, depth) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth === "modules" && entry.name.startsWith("@")) walk(path, "scope");
        else if (depth === "modules" || depth === "scope") {
          if (entry.name !== ".bin" && !entry.name.startsWith(".")) {
            packages++;
            if (depth === "scope") names.push(`${dir.split(/[\\/]/).pop()}/${entry.name}`);
            else names.push(entry.name);
          }
          walk(path, "package");
        } else walk(path, entry.name === "node_modules" ? "modules" : "package");
      } else bytes += lstatSync(path).size;
    }
  };
  walk(nodeModules, "modules");
  return { packages, bytes, names: names.sort() };
}

function npmInstall(specs) {
  const dir = mkdtempSync(join(tmpdir(), "bench-install-"));
  try {
    writeFileSync(join(dir, "package.json"), '{"name":"bench-install","private":true}');
    execFileSync(
      "npm",
      ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock", "--prefer-offline", ...specs],
      { cwd: dir, stdio: "pipe" },
    );
    return footprint(join(dir, "node_modules"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function installs(root, official) {
  const tarballs = mkdtempSync(join(tmpdir(), "bench-tarballs-"));
  try {
    const core = pack(root, join(root, "packages", "client-core"), tarballs);
    const rows = [];
    for (const name of ["coze-files", "cognite-files", "wooshpay-files"]) {
      rows.push({ name: `@org/${name}`, ...npmInstall([core, pack(root, join(root, "packages", name), tarballs)]) });
    }
    for (const spec of official) rows.push({ name: spec.replace(/@[^@]*$/, ""), ...npmInstall([spec]) });
    return rows;
  } finally {
    rmSync(tarballs, { recursive: true, force: true });
  }
}
