/** Waiting, bounded by an attempt's deadline and the caller's `AbortSignal`. */
import { TimeoutReason } from "./wire.js";

export { TimeoutReason };

/** The reason an aborted signal carries, or a standard `AbortError` when it carries none. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}

/**
 * A promise that `onTimer` settles after `ms`, that rejects with the signal's reason as soon as it
 * aborts, and that otherwise follows `promise` if one is given. The timer and the listener are
 * released as soon as it settles.
 */
function race<T>(
  ms: number,
  signal: AbortSignal | undefined,
  onTimer: (resolve: (value: T) => void, reject: (reason: unknown) => void) => void,
  promise?: Promise<T>,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const release = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    };
    const onAbort = () => {
      release();
      reject(abortReason(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      release();
      onTimer(resolve, reject);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
    promise?.then(
      (value) => {
        release();
        resolve(value);
      },
      (error: unknown) => {
        release();
        reject(error);
      },
    );
  });
}

/**
 * Settles like `promise`, unless `deadline` (a `Date.now()` value) passes first — then rejects
 * with a {@link TimeoutReason} — or `signal` aborts — then rejects with its reason.
 */
export function withinDeadline<T>(
  promise: Promise<T>,
  deadline: number,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<T> {
  return race(
    Math.max(0, deadline - Date.now()),
    signal,
    (_resolve, reject) => reject(new TimeoutReason(timeoutMs)),
    promise,
  );
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return race<void>(ms, signal, (resolve) => resolve());
}
