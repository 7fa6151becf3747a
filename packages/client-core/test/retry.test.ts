import { json, startServer, type TestServer } from "@org/testing";
import { afterEach, describe, expect, test } from "vitest";
import { ConflictError, ConnectionError, InternalServerError, NotFoundError, RateLimitError } from "../src/index.js";
import { backoffDelayMs, serverRetryDelayMs } from "../src/retry.js";
import { createItem, getItem, rejection, testClient } from "./support.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
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

  test("connection resets are retried for idempotent operations", async () => {
    server = await startServer((req, res, i) => {
      if (i < 2) req.socket.destroy();
      else json(res, 200, { ok: true });
    });
    await expect(testClient(server.url).call(getItem, { id: "1" })).resolves.toEqual({ ok: true });
    expect(server.requests).toHaveLength(3);
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

  test("Retry-After in seconds is honoured", async () => {
    const s = await failThenSucceed(1, 429, { "retry-after": "1" });
    const started = Date.now();
    await testClient(s.url).call(getItem, { id: "1" });
    const gap = (s.requests[1]?.at ?? 0) - (s.requests[0]?.at ?? 0);
    expect(gap).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  test("Retry-After as an HTTP date is honoured", async () => {
    server = await startServer((_req, res, i) => {
      if (i === 0) json(res, 503, {}, { "retry-after": new Date(Date.now() + 1500).toUTCString() });
      else json(res, 200, { ok: true });
    });
    await testClient(server.url).call(getItem, { id: "1" });
    const gap = (server.requests[1]?.at ?? 0) - (server.requests[0]?.at ?? 0);
    // HTTP dates have 1 s resolution: the wait is between 0.5 and 1.5 s
    expect(gap).toBeGreaterThanOrEqual(400);
    expect(gap).toBeLessThan(2000);
  });

  test("retry-after-ms wins over Retry-After", async () => {
    const s = await failThenSucceed(1, 429, { "retry-after-ms": "20", "retry-after": "30" });
    await testClient(s.url).call(getItem, { id: "1" });
    const gap = (s.requests[1]?.at ?? 0) - (s.requests[0]?.at ?? 0);
    expect(gap).toBeGreaterThanOrEqual(15);
    expect(gap).toBeLessThan(500);
  });

  test("an insane Retry-After (> 60 s) falls back to exponential backoff", async () => {
    const s = await failThenSucceed(1, 429, { "retry-after": "3600" });
    await testClient(s.url).call(getItem, { id: "1" });
    const gap = (s.requests[1]?.at ?? 0) - (s.requests[0]?.at ?? 0);
    expect(gap).toBeGreaterThanOrEqual(350); // 0.5 s minus up to 25 % jitter
    expect(gap).toBeLessThan(1000);
  });

  test("without Retry-After, waits follow the backoff: ~0.5 s then ~1 s", async () => {
    const s = await failThenSucceed(2, 500);
    await testClient(s.url).call(getItem, { id: "1" });
    const [a, b, c] = s.requests.map((r) => r.at);
    expect((b ?? 0) - (a ?? 0)).toBeGreaterThanOrEqual(350);
    expect((b ?? 0) - (a ?? 0)).toBeLessThan(800);
    expect((c ?? 0) - (b ?? 0)).toBeGreaterThanOrEqual(725);
    expect((c ?? 0) - (b ?? 0)).toBeLessThan(1400);
  });

  test("errors that are not retried surface immediately", async () => {
    const s = await failThenSucceed(1, 404);
    const started = Date.now();
    await expect(testClient(s.url).call(getItem, { id: "1" })).rejects.toBeInstanceOf(NotFoundError);
    expect(Date.now() - started).toBeLessThan(500);
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
