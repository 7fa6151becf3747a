/**
 * The Node transport (`node:http` keep-alive, selected by the `node` export condition) against a
 * real local server: it must behave like `fetch` wherever the engine or a `raw` caller relies on it.
 * The engine tests at the end swap `transport.ts` for `transport-node.ts`, exactly as the `node`
 * build does, so they run the engine → openapi-fetch → Node transport path.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { json, startServer, type TestServer } from "@org/testing";
import createClient from "openapi-fetch";
import { afterEach, describe, expect, test, vi } from "vitest";
import { AbortError, ConnectionError, TimeoutError } from "../src/index.js";
import { createNodeTransport, defaultTransport, nodeFetch, TransportRequest } from "../src/transport-node.js";
import { responseClasses } from "../src/transport-response.js";
import { createItem, getItem, rejection, testClient } from "./support.js";

vi.mock("../src/transport.js", () => import("../src/transport-node.js"));

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const server = await startServer(handler);
  servers.push(server);
  return server;
}

/** A URL on which nothing listens (a port that was just free). */
async function closedPort(): Promise<string> {
  const probe: Server = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error as Error & { cause?: Error & { code?: string } },
  );

describe("Node transport", () => {
  test("reuses one keep-alive connection for sequential requests", async () => {
    const ports: number[] = [];
    const server = await serve((req, res) => {
      ports.push(req.socket.remotePort ?? 0);
      json(res, 200, { n: ports.length });
    });
    const transport = createNodeTransport();
    for (let i = 0; i < 5; i++) {
      const response = await transport(`${server.url}/n`);
      expect(await response.json()).toEqual({ n: i + 1 });
    }
    expect(new Set(ports).size).toBe(1);
  });

  test("resolves to a standard Response: status, headers, url, clone, single use", async () => {
    const server = await serve((_req, res) => json(res, 201, { ok: true }, { "x-request-id": "req_1" }));
    const response = await nodeFetch(`${server.url}/a?b=1`);
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(201);
    expect(response.ok).toBe(true);
    expect(response.statusText).toBe("Created");
    expect(response.headers.get("x-request-id")).toBe("req_1");
    expect(response.url).toBe(`${server.url}/a?b=1`);
    expect(response.redirected).toBe(false);
    const copy = response.clone();
    expect(await response.json()).toEqual({ ok: true });
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toThrow(TypeError);
    expect(new TextDecoder().decode(await copy.arrayBuffer())).toBe('{"ok":true}');
  });

  test("the body is also readable as a stream", async () => {
    const server = await serve((_req, res) => json(res, 200, { stream: 1 }));
    const response = await nodeFetch(server.url);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toBe('{"stream":1}');
    expect(response.bodyUsed).toBe(true);
  });

  test("sends a request body with its content-length, and gets it back", async () => {
    const server = await serve((req, res) => json(res, 200, { echo: JSON.parse(req.body) }));
    const body = JSON.stringify({ name: "ünïcode ✓", n: [1, 2, 3] });
    const response = await nodeFetch(`${server.url}/items`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    expect(await response.json()).toEqual({ echo: JSON.parse(body) });
    const received = server.requests[0];
    expect(received?.method).toBe("POST");
    expect(received?.headers["content-length"]).toBe(String(Buffer.byteLength(body)));
    expect(received?.headers["content-type"]).toBe("application/json");
    expect(received?.headers["transfer-encoding"]).toBeUndefined();
  });

  test("takes a standard Request too (url, method, headers, body)", async () => {
    const server = await serve((req, res) => json(res, 200, { got: req.body, auth: req.headers.authorization }));
    const request = new Request(`${server.url}/r`, {
      method: "PUT",
      headers: { authorization: "Bearer t" },
      body: "payload",
    });
    expect(await (await nodeFetch(request)).json()).toEqual({ got: "payload", auth: "Bearer t" });
  });

  test("an abort while waiting for the response rejects with the signal's reason", async () => {
    const server = await serve(() => new Promise<void>(() => {}));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await failure(nodeFetch(server.url, { signal: controller.signal }));
    expect(error).toBeInstanceOf(DOMException);
    expect(error.name).toBe("AbortError");
    const reason = new Error("custom reason");
    const again = new AbortController();
    setTimeout(() => again.abort(reason), 20);
    expect(await failure(nodeFetch(server.url, { signal: again.signal }))).toBe(reason);
  });

  test("an already aborted signal sends nothing", async () => {
    const server = await serve((_req, res) => json(res, 200, {}));
    const error = await failure(nodeFetch(server.url, { signal: AbortSignal.abort() }));
    expect(error.name).toBe("AbortError");
    expect(server.requests).toHaveLength(0);
  });

  test.each([
    ["with a content-length (read in full)", true],
    ["chunked (streamed)", false],
  ])("an abort in the middle of the body %s ends the call", async (_name, sized) => {
    const server = await serve((_req, res) => {
      res.writeHead(200, sized ? { "content-type": "application/json", "content-length": 100 } : {});
      res.write('{"partial":');
      // never ends
    });
    const controller = new AbortController();
    const reading = nodeFetch(server.url, { signal: controller.signal }).then((response) => response.text());
    setTimeout(() => controller.abort(), 80);
    const error = await failure(reading);
    expect(error.name).toBe("AbortError");
  });

  test("a connection reset is a TypeError with the socket error as cause, like fetch", async () => {
    const server = await serve((req) => {
      req.socket.destroy();
    });
    const error = await failure(nodeFetch(server.url));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe("fetch failed");
    expect(error.cause?.code).toBe("ECONNRESET");
  });

  test("a refused connection is a TypeError", async () => {
    const error = await failure(nodeFetch(await closedPort()));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.cause?.code).toBe("ECONNREFUSED");
  });

  test("a body cut short after the headers rejects with a TypeError", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-length": 100 });
      res.write("{");
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const error = await failure(nodeFetch(server.url));
    expect(error).toBeInstanceOf(TypeError);
  });

  test("asks for compression and decompresses gzip", async () => {
    const server = await serve((_req, res) => {
      const zipped = gzipSync(JSON.stringify({ zipped: "yes".repeat(100) }));
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      res.end(zipped);
    });
    const response = await nodeFetch(server.url);
    expect(await response.json()).toEqual({ zipped: "yes".repeat(100) });
    expect(server.requests[0]?.headers["accept-encoding"]).toContain("gzip");
  });

  test("follows redirects, and drops credentials when the origin changes", async () => {
    const other = await serve((req, res) => json(res, 200, { auth: req.headers.authorization ?? null }));
    const server = await serve((req, res) => {
      if (req.url === "/same") return json(res, 200, { auth: req.headers.authorization ?? null });
      res.writeHead(302, { location: req.url === "/away" ? `${other.url}/there` : "/same" });
      res.end();
    });
    const headers = { authorization: "Bearer secret" };
    const same = await nodeFetch(`${server.url}/here`, { headers });
    expect(same.redirected).toBe(true);
    expect(same.url).toBe(`${server.url}/same`);
    expect(await same.json()).toEqual({ auth: "Bearer secret" });
    const away = await nodeFetch(`${server.url}/away`, { headers });
    expect(await away.json()).toEqual({ auth: null });
    const manual = await nodeFetch(`${server.url}/here`, { redirect: "manual" });
    expect(manual.status).toBe(302);
  });

  test("openapi-fetch with the light TransportRequest: query, JSON body, headers", async () => {
    const server = await serve((req, res) =>
      json(res, 200, { method: req.method, url: req.url, body: req.body, type: req.headers["content-type"] }),
    );
    const client = createClient<{}>({ baseUrl: server.url, ...defaultTransport });
    const { data } = await (client as unknown as { POST: (p: string, o: object) => Promise<{ data: unknown }> }).POST(
      "/items",
      { params: { query: { q: "a b" } }, body: { name: "x" } },
    );
    expect(data).toEqual({ method: "POST", url: "/items?q=a%20b", body: '{"name":"x"}', type: "application/json" });
    expect(new TransportRequest("http://x/", {}) instanceof TransportRequest).toBe(true);
    expect(new Request("http://x/") instanceof TransportRequest).toBe(true);
  });
});

describe("the engine on the Node transport", () => {
  test("a GET and a POST round trip", async () => {
    const server = await serve((req, res) => json(res, 200, { method: req.method, body: req.body || null }));
    const client = testClient(server.url);
    const { data, response } = await client.call(getItem, { id: "1" }).withResponse();
    expect(data).toEqual({ method: "GET", body: null });
    expect(response).toBeInstanceOf(responseClasses().BufferedResponse); // made by the Node transport, not by fetch
    expect(await client.call(createItem, { name: "n" })).toEqual({ method: "POST", body: '{"name":"n"}' });
  });

  test("a timeout is a TimeoutError, a caller's abort an AbortError", async () => {
    const server = await serve(() => new Promise<void>(() => {}));
    const client = testClient(server.url, { maxRetries: 0 });
    expect(await rejection(client.call(getItem, { id: "1" }, { timeoutMs: 60 }))).toBeInstanceOf(TimeoutError);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    expect(await rejection(client.call(getItem, { id: "1" }, { signal: controller.signal }))).toBeInstanceOf(
      AbortError,
    );
  });

  test("a reset connection is a ConnectionError, retried for an idempotent call", async () => {
    const server = await serve((req, res, index) => {
      if (index === 0) req.socket.destroy();
      else json(res, 200, { ok: index });
    });
    expect(await testClient(server.url).call(getItem, { id: "1" })).toEqual({ ok: 1 });
    const refused = await rejection(testClient(await closedPort(), { maxRetries: 0 }).call(getItem, { id: "1" }));
    expect(refused).toBeInstanceOf(ConnectionError);
    expect(refused.message).toContain("ECONNREFUSED");
  });
});

describe("cold import", () => {
  test("importing the Node build loads neither http, TLS, zlib nor Node's fetch implementation", async () => {
    const { execFileSync } = await import("node:child_process");
    const { fileURLToPath } = await import("node:url");
    const entry = fileURLToPath(new URL("../dist/index.node.js", import.meta.url));
    // what the import pulled in: builtin modules and whether the global Response was touched
    const script = `
      let touched = false;
      const real = Object.getOwnPropertyDescriptor(globalThis, "Response");
      Object.defineProperty(globalThis, "Response", { configurable: true, get() { touched = true; return real.get ? real.get() : real.value; } });
      await import(${JSON.stringify(entry)});
      const loaded = process.moduleLoadList.filter((m) => /NativeModule (tls|zlib|https|http)$/.test(m));
      console.log(JSON.stringify({ touched, loaded }));`;
    const out = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }));
    expect(out).toEqual({ touched: false, loaded: [] });
  });
});
