/** Waiting, bounded by an attempt's deadline and the caller's `AbortSignal`. */
import { TimeoutReason } from "./wire.js";

export { TimeoutReason };

/**
 * The calls waiting on each caller's signal, which has one "abort" listener for them all
 * ({@link onSignalAbort}). A signal shared by many calls at once (one `AbortController` for a batch)
 * so gets one listener, not one per call: past ten, Node warns of a leak in the caller's process
 * ("MaxListenersExceededWarning … 11 abort listeners added to [AbortSignal]"). The listener is
 * removed when the signal's last call ends: a listener keeps an `AbortSignal.timeout()` signal alive.
 */
const waiting = new WeakMap<AbortSignal, Set<() => void>>();

/** The listener of every watched signal (`this`: the signal, as `EventTarget` calls it). */
function onSignalAbort(this: AbortSignal): void {
  const calls = waiting.get(this);
  waiting.delete(this);
  this.removeEventListener("abort", onSignalAbort);
  for (const call of calls ?? []) {
    try {
      call();
    } catch {
      // one call's failure never keeps the others from being aborted
    }
  }
}

/** Calls `onAbort` when `signal` aborts, until {@link unwatchAbort}; `signal` must not be aborted yet. */
export function watchAbort(signal: AbortSignal | undefined, onAbort: () => void): void {
  if (signal === undefined) return;
  let calls = waiting.get(signal);
  if (calls === undefined) {
    calls = new Set();
    waiting.set(signal, calls);
    signal.addEventListener("abort", onSignalAbort);
  }
  calls.add(onAbort);
}

/** Stops calling `onAbort` for `signal`; the signal's listener goes with its last call. */
export function unwatchAbort(signal: AbortSignal | undefined, onAbort: () => void): void {
  const calls = signal === undefined ? undefined : waiting.get(signal);
  if (calls === undefined || !calls.delete(onAbort) || calls.size > 0) return;
  waiting.delete(signal as AbortSignal);
  (signal as AbortSignal).removeEventListener("abort", onSignalAbort);
}

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
      unwatchAbort(signal, onAbort);
    };
    const onAbort = () => {
      release();
      reject(abortReason(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      release();
      onTimer(resolve, reject);
    }, ms);
    watchAbort(signal, onAbort);
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
