import { fakeClock, json, startServer, type TestServer, track, until } from "@org/testing";
import { afterEach, describe, expect, test, vi } from "vitest";
import { AbortError, ConnectionError, TimeoutError } from "../src/index.js";
import { getItem, rejection, testClient } from "./support.js";

/** What a pending promise has come to so far, for tests that must not await it yet. */
function timeoutAndCancellationTests(transport: string): void {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
    vi.restoreAllMocks();
  });
  const clock = fakeClock();

  const silent = () => startServer(() => new Promise<void>(() => {})); // never answers

  describe(`timeouts (${transport})`, () => {
    test("a server that never answers: each attempt times out after timeoutMs, with a backoff between", async () => {
      clock.start();
      vi.spyOn(Math, "random").mockReturnValue(0.4); // first backoff: 500 ms × (1 − 0.4 × 25 %) = 450 ms
      server = await silent();
      const call = track(testClient(server.url, { timeoutMs: 150, maxRetries: 1 }).call(getItem, { id: "1" }));
      await until(() => server?.requests.length === 1, "the first attempt");
      await clock.advance(149);
      expect(call.settled).toBe(false);
      await clock.advance(1); // attempt 1 times out and the client waits 450 ms
      await clock.armed(450);
      await clock.advance(449);
      expect(server.requests).toHaveLength(1);
      await clock.advance(1);
      await until(() => server?.requests.length === 2, "the second attempt");
      expect((server.requests[1]?.at ?? 0) - (server.requests[0]?.at ?? 0)).toBe(150 + 450);
      await clock.advance(149);
      expect(call.settled).toBe(false);
      await clock.advance(1);
      await until(() => call.settled, "the call to fail");
      expect(call.error).toBeInstanceOf(TimeoutError);
      expect(call.error).toBeInstanceOf(ConnectionError);
      expect((call.error as Error).message).toContain("150 ms");
      expect(server.requests).toHaveLength(2);
    });

    test("per-call timeoutMs overrides the client's", async () => {
      clock.start();
      server = await silent();
      const call = track(
        testClient(server.url, { timeoutMs: 60_000, maxRetries: 0 }).call(getItem, { id: "1" }, { timeoutMs: 100 }),
      );
      await until(() => server?.requests.length === 1, "the request");
      await clock.advance(99);
      expect(call.settled).toBe(false);
      await clock.advance(1);
      await until(() => call.settled, "the call to time out");
      expect(call.error).toBeInstanceOf(TimeoutError);
      expect((call.error as Error).message).toContain("100 ms");
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
      clock.start();
      server = await silent();
      const call = track(testClient(server.url, { maxRetries: 0 }).call(getItem, { id: "1" }));
      await until(() => server?.requests.length === 1, "the request");
      await clock.advance(59_999);
      expect(call.settled, "settled before 60 s").toBe(false);
      await clock.advance(1);
      await until(() => call.settled, "the call to time out at 60 s");
      expect(call.error).toBeInstanceOf(TimeoutError);
      expect((call.error as Error).message).toContain("60000 ms");
      expect(server.requests).toHaveLength(1);
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
      clock.start();
      server = await silent();
      const controller = new AbortController();
      const call = track(testClient(server.url).call(getItem, { id: "1" }, { signal: controller.signal }));
      await until(() => server?.requests.length === 1, "the request");
      controller.abort();
      // at once: without the clock moving
      await until(() => call.settled, "the call to end on abort");
      expect(call.error).toBeInstanceOf(AbortError);
      await clock.advance(60_000);
      expect(server.requests).toHaveLength(1);
    });

    test("aborting during the backoff stops the wait and sends nothing more", async () => {
      clock.start();
      server = await startServer((_req, res) => json(res, 503, {}, { "retry-after": "30" }));
      const controller = new AbortController();
      const call = track(testClient(server.url).call(getItem, { id: "1" }, { signal: controller.signal }));
      await clock.armed(30_000);
      await clock.advance(10_000);
      expect(call.settled).toBe(false);
      controller.abort();
      await until(() => call.settled, "the call to end on abort");
      expect(call.error).toBeInstanceOf(AbortError);
      expect((call.error as Error).message).toContain("waiting to retry");
      await clock.advance(60_000);
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

timeoutAndCancellationTests(process.env.ORG_TEST_TRANSPORT ?? "default");
