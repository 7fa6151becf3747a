/**
 * The fault suite every provider runs against a real local HTTP server (not Prism): rate limits
 * with and without `Retry-After`, 5xx then success, connection resets, a server that never
 * answers, an HTML error page, truncated JSON. Each test asserts the attempts made, the final
 * result or error type, and the schedule: waits are checked on a fake clock (`setTimeout` and
 * `Date` only; the loopback server and sockets run in real time), to the millisecond.
 */
import type { ServerResponse } from "node:http";
import { afterEach, describe, expect, test, vi } from "vitest";
import { fakeClock, track, until } from "./fake-clock.js";
import { type Handler, json, startServer, type TestServer } from "./http-server.js";

/** Options a fault test passes to the client (per client or per call). */
export interface FaultOptions {
  maxRetries: number;
  timeoutMs?: number;
}

type ErrorClass = abstract new (...args: never[]) => unknown;

/** What the fault suite needs to know about one provider. */
export interface FaultTarget {
  /** Calls one operation (a retried one: GET or idempotent) against `baseUrl`. */
  call(baseUrl: string, options: FaultOptions): PromiseLike<unknown>;
  /** The success body the server sends … */
  successBody: unknown;
  /** … and what the call resolves to with it. */
  expected: unknown;
  /** The provider's error class and the runtime's classes, as the package exports them. */
  errors: {
    provider: ErrorClass;
    RateLimitError: ErrorClass;
    InternalServerError: ErrorClass;
    ConnectionError: ErrorClass;
    TimeoutError: ErrorClass;
    InvalidResponseError: ErrorClass;
  };
}

const servers: TestServer[] = [];

/** A real HTTP server on 127.0.0.1:0 that is closed after the current test. */
export async function faultServer(handler: Handler): Promise<TestServer> {
  const server = await startServer(handler);
  servers.push(server);
  return server;
}

/** Runs `call`, returning what it resolved or rejected with and how long it took. */
export async function timed(
  call: () => PromiseLike<unknown>,
): Promise<{ value?: unknown; error?: unknown; ms: number }> {
  const started = performance.now();
  try {
    const value = await call();
    return { value, ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
}

/** A short server-requested delay, so tests that are not about backoff stay fast. */
export const SHORT_RETRY = { "retry-after-ms": "10" };

/** Gaps between consecutive requests the server received, in ms. */
export function gaps(server: TestServer): number[] {
  return server.requests.slice(1).map((r, i) => r.at - (server.requests[i]?.at ?? 0));
}

/** Slack on upper time bounds: the machine may be busy (2 cores, parallel test files). */
const SLACK_MS = 1500;

function html(res: ServerResponse, status: number, headers: Record<string, string> = {}) {
  const page = `<!DOCTYPE html><html><head><title>${status} Bad Gateway</title></head><body><h1>Bad Gateway</h1>${"<p>upstream</p>".repeat(50)}</body></html>`;
  res.writeHead(status, { "content-type": "text/html", ...headers });
  res.end(page);
}

/** Registers the shared fault tests for one provider. */
export function describeFaults(provider: string, target: FaultTarget): void {
  const { errors } = target;
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  describe(`${provider}: shared faults`, () => {
    const clock = fakeClock();
    afterEach(() => {
      vi.restoreAllMocks();
    });

    /**
     * Runs `call` on the fake clock: after the first request, the client must arm a wait of
     * exactly `waitMs`, send nothing more until it has passed, and send the next request then.
     */
    async function retriedAfter(server: TestServer, call: () => PromiseLike<unknown>, waitMs: number) {
      const outcome = track(call());
      await until(() => server.requests.length === 1 || outcome.settled, "the first request");
      await clock.armed(waitMs);
      await clock.advance(waitMs - 1);
      expect(server.requests, `sent again before ${waitMs} ms`).toHaveLength(1);
      await clock.advance(1);
      await until(() => server.requests.length === 2, "the retry");
      expect(gaps(server)[0]).toBe(waitMs);
      await until(() => outcome.settled, "the call to end");
      return outcome;
    }

    test("429 with Retry-After: 1 waits exactly the second the server asked for, then succeeds", async () => {
      clock.start();
      const server = await faultServer((_req, res, i) =>
        i === 0 ? json(res, 429, { error: "slow down" }, { "retry-after": "1" }) : json(res, 200, target.successBody),
      );
      const outcome = await retriedAfter(server, () => target.call(server.url, { maxRetries: 2 }), 1000);
      expect(outcome.error).toBeUndefined();
      expect(outcome.value).toStrictEqual(target.expected);
      expect(server.requests).toHaveLength(2);
    });

    test("429 without Retry-After backs off 500 ms less its jitter, then succeeds", async () => {
      clock.start();
      vi.spyOn(Math, "random").mockReturnValue(0.4); // 500 ms × (1 − 0.4 × 25 %) = 450 ms
      const server = await faultServer((_req, res, i) =>
        i === 0 ? json(res, 429, { error: "slow down" }) : json(res, 200, target.successBody),
      );
      const outcome = await retriedAfter(server, () => target.call(server.url, { maxRetries: 2 }), 450);
      expect(outcome.value).toStrictEqual(target.expected);
      expect(server.requests).toHaveLength(2);
    });

    test("429 on every attempt: RateLimitError after 1 + maxRetries attempts", async () => {
      const server = await faultServer((_req, res) => json(res, 429, { error: "slow down" }, SHORT_RETRY));
      const { error, ms } = await timed(() => target.call(server.url, { maxRetries: 2 }));
      expect(error).toBeInstanceOf(errors.RateLimitError);
      expect(error).toBeInstanceOf(errors.provider);
      expect((error as { status?: number }).status).toBe(429);
      expect(server.requests).toHaveLength(3);
      expect(ms).toBeLessThan(20 + SLACK_MS);
    });

    test("500, 502, 503 then success: four attempts, the result of the last", async () => {
      const statuses = [500, 502, 503];
      const server = await faultServer((_req, res, i) => {
        const status = statuses[i];
        if (status) json(res, status, { error: "server" }, SHORT_RETRY);
        else json(res, 200, target.successBody);
      });
      const { value, ms } = await timed(() => target.call(server.url, { maxRetries: 3 }));
      expect(value).toStrictEqual(target.expected);
      expect(server.requests).toHaveLength(4);
      expect(ms).toBeGreaterThanOrEqual(30);
      expect(ms).toBeLessThan(30 + SLACK_MS);
    });

    test("503 until the retries run out: InternalServerError with status 503", async () => {
      const server = await faultServer((_req, res) => json(res, 503, { error: "down" }, SHORT_RETRY));
      const { error, ms } = await timed(() => target.call(server.url, { maxRetries: 1 }));
      expect(error).toBeInstanceOf(errors.InternalServerError);
      expect(error).toBeInstanceOf(errors.provider);
      expect((error as { status?: number }).status).toBe(503);
      expect(server.requests).toHaveLength(2);
      expect(ms).toBeLessThan(10 + SLACK_MS);
    });

    test("connection reset, then success: retried after the backoff", async () => {
      clock.start();
      vi.spyOn(Math, "random").mockReturnValue(0.4);
      const server = await faultServer((req, res, i) => {
        if (i === 0) req.socket.destroy();
        else json(res, 200, target.successBody);
      });
      const outcome = await retriedAfter(server, () => target.call(server.url, { maxRetries: 1 }), 450);
      expect(outcome.value).toStrictEqual(target.expected);
      expect(server.requests).toHaveLength(2);
    });

    test("connection reset on every attempt: ConnectionError (no status)", async () => {
      const server = await faultServer((req) => {
        req.socket.destroy();
      });
      const { error, ms } = await timed(() => target.call(server.url, { maxRetries: 0 }));
      expect(error).toBeInstanceOf(errors.ConnectionError);
      expect(error).not.toBeInstanceOf(errors.TimeoutError);
      expect(error).toBeInstanceOf(errors.provider);
      expect((error as { status?: number }).status).toBeUndefined();
      expect(server.requests).toHaveLength(1);
      expect(ms).toBeLessThan(SLACK_MS);
    });

    test("a server that never answers: TimeoutError after each attempt's timeoutMs", async () => {
      const server = await faultServer(() => new Promise<void>(() => {}));
      const { error, ms } = await timed(() => target.call(server.url, { maxRetries: 1, timeoutMs: 100 }));
      expect(error).toBeInstanceOf(errors.TimeoutError);
      expect(error).toBeInstanceOf(errors.provider);
      expect(server.requests).toHaveLength(2);
      // two 100 ms attempts and one backoff (375–500 ms) between them
      expect(ms).toBeGreaterThanOrEqual(200 + 370);
      expect(ms).toBeLessThan(700 + SLACK_MS);
    });

    test("an HTML 502 page: InternalServerError with a short excerpt, retried like any 502", async () => {
      const server = await faultServer((_req, res) => html(res, 502, SHORT_RETRY));
      const { error, ms } = await timed(() => target.call(server.url, { maxRetries: 1 }));
      expect(error).toBeInstanceOf(errors.InternalServerError);
      expect(error).toBeInstanceOf(errors.provider);
      const { status, body, message } = error as { status?: number; body?: unknown; message: string };
      expect(status).toBe(502);
      expect(typeof body).toBe("string");
      expect((body as string).length).toBeLessThanOrEqual(201);
      expect(message).toContain("Bad Gateway");
      expect(server.requests).toHaveLength(2);
      expect(ms).toBeLessThan(10 + SLACK_MS);
    });

    test("a 200 whose JSON is cut short: InvalidResponseError, not retried", async () => {
      const text = JSON.stringify(target.successBody);
      const server = await faultServer((_req, res) => {
        const cut = text.slice(0, Math.floor(text.length / 2));
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(cut) });
        res.end(cut);
      });
      const { error, ms } = await timed(() => target.call(server.url, { maxRetries: 2 }));
      expect(error).toBeInstanceOf(errors.InvalidResponseError);
      expect(error).toBeInstanceOf(errors.provider);
      expect((error as { status?: number }).status).toBe(200);
      expect(server.requests).toHaveLength(1);
      expect(ms).toBeLessThan(SLACK_MS);
    });

    test("a body cut off mid-way by the connection: ConnectionError, retried after the backoff, then success", async () => {
      clock.start();
      vi.spyOn(Math, "random").mockReturnValue(0.4);
      const text = JSON.stringify(target.successBody);
      const server = await faultServer((req, res, i) => {
        if (i > 0) return json(res, 200, target.successBody);
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
        res.write(text.slice(0, Math.floor(text.length / 2)), () => req.socket.destroy());
      });
      const outcome = await retriedAfter(server, () => target.call(server.url, { maxRetries: 1 }), 450);
      expect(outcome.value).toStrictEqual(target.expected);
      expect(server.requests).toHaveLength(2);
    });
  });
}
