/**
 * Both transports (the fetch one over the platform's `fetch` and over undici 7's) against a
 * hostile loopback server driven by generated scripts: any status from
 * 100 to 999, interim responses, Locations valid, relative, garbage, looping or of other
 * protocols, Retry-After and Content-Type junk, content-coding lists (unknown, mislabelled),
 * bodies truncated, binary, a megabyte long, resets and stalls, aborts at random times.
 *
 * Every call must settle by its deadline (or its abort) plus a little slack, with a WireResponse
 * or one of the rejections of wire.ts — and nothing may escape to the process. FUZZ_SEED and
 * FUZZ_RUNS run another campaign (support.ts). The same scripts
 * then run in a child `node` process (the transports bundled with esbuild), which must exit by
 * itself: no timer, socket or listener is left behind. The child uses Node's lenient HTTP parser,
 * so that header values undici's `Headers` refuses reach the Node transport too.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type HostileAction, type HostileCoding, hostileServerForFile, recordEscapes } from "@org/testing";
import { build } from "esbuild";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { createFetchTransport } from "../src/transport-fetch.js";
import { createNodeTransport } from "../src/transport-node.js";
import { MAX_CODINGS, type Transport } from "../src/wire.js";
import { fuzzRuns, fuzzTimeout } from "./support.js";
import { type Outcome, run, type Scenario } from "./transport-fuzz-run.js";
import { platformOnUndici7, undici7Fetch } from "./undici7.js";

const SEED = 20240611;
const RUNS = 60;
/** Settling later than the deadline (or the abort) by more than this is a failure. */
const SLACK_MS = 500;

// --- the generated scripts --------------------------------------------------------------------

const latin1 = (exclude: string) =>
  fc
    .integer({ min: 0, max: 255 })
    .map((code) => String.fromCharCode(code))
    .filter((char) => !exclude.includes(char));
/** A relative reference that cannot leave the host: no `/`, `\` or `:`. */
const relative = fc.string({ unit: latin1("/\\:\r\n"), maxLength: 12 });
const location = fc.oneof(
  { weight: 4, arbitrary: fc.nat({ max: 3 }).map((i) => `${i}`) },
  { weight: 2, arbitrary: fc.nat({ max: 3 }).map((i) => `{script}/${i}`) },
  { weight: 2, arbitrary: fc.nat({ max: 3 }).map((i) => `{origin}{script}/${i}`) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      "http://",
      "http://[::1",
      "https://127.0.0.1:99999/",
      "ftp://127.0.0.1/",
      "data:,hello",
      "javascript:void(0)",
      "file:///etc/passwd",
      "mailto:a@b.c",
      "{closed}/refused",
      "https://127.0.0.1:{port}{script}/0",
      "",
      "?q=1",
      "#fragment",
      "..",
    ),
  },
  { weight: 1, arbitrary: relative },
);
const CODINGS = ["gzip", "x-gzip", "deflate", "br", "identity", "GZIP", " br ", "snappy", "zstd", "compress", ""];
const contentEncoding = fc
  .array(fc.constantFrom(...CODINGS), { minLength: 1, maxLength: 3 })
  .map((codings) => codings.join(","));
const headerValue = fc.string({ unit: latin1("\r\n"), maxLength: 24 });
const header: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.tuple(fc.constant("location"), location),
  fc.tuple(fc.constant("content-encoding"), contentEncoding),
  fc.tuple(
    fc.constant("content-type"),
    fc.oneof(fc.constantFrom("application/json", "text/html; charset=utf-8", "application/octet-stream"), headerValue),
  ),
  fc.tuple(fc.constant("retry-after"), fc.oneof(fc.nat({ max: 100 }).map(String), headerValue)),
  fc.tuple(fc.constantFrom("x-request-id", "x-junk", "set-cookie"), headerValue),
);
const status = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(200, 201, 204, 206, 301, 302, 303, 304, 307, 308, 400, 404, 429, 500, 503) },
  { weight: 3, arbitrary: fc.integer({ min: 100, max: 999 }) },
);
const body = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 64 }) },
  {
    weight: 3,
    arbitrary: fc.record({
      size: fc.nat({ max: 4096 }),
      fill: fc.constantFrom("json" as const, "text" as const, "binary" as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      size: fc.constant(1024 * 1024 + 3),
      fill: fc.constantFrom("json" as const, "binary" as const),
    }),
  },
);
const delay = fc.oneof(
  { weight: 6, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: fc.nat({ max: 60 }) },
  { weight: 1, arbitrary: fc.constant("never" as const) },
);
const action: fc.Arbitrary<HostileAction> = fc.record(
  {
    delayMs: delay,
    reset: fc.boolean().map((reset) => (reset ? true : undefined)),
    interim: fc.array(fc.constantFrom(100, 102, 103), { maxLength: 2 }),
    status,
    headers: fc.array(header, { maxLength: 4 }),
    body,
    encode: fc.array(fc.constantFrom<HostileCoding>("gzip", "deflate", "deflate-raw", "br"), { maxLength: 2 }),
    framing: fc.oneof(
      { weight: 4, arbitrary: fc.constant("length" as const) },
      { weight: 3, arbitrary: fc.constantFrom("chunked" as const, "close" as const, "none" as const) },
      { weight: 2, arbitrary: fc.nat({ max: 5000 }) },
    ),
    cutAfter: fc.nat({ max: 3000 }),
    stallMs: delay,
  },
  { requiredKeys: ["status"] },
);
/** The redirect targets of a script point into it: make the first action a redirect more often. */
const scenario: fc.Arbitrary<Scenario> = fc.record({
  script: fc
    .array(action, { minLength: 1, maxLength: 4 })
    .chain((script) =>
      fc
        .tuple(fc.boolean(), location)
        .map(([redirect, target]) =>
          redirect
            ? [{ ...script[0], status: 302, headers: [["location", target] as [string, string]] }, ...script.slice(1)]
            : script,
        ),
    ),
  method: fc.constantFrom(
    "GET" as const,
    "GET" as const,
    "POST" as const,
    "HEAD" as const,
    "PUT" as const,
    "DELETE" as const,
  ),
  budget: fc.integer({ min: 60, max: 300 }),
  abortAfter: fc.option(fc.integer({ min: 0, max: 250 }), { freq: 4 }),
});

// --- running and judging a call ---------------------------------------------------------------

/** What is wrong with `outcome` for `call` (nothing, for a good outcome). */
function problems(call: Scenario, outcome: Outcome): string[] {
  const found: string[] = [];
  const bound = Math.min(call.budget, call.abortAfter ?? Number.POSITIVE_INFINITY) + SLACK_MS;
  if (outcome.ms > bound) found.push(`settled after ${outcome.ms.toFixed(0)} ms (bound ${bound} ms)`);
  if (outcome.kind === "odd" || outcome.kind === "setup") found.push(`unexpected ${outcome.kind}: ${outcome.detail}`);
  if (outcome.kind === "abort" && call.abortAfter === null) found.push("rejected with an abort nobody asked for");
  if (outcome.kind === "timeout" && (outcome.timeoutMs ?? 0) < call.budget - 20) {
    found.push(`TimeoutReason(${outcome.timeoutMs}) for a ${call.budget} ms budget`);
  }
  if (outcome.kind === "timeout" && outcome.ms < call.budget - 20) found.push(`timed out early (${outcome.ms} ms)`);
  if (outcome.kind === "response") {
    const status = outcome.status ?? 0;
    if (!Number.isInteger(status) || status < 200 || status > 599) found.push(`resolved with status ${status}`);
    if ([301, 302, 303, 307, 308].includes(status) && outcome.location) found.push("a redirect with Location resolved");
    if (call.method === "HEAD" && outcome.bodyLength !== 0) found.push("a HEAD response with a body");
  }
  return found;
}

const transports: [string, Transport][] = [
  ["node", createNodeTransport()],
  ["fetch", createFetchTransport(globalThis.fetch)],
  ["fetch (undici 7)", createFetchTransport(undici7Fetch)],
];

/**
 * Whether the platform's `fetch` is undici 6 (Node 20's), which cannot survive a response whose
 * `Content-Encoding` list has more than five entries when its connection then fails or stalls: it
 * leaves a body stream with no error listener (an uncaught exception) or a request that never ends
 * (see transport-shared.test.ts). Such scripts are not run on it; undici 7's `fetch` runs them all.
 */
const UNDICI_6 = Number(process.versions.undici?.split(".")[0]) < 7;
function breaksUndici6(script: HostileAction[]): boolean {
  return script.some((action) => {
    const values = (action.headers ?? []).filter(([name]) => name === "content-encoding").map(([, value]) => value);
    return values.length > 0 && values.join(",").split(",").length > MAX_CODINGS;
  });
}

/**
 * Whether `script` has a redirect whose body, delimited by the connection's end and large enough to
 * pause the parser (about 64 KiB), undici 7 (7.30.3 at most) would leave unread when its `fetch`
 * follows the redirect: when the server then closes the connection, undici 7's HTTP/1 client throws
 * `assert(!this.paused)` in the socket's 'end' handler, an uncaught exception no caller can catch
 * (nodejs/undici#5360, fixed in undici 8, which needs Node 22). Found by seed 636663292. Node 20's
 * own undici 6 does not throw; the Node transport reads every body it is given.
 * Such scripts are not run on a `fetch` whose requests go through undici 7's dispatcher: undici 7's,
 * and the platform's if it were on undici 7's too (see undici7.ts and docs/runtimes.md).
 */
function breaksUndici7(script: HostileAction[]): boolean {
  return script.some((action) => {
    const status = action.status ?? 200;
    const size = typeof action.body === "string" ? action.body.length : (action.body?.size ?? 0);
    return [301, 302, 303, 307, 308].includes(status) && action.framing === "close" && size >= 16 * 1024;
  });
}
/** Whether `name` runs `call` (see {@link breaksUndici6} and {@link breaksUndici7}). */
const runs = (name: string, call: Scenario) =>
  !(name === "fetch" && UNDICI_6 && breaksUndici6(call.script)) &&
  !((name === "fetch (undici 7)" || (name === "fetch" && platformOnUndici7)) && breaksUndici7(call.script));

const escaped = recordEscapes();
const hostile = hostileServerForFile();

describe("transports against a hostile server", () => {
  test("every call settles in time with a response or a wire.ts rejection; nothing escapes", {
    timeout: fuzzTimeout(RUNS, 30_000),
  }, async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(scenario, { minLength: 4, maxLength: 4 }), async (calls) => {
        const outcomes = await Promise.all(
          calls.flatMap((call) =>
            transports
              .filter(([name]) => runs(name, call))
              .map(async ([name, transport]) => {
                const outcome = await run(transport, name, hostile.scriptUrl(call.script), call);
                seen.set(`${name} ${outcome.kind}`, (seen.get(`${name} ${outcome.kind}`) ?? 0) + 1);
                return { call, outcome };
              }),
          ),
        );
        const found = outcomes.flatMap(({ call, outcome }) =>
          problems(call, outcome).map((p) => `${outcome.transport}: ${p} — ${JSON.stringify(call)}`),
        );
        expect(found).toEqual([]);
        expect(escaped).toEqual([]);
      }),
      { ...fuzzRuns(SEED, RUNS), endOnFailure: true },
    );
    // a little of everything happened (the generator is not stuck on one outcome)
    for (const name of ["node", "fetch"]) {
      for (const kind of ["response", "timeout", "protocol", "network", "abort"]) {
        expect(seen.get(`${name} ${kind}`), `${name} ${kind}`).toBeGreaterThan(0);
      }
    }
    expect(hostile.blocked).toEqual([]);
    // late events (bodies still arriving, sockets closing) must not escape either
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(escaped).toEqual([]);
  });

  test("in a child process, the same kind of run ends with the process exiting by itself", async () => {
    const dir = await mkdtemp(join(tmpdir(), "transport-fuzz-"));
    try {
      const src = (file: string) => fileURLToPath(new URL(`../src/${file}`, import.meta.url));
      const entry = join(dir, "runner.mjs");
      const runner = fileURLToPath(new URL("./transport-fuzz-run.ts", import.meta.url));
      await writeFile(entry, runnerSource(src("transport-node.ts"), src("transport-fetch.ts"), runner));
      const bundle = join(dir, "runner.bundle.mjs");
      await build({
        entryPoints: [entry],
        bundle: true,
        format: "esm",
        platform: "node",
        outfile: bundle,
        logLevel: "silent",
      });
      const calls = fc.sample(scenario, fuzzRuns(SEED + 1, 300));
      // a header value Node's lenient parser lets through and undici's Headers refuses (NUL)
      const refused: Scenario = {
        script: [
          {
            status: 200,
            headers: [
              ["x-nul", "a\u0000b"],
              ["x-fine", "ok"],
            ],
            body: "nul",
          },
        ],
        method: "GET",
        budget: 2000,
        abortAfter: null,
      };
      calls.push(refused);
      const scenarios = join(dir, "scenarios.json");
      await writeFile(
        scenarios,
        JSON.stringify(
          calls.map((call) => ({ ...call, url: hostile.scriptUrl(call.script), globalFetch: runs("fetch", call) })),
        ),
      );
      const started = Date.now();
      const child = spawn(process.execPath, ["--insecure-http-parser", bundle, scenarios], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk;
      });
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk;
      });
      const killer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      // FUZZ_KEEP=1 keeps the child's bundle and scenarios, to replay a run that did not end
      if (process.env.FUZZ_KEEP) console.error(`fuzz: kept ${bundle} and ${scenarios}`);
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
        child.on("exit", (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
      );
      clearTimeout(killer);
      expect({ code, signal, stderr: unexpectedWarnings(stderr) }).toEqual({ code: 0, signal: null, stderr: [] });
      const report = JSON.parse(stdout) as {
        outcomes: Outcome[][];
        escaped: string[];
        timers: number;
        finishedAt: number;
      };
      expect(report.escaped).toEqual([]);
      // once every call settled, no timer keeps the process alive
      expect(report.timers).toBe(0);
      expect(report.outcomes).toHaveLength(calls.length);
      const found = report.outcomes.flatMap((pair, i) =>
        pair.flatMap((outcome) => problems(calls[i] as Scenario, outcome).map((p) => `${outcome.transport}: ${p}`)),
      );
      expect(found).toEqual([]);
      // the NUL header was skipped, not fatal, on the lenient node:http transport
      const last = report.outcomes.at(-1)?.find((outcome) => outcome.transport === "node");
      expect(last).toMatchObject({ kind: "response", status: 200, bodyLength: 3 });
      // exited by itself, soon after its last call: nothing kept it alive
      expect(Date.now() - started - report.finishedAt).toBeLessThan(2000);
    } finally {
      if (!process.env.FUZZ_KEEP) await rm(dir, { recursive: true, force: true });
    }
  });
});

/**
 * The child's stderr lines, less the warnings it is expected to print: the one for the lenient
 * parser, and undici's own about the listeners it adds to one fetch per redirect hop (a chain of
 * more than ten hops). Anything else — a MaxListenersExceededWarning on an AbortSignal, say — is
 * unexpected.
 */
function unexpectedWarnings(stderr: string): string[] {
  return stderr
    .split("\n")
    .filter(
      (line) =>
        line.trim() !== "" &&
        !/Warning: Using insecure HTTP parsing/.test(line) &&
        !/Use `node --trace-warnings/.test(line) &&
        !/MaxListenersExceededWarning: .* terminated listeners added to \[Fetch\]/.test(line),
    );
}

/**
 * The child's program: runs each scenario on both transports (the platform's `fetch` skipping
 * what {@link breaksUndici6}; 8 at a time) and reports the outcomes as JSON — with the timers
 * still keeping it alive once the last call settled — then
 * returns: it never calls `process.exit`, so it ends only when nothing is left. It runs the same
 * `run` as the test (transport-fuzz-run.ts, bundled into the child by esbuild).
 */
function runnerSource(nodeTransport: string, fetchTransport: string, runner: string): string {
  return `
import { readFileSync } from "node:fs";
import { createNodeTransport } from ${JSON.stringify(nodeTransport)};
import { createFetchTransport } from ${JSON.stringify(fetchTransport)};
import { run } from ${JSON.stringify(runner)};

const born = Date.now();
const escaped = [];
process.on("uncaughtException", (error) => escaped.push(String(error)));
process.on("unhandledRejection", (error) => escaped.push(String(error)));
const transports = [["node", createNodeTransport()], ["fetch", createFetchTransport(globalThis.fetch)]];
const calls = JSON.parse(readFileSync(process.argv[2], "utf8"));
const outcomes = new Array(calls.length);
let next = 0;
async function worker() {
  while (next < calls.length) {
    const i = next++;
    const call = calls[i];
    const chosen = transports.filter(([name]) => name !== "fetch" || call.globalFetch);
    outcomes[i] = await Promise.all(chosen.map(([name, transport]) => run(transport, name, call.url, call)));
  }
}
await Promise.all(Array.from({ length: 8 }, worker));
const timers = process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
process.stdout.write(JSON.stringify({ outcomes, escaped, timers, finishedAt: Date.now() - born }));
if (escaped.length) process.exitCode = 1;
`;
}
