// `pnpm contract --live <provider> --base-url <url>` (scripts/contract.mjs), end to end against two
// local Coze servers on 127.0.0.1 written here by hand: one that conforms to specs/coze/openapi.yaml,
// and one that violates it in known ways (a wrong type, a missing required field, an undeclared
// status). The command starts its own Prism proxy in front of the server; nothing leaves loopback.
// Then bad input (exit 2, a clear message, no report), and the pieces of the check on their own.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { type Handler, json, startServer, type TestServer } from "@org/testing";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { generatedPackages } from "../../packages/testing/src/contract.js";
import {
  findingsOf,
  LiveCheckInputError,
  operationPlans,
  parseViolations,
  prepareLiveCheck,
} from "../../packages/testing/src/live/index.js";

const root = resolve(import.meta.dirname, "../..");
const TOKEN = "pat_contract_live_test";
const OPERATIONS = ["files.upload", "files.retrieve", "folders.list", "folders.retrieve"];

const envelope = (data: unknown) => ({ code: 0, msg: "", data, detail: { logid: "20250101000000LIVETEST" } });
const FILE = { id: "7369495981102022700", bytes: 37, file_name: "file.txt", created_at: 1715847583 };
const FOLDER = { id: "752316125533", name: "docs", workspace_id: "7506047187433", creator_user_id: "14232418519" };

/**
 * A Coze server for the four operations. With `violations`: files.retrieve's `code` is a string
 * (the spec: integer), folders.retrieve's folder has no `name` (required), files.upload answers 418
 * (not declared); folders.list conforms in both.
 */
function coze(violations: boolean): Handler {
  return (req, res) => {
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      return json(res, 401, { code: 4100, msg: "authentication is invalid" });
    }
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (path === "/v1/files/upload") {
      return violations ? json(res, 418, { code: 1, msg: "teapot" }) : json(res, 200, envelope(FILE));
    }
    if (path === "/v1/files/retrieve") {
      return json(res, 200, violations ? { ...envelope(FILE), code: "0" } : envelope(FILE));
    }
    if (path === "/v1/folders") return json(res, 200, envelope({ items: [FOLDER], has_more: false, total_count: 1 }));
    if (path.startsWith("/v1/folders/")) {
      const { name: _name, ...nameless } = FOLDER;
      return json(res, 200, envelope(violations ? nameless : FOLDER));
    }
    return json(res, 404, { code: 4200, msg: "resource not found" });
  };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node scripts/contract.mjs …args` with the environment `env` (on top of this one's, minus Coze's variables). */
function contract(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("COZE_")));
  const child = spawn(process.execPath, [join(root, "scripts/contract.mjs"), ...args], {
    cwd: root,
    env: { ...base, FORCE_COLOR: "0", NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((done) => child.once("close", (code) => done({ code, stdout, stderr })));
}

/** `<operation> → <status> | <where>` for every violation line of a report (its ✗ blocks). */
function violations(report: string): string[] {
  const found: string[] = [];
  let head: string | undefined;
  for (const line of report.split("\n")) {
    if (/^[✓✗] /.test(line)) head = line.startsWith("✗") ? line.slice(2).split("   ")[0] : undefined;
    else if (!/^ {4}\S/.test(line)) head = undefined;
    else if (head && !/^ {4}(client|\(warning\)):? /.test(line)) found.push(`${head} | ${line.trim().split(": ")[0]}`);
  }
  return found;
}

/** The indented lines under the report's line that starts with `mark head`. */
function block(report: string, head: string): string[] {
  const lines = report.split("\n");
  const start = lines.findIndex((line) => line.startsWith(`${head}   `));
  if (start < 0) throw new Error(`no line ${head} in:\n${report}`);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => !line.startsWith("    "));
  return rest.slice(0, end < 0 ? rest.length : end).map((line) => line.trim());
}

/** A port on 127.0.0.1 that nothing listens on (it was open a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address();
  await new Promise((done) => server.close(done));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe("pnpm contract --live coze", () => {
  let conforming: TestServer;
  let violating: TestServer;
  let passed: Run;
  let failed: Run;

  beforeAll(async () => {
    [conforming, violating] = await Promise.all([startServer(coze(false)), startServer(coze(true))]);
    // both runs at once: each starts its own Prism proxy (a few seconds)
    [passed, failed] = await Promise.all([
      contract(["--live", "coze", "--base-url", conforming.url], { COZE_API_TOKEN: TOKEN }),
      contract(["--live", "coze", "--base-url", violating.url], { COZE_API_TOKEN: TOKEN }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([conforming?.close(), violating?.close()]);
  });

  test("a conforming server passes: exit 0, every operation called with and without credentials", () => {
    expect(passed.stderr).toBe("");
    expect(passed.code).toBe(0);
    expect(passed.stdout).toContain(`Live contract check of @org/coze-files against ${conforming.url}`);
    for (const op of OPERATIONS) {
      expect(passed.stdout).toMatch(new RegExp(`^✓ ${op.replace(".", "\\.")} → 200 {3}`, "m"));
      expect(passed.stdout).toMatch(new RegExp(`^✓ ${op.replace(".", "\\.")} without credentials → 401 {3}`, "m"));
    }
    expect(violations(passed.stdout)).toEqual([]);
    expect(passed.stdout).toContain("statuses returned: 200 ×4, 401 ×4");
    expect(passed.stdout.trimEnd().split("\n").at(-1)).toBe("✓ no violations in 8 calls");
  });

  test("the credentials come from the provider's environment variable, and the requests from the spec", () => {
    const auth = conforming.requests.map((r) => r.headers.authorization);
    expect(auth.filter((a) => a === `Bearer ${TOKEN}`)).toHaveLength(4);
    expect(auth.filter((a) => a === undefined)).toHaveLength(4);
    const paths = conforming.requests.map((r) => `${r.method} ${r.url.split("?")[0]}`);
    expect(new Set(paths)).toEqual(
      new Set([
        "POST /v1/files/upload",
        "GET /v1/files/retrieve",
        "GET /v1/folders",
        "GET /v1/folders/752316125533***",
      ]),
    );
    // the spec's example params, as the contract tests send them to the mock
    expect(conforming.requests.find((r) => r.url.startsWith("/v1/files/retrieve"))?.url).toBe(
      "/v1/files/retrieve?file_id=7369495981102022700",
    );
  });

  test("a violating server fails: exit 1, and the report names every violation's operation, status and place", () => {
    expect(failed.stderr).toBe("");
    expect(failed.code).toBe(1);
    expect(violations(failed.stdout)).toEqual([
      "files.upload → 418 | status",
      "files.retrieve → 200 | response.body.code",
      "folders.retrieve → 200 | response.body.data.name",
    ]);
    expect(block(failed.stdout, "✗ files.upload → 418")[0]).toBe(
      "status: 418 is not declared for this operation (declared: 200, 400, 401, 403, 429)",
    );
    expect(block(failed.stdout, "✗ files.retrieve → 200")[0]).toBe(
      "response.body.code: Response body property code must be integer",
    );
    expect(block(failed.stdout, "✗ folders.retrieve → 200")[0]).toBe(
      "response.body.data.name: Response body property data must have required property 'name'",
    );
    // what conforms on that server still passes
    expect(failed.stdout).toMatch(/^✓ folders\.list → 200 {3}/m);
    for (const op of OPERATIONS) expect(failed.stdout).toMatch(new RegExp(`^✓ ${op} without credentials → 401`, "m"));
    expect(failed.stdout.trimEnd().split("\n").at(-1)).toBe("✗ 3 violations in 3 of 8 calls");
  });
});

describe("pnpm contract --live: bad input → exit 2, a clear message, no report", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(coze(false));
  });
  afterAll(() => server?.close());

  const cases: [string, () => Promise<string[]>, RegExp][] = [
    ["no --live", async () => ["--base-url", server.url], /--live <provider> is required/],
    [
      "an unknown provider",
      async () => ["--live", "nope", "--base-url", server.url],
      /unknown provider "nope"; one of: cognite, coze, wooshpay/,
    ],
    ["no --base-url", async () => ["--live", "coze"], /--base-url <url> is required/],
    ["a --base-url that is not a URL", async () => ["--live", "coze", "--base-url", "localhost"], /is not a URL/],
    [
      "a --base-url that is not http(s)",
      async () => ["--live", "coze", "--base-url", "ftp://127.0.0.1/"],
      /only http and https servers can be checked/,
    ],
    [
      "an unreachable --base-url (a closed port)",
      async () => ["--live", "coze", "--base-url", `http://127.0.0.1:${await closedPort()}`],
      /cannot reach http:\/\/127\.0\.0\.1:\d+: connect ECONNREFUSED/,
    ],
  ];
  // an unknown --only operation is checked before anything is sent too (below, without the command)
  test.concurrent.for(cases)("%s", async ([_name, args, message], { expect }) => {
    const run = await contract(await args(), { COZE_API_TOKEN: TOKEN });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe("");
    expect(server.requests).toEqual([]);
  });

  test.concurrent("no credentials in the environment", async ({ expect }) => {
    const run = await contract(["--live", "coze", "--base-url", server.url]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "no credentials for @org/coze-files: Coze: no token; pass { token } or set COZE_API_TOKEN",
    );
    expect(run.stdout).toBe("");
    expect(server.requests).toEqual([]);
  });
});

describe("the live check's parts", () => {
  const coze = generatedPackages().find((p) => p.name === "@org/coze-files");
  if (!coze) throw new Error("no @org/coze-files");

  test("its plan is the contract suite's cases, one call per operation with every declared status", () => {
    const plans = operationPlans(coze);
    expect(plans.map((p) => p.operationId)).toEqual(OPERATIONS);
    expect(plans.find((p) => p.operationId === "files.retrieve")?.declared).toEqual([200, 400, 401, 403, 404, 429]);
    expect(plans.reduce((n, p) => n + p.declared.length, 0)).toBe(23); // contract-count.test.ts's KNOWN
    expect(plans.every((p) => p.secured)).toBe(true);
  });

  test("the check refuses to start without credentials in the environment, or with an unknown operation", async () => {
    vi.stubEnv("COZE_API_TOKEN", undefined);
    try {
      await expect(prepareLiveCheck("@org/coze-files")).rejects.toThrow(LiveCheckInputError);
      await expect(prepareLiveCheck("@org/coze-files")).rejects.toThrow(/set COZE_API_TOKEN/);
      vi.stubEnv("COZE_API_TOKEN", TOKEN);
      await expect(prepareLiveCheck("@org/coze-files", ["files.retrieve", "files.nope"])).rejects.toThrow(
        "--only: @org/coze-files has no operation files.nope; its operations: files.upload, files.retrieve, folders.list, folders.retrieve",
      );
      const only = await prepareLiveCheck("@org/coze-files", ["folders.list"]);
      expect(only.operations.map((op) => op.operationId)).toEqual(["folders.list"]);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  const expected = { declared: [200, 401], credentials: true };
  const header = (...entries: object[]) => JSON.stringify(entries);

  test("Prism's undeclared-status message is replaced by the check's own; warnings do not fail", () => {
    const undeclared = {
      location: ["response"],
      severity: "Warning",
      message: "Unable to match the returned status code",
    };
    const deprecated = { location: ["request", "query", "x"], severity: "Warning", code: "deprecated", message: "old" };
    expect(findingsOf({ status: 418, violations: header(undeclared, deprecated) }, expected)).toEqual({
      errors: [{ where: "status", message: "418 is not declared for this operation (declared: 200, 401)" }],
      warnings: [{ where: "request.query.x", message: "old" }],
    });
  });

  test("without credentials, Prism's security violation is expected and anything but 401 is not", () => {
    const security = { location: ["request"], severity: "Error", code: 401, message: "Invalid security scheme used" };
    const unauthenticated = { ...expected, credentials: false };
    expect(findingsOf({ status: 401, violations: header(security) }, unauthenticated).errors).toEqual([]);
    expect(findingsOf({ status: 200, violations: header(security) }, unauthenticated).errors).toEqual([
      { where: "status", message: "200 without credentials (the spec requires them: 401)" },
    ]);
  });

  test("no answer from the server (Prism's own problem), and a cut header, are errors", () => {
    const problem = { title: "Something went wrong", detail: "request to http://127.0.0.1:9/x failed" };
    expect(findingsOf({ status: 500, violations: null, prismProblem: problem }, expected).errors).toEqual([
      { where: "proxy", message: `no answer from the server (Prism: ${problem.title}: ${problem.detail})` },
    ]);
    expect(parseViolations('Too many violations! [{"location":["response","body"]')).toEqual([
      {
        location: ["response"],
        severity: "Error",
        message: 'unreadable sl-violations header: Too many violations! [{"location":["response","body"]',
      },
    ]);
  });
});
