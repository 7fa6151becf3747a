/**
 * The request object the engine hands to the Node transport through openapi-fetch (its
 * `Request` option). Building an undici `Request` with an `AbortSignal` costs more than the
 * whole HTTP exchange on loopback; this one only keeps what the transport reads: `url`,
 * `method`, `headers`, `body` (as given: a string, bytes, FormData…), `signal`, `redirect`.
 * `instanceof` also accepts a real `Request`, so middleware may still return one.
 */
export class TransportRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: BodyInit | null;
  readonly signal: AbortSignal | null;
  readonly redirect: RequestRedirect;
  /** The engine's per-attempt deadline, enforced by the Node transport itself (no AbortController). */
  readonly timeoutMs: number | undefined;

  constructor(input: string | URL, init: RequestInit & { timeoutMs?: number } = {}) {
    this.url = String(input);
    this.method = (init.method ?? "GET").toUpperCase();
    this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
    this.body = init.body ?? null;
    this.signal = init.signal ?? null;
    this.redirect = init.redirect ?? "follow";
    this.timeoutMs = init.timeoutMs;
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    return (
      (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === TransportRequest.prototype) ||
      value instanceof Request
    );
  }
}
