import type { WithResponse } from "./types.js";

/**
 * The promise every resource method returns: await it for the result, or call
 * {@link APIPromise.withResponse} for the result with its raw `Response` and request id.
 */
export class APIPromise<T> extends Promise<T> {
  readonly #responsePromise: Promise<WithResponse<T>>;
  #data: Promise<T> | undefined;

  constructor(responsePromise: Promise<WithResponse<T>>) {
    super((resolve) => resolve(undefined as T));
    this.#responsePromise = responsePromise;
  }

  // Promise methods called on an APIPromise create plain promises.
  static override get [Symbol.species]() {
    return Promise;
  }

  /** The result together with the raw `Response` and the provider's request id. */
  withResponse(): Promise<WithResponse<T>> {
    return this.#responsePromise;
  }

  #result(): Promise<T> {
    this.#data ??= this.#responsePromise.then((r) => r.data);
    return this.#data;
  }

  // biome-ignore lint/suspicious/noThenProperty: an APIPromise is a Promise; then() parses lazily.
  override then<A = T, B = never>(
    onfulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#result().then(onfulfilled, onrejected);
  }

  override catch<B = never>(onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<T | B> {
    return this.#result().catch(onrejected);
  }

  override finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#result().finally(onfinally);
  }
}
