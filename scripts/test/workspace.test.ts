// The pipeline's promises, checked on a throw-away clone of the repo (HEAD, with node_modules linked):
// turbo invalidates exactly the edited provider, the drift check catches a stale package, a new
// operation in a spec becomes a typed method, and spec lint fails on a broken example.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { cloneRepo } from "./repo-clone.js";

const root = resolve(import.meta.dirname, "../..");
let clone: string;

function run(cmd: string, args: string[], cwd = clone) {
  return spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" } });
}

/** Task id -> hash, from `turbo run build --dry=json`. */
function turboHashes(): Record<string, string> {
  const out = run(join(clone, "node_modules", ".bin", "turbo"), ["run", "build", "--dry=json"]);
  expect(out.status, out.stderr).toBe(0);
  const tasks: { taskId: string; hash: string }[] = JSON.parse(out.stdout).tasks;
  return Object.fromEntries(tasks.map((t) => [t.taskId, t.hash]));
}

function editSpec(provider: string, from: string, to: string) {
  const file = join(clone, "specs", provider, "openapi.yaml");
  const text = readFileSync(file, "utf8");
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
}

beforeAll(() => {
  clone = cloneRepo(root, "repo-clone-");
});

afterEach(() => {
  // every test starts from the clean clone, even when the one before failed half-way
  run("git", ["checkout", "--", "."]);
  run("git", ["clean", "-fdq"]);
});

afterAll(() => {
  if (clone) rmSync(clone, { recursive: true, force: true });
});

describe("workspace pipeline", () => {
  test("editing one spec invalidates exactly that provider's generate and build", () => {
    const before = turboHashes();
    editSpec("cognite", "description: Name of the file.", "description: Name of the file (edited).");
    const after = turboHashes();
    const changed = Object.keys(before).filter((id) => before[id] !== after[id]);
    // the provider itself, plus the builds of packages that depend on it (the private bench)
    const dependents = readdirSync(join(clone, "packages"))
      .map((d) => join(clone, "packages", d, "package.json"))
      .concat(join(clone, "bench", "package.json"))
      .filter((f) => existsSync(f))
      .map((f) => JSON.parse(readFileSync(f, "utf8")))
      .filter((pkg) => "@org/cognite-files" in { ...pkg.dependencies, ...pkg.devDependencies })
      .map((pkg) => `${pkg.name}#build`);
    expect(changed).toContain("@org/cognite-files#generate");
    expect(changed).toContain("@org/cognite-files#build");
    expect(changed.filter((id) => !id.startsWith("@org/cognite-files#") && !dependents.includes(id))).toEqual([]);
    expect(changed.filter((id) => /files#/.test(id) && !id.startsWith("@org/cognite-files#"))).toEqual([]);
  });

  test("the drift check fails on a stale package; regenerating changes only that provider", () => {
    editSpec("coze", "description: Name of the file.", "description: Name of the uploaded file.");
    const drift = () => run(process.execPath, ["scripts/check-drift.mjs"]);
    // check-drift regenerates, so a spec edited without regenerating shows up as a diff
    const result = drift();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("generated code is stale");
    const changed = run("git", ["status", "--porcelain"])
      .stdout.split("\n")
      .filter(Boolean)
      .map((l) => l.slice(3))
      .sort();
    expect(changed).toEqual(["packages/coze-files/src/generated/schema.ts", "specs/coze/openapi.yaml"]);
    run("git", ["checkout", "--", "."]);
    expect(drift().status).toBe(0);
  });

  test("a new operation in a spec becomes a typed method, with no hand-written code", () => {
    // Wooshpay's spec is produced from upstream.yaml + overlay.yaml: the operation is an overlay action
    const overlay = join(clone, "specs", "wooshpay", "overlay.yaml");
    writeFileSync(
      overlay,
      readFileSync(overlay, "utf8") +
        [
          "  - target: $.paths",
          "    description: A test operation.",
          "    update:",
          "      /v1/file_links:",
          "        get:",
          "          operationId: fileLinks.list",
          "          summary: List file links",
          "          parameters:",
          "            - name: limit",
          "              in: query",
          "              schema: { type: integer }",
          "          responses:",
          '            "200":',
          "              description: A page of files.",
          "              content:",
          "                application/json:",
          "                  schema:",
          "                    type: object",
          "                    properties:",
          "                      data: { type: array, items: { $ref: '#/components/schemas/File' } }",
          "",
        ].join("\n"),
    );
    expect(run(process.execPath, ["scripts/generate.mjs", "wooshpay"]).status).toBe(0);
    const ops = readFileSync(join(clone, "packages/wooshpay-files/src/generated/operations.ts"), "utf8");
    expect(ops).toContain(
      "list(params?: FileLinksListParams, options?: RequestOptions): APIPromise<FileLinksListResult>;",
    );
    expect(ops).toContain("List file links");
    writeFileSync(
      join(clone, "packages/wooshpay-files/src/uses-list.ts"),
      [
        'import { createWooshpayClient } from "./index.js";',
        'const client = createWooshpayClient({ apiKey: "sk_test_x" });',
        "export const page = client.fileLinks.list({ limit: 10 }).then((p) => p.data?.[0]?.title);",
        "// @ts-expect-error limit is an integer",
        'client.fileLinks.list({ limit: "10" });',
        "",
      ].join("\n"),
    );
    const tsc = run(join(clone, "node_modules", ".bin", "tsc"), [
      "--noEmit",
      "-p",
      "packages/wooshpay-files/tsconfig.json",
    ]);
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
    run("git", ["checkout", "--", "."]);
    rmSync(join(clone, "packages/wooshpay-files/src/uses-list.ts"));
  });

  test("spec lint fails on an example that violates its schema (the vendor's title: null)", () => {
    editSpec(
      "wooshpay",
      'A user friendly title for the document.\n          type: [string, "null"]',
      "A user friendly title for the document.\n          type: string",
    );
    const lint = run(process.execPath, ["scripts/lint-specs.mjs", "specs/wooshpay/openapi.yaml"]);
    expect(lint.status).toBe(1);
    expect(lint.stdout).toContain("no-invalid-media-type-examples");
    expect(lint.stdout).toMatch(/title.*must be string/);
    run("git", ["checkout", "--", "."]);
    expect(run(process.execPath, ["scripts/lint-specs.mjs", "specs/wooshpay/openapi.yaml"]).status).toBe(0);
  });

  test("the vendor's upstream spec, kept byte-for-byte, fails our lint", () => {
    const upstream = readFileSync(join(root, "specs/wooshpay/upstream.yaml"));
    // the vendor's bytes, pinned; and, where the seed documents are at hand, the seed's YAML block
    expect(createHash("sha256").update(upstream).digest("hex")).toBe(
      "037c0468294edf7cc263a5874d8af42281fd0e4c04a07df660ae6b1f67fac86f",
    );
    const seeds = join(root, "..", "shared", "seeds", "001_5fafad9de56c2b01.txt");
    if (existsSync(seeds)) expect(readFileSync(seeds, "utf8")).toContain(upstream.toString("utf8"));
    const lint = run(process.execPath, ["scripts/lint-specs.mjs", "specs/wooshpay/upstream.yaml"]);
    expect(lint.status).toBe(1);
    expect(lint.stdout).toMatch(/title.*must be string/);
  });
});
