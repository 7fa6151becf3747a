/**
 * The one seam between the engine and the network. The engine builds a {@link WireRequest}
 * (URL, headers and body final, credentials included) and hands it to a {@link Transport}; the
 * transport sends it, follows redirects, decodes the body and resolves to a {@link WireResponse},
 * or rejects with one of the reasons below. Nothing about providers, retries or errors of the API
 * lives on this side of the seam.
 *
 * Rejections a transport may produce, and what the engine makes of them:
 * - a {@link TimeoutReason} when `deadline` passes (body included) → `TimeoutError`, retried;
 * - the signal's reason when `signal` aborts → `AbortError`, never retried;
 * - a {@link ProtocolError} when the server broke HTTP (status outside 100–599, a redirect
 *   without a usable `Location`, too many redirects, a body in an unknown or corrupt coding) or
 *   sent a body too large to read in full ({@link MAX_BODY_BYTES})
 *   → `InvalidResponseError`, never retried;
 * - a {@link RequestSetupError} when the request could not be built (an invalid header value)
 *   before anything was sent, or when its streamed body failed (the caller's stream threw)
 *   → `InvalidParamsError`, never retried;
 * - anything else (refused, reset, DNS, TLS, a body cut short) → `ConnectionError`, retried.
 */

/** One HTTP exchange as the engine asks for it. */
export interface WireRequest {
  /** Upper-case method. */
  readonly method: string;
  /** Absolute `http:`/`https:` URL, query included. */
  readonly url: string;
  /** Header names in lower case. A transport never modifies this object (the engine reuses it). */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * The encoded body, if any (its `content-type` is in `headers`): bytes or text; a `Blob`
   * (replayable, its length known: sent without being copied, e.g. a multipart body of files);
   * or a {@link StreamedBody}, read once as it is sent.
   */
  readonly body: string | Uint8Array | Blob | StreamedBody | undefined;
  /** The caller's cancellation. */
  readonly signal: AbortSignal | undefined;
  /**
   * `Date.now()` by which the whole exchange (redirects and body included) must be done; for a
   * {@link WireRequest.stream} request, by which the response headers must have arrived.
   */
  readonly deadline: number;
  /**
   * When `true`, a 2xx response resolves as soon as its headers arrive, its `body` a
   * `ReadableStream` of the decoded bytes (content codings removed as they arrive; no size cap:
   * the reader's pace bounds memory). From then on the transport holds no timer and no listener for
   * the exchange: the stream is the caller's, who reads it or cancels it (which releases the
   * connection). A failure while it is read errors the stream with the reasons listed above
   * (a `ProtocolError` for a corrupt coding, Node's error for a connection cut short). A response
   * that is not 2xx is read in full, as without `stream`.
   */
  readonly stream?: boolean;
}

/**
 * A request body produced as it is sent (a multipart body with a streamed file): iterated at most
 * once, so a request carrying one cannot be sent again after a transport started reading it. A
 * transport writes its chunks with backpressure, stops iterating (`return()`) when the exchange
 * ends early, and sends it chunked unless `length` is known.
 */
export interface StreamedBody extends AsyncIterable<Uint8Array> {
  /** Its length in bytes when known in advance (sent as `content-length`), else `undefined`. */
  readonly length: number | undefined;
}

/** Whether `body` is a {@link StreamedBody} (not text, bytes or a `Blob`). */
export function isStreamedBody(body: WireRequest["body"]): body is StreamedBody {
  return (
    body !== undefined &&
    typeof body !== "string" &&
    !(body instanceof Uint8Array) &&
    !(typeof Blob !== "undefined" && body instanceof Blob) &&
    typeof (body as StreamedBody)[Symbol.asyncIterator] === "function"
  );
}

/** The response, body read in full and decoded (content codings removed). */
export interface WireResponse {
  /** 100–599 (a transport rejects anything else with a {@link ProtocolError}). */
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  /** The URL that answered (after redirects). */
  readonly url: string;
  readonly redirected: boolean;
  /**
   * The whole body: bytes, or text already decoded as UTF-8 (when the transport read it as text);
   * or, for a 2xx response to a {@link WireRequest.stream} request, the body as it arrives.
   */
  readonly body: Uint8Array | string | ReadableStream<Uint8Array>;
  /** The platform `Response` when the transport had one (`fetch`); its body is already read. */
  readonly response?: Response;
}

/**
 * Most bytes a response body read in full may have, as received and once decoded (a body asked
 * for as a {@link WireRequest.stream} has no such bound: its reader paces it). A few MB of gzip can
 * inflate to gigabytes (a "zip bomb"), and a fast server can send gigabytes well within a deadline:
 * past this, the transport stops reading or decoding and rejects with a {@link ProtocolError}
 * instead of exhausting the host's memory.
 */
export const MAX_BODY_BYTES = 256 * 1024 * 1024;

/**
 * The error of a response status no caller may get (both transports refuse it): a `status` that is
 * not an integer from 200 to 599 — an informational 1xx out of place, or no HTTP status at all.
 */
export function statusRefusal(status: number): ProtocolError | undefined {
  if (status >= 200 && status <= 599 && Number.isInteger(status)) return undefined;
  return new ProtocolError(
    status >= 100 && status < 200 ? `unexpected informational response ${status}` : `invalid HTTP status ${status}`,
  );
}

/** The error of a body past {@link MAX_BODY_BYTES}: once `decoded` (a content coding removed), or as received. */
export function bodyTooLarge(decoded: boolean, options?: ErrorOptions): ProtocolError {
  return new ProtocolError(
    decoded
      ? `the compressed response body decodes to more than ${MAX_BODY_BYTES} bytes`
      : `the response body is larger than ${MAX_BODY_BYTES} bytes`,
    options,
  );
}

/**
 * Most entries a `Content-Encoding` list may have: a longer one is a {@link ProtocolError} (each
 * entry is one more decoder over the body). The limit of undici's `fetch`, urllib3 and curl.
 */
export const MAX_CODINGS = 5;

/** Sends one request. Must settle by `deadline` and never throw synchronously. */
export type Transport = (request: WireRequest) => Promise<WireResponse>;

/** Reason used when an attempt's deadline passes. */
export class TimeoutReason extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no response within ${timeoutMs} ms`);
    this.name = "TimeoutReason";
  }
}

/** The server's response broke HTTP in a way no retry fixes. */
export class ProtocolError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ProtocolError";
  }
}

/** The request could not be built (nothing was sent), or its streamed body could not be read. */
export class RequestSetupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RequestSetupError";
  }
}
