// A temporary copy of the workspace that a release can run in (used by scripts/checks/registry-release.mjs):
// manifests, .changeset/, specs, and each package's sources and build config, so that the copy can
// `changeset version`, rebuild the bumped packages with the repo's own build script and
// `changeset publish` without touching the real repo. Tools come from the real node_modules.
import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative } from "node:path";

const ROOT_FILES = ["package.json", "pnpm-workspace.yaml", "tsconfig.base.json", "LICENSE", ".changeset", "specs"];
const PACKAGE_FILES = ["package.json", "tsconfig.json", "src", "README.md", "LICENSE", "CHANGELOG.md"];

/** Copies the workspace at `from` into `dest` (see above); private packages get their manifest only. */
export function copyWorkspace(from, dest) {
  for (const file of ROOT_FILES) {
    if (existsSync(join(from, file))) cpSync(join(from, file), join(dest, file), { recursive: true });
  }
  // the tools (tsup, typescript, @changesets/cli's changelog) resolve from here, as in the real repo
  symlinkSync(join(from, "node_modules"), join(dest, "node_modules"));
  for (const entry of readdirSync(join(from, "packages"))) {
    const src = join(from, "packages", entry);
    if (!existsSync(join(src, "package.json"))) continue;
    const isPrivate = JSON.parse(readFileSync(join(src, "package.json"), "utf8")).private;
    for (const file of isPrivate ? ["package.json"] : PACKAGE_FILES) {
      if (existsSync(join(src, file)))
        cpSync(join(src, file), join(dest, "packages", entry, file), { recursive: true });
    }
  }
  linkPackageDependencies(from, dest);
}

/**
 * Gives each copied package the node_modules entries of the original: a workspace package links to its
 * copy (so `pnpm publish` rewrites `workspace:^` from the copy's version), anything else to the
 * installed package itself.
 */
function linkPackageDependencies(from, dest) {
  const packagesDir = realpathSync(join(from, "packages"));
  for (const entry of readdirSync(join(dest, "packages"))) {
    const modules = join(from, "packages", entry, "node_modules");
    if (!existsSync(modules)) continue;
    const names = readdirSync(modules).flatMap((name) =>
      name.startsWith("@") ? readdirSync(join(modules, name)).map((n) => `${name}/${n}`) : [name],
    );
    for (const name of names) {
      if (name.startsWith(".")) continue;
      let target;
      try {
        target = realpathSync(join(modules, name));
      } catch {
        continue; // a dangling link
      }
      const inWorkspace = relative(packagesDir, target);
      if (!inWorkspace.startsWith("..")) target = join(dest, "packages", inWorkspace);
      const link = join(dest, "packages", entry, "node_modules", name);
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(target, link);
    }
  }
}

/** `git init` + a first commit, so that `changeset publish` tags this copy and nothing else. */
export function initGit(dir) {
  writeFileSync(join(dir, ".gitignore"), "node_modules\n");
  git(dir, ["init", "-q", "-b", "main"]);
  commitAll(dir, "release workspace");
}

export function commitAll(dir, message) {
  git(dir, ["add", "-A"]);
  git(dir, ["commit", "-q", "--no-verify", "--allow-empty", "-m", message]);
}

export function gitTags(dir) {
  return git(dir, ["tag", "-l"]).split("\n").filter(Boolean);
}

function git(cwd, args) {
  return execFileSync("git", ["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", ...args], {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...GIT_IDENTITY, GIT_CEILING_DIRECTORIES: dirname(cwd) },
  });
}

export const GIT_IDENTITY = {
  GIT_AUTHOR_NAME: "release check",
  GIT_AUTHOR_EMAIL: "release-check@localhost",
  GIT_COMMITTER_NAME: "release check",
  GIT_COMMITTER_EMAIL: "release-check@localhost",
};

/**
 * The installed third-party packages (name, version, folder) that the given package folders depend on,
 * transitively, found the way Node resolves them: what a registry must also serve for them to install.
 */
export function externalDependencyClosure(packageDirs, isInternal) {
  const found = new Map();
  const visit = (fromDir, pkg) => {
    const optional = new Set(Object.keys(pkg.optionalDependencies ?? {}));
    const peersOptional = new Set(
      Object.entries(pkg.peerDependenciesMeta ?? {})
        .filter(([, meta]) => meta?.optional)
        .map(([name]) => name),
    );
    const names = [
      ...Object.keys(pkg.dependencies ?? {}),
      ...optional,
      ...Object.keys(pkg.peerDependencies ?? {}).filter((n) => !peersOptional.has(n)),
    ];
    for (const name of new Set(names)) {
      if (isInternal(name)) continue;
      const dir = resolvePackageDir(name, fromDir);
      if (!dir) {
        if (optional.has(name)) continue;
        throw new Error(`${pkg.name}: dependency ${name} is not installed (looked up from ${fromDir})`);
      }
      const dep = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      const key = `${dep.name}@${dep.version}`;
      if (found.has(key)) continue;
      found.set(key, { name: dep.name, version: dep.version, dir });
      visit(dir, dep);
    }
  };
  for (const dir of packageDirs) visit(dir, JSON.parse(readFileSync(join(dir, "package.json"), "utf8")));
  return [...found.values()];
}

function resolvePackageDir(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}
