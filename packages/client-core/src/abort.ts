/** Per-attempt timeouts linked to the caller's `AbortSignal`, and an abortable sleep. */

/** Reason used when the per-attempt timer fires. */
export class TimeoutReason extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no response within ${timeoutMs} ms`);
    this.name = "TimeoutReason";
  }
}

/** An `AbortSignal` that fires on the caller's signal or after `timeoutMs`; call `done()` when finished. */
export interface AttemptSignal {
  readonly signal: AbortSignal;
  done(): void;
}

export function attemptSignal(timeoutMs: number, outer: AbortSignal | undefined): AttemptSignal {
  const controller = new AbortController();
  const onAbort = () => controller.abort(outer?.reason);
  if (outer) {
    if (outer.aborted) controller.abort(outer.reason);
    else outer.addEventListener("abort", onAbort, { once: true });
  }
  const timer =
    Number.isFinite(timeoutMs) && timeoutMs > 0
      ? setTimeout(() => controller.abort(new TimeoutReason(timeoutMs)), timeoutMs)
      : undefined;
  return {
    signal: controller.signal,
    done() {
      if (timer !== undefined) clearTimeout(timer);
      outer?.removeEventListener("abort", onAbort);
    },
  };
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
