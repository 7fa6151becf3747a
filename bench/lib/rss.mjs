// Peak RSS growth of one piece of work, for the memory benches (run in a fresh process with
// --expose-gc): GC twice around a short pause, RSS before, then RSS sampled every 2 ms while the
// work runs; growth = peak − before.

/** Runs `work()`; resolves `{ result, growth, before, ms }`. */
export async function peakRssGrowth(work) {
  globalThis.gc?.();
  await new Promise((r) => setTimeout(r, 50));
  globalThis.gc?.();
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 2);
  const started = performance.now();
  try {
    const result = await work();
    const ms = performance.now() - started;
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, growth: peak - before, before, ms };
  } finally {
    clearInterval(sampler);
  }
}
