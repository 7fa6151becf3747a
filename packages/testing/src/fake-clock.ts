/**
 * A fake clock for schedule tests (retry delays, Retry-After, timeouts) against real loopback
 * servers: only `setTimeout`, `clearTimeout` and `Date` are faked, so sockets keep working.
 */
import { afterEach, vi } from "vitest";

export interface Outcome<T> {
  settled: boolean;
  value?: T;
  error?: unknown;
}

/** Follows `promise` without awaiting it (and without leaving its rejection unhandled). */
export function track<T>(promise: PromiseLike<T>): Outcome<T> {
  const outcome: Outcome<T> = { settled: false };
  promise.then(
    (value) => Object.assign(outcome, { settled: true, value }),
    (error: unknown) => Object.assign(outcome, { settled: true, error }),
  );
  return outcome;
}

/** Runs the event loop for `ms` of real time: sockets and the loopback server keep working. */
async function realTime(ms: number): Promise<void> {
  const until = performance.now() + ms;
  while (performance.now() < until) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Waits, in real time (the fake clock stands still meanwhile), until `condition` holds: how a
 * test waits for a request to reach the loopback server. Fails after 5 s with `what`.
 */
export async function until(condition: () => boolean, what: string): Promise<void> {
  const limit = performance.now() + 5000;
  while (!condition()) {
    if (performance.now() > limit) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * A fake clock for tests of schedules (timeouts, retry waits). Only `setTimeout`, `clearTimeout`
 * and `Date` are faked: node:http and the loopback server do not use the global `setTimeout`, so
 * requests still travel in real time while every wait of the client stands still until the test
 * moves the clock. The clock is started by `start()` inside a test and stopped after each test.
 */
export function fakeClock() {
  /** Delays of the timers the client armed (timers armed by Node's own `fetch` are left out). */
  let armed: number[] = [];
  let matched = 0;
  let fakeSetTimeout: typeof setTimeout | undefined;

  afterEach(() => {
    if (fakeSetTimeout) globalThis.setTimeout = fakeSetTimeout;
    fakeSetTimeout = undefined;
    vi.useRealTimers();
  });

  return {
    /** Fakes the clock, from `now` (default: the real time). */
    start(now?: number) {
      vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], ...(now === undefined ? {} : { now }) });
      armed = [];
      matched = 0;
      const fake = globalThis.setTimeout;
      fakeSetTimeout = fake;
      // records who arms what: the global fetch (undici) arms timers of its own, from node:internal
      globalThis.setTimeout = ((handler: () => void, ms?: number, ...args: unknown[]) => {
        const caller = new Error().stack?.split("\n")[2] ?? "";
        if (!caller.includes("node:")) armed.push(ms ?? 0);
        return fake(handler, ms, ...args);
      }) as typeof setTimeout;
    },

    /**
     * Waits (in real time) until the client arms a timer of exactly `ms`, later than the one the
     * previous `armed` call found: this is when its wait or deadline starts on the fake clock.
     */
    async armed(ms: number): Promise<void> {
      let index = -1;
      try {
        await until(() => {
          index = armed.indexOf(ms, matched);
          return index >= 0;
        }, `a ${ms} ms timer`);
      } catch {
        throw new Error(`the client armed no ${ms} ms timer; it armed: [${armed.join(", ")}]`);
      }
      matched = index + 1;
    },

    /** Moves the fake clock by `ms`, then lets real I/O run briefly (what the timers set off). */
    async advance(ms: number): Promise<void> {
      await vi.advanceTimersByTimeAsync(ms);
      await realTime(25);
    },
  };
}

/** The timeout and cancellation rules, run once per transport (global fetch, and the Node transport). */
