// Regression tests, end to end through the engine on the vitest project's transport, for the
// responses that used to crash the host process or hang a call: each settles with a typed error
// (or the right value), and nothing is thrown outside the call.
import { brotliCompressSync, gzipSync } from "node:zlib";
import { recordEscapes, startServer, type TestServer } from "@org/testing";
import { afterEach, describe, expect, test } from "vitest";
import { InvalidResponseError } from "../src/index.js";
import { getItem, rejection, testClient } from "./support.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

// anything thrown outside a call (an event handler, a timer) lands here instead of killing vitest
const stray = recordEscapes();
afterEach(async () => {
  await new Promise((r) => setTimeout(r, 20)); // let a stray timer or handler fire
  expect(stray).toEqual([]);
});

const transport = process.env.ORG_TEST_TRANSPORT ?? "default";

describe(`hostile responses (${transport} transport)`, () => {
  test("status 999: InvalidResponseError, not retried", async () => {
    server = await startServer((req, res) => {
      // node:http refuses to write 999 itself: answer on the raw socket
      req.socket.end("HTTP/1.1 999 Weird\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}");
      res.on("error", () => {});
    });
    const error = await rejection(testClient(server.url, { maxRetries: 2 }).call(getItem, { id: "1" }));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toContain("invalid HTTP status 999");
    expect(server.requests).toHaveLength(1);
  });

  test("302 to `http://` (no host): a typed error, never an uncaught Invalid URL", async () => {
    server = await startServer((_req, res) => {
      res.writeHead(302, { location: "http://" });
      res.end();
    });
    const error = await rejection(testClient(server.url, { maxRetries: 2 }).call(getItem, { id: "1" }));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toMatch(/invalid Location/);
    expect(server.requests).toHaveLength(1);
  });

  test("a redirect loop A → B → A ends with a typed error well within the deadline", async () => {
    server = await startServer((req, res) => {
      res.writeHead(302, { location: req.url?.startsWith("/a") ? "/b" : "/a" });
      res.end();
    });
    const started = Date.now();
    const error = await rejection(
      testClient(server.url, { maxRetries: 0, timeoutMs: 5_000 }).call(getItem, { id: "1" }),
    );
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toContain("too many redirects");
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(server.requests).toHaveLength(21); // the first request and 20 hops, no retry
  });

  test("Content-Encoding: gzip, br is decoded in full", async () => {
    const value = { ok: true, text: "ünï".repeat(100) };
    const encoded = brotliCompressSync(gzipSync(Buffer.from(JSON.stringify(value))));
    server = await startServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip, br" });
      res.end(encoded);
    });
    expect(await testClient(server.url).call(getItem, { id: "1" })).toEqual(value);
  });

  test("an unknown content coding: InvalidResponseError, not retried", async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "x-unheard-of" });
      res.end("{}");
    });
    const error = await rejection(testClient(server.url, { maxRetries: 2 }).call(getItem, { id: "1" }));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toContain('unsupported content coding "x-unheard-of"');
    expect(server.requests).toHaveLength(1);
  });
});
