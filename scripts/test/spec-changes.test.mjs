// The spec-change check on throwaway git repositories: which packages a spec change maps to, how the
// change is classified, and when a missing or too-low changeset fails it.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, test } from "vitest";
import { stringify } from "yaml";
import { classify, diffSpecs } from "../lib/spec-diff.mjs";
import { checkSpecChanges } from "../spec-changes.mjs";

const script = join(dirname(fileURLToPath(import.meta.url)), "..", "spec-changes.mjs");

/** A small spec: one GET with a path param, an optional query param and a response object. */
function baseSpec() {
  return {
    openapi: "3.1.0",
    info: { title: "Demo", version: "1.0.0", description: "Demo API." },
    servers: [{ url: "https://api.example.test" }],
    paths: {
      "/things/{id}": {
        get: {
          operationId: "things.retrieve",
          summary: "Retrieve a thing",
          parameters: [
            { name: "id", in: "path", required: true, schema: { type: "string" } },
            { name: "expand", in: "query", schema: { type: "string", enum: ["owner", "parts"] } },
          ],
          responses: {
            200: {
              description: "The thing.",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } },
            },
          },
        },
      },
      "/things": {
        post: {
          operationId: "things.create",
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["name"],
                  properties: { name: { type: "string", maxLength: 100 }, note: { type: "string" } },
                },
              },
            },
          },
          responses: { 201: { description: "Created." } },
        },
      },
    },
    components: {
      schemas: {
        Thing: {
          type: "object",
          description: "A thing.",
          required: ["id"],
          properties: { id: { type: "string" }, label: { type: ["string", "null"] }, size: { type: "integer" } },
        },
      },
    },
  };
}

const edits = {
  "docs only": [(s) => (s.components.schemas.Thing.description = "A thing, described better."), "patch"],
  "summary changed": [(s) => (s.paths["/things/{id}"].get.summary = "Get one thing"), "patch"],
  "operation added": [
    (s) => (s.paths["/things"].get = { operationId: "things.list", responses: { 200: { description: "ok" } } }),
    "minor",
  ],
  "optional response field added": [(s) => (s.components.schemas.Thing.properties.color = { type: "string" }), "minor"],
  "optional query parameter added": [
    (s) => s.paths["/things/{id}"].get.parameters.push({ name: "lang", in: "query", schema: { type: "string" } }),
    "minor",
  ],
  "optional body field added": [
    (s) => (s.paths["/things"].post.requestBody.content["application/json"].schema.properties.tag = { type: "string" }),
    "minor",
  ],
  "request enum widened": [(s) => s.paths["/things/{id}"].get.parameters[1].schema.enum.push("history"), "minor"],
  "response type narrowed (null removed)": [
    (s) => (s.components.schemas.Thing.properties.label = { type: "string" }),
    "minor",
  ],
  "operation removed": [(s) => delete s.paths["/things"], "major"],
  "response field removed": [(s) => delete s.components.schemas.Thing.properties.size, "major"],
  "required query parameter added": [
    (s) =>
      s.paths["/things/{id}"].get.parameters.push({
        name: "v",
        in: "query",
        required: true,
        schema: { type: "string" },
      }),
    "major",
  ],
  "optional parameter made required": [(s) => (s.paths["/things/{id}"].get.parameters[1].required = true), "major"],
  "required body field added": [
    (s) => {
      const body = s.paths["/things"].post.requestBody.content["application/json"].schema;
      body.properties.owner = { type: "string" };
      body.required.push("owner");
    },
    "major",
  ],
  "request type narrowed (enum value removed)": [
    (s) => (s.paths["/things/{id}"].get.parameters[1].schema.enum = ["owner"]),
    "major",
  ],
  "request type narrowed (maxLength lowered)": [
    (s) => (s.paths["/things"].post.requestBody.content["application/json"].schema.properties.name.maxLength = 10),
    "major",
  ],
  "request type narrowed (string -> integer)": [
    (s) => (s.paths["/things/{id}"].get.parameters[0].schema = { type: "integer" }),
    "major",
  ],
  "response type widened (null added)": [
    (s) => (s.components.schemas.Thing.properties.size = { type: ["integer", "null"] }),
    "major",
  ],
  "response field made optional": [(s) => (s.components.schemas.Thing.required = []), "major"],
};

describe("diffSpecs / classify", () => {
  test("an unchanged spec is `none`", () => {
    expect(classify(diffSpecs(baseSpec(), baseSpec()))).toBe("none");
  });
  test.each(Object.entries(edits))("%s", (_name, [edit, level]) => {
    const after = baseSpec();
    edit(after);
    const changes = diffSpecs(baseSpec(), after);
    expect(classify(changes), JSON.stringify(changes, null, 2)).toBe(level);
  });
  test("recursive schemas terminate", () => {
    const spec = baseSpec();
    spec.components.schemas.Thing.properties.parent = { $ref: "#/components/schemas/Thing" };
    const after = structuredClone(spec);
    delete after.components.schemas.Thing.properties.size;
    expect(classify(diffSpecs(spec, after))).toBe("major");
  });
});

// --- the check on real git repositories -------------------------------------------------------

const repos = [];
afterEach(() => {
  for (const dir of repos.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function write(repo, file, content) {
  mkdirSync(dirname(join(repo, file)), { recursive: true });
  writeFileSync(join(repo, file), typeof content === "string" ? content : stringify(content));
}
const git = (repo, ...args) => execFileSync("git", args, { cwd: repo, encoding: "utf8", stdio: "pipe" });
const commitAll = (repo, message) => {
  git(repo, "add", "-A");
  git(repo, "commit", "-q", "-m", message);
};

/** A repo with two spec-backed packages (demo, other) and a base commit tagged `base`. */
function makeRepo() {
  const repo = mkdtempSync(join(tmpdir(), "spec-changes-"));
  repos.push(repo);
  git(repo, "init", "-q", "-b", "main");
  git(repo, "config", "user.email", "test@example.test");
  git(repo, "config", "user.name", "test");
  for (const name of ["demo", "other"]) {
    write(repo, `specs/${name}/openapi.yaml`, baseSpec());
    write(
      repo,
      `packages/${name}-files/package.json`,
      JSON.stringify({ name: `@org/${name}-files`, version: "1.0.0", openapi: { spec: `specs/${name}/openapi.yaml` } }),
    );
  }
  write(repo, "packages/core/package.json", JSON.stringify({ name: "@org/core", version: "1.0.0" }));
  write(repo, ".changeset/README.md", "# Changesets\n");
  commitAll(repo, "base");
  git(repo, "tag", "base");
  git(repo, "checkout", "-q", "-b", "feature");
  return repo;
}
const editSpec = (repo, name, edit) => {
  const spec = baseSpec();
  edit(spec);
  write(repo, `specs/${name}/openapi.yaml`, spec);
};
const changeset = (repo, file, releases) =>
  write(
    repo,
    `.changeset/${file}.md`,
    `---\n${Object.entries(releases)
      .map(([n, b]) => `"${n}": ${b}`)
      .join("\n")}\n---\n\nA change.\n`,
  );
const run = (repo, ...args) => {
  const result = spawnSync(process.execPath, [script, ...args], { cwd: repo, encoding: "utf8" });
  return { code: result.status, out: result.stdout + result.stderr };
};

describe("spec-changes check", () => {
  test("fails when a changed spec's package has no changeset, naming the package and the needed bump", () => {
    const repo = makeRepo();
    editSpec(repo, "demo", edits["optional response field added"][0]);
    commitAll(repo, "spec: add color");
    const { code, out } = run(repo, "--base", "base");
    expect(code).toBe(1);
    expect(out).toContain("@org/demo-files: specs/demo/openapi.yaml changed -> needs a minor changeset");
    expect(out).toContain("no changeset for @org/demo-files");
    expect(out).not.toContain("@org/other-files");
  });

  test("passes with a changeset of the right bump, also when it is not committed yet", () => {
    const repo = makeRepo();
    editSpec(repo, "demo", edits["operation added"][0]);
    commitAll(repo, "spec: list things");
    changeset(repo, "list-things", { "@org/demo-files": "minor" });
    const { code, out } = run(repo, "--base", "base");
    expect(out).toContain("operation added (GET /things)");
    expect(code).toBe(0);
  });

  test("fails when the changeset's bump is lower than the spec change needs", () => {
    const repo = makeRepo();
    editSpec(repo, "demo", edits["operation removed"][0]);
    changeset(repo, "remove", { "@org/demo-files": "minor" });
    commitAll(repo, "spec: remove create");
    const { code, out } = run(repo, "--base", "base");
    expect(code).toBe(1);
    expect(out).toContain("major things.create: operation removed (POST /things)");
    expect(out).toContain('the changeset bumps @org/demo-files by "minor", the spec change needs "major"');
  });

  test("a changeset for another package does not count", () => {
    const repo = makeRepo();
    editSpec(repo, "demo", edits["docs only"][0]);
    changeset(repo, "other", { "@org/other-files": "major", "@org/core": "patch" });
    commitAll(repo, "docs");
    expect(run(repo, "--base", "base").code).toBe(1);
    changeset(repo, "docs", { "@org/demo-files": "patch" });
    expect(run(repo, "--base", "base").code).toBe(0);
  });

  test("a changeset that was already on the base branch does not count", () => {
    const repo = makeRepo();
    git(repo, "checkout", "-q", "main");
    changeset(repo, "old", { "@org/demo-files": "major" });
    commitAll(repo, "old changeset");
    git(repo, "tag", "-f", "base");
    git(repo, "checkout", "-q", "-b", "feature2");
    editSpec(repo, "demo", edits["response field removed"][0]);
    commitAll(repo, "spec");
    expect(run(repo, "--base", "base").code).toBe(1);
  });

  test("changes in a spec folder that leave the spec alone, and formatting-only changes, need no changeset", () => {
    const repo = makeRepo();
    write(repo, "specs/demo/CHANGES.md", "notes\n");
    write(repo, "specs/other/openapi.yaml", `# a comment\n${stringify(baseSpec())}`);
    const result = checkSpecChanges({ cwd: repo, base: "base", env: {} });
    expect(result.ok).toBe(true);
    expect(result.lines.join("\n")).toContain("specs/demo/CHANGES.md changed, specs/demo/openapi.yaml did not");
    expect(result.results.find((r) => r.name === "@org/other-files")?.needed).toBe("none");
  });

  test("a new spec needs a minor changeset (first release)", () => {
    const repo = makeRepo();
    write(repo, "specs/fresh/openapi.yaml", baseSpec());
    write(
      repo,
      "packages/fresh-files/package.json",
      JSON.stringify({ name: "@org/fresh-files", version: "0.0.0", openapi: { spec: "specs/fresh/openapi.yaml" } }),
    );
    const result = checkSpecChanges({ cwd: repo, base: "base", env: {} });
    expect(result.results).toMatchObject([{ name: "@org/fresh-files", needed: "minor", ok: false }]);
  });

  test("the base defaults to origin/main, then skips with a message when there is none", () => {
    const repo = makeRepo();
    editSpec(repo, "demo", edits["operation removed"][0]);
    expect(checkSpecChanges({ cwd: repo, env: {} }).skipped).toMatch(/no base branch/);
    git(repo, "update-ref", "refs/remotes/origin/main", "base");
    const result = checkSpecChanges({ cwd: repo, env: {} });
    expect(result.lines[0]).toMatch(/^base: origin\/main \(default\)/);
    expect(result.ok).toBe(false);
    const skipped = run(repo.replace(/$/, ""), "--base", "no-such-ref");
    expect(skipped.code).toBe(1);
    expect(skipped.out).toContain("base no-such-ref (from --base) is not a commit here");
  });
});
