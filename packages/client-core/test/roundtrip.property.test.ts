// Property: path and query parameters round-trip exactly. For arbitrary strings (unicode, `/`, `?`,
// `#`, `%`, `..`, `$&`, `$'`, template-like `{b}` …) the server receives exactly the value given,
// as one path segment or one query value, on whichever transport the vitest project selects
// (`fetch`, or the `node` build's node:http transport).
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { json, startServer, type TestServer } from "../../testing/src/http-server.js";
import { createCoreClient, InvalidParamsError, type OperationMeta } from "../src/index.js";

const operation: OperationMeta = {
  id: "things.retrieve",
  method: "GET",
  path: "/things/{a}/sub/{b}",
  pathParams: ["a", "b"],
  queryParams: ["q", "r"],
  required: ["a", "b"],
  body: false,
  idempotent: true,
  responseBody: true,
};

/** Strings that break naive encoders: URL delimiters, escapes, String.replace patterns, templates. */
const tricky = fc.constantFrom(
  ...["/", "?", "#", "%", "%2F", "%25", "%zz", "..", ".", "$&", "$'", "$`", "$$", "$1", "&", "=", "+", " ", ";", ","],
  ...[
    "{a}",
    "{b}",
    "{q}",
    "\\",
    "'",
    '"',
    "<>",
    "[]",
    "~",
    "*",
    "@:",
    "é",
    "日本語",
    "👍🏽",
    "\u0000",
    "\n",
    "\r\n",
    "\t",
  ],
);
/** Lone UTF-16 surrogates have no UTF-8 form: a value holding one cannot be sent and must be refused. */
const lone = fc.constantFrom("\uD800", "\uDBFF", "\uDC00", "\uDFFF", "\uDC00\uD800");
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const piece = fc.oneof(
  { arbitrary: fc.string({ unit: "grapheme", maxLength: 8 }), weight: 20 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 4 }), weight: 20 },
  { arbitrary: tricky, weight: 20 },
  { arbitrary: lone, weight: 1 },
);
const value = fc.array(piece, { maxLength: 6 }).map((parts) => parts.join(""));
/** A path value: mostly non-empty; sometimes one that cannot be a path segment at all. */
const segment = fc.oneof(
  { arbitrary: fc.constantFrom("", ".", ".."), weight: 1 },
  { arbitrary: value.filter((v) => v !== ""), weight: 12 },
);

/** What the server saw: decoded path segments and query pairs, from the raw request target. */
function decode(target: string): { segments: string[]; query: [string, string][] } {
  const mark = target.indexOf("?");
  const path = mark === -1 ? target : target.slice(0, mark);
  const search = mark === -1 ? "" : target.slice(mark + 1);
  const segments = path.split("/").slice(1).map(decodeURIComponent);
  const query = search
    .split("&")
    .filter((part) => part !== "")
    .map((part): [string, string] => {
      const eq = part.indexOf("=");
      return [
        decodeURIComponent(eq === -1 ? part : part.slice(0, eq)),
        decodeURIComponent(eq === -1 ? "" : part.slice(eq + 1)),
      ];
    });
  return { segments, query };
}

let server: TestServer;
beforeAll(async () => {
  server = await startServer((_req, res) => json(res, 200, {}));
});
afterAll(() => server.close());

describe(`on the ${process.env.ORG_TEST_TRANSPORT ?? "default"} transport`, () => {
  const client = () =>
    createCoreClient<{}>(
      { packageName: "@org/roundtrip", packageVersion: "0.0.0", errorBrand: "roundtrip", defaultBaseUrl: server.url },
      { baseUrl: server.url, maxRetries: 0 },
    );

  test("path and query values arrive exactly as given", async () => {
    const api = client();
    let delivered = 0;
    await fc.assert(
      fc.asyncProperty(segment, segment, value, value, async (a, b, q, r) => {
        const sent = server.requests.length;
        const call = api.call(operation, { a, b, q, r });
        const unsendable = [a, b, q, r].some((v) => LONE_SURROGATE.test(v));
        if (unsendable || [a, b].some((v) => v === "" || v === "." || v === "..")) {
          // cannot be one path segment, or not encodable at all: refused before anything is sent
          await expect(call).rejects.toBeInstanceOf(InvalidParamsError);
          expect(server.requests.length).toBe(sent);
          return;
        }
        await call;
        delivered++;
        expect(server.requests.length).toBe(sent + 1);
        const seen = decode(server.requests[sent]?.url ?? "");
        expect(seen.segments).toEqual(["things", a, "sub", b]);
        expect(seen.query).toEqual([
          ["q", q],
          ["r", r],
        ]);
      }),
      { numRuns: 300 },
    );
    // the property is not vacuous: most generated values are sendable and were checked
    expect(delivered).toBeGreaterThan(150);
  });
});
