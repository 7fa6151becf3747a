/**
 * What both transports (node:http and fetch) promise the engine, against real loopback servers:
 * the crash cases of the old fetch-shaped Node transport, redirects, one deadline for every hop
 * and the body, aborts at every stage, bodies cut short or large, and nothing left behind.
 */
import { type AddressInfo, createServer as createNetServer } from "node:net";
import { inspect } from "node:util";
import { brotliCompressSync, gzipSync } from "node:zlib";
import {
  type HostileAction,
  hostileServerForFile,
  json,
  type ReceivedRequest,
  recordEscapes,
  serve,
} from "@org/testing";
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { targetOf, targetOfUrl } from "../src/node-target.js";
import { createFetchTransport } from "../src/transport-fetch.js";
import { createNodeTransport } from "../src/transport-node.js";
import {
  MAX_BODY_BYTES,
  ProtocolError,
  RequestSetupError,
  TimeoutReason,
  type Transport,
  type WireRequest,
  type WireResponse,
} from "../src/wire.js";
import { undici7Fetch } from "./undici7.js";

/** Slack on upper time bounds: 2 cores, test files in parallel. */
const SLACK_MS = 400;

const transports: [string, Transport][] = [
  ["node:http", createNodeTransport()],
  ["fetch", createFetchTransport(globalThis.fetch)],
];

function wire(url: string, init: Partial<WireRequest> = {}): WireRequest {
  return { method: "GET", url, headers: {}, body: undefined, signal: undefined, deadline: Date.now() + 5000, ...init };
}

/** What a call settled with, and when. */
async function settle(call: Promise<WireResponse>): Promise<{ value?: WireResponse; error?: unknown; ms: number }> {
  const started = performance.now();
  try {
    const value = await call;
    return { value, ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
}

async function failure(call: Promise<WireResponse>): Promise<Error & { cause?: unknown }> {
  const { value, error } = await settle(call);
  if (value) throw new Error(`expected a rejection, got status ${value.status}`);
  return error as Error & { cause?: unknown };
}

/** The body as bytes (the fetch transport reads JSON as text: see transport-fetch.test.ts). */
function bytes(response: WireResponse): Uint8Array {
  const body = response.body;
  if (body instanceof ReadableStream) throw new Error("a stream: only for WireRequest.stream");
  return typeof body === "string" ? new TextEncoder().encode(body) : body;
}
const text = (response: WireResponse) => new TextDecoder().decode(bytes(response));

/** Nothing escaped to the process: recorded for the whole file, asserted after each test. */
const escaped = recordEscapes();

const hostile = hostileServerForFile();

// servers from `serve` (@org/testing) are closed after each test
afterEach(() => {
  expect(escaped).toEqual([]);
});

let runs = 0;
/** `script`, made unique (its requests are told apart from those of other runs). */
function unique(script: HostileAction[]): HostileAction[] {
  const id = ++runs;
  return script.map((action) => ({ ...action, id }));
}

/** The requests the hostile server received for `script` (see {@link unique}). */
function received(script: HostileAction[]): ReceivedRequest[] {
  const prefix = new URL(hostile.scriptUrl(script)).pathname.replace(/\/0$/, "/");
  return hostile.requests.filter((r) => r.url.startsWith(prefix));
}

/**
 * The timers the transports arm (`setTimeout` called from their source files — the servers of
 * this process and undici have their own), watched for the whole file: how many were armed, and
 * how many are still pending and keep the process alive (`hasRef()`). The Node transport shares one
 * timer between the calls under way, left unreferenced when there are none.
 */
const transportTimers = (() => {
  const pending = new Set<ReturnType<typeof setTimeout>>();
  let armed = 0;
  let restore = () => {};
  return {
    install() {
      const { setTimeout: realSet, clearTimeout: realClear } = globalThis;
      const watched = (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
        const ours = /transport-(node|fetch)\.ts/.test(new Error().stack ?? "");
        const timer = realSet(
          (...given: unknown[]) => {
            pending.delete(timer);
            callback(...given);
          },
          ms,
          ...args,
        );
        if (ours) {
          armed++;
          pending.add(timer);
        }
        return timer;
      };
      globalThis.setTimeout = watched as typeof setTimeout;
      globalThis.clearTimeout = ((timer: ReturnType<typeof setTimeout>) => {
        pending.delete(timer);
        realClear(timer);
      }) as typeof clearTimeout;
      restore = () => {
        globalThis.setTimeout = realSet;
        globalThis.clearTimeout = realClear;
      };
    },
    restore: () => restore(),
    armed: () => armed,
    /** Transport timers still pending that keep the process alive. */
    live: () => [...pending].filter((timer) => timer.hasRef()).length,
  };
})();
beforeAll(() => transportTimers.install());
afterAll(() => transportTimers.restore());

/** An AbortSignal that counts its abort listeners. */
function countedSignal(): { signal: AbortSignal; controller: AbortController; listeners: () => number } {
  const controller = new AbortController();
  const { signal } = controller;
  let count = 0;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  const live = new Set<unknown>();
  signal.addEventListener = ((type: string, listener: EventListenerOrEventListenerObject, options?: unknown) => {
    if (type === "abort" && !live.has(listener)) {
      live.add(listener);
      count++;
    }
    add(type, listener, options as AddEventListenerOptions);
  }) as AbortSignal["addEventListener"];
  signal.removeEventListener = ((type: string, listener: EventListenerOrEventListenerObject, options?: unknown) => {
    if (type === "abort" && live.delete(listener)) count--;
    remove(type, listener, options as EventListenerOptions);
  }) as AbortSignal["removeEventListener"];
  return { signal, controller, listeners: () => count };
}

const BODY = JSON.stringify({ hello: "wörld", list: [1, 2, 3], pad: "x".repeat(300) });

describe.each(transports)("%s transport", (_name, transport) => {
  describe("the crashes of the old transport", () => {
    test("status 999 rejects with a ProtocolError (no RangeError escapes)", async () => {
      const error = await failure(transport(wire(hostile.scriptUrl([{ status: 999, body: "{}" }]))));
      expect(error).toBeInstanceOf(ProtocolError);
      expect(error.message).toContain("999");
    });

    test.each([
      ["http://", "an empty host"],
      ["http://[::1", "a broken IPv6 host"],
      ["https://127.0.0.1:99999/", "a port out of range"],
    ])("a redirect to %j (%s) rejects with a ProtocolError", async (location) => {
      const script = unique([{ status: 302, headers: [["location", location]] }]);
      const error = await failure(transport(wire(hostile.scriptUrl(script))));
      expect(error).toBeInstanceOf(ProtocolError);
      expect(received(script)).toHaveLength(1);
    });

    test("a redirect loop A → B → A ends with a ProtocolError well within the deadline", async () => {
      const script = unique([
        { status: 302, headers: [["location", "1"]] },
        { status: 307, headers: [["location", "{script}/0"]] },
      ]);
      const { error, ms } = await settle(transport(wire(hostile.scriptUrl(script), { deadline: Date.now() + 10_000 })));
      expect(error).toBeInstanceOf(ProtocolError);
      expect((error as Error).message).toMatch(/too many redirects/);
      expect(received(script)).toHaveLength(21); // the request and 20 redirects followed
      expect(ms).toBeLessThan(3000);
    });

    test("Content-Encoding: gzip, br is decoded in reverse order", async () => {
      const encoded = brotliCompressSync(gzipSync(BODY));
      const server = await serve((_req, res) => {
        res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip, br" });
        res.end(encoded);
      });
      const response = await transport(wire(server.url));
      expect(text(response)).toBe(BODY);
    });

    test("a header value with a control character is refused before sending; the value is never shown", async () => {
      const secret = "sk_live_TOPSECRET\nInjected: yes";
      const server = await serve((_req, res) => json(res, 200, {}));
      const armed = transportTimers.armed();
      const error = await failure(
        transport(wire(server.url, { headers: { accept: "application/json", authorization: `Bearer ${secret}` } })),
      );
      expect(error).toBeInstanceOf(RequestSetupError);
      expect(error.message).toContain("authorization");
      for (const shown of [error.message, String(error.stack), inspect(error, { depth: 5 }), JSON.stringify(error)]) {
        expect(shown).not.toContain("TOPSECRET");
        expect(shown).not.toContain("Injected");
      }
      expect(error.cause).toBeUndefined();
      expect(server.requests).toHaveLength(0);
      // refused before anything was armed
      expect(transportTimers.armed()).toBe(armed);
      expect(transportTimers.live()).toBe(0);
    });

    test("an invalid header name, a non-http URL and an invalid method are refused the same way", async () => {
      const server = await serve((_req, res) => json(res, 200, {}));
      for (const request of [
        wire(server.url, { headers: { "bad name": "v" } }),
        wire(server.url, { headers: { "": "v" } }),
        wire("ftp://127.0.0.1/x"),
        wire("not a url"),
        wire(server.url, { method: "GE T" }),
        wire(server.url, { headers: { "x-emoji": "✓" } }),
        wire(server.url.replace("http://", "http://user:password@")),
      ]) {
        expect(await failure(transport(request))).toBeInstanceOf(RequestSetupError);
      }
      expect(server.requests).toHaveLength(0);
    });
  });

  describe("responses", () => {
    test("status, status text, headers, URL, body", async () => {
      const server = await serve((_req, res) => {
        res.writeHead(201, "Made", { "content-type": "application/json", "x-request-id": "req_1" });
        res.end(BODY);
      });
      const response = await transport(wire(`${server.url}/a?b=1`));
      expect(response.status).toBe(201);
      expect(response.statusText).toBe("Made");
      expect(response.headers).toBeInstanceOf(Headers);
      expect(response.headers.get("x-request-id")).toBe("req_1");
      expect(response.url).toBe(`${server.url}/a?b=1`);
      expect(response.redirected).toBe(false);
      expect(text(response)).toBe(BODY);
    });

    test("a request body is sent with its content-length", async () => {
      const server = await serve((req, res) => json(res, 200, { echo: req.body }));
      const body = JSON.stringify({ name: "ünïcode ✓" });
      for (const sent of [body, new TextEncoder().encode(body)]) {
        const response = await transport(
          wire(server.url, { method: "POST", headers: { "content-type": "application/json" }, body: sent }),
        );
        expect(JSON.parse(text(response))).toEqual({ echo: body });
      }
      for (const request of server.requests) {
        expect(request.headers["content-length"]).toBe(String(Buffer.byteLength(body)));
        expect(request.headers["transfer-encoding"]).toBeUndefined();
      }
    });

    test("a body of several megabytes arrives intact, plain and gzipped", async () => {
      const big = Buffer.alloc(3 * 1024 * 1024 + 17);
      for (let i = 0; i < big.length; i++) big[i] = (i * 7 + (i >> 10)) & 0xff;
      const zipped = gzipSync(big);
      const server = await serve((req, res) => {
        res.writeHead(200, req.url === "/gz" ? { "content-encoding": "gzip" } : {});
        res.end(req.url === "/gz" ? zipped : big);
      });
      for (const path of ["/plain", "/gz"]) {
        const response = await transport(wire(`${server.url}${path}`));
        expect(bytes(response).byteLength).toBe(big.length);
        expect(Buffer.compare(Buffer.from(bytes(response)), big)).toBe(0);
      }
    });

    test("a compression bomb (300 KB of gzip, 300 MB decoded) is a ProtocolError, not an exhausted heap", async () => {
      // gzip members concatenated: each inflates 1 MiB of zeros; the whole decodes past the cap
      const member = gzipSync(Buffer.alloc(1024 * 1024));
      const members = Math.ceil(MAX_BODY_BYTES / (1024 * 1024)) + 44;
      const bomb = Buffer.concat(Array.from({ length: members }, () => member));
      expect(bomb.byteLength).toBeLessThan(1024 * 1024);
      const server = await serve((_req, res) => {
        res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
        res.end(bomb);
      });
      const heap = process.memoryUsage().arrayBuffers;
      const error = await failure(transport(wire(server.url, { deadline: Date.now() + 20_000 })));
      expect(error).toBeInstanceOf(ProtocolError);
      expect(error.message).toContain(`decodes to more than ${MAX_BODY_BYTES} bytes`);
      // what was decoded before the cap was let go of, not kept
      expect(process.memoryUsage().arrayBuffers - heap).toBeLessThan(MAX_BODY_BYTES + 64 * 1024 * 1024);
    });

    test("an endless body without a coding, sent as fast as the socket takes it, is a ProtocolError past the bound", async () => {
      // the deadline alone would let the server fill the host's memory: 256 MiB arrive in about a
      // second on loopback. Chunked, and with a Content-Length of 1 TiB (refused before reading on
      // fetch, which reads a body of known length through the platform)
      const chunk = Buffer.alloc(1024 * 1024, 0x61);
      const server = await serve((req, res) => {
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (req.url === "/length") headers["content-length"] = String(2 ** 40);
        res.writeHead(200, headers);
        const pump = () => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once("drain", pump);
        };
        pump();
      });
      for (const path of ["/chunked", "/length"]) {
        const heap = process.memoryUsage().arrayBuffers;
        const { error, ms } = await settle(transport(wire(`${server.url}${path}`, { deadline: Date.now() + 60_000 })));
        expect(error, path).toBeInstanceOf(ProtocolError);
        expect((error as Error).message).toBe(`the response body is larger than ${MAX_BODY_BYTES} bytes`);
        expect(ms).toBeLessThan(30_000);
        expect(process.memoryUsage().arrayBuffers - heap).toBeLessThan(MAX_BODY_BYTES + 64 * 1024 * 1024);
      }
    });

    test("a response without a body may announce a length past the bound (HEAD, 304)", async () => {
      const server = await serve((req, res) => {
        res.writeHead(req.method === "HEAD" ? 200 : 304, { "content-length": String(2 ** 40) });
        res.end();
      });
      for (const method of ["HEAD", "GET"]) {
        const response = await transport(wire(server.url, { method }));
        expect(response.status).toBe(method === "HEAD" ? 200 : 304);
        expect(bytes(response).byteLength).toBe(0);
      }
    });

    test("a generated 1 MB binary body with NUL and 0xFF bytes, chunked", async () => {
      const script: HostileAction[] = [{ body: { size: 1024 * 1024, fill: "binary" }, framing: "chunked" }];
      const response = await transport(wire(hostile.scriptUrl(script)));
      expect(bytes(response).byteLength).toBe(1024 * 1024);
      expect(bytes(response).includes(0)).toBe(true);
      expect(bytes(response).includes(255)).toBe(true);
    });

    test("HEAD, 204 and 304 have an empty body", async () => {
      const server = await serve((req, res) => {
        const status = req.url === "/204" ? 204 : req.url === "/304" ? 304 : 200;
        res.writeHead(status, { "content-type": "application/json", "content-length": status === 200 ? 2 : 0 });
        res.end(status === 200 && req.method !== "HEAD" ? "{}" : undefined);
      });
      const head = await transport(wire(server.url, { method: "HEAD" }));
      expect([head.status, bytes(head).byteLength]).toEqual([200, 0]);
      for (const status of [204, 304]) {
        const response = await transport(wire(`${server.url}/${status}`));
        expect([response.status, bytes(response).byteLength]).toEqual([status, 0]);
      }
    });

    test("codings: x-gzip, deflate, case and spaces, identity; unknown and corrupt ones are ProtocolErrors", async () => {
      const server = await serve((req, res) => {
        const encodings: Record<string, [string, Uint8Array | string]> = {
          "/x-gzip": ["x-gzip", gzipSync(BODY)],
          "/spaces": [" GZIP ,  Br ", brotliCompressSync(gzipSync(BODY))],
          "/identity": ["identity", BODY],
          "/unknown": ["snappy", BODY],
          "/corrupt": ["gzip", "this is not gzip at all"],
        };
        const [coding, body] = encodings[req.url ?? ""] ?? ["", ""];
        res.writeHead(200, { "content-encoding": coding });
        res.end(body);
      });
      for (const path of ["/x-gzip", "/spaces", "/identity"]) {
        expect(text(await transport(wire(`${server.url}${path}`)))).toBe(BODY);
      }
      for (const path of ["/unknown", "/corrupt"]) {
        expect(await failure(transport(wire(`${server.url}${path}`)))).toBeInstanceOf(ProtocolError);
      }
    });

    test("an unknown coding is refused by name, read in full or streamed", async () => {
      const server = await serve((_req, res) => {
        res.writeHead(200, { "content-encoding": "gzip, snappy" });
        res.end(BODY);
      });
      for (const stream of [false, true]) {
        const error = await failure(transport(wire(server.url, { stream })));
        expect(error).toBeInstanceOf(ProtocolError);
        expect(error.message).toBe('unsupported content coding "snappy"');
      }
    });

    test("a body cut short by the connection is a plain network error", async () => {
      const script: HostileAction[] = [{ body: BODY, cutAfter: 20 }];
      const error = await failure(transport(wire(hostile.scriptUrl(script))));
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(ProtocolError);
      expect(error).not.toBeInstanceOf(TimeoutReason);
      expect(error).not.toBeInstanceOf(RequestSetupError);
      expect(error.name).not.toBe("AbortError");
    });

    test("a connection reset before the response is a plain network error", async () => {
      const error = await failure(transport(wire(hostile.scriptUrl([{ reset: true }]))));
      expect(error).toBeInstanceOf(Error);
      expect([ProtocolError, TimeoutReason, RequestSetupError].some((type) => error instanceof type)).toBe(false);
    });
  });

  describe("redirects", () => {
    test("20 redirects are followed (relative and absolute), the 21st is a ProtocolError", async () => {
      const chain = (n: number): HostileAction[] => [
        ...Array.from(
          { length: n },
          (_, i): HostileAction => ({
            status: [301, 302, 303, 307, 308][i % 5] as number,
            headers: [["location", i % 2 ? `${i + 1}` : `{origin}{script}/${i + 1}`]],
          }),
        ),
        { body: "arrived" },
      ];
      const twenty = chain(20);
      const response = await transport(wire(hostile.scriptUrl(twenty)));
      expect(text(response)).toBe("arrived");
      expect(response.redirected).toBe(true);
      expect(response.url).toBe(hostile.scriptUrl(twenty, 20));
      const error = await failure(transport(wire(hostile.scriptUrl(chain(21)))));
      expect(error).toBeInstanceOf(ProtocolError);
    });

    test("credentials are kept on the same origin and dropped when the redirect leaves it", async () => {
      const echo = (req: { headers: Record<string, unknown> }, res: Parameters<typeof json>[0]) =>
        json(res, 200, {
          authorization: req.headers.authorization ?? null,
          cookie: req.headers.cookie ?? null,
          proxy: req.headers["proxy-authorization"] ?? null,
          other: req.headers["x-other"] ?? null,
        });
      const other = await serve(echo);
      const server = await serve((req, res) => {
        if (req.url === "/same") return echo(req, res);
        res.writeHead(302, { location: req.url === "/away" ? `${other.url}/there` : "/same" });
        res.end();
      });
      const headers = {
        authorization: "Bearer secret",
        cookie: "session=1",
        "proxy-authorization": "Basic x",
        "x-other": "1",
      };
      const same = await transport(wire(`${server.url}/here`, { headers }));
      expect(JSON.parse(text(same))).toEqual({
        authorization: "Bearer secret",
        cookie: "session=1",
        proxy: "Basic x",
        other: "1",
      });
      const away = await transport(wire(`${server.url}/away`, { headers }));
      expect(away.url).toBe(`${other.url}/there`);
      expect(JSON.parse(text(away))).toEqual({ authorization: null, cookie: null, proxy: null, other: "1" });
    });

    test("303 turns a POST into a GET without body; 307 and 308 keep both; 301/302 turn a POST into a GET", async () => {
      const server = await serve((req, res) => {
        const status = Number(req.url?.slice(1));
        if (status) {
          res.writeHead(status, { location: "/echo" });
          return res.end();
        }
        json(res, 200, {
          method: req.method,
          body: req.body,
          type: req.headers["content-type"] ?? null,
          language: req.headers["content-language"] ?? null,
        });
      });
      const post = {
        method: "POST",
        body: '{"a":1}',
        headers: { "content-type": "application/json", "content-language": "en" },
      };
      const asGet = { method: "GET", body: "", type: null, language: null };
      const kept = { method: "POST", body: '{"a":1}', type: "application/json", language: "en" };
      const cases: [number, Partial<WireRequest>, unknown][] = [
        [303, post, asGet],
        [303, { ...post, method: "PUT" }, asGet],
        [307, post, kept],
        [308, { ...post, method: "PATCH" }, { ...kept, method: "PATCH" }],
        [301, post, asGet],
        [302, post, asGet],
        [302, { ...post, method: "PUT" }, { ...kept, method: "PUT" }],
      ];
      for (const [status, init, expected] of cases) {
        const response = await transport(wire(`${server.url}/${status}`, init));
        expect({ status, ...JSON.parse(text(response)) }).toEqual({ status, ...(expected as object) });
      }
    });

    test("a redirect without Location is the response", async () => {
      const response = await transport(wire(hostile.scriptUrl([{ status: 302, body: "no location" }])));
      expect(response.status).toBe(302);
      expect(response.redirected).toBe(false);
      expect(text(response)).toBe("no location");
    });

    test("a redirect to another protocol is a ProtocolError", async () => {
      for (const location of ["ftp://127.0.0.1/file", "file:///etc/passwd", "data:,hello", "javascript:alert(1)"]) {
        const error = await failure(
          transport(wire(hostile.scriptUrl([{ status: 301, headers: [["location", location]] }]))),
        );
        expect(error).toBeInstanceOf(ProtocolError);
      }
    });
  });

  describe("deadline", () => {
    test("one deadline covers every hop: five 80 ms hops time out at 250 ms", async () => {
      const hop = (i: number): HostileAction => ({ delayMs: 80, status: 302, headers: [["location", `${i + 1}`]] });
      const script = unique([...[0, 1, 2, 3, 4].map(hop), { body: "late" }]);
      const started = Date.now();
      const { error, ms } = await settle(transport(wire(hostile.scriptUrl(script), { deadline: started + 250 })));
      expect(error).toBeInstanceOf(TimeoutReason);
      expect((error as TimeoutReason).timeoutMs).toBeGreaterThanOrEqual(248);
      expect((error as TimeoutReason).timeoutMs).toBeLessThanOrEqual(250);
      expect(ms).toBeGreaterThanOrEqual(240);
      expect(ms).toBeLessThan(250 + SLACK_MS);
      expect(received(script).length).toBeLessThanOrEqual(4);
    });

    test("the deadline covers the body: a body that stalls half-way times out", async () => {
      const script: HostileAction[] = [{ body: BODY, stallMs: "never" }];
      const { error, ms } = await settle(transport(wire(hostile.scriptUrl(script), { deadline: Date.now() + 150 })));
      expect(error).toBeInstanceOf(TimeoutReason);
      expect(ms).toBeLessThan(150 + SLACK_MS);
      const trickle = await serve((_req, res) => {
        res.writeHead(200, { "content-length": 100 });
        res.write("{");
      });
      const cut = await settle(transport(wire(trickle.url, { deadline: Date.now() + 150 })));
      expect(cut.error).toBeInstanceOf(TimeoutReason);
      expect(cut.ms).toBeLessThan(150 + SLACK_MS);
    });

    test("a deadline already past rejects with a TimeoutReason without sending", async () => {
      const server = await serve((_req, res) => json(res, 200, {}));
      const error = await failure(transport(wire(server.url, { deadline: Date.now() - 1 })));
      expect(error).toBeInstanceOf(TimeoutReason);
      expect(server.requests).toHaveLength(0);
    });
  });

  describe("abort", () => {
    test("a signal already aborted rejects with its reason and sends nothing", async () => {
      const server = await serve((_req, res) => json(res, 200, {}));
      const reason = new Error("caller gave up");
      expect(await failure(transport(wire(server.url, { signal: AbortSignal.abort(reason) })))).toBe(reason);
      const plain = await failure(transport(wire(server.url, { signal: AbortSignal.abort() })));
      expect(plain.name).toBe("AbortError");
      expect(server.requests).toHaveLength(0);
    });

    test.each([
      ["waiting for the headers", { delayMs: "never" } as HostileAction],
      ["in the middle of the body", { body: BODY, stallMs: "never" } as HostileAction],
      ["between redirect hops", { delayMs: 30, status: 302, headers: [["location", "{script}/0"]] } as HostileAction],
    ])("an abort %s rejects with the signal's reason", async (_stage, action) => {
      const { signal, controller, listeners } = countedSignal();
      const reason = new Error("stop");
      setTimeout(() => controller.abort(reason), 80);
      const call = settle(transport(wire(hostile.scriptUrl([action]), { signal })));
      expect([transportTimers.live(), listeners()]).toEqual([1, 1]); // the deadline and the abort are watched
      const { error, ms } = await call;
      expect(error).toBe(reason);
      expect(ms).toBeLessThan(80 + SLACK_MS);
      expect([transportTimers.live(), listeners()]).toEqual([0, 0]);
    });
  });

  describe("nothing left behind", () => {
    test("a followed redirect whose body never ends does not keep its connection open", async () => {
      const server = await serve((req, res) => {
        if (req.url === "/ok") return json(res, 200, { ok: true });
        res.writeHead(302, { location: "/ok" }); // chunked, never ended
        res.write("the body of a redirect nobody reads");
      });
      const response = await transport(wire(`${server.url}/start`));
      expect(response.redirected).toBe(true);
      const until = Date.now() + 2000;
      while (server.inFlight() > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(server.inFlight()).toBe(0);
    });

    test.each([
      ["success", [{ body: BODY }] as HostileAction[], 2000],
      [
        "a redirect then success",
        [{ status: 302, headers: [["location", "1"]] }, { body: BODY }] as HostileAction[],
        2000,
      ],
      ["a protocol error", [{ status: 999 }] as HostileAction[], 2000],
      ["a reset", [{ reset: true }] as HostileAction[], 2000],
      ["a body cut short", [{ body: BODY, cutAfter: 10 }] as HostileAction[], 2000],
      ["a timeout", [{ delayMs: "never" }] as HostileAction[], 60],
    ])("after %s: no timer and no abort listener", async (_case, script, budget) => {
      const { signal, listeners } = countedSignal();
      const call = settle(transport(wire(hostile.scriptUrl(script), { signal, deadline: Date.now() + budget })));
      expect([transportTimers.live(), listeners()]).toEqual([1, 1]);
      await call;
      expect([transportTimers.live(), listeners()]).toEqual([0, 0]);
    });
  });
});

/** Answers that are not valid HTTP/1.1, written on the raw socket (node:http would not send them). */
const MALFORMED: Record<string, string> = {
  "not HTTP at all": "garbage\r\n\r\n",
  "an HTTP/2 preface": "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
  "a four-digit status": "HTTP/1.1 1000 X\r\ncontent-length: 2\r\n\r\n{}",
  "status 0": "HTTP/1.1 000 X\r\ncontent-length: 2\r\n\r\n{}",
  "two different Content-Lengths": "HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\n{}x",
  "Content-Length with chunked":
    "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ncontent-length: 2\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
  "a negative Content-Length": "HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\n{}",
  "a chunk size that is not hex": "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
  "lines ended by LF alone": "HTTP/1.1 200 OK\ncontent-length: 2\n\n{}",
  "3000 headers": `HTTP/1.1 200 OK\r\n${Array.from({ length: 3000 }, (_, i) => `x-${i}: ${i}\r\n`).join("")}content-length: 2\r\n\r\n{}`,
  "a protocol switch nobody asked for":
    "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n",
  "100 Continue, then the connection closes": "HTTP/1.1 100 Continue\r\n\r\n",
};

describe.each(transports)("malformed responses (%s transport)", (_name, transport) => {
  test.each(Object.keys(MALFORMED))("%s: a rejection well before the deadline; nothing escapes", async (name) => {
    const server = createNetServer((socket) => {
      socket.on("error", () => {});
      socket.once("data", () => socket.end(MALFORMED[name] ?? ""));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const { error, ms } = await settle(transport(wire(`http://127.0.0.1:${port}/`, { deadline: Date.now() + 3000 })));
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(TimeoutReason);
      expect(ms).toBeLessThan(1000);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

/**
 * undici 6 (the `fetch` of Node 20) refuses a `Content-Encoding` list of more than five entries
 * after it created the response's body stream, and leaves that stream with no error listener: when
 * the request ends in an error later — an abort, the connection closing — the host process gets an
 * uncaught exception, whatever its client does (fixed in undici 7). So the fetch transport is
 * checked here over undici 7's `fetch`, and over the global one only where it is undici 7 or later;
 * what is ours to do on undici 6 — no abort of our own at the refusal — is pinned in
 * transport-fetch.test.ts.
 */
const codingLimitTransports: [string, Transport][] = [
  ["node:http", createNodeTransport()],
  ["fetch (undici 7)", createFetchTransport(undici7Fetch)],
  ...(Number(process.versions.undici?.split(".")[0]) >= 7
    ? [["fetch (global)", createFetchTransport(globalThis.fetch)] as [string, Transport]]
    : []),
];

describe.each(codingLimitTransports)("content codings, at most five (%s)", (_name, transport) => {
  test("more than five are a ProtocolError, read in full or streamed; nothing escapes", async () => {
    const server = await serve((req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip,gzip,gzip,gzip,gzip,gzip" });
      res.flushHeaders();
      // the body arrives after the refusal, or the connection is cut
      setTimeout(() => (req.url === "/late" ? res.end(BODY) : res.socket?.destroy()), 30);
    });
    for (const stream of [false, true]) {
      const error = await failure(transport(wire(`${server.url}/late`, { stream })));
      expect(error).toBeInstanceOf(ProtocolError);
      expect(error.message).toBe("too many content codings (more than 5)");
      // cut: refused at the headers (fetch), or a network error before the body was read (node:http)
      expect(await failure(transport(wire(`${server.url}/cut`, { stream })))).toBeInstanceOf(Error);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(escaped).toEqual([]);
  });

  test("five are decoded", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-encoding": "gzip, GZIP ,x-gzip,gzip,gzip" });
      res.end(gzipSync(gzipSync(gzipSync(gzipSync(gzipSync(BODY))))));
    });
    expect(text(await transport(wire(server.url)))).toBe(BODY);
  });
});

describe("request URL targets (parsed once per origin)", () => {
  test("the fast path agrees with WHATWG URL for any path and query", () => {
    const origin = "http://127.0.0.1:4567";
    const chars = fc.constantFrom(..."/.%2eE?#&=:@!$'()*+,;[]^_`{|}~\\\"<> \tazAZ09-é✓".split(""));
    fc.assert(
      fc.property(fc.string({ unit: chars, maxLength: 30 }), fc.boolean(), (rest, primed) => {
        if (primed) targetOf(`${origin}/`); // the origin is known: the fast path may answer
        const url = `${origin}/${rest}`;
        let parsed: URL;
        try {
          parsed = new URL(url);
        } catch {
          expect(targetOf(url)).toBeInstanceOf(RequestSetupError);
          return;
        }
        expect(targetOf(url)).toEqual(targetOfUrl(parsed));
      }),
      { seed: 7, numRuns: 2000 },
    );
  });

  test("other origins, default ports, credentials, IPv6", () => {
    for (const url of [
      "http://127.0.0.1:4567/a",
      "http://127.0.0.1:80/a",
      "HTTP://LOCALHOST:8080/a?b",
      "https://[::1]:443/x",
    ]) {
      targetOf(url);
      expect(targetOf(url)).toEqual(targetOfUrl(new URL(url)));
    }
    expect(targetOf("http://127.0.0.1:4567@127.0.0.1/x")).toBeInstanceOf(RequestSetupError);
    expect(targetOf("http://user:pw@127.0.0.1/x")).toBeInstanceOf(RequestSetupError);
    expect((targetOf("http://[::1]:8080/x") as { hostname: string }).hostname).toBe("::1");
    // the Host header the Node transport sends: brackets kept, a default port left out
    for (const [url, host] of [
      ["http://[::1]:8080/x", "[::1]:8080"],
      ["http://127.0.0.1:80/a", "127.0.0.1"],
      ["https://LOCALHOST:443/a", "localhost"],
      ["https://127.0.0.1:8443/a", "127.0.0.1:8443"],
    ] as const) {
      targetOf(url);
      expect((targetOf(url) as { host: string }).host).toBe(host);
    }
  });
});
