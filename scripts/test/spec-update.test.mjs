// `pnpm spec:update` end to end, on a throw-away clone of the repo (HEAD, node_modules linked): a "new
// vendor version" of Wooshpay's upstream YAML that adds a response field (minor), removes one (major)
// and makes an overlay action stale; then one that only adds the field.
import { spawnSync } from "node:child_process";
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { cloneRepo } from "./repo-clone.ts";

const root = resolve(import.meta.dirname, "../..");
let clone;

const run = (cmd, args) =>
  spawnSync(cmd, args, { cwd: clone, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" } });
const git = (...args) => run("git", args).stdout;

const upstream = readFileSync(join(root, "specs/wooshpay/upstream.yaml"), "utf8");
/** `text` with `from` replaced by `to`; `from` must occur exactly once. */
const edit = (text, from, to) => {
  expect(text.split(from)).toHaveLength(2);
  return text.replace(from, to);
};
// (a) an optional response field: File.livemode (minor)
const addField = (text) =>
  edit(
    text,
    "      x-apifox-orders:\n        - id\n",
    "        livemode:\n          type: boolean\n          description: Whether the file was created in live mode.\n" +
      "      x-apifox-orders:\n        - id\n",
  );
// (b) a response field removed: File.created (major)
const removeField = (text) =>
  edit(
    text,
    "        created:\n          type: integer\n          description: >-\n            Time at which the object was created. Measured in seconds since the\n            Unix epoch.\n",
    "",
  );
// (c) the test server renamed: the overlay action that describes it selects nothing (stale)
const renameServer = (text) =>
  edit(text, "  - url: https://apitest.wooshpay.com\n", "  - url: https://sandbox.wooshpay.com\n");

function update(text) {
  const file = join(clone, ".tmp-vendor-upstream.yaml");
  writeFileSync(file, text);
  const result = run(process.execPath, ["scripts/spec-update.mjs", "wooshpay", file]);
  rmSync(file);
  return { ...result, out: result.stdout + result.stderr };
}

const changesets = () =>
  readdirSync(join(clone, ".changeset"))
    .filter((f) => f.startsWith("spec-update-wooshpay-"))
    .map((f) => readFileSync(join(clone, ".changeset", f), "utf8"));

beforeAll(() => {
  clone = cloneRepo(root, "spec-update-");
  // the command as it is in the work tree (the clone is HEAD)
  for (const path of ["scripts/spec-update.mjs", "scripts/lib"]) {
    cpSync(join(root, path), join(clone, path), { recursive: true });
  }
});

afterEach(() => {
  // back to the clean clone (git checkout would undo the copied scripts/lib too: only specs, code, changesets)
  run("git", ["checkout", "--", "specs", "packages", ".changeset"]);
  run("git", ["clean", "-fdq", "--", "specs", ".changeset", "packages/wooshpay-files/src"]);
});

afterAll(() => {
  if (clone) rmSync(clone, { recursive: true, force: true });
});

describe("pnpm spec:update", () => {
  test("a new vendor version: the stale overlay action named, the change classified major, a changeset", () => {
    const r = update(renameServer(removeField(addField(upstream))));
    expect(r.status, r.out).toBe(1);
    // the stale action, by its description
    expect(r.out).toContain("1 overlay action(s) select nothing");
    expect(r.out).toContain("action #3, target $.servers[?@.url == 'https://apitest.wooshpay.com']");
    expect(r.out).toContain("The test server's description `官网测试`");
    // both changes, each with its level, and the overall bump
    expect(r.out).toMatch(/major +files\.retrieve -> 200 application\/json\.created: response field removed/);
    expect(r.out).toMatch(/minor +files\.retrieve -> 200 application\/json\.livemode: optional response field added/);
    expect(r.out).toContain("bump: major");
    const [changeset, ...more] = changesets();
    expect(more).toEqual([]);
    expect(changeset).toMatch(/^---\n"@org\/wooshpay-files": major\n---\n/);
    expect(changeset).toContain("response field removed");
    expect(changeset).toContain("optional response field added");
    // the upstream is replaced; the produced spec and the generated code stay as they were
    const changed = git("status", "--porcelain")
      .split("\n")
      .filter(Boolean)
      .map((l) => l.slice(3));
    const stamped = changed
      .filter((f) => !f.startsWith("scripts/"))
      .map((f) => f.replace(/-[\dTZ-]+\.md$/, "-<time>.md"));
    expect(stamped.sort()).toEqual([".changeset/spec-update-wooshpay-<time>.md", "specs/wooshpay/upstream.yaml"]);
    expect(r.out).not.toContain("contract tests of");
  });

  test("an added optional field: minor, regenerated, contract tests pass, exit 0", () => {
    const r = update(addField(upstream));
    expect(r.status, r.out).toBe(0);
    expect(r.out).not.toContain("select nothing");
    expect(r.out).toContain("bump: minor");
    expect(r.out).toMatch(/minor +files\.retrieve -> 200 application\/json\.livemode: optional response field added/);
    const changed = git("status", "--porcelain")
      .split("\n")
      .filter(Boolean)
      .map((l) => l.slice(3));
    expect(changed).toContain("specs/wooshpay/openapi.yaml");
    expect(changed).toContain("packages/wooshpay-files/src/generated/schema.ts");
    expect(readFileSync(join(clone, "packages/wooshpay-files/src/generated/schema.ts"), "utf8")).toContain(
      "livemode?: boolean",
    );
    expect(r.out).toMatch(/Tests +\d+ passed/);
    expect(r.out).toContain("contract tests of @org/wooshpay-files: passed");
    expect(changesets()).toEqual([expect.stringMatching(/^---\n"@org\/wooshpay-files": minor\n---\n/)]);
  });
}, 120_000);
