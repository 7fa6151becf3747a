import type { WithResponse } from "./types.js";

/**
 * The promise every resource method returns: await it for the result, or call
 * {@link APIPromise.withResponse} for the result with its raw `Response` and request id.
 * It is a native `Promise` (so `await` costs nothing extra) with one more method.
 */
export interface APIPromise<T> extends Promise<T> {
  /** The result together with the raw `Response` and the provider's request id. */
  withResponse(): Promise<WithResponse<T>>;
}

const ignore = () => {};

/** Makes the {@link APIPromise} of a call from the promise of its full outcome. */
export function apiPromise<T>(outcome: Promise<WithResponse<T>>): APIPromise<T> {
  const data = outcome.then((result) => result.data) as APIPromise<T>;
  data.withResponse = () => {
    // whoever asks for the response handles the failure there: the result promise must not
    // also be reported as an unhandled rejection
    data.catch(ignore);
    return outcome;
  };
  return data;
}
