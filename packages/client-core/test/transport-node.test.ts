/**
 * The node:http transport only: keep-alive, its agents, what Node's HTTP client does that fetch
 * does not (1xx, protocol switches, a synchronous throw from `http.request`), its own content
 * decoding, and lazy loading of node:http / node:https / node:zlib. What both transports share
 * is in transport-shared.test.ts.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { Agent } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import { type HostileAction, hostileServerForFile, json, recordEscapes, serve } from "@org/testing";
import { build } from "esbuild";
import { afterEach, describe, expect, test, vi } from "vitest";
import { createNodeTransport, defaultTransport } from "../src/transport-node.js";
import { ProtocolError, RequestSetupError, TimeoutReason, type WireRequest, type WireResponse } from "../src/wire.js";

function wire(url: string, init: Partial<WireRequest> = {}): WireRequest {
  return { method: "GET", url, headers: {}, body: undefined, signal: undefined, deadline: Date.now() + 5000, ...init };
}

async function failure(call: Promise<WireResponse>): Promise<Error & { code?: string }> {
  return call.then(
    (response) => {
      throw new Error(`expected a rejection, got status ${response.status}`);
    },
    (error: Error & { code?: string }) => error,
  );
}

/** The body as bytes: the Node transport always returns bytes. */
function bytes(response: WireResponse): Uint8Array {
  expect(response.body).toBeInstanceOf(Uint8Array);
  return response.body as Uint8Array;
}
const text = (response: WireResponse) => new TextDecoder().decode(bytes(response));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const escaped = recordEscapes();
const hostile = hostileServerForFile();

// servers from `serve` (@org/testing) are closed after each test
afterEach(() => {
  expect(escaped).toEqual([]);
});

describe("node:http transport", () => {
  test("sequential requests reuse one keep-alive connection", async () => {
    const ports: number[] = [];
    const server = await serve((req, res) => {
      ports.push(req.socket.remotePort ?? 0);
      json(res, 200, { n: ports.length });
    });
    const transport = createNodeTransport();
    for (let i = 0; i < 5; i++) expect(JSON.parse(text(await transport(wire(server.url))))).toEqual({ n: i + 1 });
    expect(new Set(ports).size).toBe(1);
  });

  test("the agents given are the ones used", async () => {
    const server = await serve((_req, res) => json(res, 200, {}));
    const httpAgent = new Agent({ keepAlive: true });
    const seen: string[] = [];
    // an undocumented method of Agent, called for every request it is given
    const addRequest = (httpAgent as unknown as { addRequest: (...args: unknown[]) => void }).addRequest.bind(
      httpAgent,
    );
    Object.assign(httpAgent, {
      addRequest: (...args: unknown[]) => {
        seen.push("request");
        addRequest(...args);
      },
    });
    await createNodeTransport({ httpAgent })(wire(server.url));
    expect(seen).toEqual(["request"]);
    httpAgent.destroy();
  });

  test("asks for gzip, deflate and br unless the caller chose", async () => {
    const server = await serve((req, res) => json(res, 200, { got: req.headers["accept-encoding"] }));
    expect(JSON.parse(text(await defaultTransport(wire(server.url)))).got).toBe("gzip, deflate, br");
    const chosen = await defaultTransport(wire(server.url, { headers: { "accept-encoding": "identity" } }));
    expect(JSON.parse(text(chosen)).got).toBe("identity");
  });

  test("the request head: one host, the caller's accept-encoding, framing from the body alone", async () => {
    // the head as sent, duplicates included (Node's server answers 400 to a duplicate content-length)
    const heads: { line: string; raw: string[] }[] = [];
    const ports = new Set<number>();
    const server = await serve((req, res) => {
      heads.push({ line: `${req.method} ${req.url} HTTP/${req.httpVersion}`, raw: req.rawHeaders });
      ports.add(req.socket.remotePort ?? 0);
      json(res, 200, {});
    });
    const url = `${server.url}/a?b=1`;
    const transport = createNodeTransport();
    await transport(wire(url, { headers: { accept: "application/json", "Accept-Encoding": "identity" } }));
    await transport(
      wire(url, {
        method: "POST",
        headers: { "Content-Length": "999", "transfer-encoding": "chunked", host: "api.example.test" },
        body: "héllo",
      }),
    );
    await transport(wire(url, { method: "DELETE", headers: { "content-length": "7" } }));
    const lines = (head: { raw: string[] }, name: string) =>
      head.raw.filter((_, i) => i % 2 === 1 && head.raw[i - 1]?.toLowerCase() === name);
    const [get, post, del] = heads as [(typeof heads)[0], (typeof heads)[0], (typeof heads)[0]];
    expect(get.line).toBe("GET /a?b=1 HTTP/1.1");
    expect(lines(get, "host")).toEqual([new URL(server.url).host]);
    expect(lines(get, "accept-encoding")).toEqual(["identity"]);
    expect(lines(get, "accept")).toEqual(["application/json"]);
    expect(lines(get, "connection")).toEqual(["keep-alive"]);
    expect(lines(get, "content-length")).toEqual([]);
    expect(lines(post, "host")).toEqual(["api.example.test"]);
    expect(lines(post, "accept-encoding")).toEqual(["gzip, deflate, br"]);
    expect(lines(post, "content-length")).toEqual([String(Buffer.byteLength("héllo"))]);
    expect(lines(post, "transfer-encoding")).toEqual([]);
    expect(lines(del, "content-length")).toEqual(["0"]);
    expect(ports.size).toBe(1); // all three on one keep-alive connection
  });

  test("http.request throwing synchronously is a RequestSetupError; nothing fires later", async () => {
    const httpAgent = new Agent();
    Object.assign(httpAgent, {
      addRequest: () => {
        throw new Error("agent exploded with Bearer sk_secret");
      },
    });
    const error = await failure(
      createNodeTransport({ httpAgent })(wire("http://127.0.0.1:9/", { deadline: Date.now() + 50 })),
    );
    expect(error).toBeInstanceOf(RequestSetupError);
    expect(error.message).not.toContain("sk_secret");
    await sleep(100); // past the deadline: the timer was released, nothing touches the request
    expect(escaped).toEqual([]);
  });

  test("1xx: interim responses are skipped; a final 101, a protocol switch, or a status below 100 are ProtocolErrors", async () => {
    const interim = await defaultTransport(wire(hostile.scriptUrl([{ interim: [100, 102, 103], body: "final" }])));
    expect([interim.status, text(interim)]).toEqual([200, "final"]);
    const cases: HostileAction[] = [
      { status: 101, framing: "close" },
      {
        status: 101,
        headers: [
          ["upgrade", "websocket"],
          ["connection", "upgrade"],
        ],
        framing: "none",
        body: "frames",
      },
      { status: 99, body: "{}" },
    ];
    for (const action of cases) {
      const started = Date.now();
      const error = await failure(defaultTransport(wire(hostile.scriptUrl([action]), { deadline: started + 2000 })));
      expect(error).toBeInstanceOf(ProtocolError);
      expect(Date.now() - started).toBeLessThan(1000);
    }
  });

  test("a response both erroring and arriving (data after Connection: close) settles once", async () => {
    const script: HostileAction[] = [{ status: 204, headers: [["connection", "close"]], framing: 5, body: "hello" }];
    for (let i = 0; i < 5; i++) {
      const outcome = await defaultTransport(wire(hostile.scriptUrl(script))).then(
        (response) => response.status,
        (error: Error) => error.constructor.name,
      );
      expect([204, "Error"]).toContain(outcome);
    }
    await sleep(20);
    expect(escaped).toEqual([]);
  });

  test("response headers behave as a Headers filled with every raw header, however they are read", async () => {
    const raw: [string, string][] = [
      ["X-Request-Id", "req_1"],
      ["Set-Cookie", "a=1"],
      ["set-cookie", "b=2"],
      ["X-Dup", "one"],
      ["x-dup", " two\t"],
      ["Content-Type", "application/json"],
      ["X-Latin", "caf\u00e9"],
    ];
    const script: HostileAction[] = [{ headers: raw, body: "{}" }];
    const expected = new Headers();
    for (const [name, value] of raw) expected.append(name, value);
    expected.set("content-length", "2");
    const read = async () => (await defaultTransport(wire(hostile.scriptUrl(script)))).headers;
    const entries = (headers: Headers) => [...new Headers(headers)];

    const first = await read();
    expect(first).toBeInstanceOf(Headers);
    for (const name of ["x-request-id", "X-DUP", "set-cookie", "x-latin", "content-length", "absent"]) {
      expect(first.get(name)).toBe(expected.get(name));
      expect(first.has(name)).toBe(expected.has(name));
    }
    expect(() => first.get("bad name")).toThrow(TypeError);
    expect(entries(first)).toEqual(entries(expected));
    // every other way in: the copy constructor, a Response, iteration, forEach, getSetCookie, inspect
    expect(entries(new Response(null, { headers: await read() }).headers)).toEqual(entries(expected));
    expect([...(await read())]).toEqual([...expected]);
    const seen: string[] = [];
    (await read()).forEach((value, name) => {
      seen.push(`${name}=${value}`);
    });
    expect(seen).toEqual([...expected].map(([name, value]) => `${name}=${value}`));
    expect((await read()).getSetCookie()).toEqual(["a=1", "b=2"]);
    expect(Object.fromEntries(await read())).toEqual(Object.fromEntries(expected));
    const { inspect } = await import("node:util");
    expect(inspect(await read())).toBe(inspect(expected));
    // mutations after a lookup
    const mutated = await read();
    expect(mutated.get("x-dup")).toBe("one, two");
    mutated.set("x-dup", "three");
    mutated.delete("x-request-id");
    mutated.append("x-new", "n");
    expect([mutated.get("x-dup"), mutated.get("x-request-id"), mutated.get("x-new")]).toEqual(["three", null, "n"]);
  });

  test("deflate, zlib-wrapped or raw; identity in a list; an empty coded body", async () => {
    const body = JSON.stringify({ deflated: "yes".repeat(50) });
    const server = await serve((req, res) => {
      const answers: Record<string, [string, Uint8Array | string]> = {
        "/zlib": ["deflate", deflateSync(body)],
        "/raw": ["deflate", deflateRawSync(body)],
        "/list": ["identity, gzip", gzipSync(body)],
        "/repeated": ["gzip", gzipSync(gzipSync(body))],
        "/empty": ["gzip", ""],
      };
      const [coding, data] = answers[req.url ?? ""] ?? ["", ""];
      if (req.url === "/repeated") res.setHeader("content-encoding", ["gzip", coding]);
      else res.setHeader("content-encoding", coding);
      res.end(data);
    });
    for (const path of ["/zlib", "/raw", "/list", "/repeated"]) {
      expect(text(await defaultTransport(wire(`${server.url}${path}`)))).toBe(body);
    }
    expect(bytes(await defaultTransport(wire(`${server.url}/empty`))).byteLength).toBe(0);
  });

  test("a truncated gzip body is a ProtocolError (fetch accepts the part it got)", async () => {
    const zipped = gzipSync(JSON.stringify({ data: "z".repeat(1000) }));
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-encoding": "gzip" });
      res.end(zipped.subarray(0, zipped.length - 8));
    });
    expect(await failure(defaultTransport(wire(server.url)))).toBeInstanceOf(ProtocolError);
  });

  test("a redirect to https loads node:https on the way; a TLS failure is a network error", async () => {
    const server = await serve((req, res) => {
      res.writeHead(302, { location: `https://127.0.0.1:${req.socket.localPort}/tls` });
      res.end();
    });
    const error = await failure(createNodeTransport()(wire(server.url, { deadline: Date.now() + 3000 })));
    expect(error).toBeInstanceOf(Error);
    expect([ProtocolError, TimeoutReason, RequestSetupError].some((type) => error instanceof type)).toBe(false);
  });

  test("calls under way time out each at its own deadline, in any order, while others succeed", async () => {
    const stalled = hostile.scriptUrl([{ delayMs: "never" }]);
    const quick = hostile.scriptUrl([{ delayMs: 20, body: "ok" }]);
    const started = Date.now();
    const budgets = [300, 100, 250, 50, 400, 150];
    const timedOut = budgets.map((budget) =>
      defaultTransport(wire(stalled, { deadline: started + budget })).then(
        () => Number.NaN,
        (error: unknown) => (error instanceof TimeoutReason ? Date.now() - started : Number.NaN),
      ),
    );
    // in between: calls that succeed and leave the list from its middle
    const succeeded = await Promise.all(
      [0, 1, 2].map(() => defaultTransport(wire(quick, { deadline: started + 200 }))),
    );
    expect(succeeded.map((response) => response.status)).toEqual([200, 200, 200]);
    const at = await Promise.all(timedOut);
    for (const [i, budget] of budgets.entries()) {
      expect(at[i]).toBeGreaterThanOrEqual(budget - 2);
      expect(at[i]).toBeLessThan(budget + 200);
    }
  });

  test("deadlines still fire after a test switched fake timers on and off", async () => {
    const stalled = hostile.scriptUrl([{ delayMs: "never" }]);
    await defaultTransport(wire(hostile.scriptUrl([{ body: "warm" }]))); // Node's modules loaded: no await below
    vi.useFakeTimers();
    let first: Promise<Error>;
    try {
      // the shared timer is set with the fake setTimeout, which will never fire
      first = failure(defaultTransport(wire(stalled, { deadline: Date.now() + 100 })));
    } finally {
      vi.useRealTimers();
    }
    // a later deadline than the fake timer's: it must be set again, with the real setTimeout
    const started = Date.now();
    const error = await failure(defaultTransport(wire(stalled, { deadline: started + 300 })));
    expect(error).toBeInstanceOf(TimeoutReason);
    expect(Date.now() - started).toBeLessThan(800);
    expect(await first).toBeInstanceOf(TimeoutReason);
  }, 5000);

  test("a deadline beyond setTimeout's range does not fire at once", async () => {
    const server = await serve(async (_req, res) => {
      await sleep(30);
      json(res, 200, { ok: true });
    });
    const response = await defaultTransport(wire(server.url, { deadline: Date.now() + 3_000_000_000 }));
    expect(response.status).toBe(200);
  });
});

describe("cold import", () => {
  test("importing the transport loads neither node:http, TLS nor zlib, and does not touch Headers", async () => {
    const dir = await mkdtemp(join(tmpdir(), "transport-node-cold-"));
    try {
      const bundle = join(dir, "transport-node.mjs");
      await build({
        entryPoints: [fileURLToPath(new URL("../src/transport-node.ts", import.meta.url))],
        bundle: true,
        format: "esm",
        platform: "node",
        outfile: bundle,
        logLevel: "silent",
      });
      const script = join(dir, "probe.mjs");
      await writeFile(
        script,
        `let touched = false;
        for (const name of ["Headers", "Response", "fetch"]) {
          const real = Object.getOwnPropertyDescriptor(globalThis, name);
          Object.defineProperty(globalThis, name, { configurable: true, get() { touched = true; return real.get ? real.get() : real.value; } });
        }
        const before = performance.now();
        const module = await import(${JSON.stringify(bundle)});
        const ms = performance.now() - before;
        const loaded = process.moduleLoadList.filter((m) => /NativeModule (tls|zlib|https|http|_http_client|net)$/.test(m));
        console.log(JSON.stringify({ touched, loaded, exports: Object.keys(module).sort(), ms }));`,
      );
      const out = await new Promise<string>((resolve, reject) =>
        execFile(process.execPath, [script], { encoding: "utf8" }, (error, stdout) =>
          error ? reject(error) : resolve(stdout),
        ),
      );
      const result = JSON.parse(out) as { touched: boolean; loaded: string[]; exports: string[]; ms: number };
      expect({ ...result, ms: undefined }).toEqual({
        touched: false,
        loaded: [],
        exports: ["createNodeTransport", "defaultTransport"],
        ms: undefined,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
