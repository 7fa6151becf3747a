import { json, startServer, type TestServer } from "@org/testing";
import { afterEach, describe, expect, test } from "vitest";
import { AbortError, ConnectionError, TimeoutError } from "../src/index.js";
import { getItem, rejection, testClient } from "./support.js";

/** The timeout and cancellation rules, run once per transport (global fetch, and the Node transport). */
export function timeoutAndCancellationTests(transport: string): void {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const silent = () => startServer(() => new Promise<void>(() => {})); // never answers

  describe(`timeouts (${transport})`, () => {
    test("a server that never answers ends in a TimeoutError, each attempt timed out", async () => {
      server = await silent();
      const started = Date.now();
      const error = await rejection(
        testClient(server.url, { timeoutMs: 150, maxRetries: 1 }).call(getItem, { id: "1" }),
      );
      const elapsed = Date.now() - started;
      expect(error).toBeInstanceOf(TimeoutError);
      expect(error).toBeInstanceOf(ConnectionError);
      expect(error.message).toContain("150 ms");
      expect(server.requests).toHaveLength(2);
      // two attempts of 150 ms plus one backoff of 375..500 ms
      expect(elapsed).toBeGreaterThanOrEqual(2 * 150 + 375 - 20);
      expect(elapsed).toBeLessThan(2000);
    });

    test("per-call timeoutMs overrides the client's", async () => {
      server = await silent();
      const started = Date.now();
      await expect(
        testClient(server.url, { timeoutMs: 60_000, maxRetries: 0 }).call(getItem, { id: "1" }, { timeoutMs: 100 }),
      ).rejects.toBeInstanceOf(TimeoutError);
      expect(Date.now() - started).toBeLessThan(1000);
    });

    test("the timeout covers a body that stalls after the headers", async () => {
      server = await startServer((_req, res) => {
        res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
        res.write('{"partial":'); // and never finishes
      });
      await expect(
        testClient(server.url, { timeoutMs: 200, maxRetries: 0 }).call(getItem, { id: "1" }),
      ).rejects.toBeInstanceOf(TimeoutError);
    });

    test("the timeout covers a streamed (chunked) body that stalls", async () => {
      server = await startServer((_req, res) => {
        res.writeHead(200, { "content-type": "application/json" }); // no content-length: chunked
        res.write('{"partial":');
      });
      const started = Date.now();
      await expect(
        testClient(server.url, { timeoutMs: 200, maxRetries: 0 }).call(getItem, { id: "1" }),
      ).rejects.toBeInstanceOf(TimeoutError);
      expect(Date.now() - started).toBeLessThan(1500);
    });

    test("the default timeout is 60 s per attempt", async () => {
      server = await silent();
      const controller = new AbortController();
      const pending = rejection(
        testClient(server.url, { maxRetries: 0 }).call(getItem, { id: "1" }, { signal: controller.signal }),
      );
      await new Promise((r) => setTimeout(r, 300));
      controller.abort();
      // still pending after 300 ms: no short default; ended by the caller's abort
      expect(await pending).toBeInstanceOf(AbortError);
    });

    test("invalid timeoutMs / maxRetries are rejected before any request", async () => {
      server = await silent();
      expect(() => testClient(server?.url ?? "", { timeoutMs: -1 })).toThrow(/timeoutMs/);
      expect(() => testClient(server?.url ?? "", { maxRetries: 1.5 })).toThrow(/maxRetries/);
      await expect(testClient(server.url).call(getItem, { id: "1" }, { timeoutMs: 0 })).rejects.toThrow(/timeoutMs/);
      expect(server.requests).toHaveLength(0);
    });
  });

  describe(`cancellation (${transport})`, () => {
    test("aborting during the request rejects with AbortError at once, no retry", async () => {
      server = await silent();
      const controller = new AbortController();
      const started = Date.now();
      setTimeout(() => controller.abort(), 100);
      const error = await rejection(testClient(server.url).call(getItem, { id: "1" }, { signal: controller.signal }));
      expect(error).toBeInstanceOf(AbortError);
      expect(Date.now() - started).toBeLessThan(600);
      expect(server.requests).toHaveLength(1);
    });

    test("aborting during the backoff stops the wait and sends nothing more", async () => {
      server = await startServer((_req, res) => json(res, 503, {}, { "retry-after": "30" }));
      const controller = new AbortController();
      const started = Date.now();
      setTimeout(() => controller.abort(), 200);
      const error = await rejection(testClient(server.url).call(getItem, { id: "1" }, { signal: controller.signal }));
      expect(error).toBeInstanceOf(AbortError);
      expect(error.message).toContain("waiting to retry");
      expect(Date.now() - started).toBeLessThan(1000);
      await new Promise((r) => setTimeout(r, 100));
      expect(server.requests).toHaveLength(1);
    });

    test("an already aborted signal sends nothing", async () => {
      server = await silent();
      const error = await rejection(testClient(server.url).call(getItem, { id: "1" }, { signal: AbortSignal.abort() }));
      expect(error).toBeInstanceOf(AbortError);
      expect(server.requests).toHaveLength(0);
    });
  });
}
