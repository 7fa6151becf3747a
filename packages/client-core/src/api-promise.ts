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
const dataOf = <T>(result: WithResponse<T>): T => result.data;
/** Where an {@link APIPromise} keeps the promise of its full outcome. */
const OUTCOME = Symbol("outcome");

type Held<T> = APIPromise<T> & { [OUTCOME]: Promise<WithResponse<T>> };

/** Shared by every {@link APIPromise}: no closure per call. */
function withResponse<T>(this: Held<T>): Promise<WithResponse<T>> {
  // whoever asks for the response handles the failure there: the result promise must not
  // also be reported as an unhandled rejection
  this.catch(ignore);
  return this[OUTCOME];
}

/** Makes the {@link APIPromise} of a call from the promise of its full outcome. */
export function apiPromise<T>(outcome: Promise<WithResponse<T>>): APIPromise<T> {
  const data = outcome.then(dataOf) as Held<T>;
  data[OUTCOME] = outcome;
  data.withResponse = withResponse;
  return data;
}
