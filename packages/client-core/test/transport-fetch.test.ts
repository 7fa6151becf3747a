/**
 * The fetch transport only: what it hands to `fetch` and gets back, how it maps what `fetch`
 * raises, and that it settles by the deadline even over a `fetch` that ignores its signal. What
 * both transports share is in transport-shared.test.ts.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { hostileServerForFile, json, recordEscapes, serve } from "@org/testing";
import { afterEach, describe, expect, test } from "vitest";
import { createFetchTransport } from "../src/transport-fetch.js";
import { ProtocolError, TimeoutReason, type WireRequest, type WireResponse } from "../src/wire.js";

function wire(url: string, init: Partial<WireRequest> = {}): WireRequest {
  return { method: "GET", url, headers: {}, body: undefined, signal: undefined, deadline: Date.now() + 5000, ...init };
}

async function failure(call: Promise<WireResponse>): Promise<Error & { cause?: Error & { code?: string } }> {
  return call.then(
    (response) => {
      throw new Error(`expected a rejection, got status ${response.status}`);
    },
    (error: Error & { cause?: Error & { code?: string } }) => error,
  );
}

/** A `fetch` that records what it is given and answers with `answer` (by default: never). */
function spyFetch(answer: (init: RequestInit) => Promise<Response> = () => new Promise<Response>(() => {})) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchImpl = ((url: string, init: RequestInit) => {
    calls.push({ url, init });
    return answer(init);
  }) as typeof fetch;
  return { fetchImpl, calls };
}

const escaped = recordEscapes();
const hostile = hostileServerForFile();
// servers from `serve` (@org/testing) are closed after each test
afterEach(() => {
  expect(escaped).toEqual([]);
});

describe("fetch transport", () => {
  test("resolves with the platform Response, its body already read", async () => {
    const server = await serve((_req, res) => json(res, 200, { ok: true }));
    const wireResponse = await createFetchTransport(globalThis.fetch)(wire(server.url));
    expect(wireResponse.response).toBeInstanceOf(Response);
    expect(wireResponse.response?.bodyUsed).toBe(true);
    expect(wireResponse.headers).toBe(wireResponse.response?.headers);
    expect(wireResponse.body).toBe('{"ok":true}');
  });

  test("reads JSON as text, anything else as bytes (a text in another charset is not decoded)", async () => {
    const latin1 = Buffer.from("caf\u00e9;na\u00efve\n", "latin1");
    const server = await serve((req, res) => {
      const types: Record<string, string> = {
        "/json": "application/json; charset=utf-8",
        "/problem": "application/problem+json",
        "/csv": "text/csv; charset=windows-1252",
        "/binary": "application/octet-stream",
        "/none": "",
      };
      const type = types[req.url ?? ""] ?? "";
      if (type) res.setHeader("content-type", type);
      res.end(type.includes("json") ? '{"é":1}' : latin1);
    });
    const transport = createFetchTransport(globalThis.fetch);
    for (const path of ["/json", "/problem"]) {
      expect((await transport(wire(`${server.url}${path}`))).body).toBe('{"é":1}');
    }
    for (const path of ["/csv", "/binary", "/none"]) {
      const { body } = await transport(wire(`${server.url}${path}`));
      expect(body).toBeInstanceOf(Uint8Array);
      expect(Buffer.compare(Buffer.from(body as Uint8Array), latin1)).toBe(0);
    }
  });

  test("passes fetchOptions on, under its own method, headers, body, signal and redirect", async () => {
    const { fetchImpl, calls } = spyFetch(async () => new Response("{}", { status: 200 }));
    const foreign = new AbortController().signal;
    const transport = createFetchTransport(fetchImpl, {
      cache: "no-store",
      keepalive: true,
      redirect: "manual",
      signal: foreign,
      method: "DELETE",
    });
    await transport(
      wire("http://127.0.0.1:9/x?y=1", { method: "POST", headers: { "content-type": "text/plain" }, body: "hi" }),
    );
    const { url, init } = calls[0] as { url: string; init: RequestInit };
    expect(url).toBe("http://127.0.0.1:9/x?y=1");
    expect(init).toMatchObject({
      cache: "no-store",
      keepalive: true,
      redirect: "follow",
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "hi",
    });
    expect(init.signal).toBeInstanceOf(AbortSignal);
    expect(init.signal).not.toBe(foreign);
  });

  test("a fetch that ignores its signal still settles at the deadline, and its signal is aborted", async () => {
    const { fetchImpl, calls } = spyFetch();
    const started = Date.now();
    const error = await failure(
      createFetchTransport(fetchImpl)(wire("http://127.0.0.1:9/", { deadline: started + 80 })),
    );
    expect(error).toBeInstanceOf(TimeoutReason);
    expect(Date.now() - started).toBeLessThan(80 + 400);
    const signal = calls[0]?.init.signal as AbortSignal;
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(error);
  });

  test("the caller's abort aborts the fetch with the caller's reason", async () => {
    const { fetchImpl, calls } = spyFetch();
    const controller = new AbortController();
    const reason = new Error("enough");
    setTimeout(() => controller.abort(reason), 20);
    const error = await failure(
      createFetchTransport(fetchImpl)(wire("http://127.0.0.1:9/", { signal: controller.signal })),
    );
    expect(error).toBe(reason);
    expect(calls[0]?.init.signal?.reason).toBe(reason);
  });

  test("a fetch that throws synchronously, or resolves with no Response, gives a rejection", async () => {
    const boom = new TypeError("sync boom");
    const throwing = (() => {
      throw boom;
    }) as unknown as typeof fetch;
    expect(await failure(createFetchTransport(throwing)(wire("http://127.0.0.1:9/")))).toBe(boom);
    const odd = (async () => ({}) as Response) as typeof fetch;
    expect(await failure(createFetchTransport(odd)(wire("http://127.0.0.1:9/")))).toBeInstanceOf(ProtocolError);
  });

  test("a refused connection is fetch's own TypeError (a network error)", async () => {
    const probe: Server = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const error = await failure(createFetchTransport(globalThis.fetch)(wire(`http://127.0.0.1:${port}/`)));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.cause?.code).toBe("ECONNREFUSED");
  });
});

describe("a coding list fetch would not decode", () => {
  // undici (6 and 7) decodes nothing when a list mixes `identity` or an empty entry with codings,
  // and hands over the gzip bytes as the body: refused rather than passed on as data
  test.each(["gzip, identity", "identity, gzip", "gzip,", ",br"])("%j is a ProtocolError", async (coding) => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream", "content-encoding": coding });
      res.end(gzipSync("the file"));
    });
    for (const stream of [false, true]) {
      const error = await failure(createFetchTransport(globalThis.fetch)(wire(server.url, { stream })));
      expect(error).toBeInstanceOf(ProtocolError);
      expect(error.message).toMatch(/^content codings listed with "identity" or an empty entry/);
    }
  });

  test("identity alone, and codings alone, are read as before", async () => {
    const server = await serve((req, res) => {
      const coded = req.url === "/coded";
      res.writeHead(200, { "content-encoding": coded ? " GZIP , gzip" : "identity" });
      res.end(coded ? gzipSync(gzipSync("the file")) : "the file");
    });
    for (const path of ["/coded", "/identity"]) {
      const response = await createFetchTransport(globalThis.fetch)(wire(`${server.url}${path}`));
      expect(new TextDecoder().decode(response.body as Uint8Array)).toBe("the file");
    }
  });
});

describe("a response that has no body, sent with one that never ends", () => {
  // undici 6 (Node 20's fetch) resolves a 204, 205 or 304 with an empty body, then goes on
  // reading the body the server sent anyway: one that never ends held the connection (and the
  // process) forever. The transport stops the exchange once the call resolved.
  test.each([
    [204, false],
    [205, false],
    [304, false],
    [204, true],
    [205, true],
  ])("%i (stream: %s): the connection is closed once the call resolved", async (status, stream) => {
    const closed: Promise<void>[] = [];
    const server = createServer();
    server.on("connection", (socket) => {
      closed.push(new Promise<void>((resolve) => socket.on("close", () => resolve())));
      socket.once("data", () => socket.write(`HTTP/1.1 ${status} X\r\ncontent-length: 10\r\n\r\nabc`));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await createFetchTransport(globalThis.fetch)(wire(`http://127.0.0.1:${port}/`, { stream }));
      expect(response.status).toBe(status);
      // a stream nobody reads (stream: true) must not hold the connection either
      if (!stream) expect(response.body).toEqual(new Uint8Array(0));
      const timeout = new Promise<string>((resolve) => setTimeout(() => resolve("still open"), 2000));
      expect(await Promise.race([closed[0]?.then(() => "closed"), timeout])).toBe("closed");
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe("more than five content codings on the platform's fetch", () => {
  // Node 20's fetch (undici 6) refuses such a response after creating its body stream, with no
  // error listener on it: an abort at the refusal destroyed that stream with an error nobody
  // handled, an uncaught exception (see transport-shared.test.ts for the limit itself)
  test("the refusal is a ProtocolError, not followed by an abort: the body arriving later escapes nowhere", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip,gzip,gzip,gzip,gzip,gzip" });
      res.flushHeaders();
      setTimeout(() => res.end("{}"), 30);
    });
    const transport = createFetchTransport(globalThis.fetch);
    for (const stream of [false, true]) {
      const error = await failure(transport(wire(server.url, { stream })));
      expect(error).toBeInstanceOf(ProtocolError);
      expect(error.message).toBe("too many content codings (more than 5)");
    }
    // the bodies arrive and end before the server is closed (afterEach: nothing escaped)
    await new Promise((resolve) => setTimeout(resolve, 150));
  });
});

// What the mapping relies on: if undici changes these, the fetch transport's mapping must follow.
describe("what undici's fetch does with a hostile server", () => {
  test("status 999 resolves (no error): the transport must check the range itself", async () => {
    const response = await fetch(hostile.scriptUrl([{ status: 999, body: "x" }]));
    expect(response.status).toBe(999);
    await response.arrayBuffer();
  });

  test.each([
    ["http://", "ERR_INVALID_URL"],
    ["ftp://127.0.0.1/", undefined],
  ])("a redirect to %j rejects with TypeError('fetch failed') and a cause", async (location, code) => {
    const error = await fetch(hostile.scriptUrl([{ status: 302, headers: [["location", location]] }])).then(
      () => undefined,
      (thrown: Error & { cause?: Error & { code?: string } }) => thrown,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(error?.message).toBe("fetch failed");
    if (code) expect(error?.cause?.code).toBe(code);
    else expect(error?.cause?.message).toBe("URL scheme must be a HTTP(S) scheme");
  });

  test("a redirect loop rejects with the cause 'redirect count exceeded'", async () => {
    const error = await fetch(hostile.scriptUrl([{ status: 302, headers: [["location", "0"]] }])).then(
      () => undefined,
      (thrown: Error & { cause?: Error }) => thrown,
    );
    expect(error?.cause?.message).toBe("redirect count exceeded");
  });

  test("a corrupt gzip body fails the read with a zlib error as cause", async () => {
    const response = await fetch(
      hostile.scriptUrl([{ headers: [["content-encoding", "gzip"]], body: "not gzip at all" }]),
    );
    const error = await response.arrayBuffer().then(
      () => undefined,
      (thrown: Error & { cause?: Error & { code?: string } }) => thrown,
    );
    expect(error?.cause?.code).toMatch(/^Z_/);
  });

  test("an invalid header value is reported with the value in the message", async () => {
    const error = await fetch(hostile.scriptUrl([{}]), { headers: { authorization: "Bearer sk_1\nX" } }).then(
      () => undefined,
      (thrown: Error) => thrown,
    );
    expect(error?.message).toContain("sk_1");
  });
});
