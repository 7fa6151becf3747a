import { fakeClock, json, startServer, type TestServer, track, until } from "@org/testing";
import { afterEach, describe, expect, test, vi } from "vitest";
import { ConflictError, ConnectionError, InternalServerError, NotFoundError, RateLimitError } from "../src/index.js";
import { backoffDelayMs, serverRetryDelayMs } from "../src/retry.js";
import { createItem, getItem, rejection, testClient } from "./support.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  vi.restoreAllMocks();
});

/** Answers the first `failures` requests with `status` (and headers), then 200. */
async function failThenSucceed(failures: number, status: number, headers: Record<string, string> = {}) {
  server = await startServer((_req, res, i) => {
    if (i < failures) json(res, status, { error: "nope" }, headers);
    else json(res, 200, { ok: true, attempt: i + 1 });
  });
  return server;
}

const fast = { "retry-after-ms": "5" };

describe("retries", () => {
  test.each([408, 409, 429, 500, 502, 503, 504])("retries %i, then succeeds", async (status) => {
    const s = await failThenSucceed(2, status, fast);
    const result = await testClient(s.url).call(getItem, { id: "1" });
    expect(result).toEqual({ ok: true, attempt: 3 });
    expect(s.requests).toHaveLength(3);
  });

  test.each([400, 401, 403, 404, 422])("does not retry %i", async (status) => {
    const s = await failThenSucceed(5, status, fast);
    await expect(testClient(s.url).call(getItem, { id: "1" })).rejects.toMatchObject({ status });
    expect(s.requests).toHaveLength(1);
  });

  test("gives up after maxRetries (default 2) with the last status's error", async () => {
    const s = await failThenSucceed(10, 503, fast);
    const error = await rejection(testClient(s.url).call(getItem, { id: "1" }));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.status).toBe(503);
    expect(s.requests).toHaveLength(3);
  });

  test("maxRetries: 0 disables retries; per-call maxRetries overrides the client's", async () => {
    const s = await failThenSucceed(10, 429, fast);
    await expect(testClient(s.url, { maxRetries: 0 }).call(getItem, { id: "1" })).rejects.toBeInstanceOf(
      RateLimitError,
    );
    expect(s.requests).toHaveLength(1);
    await expect(
      testClient(s.url, { maxRetries: 0 }).call(getItem, { id: "1" }, { maxRetries: 4 }),
    ).rejects.toBeInstanceOf(RateLimitError);
    expect(s.requests).toHaveLength(1 + 5);
  });

  test("a 409 is a ConflictError once retries are used up", async () => {
    const s = await failThenSucceed(10, 409, fast);
    await expect(testClient(s.url, { maxRetries: 1 }).call(getItem, { id: "1" })).rejects.toBeInstanceOf(ConflictError);
    expect(s.requests).toHaveLength(2);
  });

  test("POST is not retried unless the operation is marked idempotent", async () => {
    const s = await failThenSucceed(1, 503, fast);
    await expect(testClient(s.url).call(createItem, { name: "a" })).rejects.toBeInstanceOf(InternalServerError);
    expect(s.requests).toHaveLength(1);
    const result = await testClient(s.url).call({ ...createItem, idempotent: true }, { name: "a" });
    expect(result).toEqual({ ok: true, attempt: 2 });
    expect(s.requests.map((r) => r.body)).toEqual(['{"name":"a"}', '{"name":"a"}']);
  });

  test("a POST is not retried after a connection reset either", async () => {
    server = await startServer((req) => req.socket.destroy());
    await expect(testClient(server.url).call(createItem, { name: "a" })).rejects.toBeInstanceOf(ConnectionError);
    expect(server.requests).toHaveLength(1);
  });

  test("x-should-retry: false stops a retry; true forces one", async () => {
    const s = await failThenSucceed(1, 503, { ...fast, "x-should-retry": "false" });
    await expect(testClient(s.url).call(getItem, { id: "1" })).rejects.toBeInstanceOf(InternalServerError);
    expect(s.requests).toHaveLength(1);
    await s.close();
    const s2 = await failThenSucceed(1, 404, { ...fast, "x-should-retry": "true" });
    await expect(testClient(s2.url).call(getItem, { id: "1" })).resolves.toMatchObject({ ok: true });
    expect(s2.requests).toHaveLength(2);
  });
});

// The waits between attempts, on a fake clock (see `fakeClock`): each test checks that the next
// request reaches the real loopback server exactly when it is due, and not a millisecond earlier.
describe("retry schedule", () => {
  const clock = fakeClock();

  /**
   * Once the client has armed its wait of `delay` ms after request `index` (0-based): nothing is
   * sent at `delay − 1` ms, and request `index + 1` arrives at exactly `delay` ms.
   */
  async function expectNextRequestAfter(s: TestServer, index: number, delay: number) {
    await until(() => s.requests.length === index + 1, `request ${index + 1}`);
    await clock.armed(delay);
    await clock.advance(delay - 1);
    expect(s.requests, `sent before ${delay} ms`).toHaveLength(index + 1);
    await clock.advance(1);
    await until(() => s.requests.length === index + 2, `request ${index + 2}`);
    expect((s.requests[index + 1]?.at ?? 0) - (s.requests[index]?.at ?? 0)).toBe(delay);
  }

  test("Retry-After in seconds is honoured: the retry goes out 1 s after the 429", async () => {
    clock.start();
    const s = await failThenSucceed(1, 429, { "retry-after": "1" });
    const call = track(testClient(s.url).call(getItem, { id: "1" }));
    await expectNextRequestAfter(s, 0, 1000);
    await until(() => call.settled, "the call to end");
    expect(call.value).toEqual({ ok: true, attempt: 2 });
  });

  test("Retry-After as an HTTP date is honoured: the retry goes out at that date", async () => {
    clock.start(Date.UTC(2026, 0, 1, 12, 0, 0)); // a whole second: HTTP dates have 1 s resolution
    server = await startServer((_req, res, i) => {
      if (i === 0) json(res, 503, {}, { "retry-after": new Date(Date.now() + 5000).toUTCString() });
      else json(res, 200, { ok: true });
    });
    const call = track(testClient(server.url).call(getItem, { id: "1" }));
    await expectNextRequestAfter(server, 0, 5000);
    await until(() => call.settled, "the call to end");
    expect(call.value).toEqual({ ok: true });
  });

  test("retry-after-ms wins over Retry-After", async () => {
    clock.start();
    const s = await failThenSucceed(1, 429, { "retry-after-ms": "250", "retry-after": "3" });
    const call = track(testClient(s.url).call(getItem, { id: "1" }));
    await expectNextRequestAfter(s, 0, 250);
    await until(() => call.settled, "the call to end");
    expect(call.value).toEqual({ ok: true, attempt: 2 });
  });

  test("a Retry-After of 60 s, the largest honoured, is waited out in full", async () => {
    clock.start();
    const s = await failThenSucceed(1, 503, { "retry-after": "60" });
    // a timeout other than the wait, so that the attempt's own 60 s deadline is not taken for it
    const call = track(testClient(s.url, { timeoutMs: 90_000 }).call(getItem, { id: "1" }));
    await expectNextRequestAfter(s, 0, 60_000);
    await until(() => call.settled, "the call to end");
    expect(call.value).toEqual({ ok: true, attempt: 2 });
  });

  test.each(["61", "3600"])("a Retry-After of %s s (over 60 s) falls back to the backoff", async (seconds) => {
    clock.start();
    vi.spyOn(Math, "random").mockReturnValue(0.4); // 500 ms × (1 − 0.4 × 25 %)
    const s = await failThenSucceed(1, 429, { "retry-after": seconds });
    const call = track(testClient(s.url).call(getItem, { id: "1" }));
    await expectNextRequestAfter(s, 0, 450);
    await until(() => call.settled, "the call to end");
    expect(call.value).toEqual({ ok: true, attempt: 2 });
  });

  test("without Retry-After, the waits follow the backoff with its jitter: 450 ms, then 900 ms", async () => {
    clock.start();
    vi.spyOn(Math, "random").mockReturnValue(0.4); // 25 % × 0.4 = 10 % off 500 ms and 1 s
    const s = await failThenSucceed(2, 500);
    const call = track(testClient(s.url).call(getItem, { id: "1" }));
    await expectNextRequestAfter(s, 0, 450);
    await expectNextRequestAfter(s, 1, 900);
    await until(() => call.settled, "the call to end");
    expect(call.value).toEqual({ ok: true, attempt: 3 });
  });

  test("connection resets are retried for idempotent operations, on the same backoff", async () => {
    clock.start();
    vi.spyOn(Math, "random").mockReturnValue(0);
    server = await startServer((req, res, i) => {
      if (i < 2) req.socket.destroy();
      else json(res, 200, { ok: true });
    });
    const call = track(testClient(server.url).call(getItem, { id: "1" }));
    await expectNextRequestAfter(server, 0, 500);
    await expectNextRequestAfter(server, 1, 1000);
    await until(() => call.settled, "the call to end");
    expect(call.value).toEqual({ ok: true });
  });

  test("errors that are not retried surface immediately, with no wait", async () => {
    clock.start();
    const s = await failThenSucceed(1, 404);
    const call = track(testClient(s.url).call(getItem, { id: "1" }));
    // the clock never moves: a wait of any length before the rejection would hold it forever
    await until(() => call.settled, "the call to fail");
    expect(call.error).toBeInstanceOf(NotFoundError);
    expect(s.requests).toHaveLength(1);
  });
});

describe("retry delays", () => {
  test("exponential from 0.5 s, doubling, capped at 8 s, with up to 25 % jitter", () => {
    expect([0, 1, 2, 3, 4, 5, 10].map((n) => backoffDelayMs(n, () => 0))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000, 8000,
    ]);
    expect(backoffDelayMs(0, () => 1)).toBe(375);
    expect(backoffDelayMs(4, () => 0.5)).toBe(7000);
  });

  test("server delays: seconds, HTTP date, ms; out-of-range and garbage ignored", () => {
    const h = (o: Record<string, string>) => new Headers(o);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(serverRetryDelayMs(h({ "retry-after": "2" }), now)).toBe(2000);
    expect(serverRetryDelayMs(h({ "retry-after": "0" }), now)).toBe(0);
    expect(serverRetryDelayMs(h({ "retry-after": "Thu, 01 Jan 2026 00:00:05 GMT" }), now)).toBe(5000);
    expect(serverRetryDelayMs(h({ "retry-after": "Wed, 31 Dec 2025 23:00:00 GMT" }), now)).toBe(0);
    expect(serverRetryDelayMs(h({ "retry-after-ms": "250", "retry-after": "9" }), now)).toBe(250);
    expect(serverRetryDelayMs(h({ "retry-after": "61" }), now)).toBeUndefined();
    expect(serverRetryDelayMs(h({ "retry-after": "-3" }), now)).toBeUndefined();
    expect(serverRetryDelayMs(h({ "retry-after": "soon" }), now)).toBeUndefined();
    expect(serverRetryDelayMs(h({}), now)).toBeUndefined();
  });
});
