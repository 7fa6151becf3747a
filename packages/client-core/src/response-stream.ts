/**
 * A streamed response body handed to the caller (`CoreClient.send` with `responseType: "stream"`),
 * kept under the client's rules after the call resolved: each read waits at most the call's
 * `timeoutMs` for the next bytes (a server that stalls mid-body is a `TimeoutError`, not a hang),
 * the call's `signal` still aborts it, and every failure is the engine's typed, scrubbed error.
 * Either way the transport's stream is cancelled, which releases the connection.
 */
import { abortReason, unwatchAbort, watchAbort, withinDeadline } from "./abort.js";

/** What {@link guardStream} needs from the engine. */
export interface StreamGuard {
  /** Longest wait for the next chunk, in ms. */
  readonly idleMs: number;
  /** The call's signal: aborting it errors the stream and releases the connection. */
  readonly signal: AbortSignal | undefined;
  /** The typed error for a failure while reading (a `TimeoutReason`, the abort reason, a transport error). */
  readonly toError: (cause: unknown) => unknown;
}

/**
 * `source`, read on demand (nothing is read ahead of the caller: backpressure reaches the
 * socket), with an idle timeout per read, the signal, and typed errors.
 */
export function guardStream(source: ReadableStream<Uint8Array>, guard: StreamGuard): ReadableStream<Uint8Array> {
  const { idleMs, signal, toError } = guard;
  const reader = source.getReader();
  let finished = false;
  let fail: ((cause: unknown) => void) | undefined;
  const onAbort = () => fail?.(abortReason(signal as AbortSignal));
  const finish = () => {
    finished = true;
    unwatchAbort(signal, onAbort);
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        fail = (cause) => {
          if (finished) return;
          finish();
          controller.error(toError(cause));
          reader.cancel(cause).catch(ignore);
        };
        if (signal?.aborted) onAbort();
        else watchAbort(signal, onAbort);
      },
      async pull(controller) {
        if (finished) return;
        let step: ReadableStreamReadResult<Uint8Array>;
        try {
          step = await withinDeadline(reader.read(), Date.now() + idleMs, idleMs, signal);
        } catch (cause) {
          fail?.(cause);
          return;
        }
        if (finished) return;
        if (step.done) {
          finish();
          controller.close();
        } else controller.enqueue(step.value);
      },
      cancel(reason) {
        finish();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

function ignore(): void {}
