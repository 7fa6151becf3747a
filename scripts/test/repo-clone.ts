// A throw-away clone of this repository (HEAD) for pipeline tests: git clone into a temp dir, a test
// identity for commits, and every node_modules of the work tree linked in (nothing is installed).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Clones `root` into a new temp dir named `<prefix>XXXXXX` and links its node_modules; returns the clone's path. */
export function cloneRepo(root: string, prefix: string): string {
  const clone = mkdtempSync(join(tmpdir(), prefix));
  execFileSync("git", ["clone", "-q", root, clone]);
  execFileSync("git", ["-C", clone, "config", "user.email", "test@example.com"]);
  execFileSync("git", ["-C", clone, "config", "user.name", "test"]);
  symlinkSync(join(root, "node_modules"), join(clone, "node_modules"));
  for (const pkg of readdirSync(join(root, "packages"))) {
    const modules = join(root, "packages", pkg, "node_modules");
    if (existsSync(modules) && existsSync(join(clone, "packages", pkg))) {
      symlinkSync(modules, join(clone, "packages", pkg, "node_modules"));
    }
  }
  return clone;
}
