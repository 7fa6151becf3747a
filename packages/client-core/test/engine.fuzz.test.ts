// Fuzz, end to end through the engine on the vitest project's transport: a hostile loopback server
// answers each attempt with a random status (100–999), `Location`, `Retry-After`, `Content-Type`,
// `Content-Encoding` (lists, unknown codings, mislabelled bodies), truncated, binary or ≥ 1 MB
// bodies, stalls and resets. Every call must settle in time with a value or a typed `ApiError`,
// and nothing may escape the call (no uncaught exception, no unhandled rejection).
import { type HostileAction, hostileServerForFile, recordEscapes } from "@org/testing";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ApiError, type OperationMeta } from "../src/index.js";
import { fuzzRuns, fuzzTimeout, testClient } from "./support.js";

const SEED = 20261125;
const RUNS = 12;
const CALLS_PER_RUN = 4;

const stray = recordEscapes();
const server = hostileServerForFile();

const latin1 = fc.string({
  unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)),
  maxLength: 16,
});
const header: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.tuple(
    fc.constant("location"),
    fc.oneof(fc.constantFrom("0", "1", "{script}/0", "http://", "ftp://x/", "//"), latin1),
  ),
  fc.tuple(
    fc.constant("content-encoding"),
    fc.oneof(
      fc.constantFrom("gzip", "br", "deflate", "gzip, br", "br, gzip", "identity", "x-unknown", "gzip,gzip"),
      latin1,
    ),
  ),
  fc.tuple(
    fc.constant("content-type"),
    fc.oneof(fc.constantFrom("application/json", "text/html", "image/png"), latin1),
  ),
  fc.tuple(
    fc.constantFrom("retry-after", "retry-after-ms"),
    fc.oneof(fc.constantFrom("0", "0.05", "-1", "soon"), latin1),
  ),
  fc.tuple(fc.constantFrom("x-should-retry", "x-request-id"), fc.oneof(fc.constantFrom("true", "false"), latin1)),
);
const action: fc.Arbitrary<HostileAction> = fc.record(
  {
    status: fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(200, 201, 204, 302, 307, 400, 401, 404, 429, 500, 503) },
      { weight: 2, arbitrary: fc.integer({ min: 100, max: 999 }) },
    ),
    headers: fc.array(header, { maxLength: 3 }),
    body: fc.oneof(
      fc.constantFrom('{"ok":true}', "<html>502 Bad Gateway</html>", "", '{"trunc'),
      fc.record({
        size: fc.oneof(fc.nat({ max: 4096 }), fc.constant(1024 * 1024 + 1)),
        fill: fc.constantFrom("json" as const, "text" as const, "binary" as const),
      }),
    ),
    encode: fc.array(fc.constantFrom("gzip" as const, "br" as const, "deflate" as const), { maxLength: 2 }),
    framing: fc.constantFrom("length" as const, "chunked" as const, "close" as const, 3 as const),
    cutAfter: fc.nat({ max: 2000 }),
    reset: fc.constant(true),
    delayMs: fc.oneof(fc.nat({ max: 40 }), fc.constant("never" as const)),
    stallMs: fc.oneof(fc.nat({ max: 40 }), fc.constant("never" as const)),
  },
  { requiredKeys: ["status"] },
);
const call = fc.record({
  script: fc.array(action, { minLength: 1, maxLength: 3 }),
  timeoutMs: fc.integer({ min: 80, max: 250 }),
  maxRetries: fc.nat({ max: 1 }),
  method: fc.constantFrom("GET" as const, "POST" as const),
});

describe(`the engine against a hostile server (${process.env.ORG_TEST_TRANSPORT ?? "default"} transport)`, () => {
  test("every call settles in time with a value or a typed ApiError; nothing escapes", {
    timeout: fuzzTimeout(RUNS, 120_000),
  }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(call, { minLength: CALLS_PER_RUN, maxLength: CALLS_PER_RUN }), async (calls) => {
        await Promise.all(
          calls.map(async ({ script, timeoutMs, maxRetries, method }) => {
            // every attempt plays the script's first action; a redirect plays the one it names
            const url = new URL(server.scriptUrl(script, 0));
            const operation: OperationMeta = {
              id: "fuzz.call",
              method,
              path: url.pathname,
              pathParams: [],
              queryParams: [],
              required: [],
              body: method === "POST",
              idempotent: true,
              responseBody: true,
            };
            const client = testClient(url.origin, { timeoutMs, maxRetries });
            const started = Date.now();
            // attempts × timeout, plus at most one honoured server delay (≤ 60 s is honoured: our
            // scripts ask for ≤ 1 s) or backoff (≤ 0.5 s), plus slack for a loaded machine
            const bound = (maxRetries + 1) * timeoutMs + maxRetries * 1_000 + 1_500;
            let outcome: unknown;
            try {
              outcome = await client.call(operation, method === "POST" ? { n: 1 } : {});
            } catch (error) {
              outcome = error;
              expect(error, String(error)).toBeInstanceOf(ApiError);
              expect((error as ApiError).provider).toBe("test");
            }
            expect(Date.now() - started, `settled in time: ${JSON.stringify(script).slice(0, 300)}`).toBeLessThan(
              bound,
            );
            return outcome;
          }),
        );
        expect(stray).toEqual([]);
      }),
      { ...fuzzRuns(SEED, RUNS), endOnFailure: true },
    );
  });
});
