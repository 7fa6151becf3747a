// Requests per second of interleaved contenders: every round runs each contender for one block
// of requests (sequential, or `concurrency` workers), in an order rotated from round to round,
// so machine drift hits every contender alike. The first round warms up and is dropped.
import { median } from "./stats.mjs";

/** `gc(options)` when node runs with `--expose-gc` (as `pnpm bench` does), else nothing. */
const collect = typeof globalThis.gc === "function" ? globalThis.gc : () => {};

/** A collection (`gc(options)`), then a turn of the event loop, where the finalizers it freed run. */
async function collectGarbage(options) {
  collect(options);
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * A young-generation collection (a scavenge), then a turn of the event loop. Not a full one: a
 * forced full collection throws away optimised code whose maps it frees ("weak objects") and
 * leaves the process slow for thousands of requests after it. Measured in a scratch run (Coze,
 * bare `node:http` and ours, CPU per request, sequential blocks of 1000 right after a forced full
 * collection, then without one): node:http 188-190 µs against 59-62 µs, ours 219-233 against
 * 64-68; node:http took about 2,500 requests to come back to its speed. With a full collection
 * ending every block, every block was measured in that slow state, which costs more the more
 * JavaScript a contender runs. A scavenge leaves compiled code alone (node:http 57-80 µs right
 * after one).
 */
const settleGarbage = () => collectGarbage({ type: "minor" });

/**
 * A full collection and its finalizers (undici's `fetch` registers a `FinalizationRegistry`
 * cleanup per request given a signal; they run in a task of their own after the collection): once
 * per section, before its warm-up.
 */
const collectAll = () => collectGarbage();

async function block(fn, requests, concurrency) {
  let left = requests;
  const worker = async () => {
    while (left-- > 0) await fn();
  };
  const started = performance.now();
  const cpuStarted = cpuMicros();
  await Promise.all(Array.from({ length: concurrency }, worker));
  // All contenders share this process's heap: each one pays for the young garbage it made and
  // leaves none to the next. A scavenge ends its block, inside the timing, less what a second one
  // right after costs (copying what is alive, the same for every contender).
  const collecting = performance.now();
  await settleGarbage();
  const collected = performance.now();
  const cpuCollected = cpuMicros();
  await settleGarbage();
  const idle = performance.now() - collected;
  const cpuIdle = cpuMicros() - cpuCollected;
  return {
    rps: (requests / (collecting - started + Math.max(collected - collecting - idle, 0))) * 1000,
    cpu: Math.max(cpuCollected - cpuStarted - cpuIdle, 0) / requests,
  };
}

/**
 * CPU time this process has used, user and system, all threads (GC helpers included), in µs. Per
 * request it counts the client's own work only (the server is another process), and not the time
 * the process waited for the server or for a core: on a 2-core VM whose speed changes from one
 * second to the next, a steadier measure of a client's cost than its requests per second.
 */
function cpuMicros() {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/**
 * Collects all the garbage (what earlier sections left), then runs every contender `requests`
 * times in a row, untimed: the JIT compiles what each one runs before anything is measured, and
 * the slow spell after the full collection (see settleGarbage) is over before the first round.
 * With the full collection after the warm-up instead, the first two kept rounds were still slow
 * for every contender (sequential Coze, req/s: ours 6346, 8849, then 9700–10470). Without a warm-up
 * the first measured rounds still include compilation, more for the contenders with more code of
 * their own: in a scratch two-contender run our Coze client needed about 4,000 requests to reach
 * its steady speed (blocks of 1000: 313, 269, 232, then 214–224 ms, each block then ending with a
 * full collection) and a bare `node:http` request about 1,000.
 * @param {Record<string, () => Promise<unknown>>} contenders
 */
export async function warmUp(contenders, requests) {
  await collectAll();
  for (const fn of Object.values(contenders)) for (let i = 0; i < requests; i++) await fn();
  await settleGarbage();
}

/**
 * @param {Record<string, () => Promise<unknown>>} contenders the first one is the baseline
 * @returns {{ name: string, rps: number, ratio: number, samples: number[], cpu: number, cpuSamples: number[] }[]}
 *   median req/s, median of the per-round ratios to the baseline, and the req/s of every kept round
 *   (in round order, so that two contenders can be compared round by round); the same for the
 *   process's CPU time per request in µs (see cpuMicros)
 */
export async function interleave(contenders, { rounds, requests, concurrency }) {
  const names = Object.keys(contenders);
  const rps = Object.fromEntries(names.map((n) => [n, []]));
  const cpu = Object.fromEntries(names.map((n) => [n, []]));
  const ratios = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round <= rounds; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length]);
    const got = {};
    for (const name of order) got[name] = await block(contenders[name], requests, concurrency);
    if (round === 0) continue;
    for (const name of names) {
      rps[name].push(got[name].rps);
      cpu[name].push(got[name].cpu);
      ratios[name].push(got[name].rps / got[names[0]].rps);
    }
  }
  return names.map((name) => ({
    name,
    rps: median(rps[name]),
    ratio: median(ratios[name]),
    samples: rps[name],
    cpu: median(cpu[name]),
    cpuSamples: cpu[name],
  }));
}
