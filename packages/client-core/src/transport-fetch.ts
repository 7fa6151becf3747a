/**
 * The {@link Transport} over a `fetch` function: the global one in browsers, workers, Deno and
 * Bun, or one the caller provides. The request is checked first (undici's `Headers` would put an
 * invalid value — a credential — in its error message), then sent with `redirect: "follow"` and
 * one `AbortController` that the caller's signal and the deadline (body included) abort.
 *
 * What `fetch` raises is mapped to the reasons of `wire.ts`: the deadline → `TimeoutReason`, the
 * caller's abort → the signal's reason, a status outside 200–599 or a redirect `fetch` refused
 * (bad `Location`, other protocol, too many) or a body it could not decompress → `ProtocolError`,
 * anything else is passed on (a network error). Browsers report a refused redirect as a bare
 * `TypeError`: there it stays a network error.
 *
 * A `Blob` body is passed as it is; a {@link StreamedBody} as a `ReadableStream` pulled on demand
 * (`duplex: "half"`; browsers stream uploads over HTTP/2 only), released when the exchange ends,
 * its source's failure a `RequestSetupError`.
 */
import { abortReason, unwatchAbort, watchAbort } from "./abort.js";
import { type Deadline, unwatchDeadline, watchDeadline } from "./deadlines.js";
import { checkRequest, checkUrl } from "./header-check.js";
import {
  bodyTooLarge,
  isStreamedBody,
  MAX_BODY_BYTES,
  MAX_CODINGS,
  ProtocolError,
  RequestSetupError,
  type StreamedBody,
  statusRefusal,
  TimeoutReason,
  type Transport,
  type WireRequest,
  type WireResponse,
} from "./wire.js";

/** The abort reason that releases what a finished exchange left running (never seen by a caller). */
const RELEASED = new Error("exchange finished");
/** Content codings a `fetch` implementation may remove; any other one is a `ProtocolError`. */
const KNOWN_CODINGS = new Set(["", "identity", "gzip", "x-gzip", "deflate", "br", "zstd"]);

/**
 * Creates a transport over `fetchImpl`. `fetchOptions` are passed on every call (a `dispatcher`,
 * `credentials`, `cache`…); the transport's own `method`, `headers`, `body`, `signal` and
 * `redirect` take precedence.
 */
export function createFetchTransport(fetchImpl: typeof fetch, fetchOptions?: RequestInit): Transport {
  return function fetchTransport(request: WireRequest): Promise<WireResponse> {
    try {
      const start = Date.now();
      const problem = checkRequest(request);
      if (problem !== undefined) return Promise.reject(problem);
      const badUrl = checkUrl(request.url);
      if (badUrl !== undefined) return Promise.reject(badUrl);
      const { signal, deadline } = request;
      if (signal?.aborted) return Promise.reject(abortReason(signal));
      const timed = Number.isFinite(deadline);
      if (timed && Date.now() >= deadline) return Promise.reject(new TimeoutReason(deadline - start));
      return send(fetchImpl, fetchOptions, request, start, timed);
    } catch (error) {
      return Promise.reject(error);
    }
  };
}

/**
 * One call: the request sent, its response checked ({@link refusalOrCoded}), its body read
 * ({@link readBody}) or handed over ({@link streamedResponse}), under one `AbortController` that
 * the caller's signal and the deadline abort; `release` undoes what was armed, once settled. The
 * call's state is held by closures rather than a class: a class form took as long per call (within
 * 2 %, measured over a stubbed `fetch` so that only our code differs) but cost 103 B gzip more in a
 * browser bundle (these named steps: 23 B).
 */
function send(
  fetchImpl: typeof fetch,
  fetchOptions: RequestInit | undefined,
  request: WireRequest,
  start: number,
  timed: boolean,
): Promise<WireResponse> {
  return new Promise<WireResponse>((resolve, reject) => {
    const { signal, deadline } = request;
    const controller = new AbortController();
    let settled = false;
    /** This call's entry in the shared list of deadlines (`deadlines.ts`: one timer for every call). */
    let watched: Deadline | undefined;
    let response: Response | undefined;
    /** A streamed body, pulled by fetch from its source. */
    const upload = isStreamedBody(request.body) ? new PulledUpload(request.body) : undefined;

    const release = () => {
      if (watched !== undefined) unwatchDeadline(watched);
      unwatchAbort(signal, onAbort);
      // stops the source now (a pending read included), whatever fetch does with its stream
      upload?.stop();
    };
    const fail = (reason: unknown) => {
      if (settled) return;
      settled = true;
      release();
      try {
        // stops the exchange or the body read still under way (a no-op once it is over)
        controller.abort(reason);
      } catch {
        // an abort listener of someone else's fetch threw: nothing to do about it
      }
      reject(reason);
    };
    function onAbort() {
      fail(abortReason(signal as AbortSignal));
    }
    const onFailure = (error: unknown) => {
      // after our own abort the rejection is the consequence, not the cause
      if (settled) return;
      if (response === undefined && isOrphaningRefusal(error)) {
        // Node 20's fetch (undici 6) refused the response after making its body stream, and left
        // that stream with no error listener: aborting now would destroy it with an error nobody
        // handles, an uncaught exception that ends the host process. Settle without aborting.
        settled = true;
        release();
        reject(fetchFailure(error));
        return;
      }
      fail(upload?.error ?? fetchFailure(error));
    };
    const onBody = (body: string | ArrayBuffer | Uint8Array) => {
      try {
        if (settled) return;
        const answered = response as Response;
        settled = true;
        release();
        resolve(
          wireResponse(
            answered,
            request,
            typeof body === "string" || body instanceof Uint8Array ? body : new Uint8Array(body),
          ),
        );
        // undici keeps reading the body of a redirect it followed, and one a 204, 205 or 304 came
        // with: one that never ends would hold its connection (and the process) forever. The
        // exchange is over: stop whatever is left.
        if (leavesReading(answered)) controller.abort(RELEASED);
      } catch (error) {
        fail(error);
      }
    };
    const onResponse = (answered: Response) => {
      try {
        if (settled) {
          discard(answered);
          return;
        }
        response = answered;
        const coded = refusalOrCoded(answered);
        if (coded instanceof ProtocolError) {
          discard(answered);
          fail(coded);
          return;
        }
        if (request.stream === true && answered.status >= 200 && answered.status <= 299) {
          // a 2xx body asked for as a stream: resolved now; the deadline and the listener are released
          settled = true;
          release();
          resolve(streamedResponse(answered, request, () => controller.abort(RELEASED)));
          return;
        }
        const body = readBody(answered, request.method, coded);
        if (body instanceof ProtocolError) {
          discard(answered);
          fail(body);
        } else body.then(onBody, onFailure);
      } catch (error) {
        fail(error);
      }
    };

    if (timed) {
      watched = {
        at: deadline,
        expire: () => fail(new TimeoutReason(deadline - start)),
        prev: undefined,
        next: undefined,
      };
      watchDeadline(watched);
    }
    watchAbort(signal, onAbort);
    try {
      const init: RequestInit & { duplex?: "half" } = {
        method: request.method,
        headers: request.headers,
        // a Uint8Array is a BufferSource; the DOM typings want an ArrayBuffer-backed one
        body: (upload !== undefined ? upload.stream : (request.body ?? null)) as BodyInit | null,
        signal: controller.signal,
        redirect: "follow",
      };
      if (upload !== undefined) init.duplex = "half";
      // no spread on the common path (V8 makes spread objects slow); the transport's fields win
      fetchImpl(request.url, fetchOptions === undefined ? init : Object.assign({}, fetchOptions, init)).then(
        onResponse,
        onFailure,
      );
    } catch (error) {
      onFailure(error);
    }
  });
}

/**
 * A `ProtocolError` for a response no caller may get: a status outside 200–599 (checked first: a
 * platform's odd answer with no status may have no headers either) or a `Content-Encoding` refused
 * by {@link codingsOf}; otherwise whether its body is content-coded.
 */
function refusalOrCoded(answered: Response): boolean | ProtocolError {
  return statusRefusal(answered.status) ?? codingsOf(answered.headers.get("content-encoding"));
}

/**
 * Reads the body in full with a bound ({@link MAX_BODY_BYTES}), or the `ProtocolError` of a body
 * that announces more. A content-coded body is bounded on what it decodes to (a zip bomb), a body
 * of unknown length as it arrives, one of known length by that length. That one is read by the
 * platform: JSON as text (decoded as UTF-8 by the platform: cheaper than by the engine), anything
 * else as bytes, with `bytes()` where the platform has it (a response without a body may still
 * announce the length of one: a HEAD, a 204, 205 or 304).
 */
function readBody(
  answered: Response,
  method: string,
  coded: boolean,
): Promise<string | ArrayBuffer | Uint8Array> | ProtocolError {
  const status = answered.status;
  const length =
    coded || method === "HEAD" || status === 204 || status === 205 || status === 304
      ? 0
      : contentLength(answered.headers.get("content-length"));
  if (coded || length === undefined) return readBounded(answered, coded);
  if (length > MAX_BODY_BYTES) return bodyTooLarge(false);
  if (isJson(answered.headers.get("content-type"))) return answered.text();
  return typeof answered.bytes === "function" ? answered.bytes() : answered.arrayBuffer();
}

/**
 * A 2xx response whose body is handed over as a stream, read on demand. `stop` stops what undici
 * may still be reading (see {@link leavesReading}): at once when there is no body (204, 205), else
 * once the stream handed over ended.
 */
function streamedResponse(answered: Response, request: WireRequest, stop: () => void): WireResponse {
  const status = answered.status;
  if (status === 204 || status === 205) {
    stop();
    return wireResponse(answered, request, new Blob([]).stream());
  }
  const source = answered.body ?? new Blob([]).stream();
  return wireResponse(answered, request, mappedStream(source, leavesReading(answered) ? stop : ignore));
}

/**
 * A {@link StreamedBody} as the web stream `fetch` sends, read from its source only when fetch
 * pulls; {@link PulledUpload.stop} releases the source (a pending read included). A source that
 * fails errors the stream with a `RequestSetupError`, kept as {@link PulledUpload.error}: the
 * call's failure, rather than the network error fetch then rejects with.
 */
class PulledUpload {
  readonly stream: ReadableStream<Uint8Array>;
  error: RequestSetupError | undefined;
  #source: AsyncIterator<Uint8Array> | undefined;
  #stopped = false;

  constructor(body: StreamedBody) {
    this.stream = new ReadableStream<Uint8Array>(
      { pull: (controller) => this.#pull(body, controller), cancel: () => this.stop() },
      { highWaterMark: 0 },
    );
  }

  async #pull(body: StreamedBody, controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> {
    if (this.#stopped) return;
    this.#source ??= body[Symbol.asyncIterator]();
    let step: IteratorResult<Uint8Array>;
    try {
      step = await this.#source.next();
    } catch (cause) {
      this.error = new RequestSetupError(`the request body could not be read: ${String(cause)}`, { cause });
      controller.error(this.error);
      return;
    }
    if (step.done) controller.close();
    else controller.enqueue(step.value);
  }

  stop(): void {
    this.#stopped = true;
    const source = this.#source;
    this.#source = undefined;
    source?.return?.().catch(ignore);
  }
}

/** The {@link WireResponse} of `answered`, with its body read (or to be read) as `body`. */
function wireResponse(answered: Response, request: WireRequest, body: WireResponse["body"]): WireResponse {
  return {
    status: answered.status,
    statusText: answered.statusText,
    headers: answered.headers,
    url: answered.url || request.url,
    redirected: answered.redirected,
    body,
    response: answered,
  };
}

/**
 * `source` read on demand, its failures mapped like a `fetch` rejection's ({@link fetchFailure}:
 * a corrupt coding is a `ProtocolError`); `done` runs once it ended, failed or was cancelled.
 */
function mappedStream(source: ReadableStream<Uint8Array>, done: () => void): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let step: ReadableStreamReadResult<Uint8Array>;
        try {
          step = await reader.read();
        } catch (error) {
          done();
          controller.error(fetchFailure(error));
          return;
        }
        if (step.done) {
          done();
          controller.close();
        } else controller.enqueue(step.value);
      },
      cancel(reason) {
        done();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * `application/json` and `application/*+json`: read as text, JSON being UTF-8 by definition.
 * Other text types stay bytes: a download in another charset must not go through UTF-8.
 */
const JSON_TYPE = /^\s*application\/(?:[\w.!#$&^-]+\+)?json\s*(?:;|$)/i;

function isJson(contentType: string | null): boolean {
  return contentType !== null && JSON_TYPE.test(contentType);
}

/**
 * Whether `fetch` may still be reading from the server once the body it gave is read: the body of
 * a redirect it followed, or one sent with a 204, 205 or 304 (which have none: undici 6 resolves
 * with an empty body, then reads the one sent to its end).
 */
function leavesReading(answered: Response): boolean {
  const status = answered.status;
  return answered.redirected || status === 204 || status === 205 || status === 304;
}

/** Cancels a body nobody will read, so that its connection is released. */
function discard(response: Response): void {
  try {
    response.body?.cancel().catch(ignore);
  } catch {
    // a locked or odd body: the abort that follows releases it
  }
}

function ignore(): void {}

/**
 * The body's bytes, read chunk by chunk; past {@link MAX_BODY_BYTES} the read is cancelled and it
 * rejects with a {@link ProtocolError} (the platform decodes as it reads: for a `coded` body this
 * bounds the decoded size).
 */
async function readBounded(response: Response, coded: boolean): Promise<Uint8Array> {
  const body = response.body;
  if (body === null) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_BODY_BYTES) {
      reader.cancel().catch(ignore);
      throw bodyTooLarge(coded);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const all = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return all;
}

/** A `Content-Length` value as a number of bytes, or `undefined` when absent or not one number. */
function contentLength(header: string | null): number | undefined {
  if (header === null || !/^\d{1,16}$/.test(header)) return undefined;
  return Number(header);
}

/**
 * Whether a `Content-Encoding` header names a coding other than `identity`; or a `ProtocolError`
 * when it lists a coding no `fetch` implementation removes, or mixes `identity` or an empty entry
 * with codings: undici (6 and 7) then decodes nothing and hands over the coded bytes as the body,
 * which would reach the caller as data (a download, silently wrong).
 */
function codingsOf(header: string | null): boolean | ProtocolError {
  if (header === null) return false;
  let coded = false;
  let blank = false;
  for (const part of header.split(",")) {
    const coding = part.trim().toLowerCase();
    if (!KNOWN_CODINGS.has(coding)) {
      return new ProtocolError(
        `unsupported content coding ${JSON.stringify(coding.length > 40 ? `${coding.slice(0, 40)}…` : coding)}`,
      );
    }
    if (coding === "" || coding === "identity") blank = true;
    else coded = true;
  }
  return coded && blank
    ? new ProtocolError(
        `content codings listed with "identity" or an empty entry: ${JSON.stringify(header.slice(0, 60))}`,
      )
    : coded;
}

/**
 * What a `fetch` rejection means. undici (Node's `fetch`) rejects with `TypeError("fetch failed")`
 * and the reason as `cause`; for a refused redirect that reason is the server's fault, not the
 * network's. A body it could not decompress fails with `TypeError("terminated")` and a zlib error.
 */
function fetchFailure(error: unknown): unknown {
  if (!(error instanceof TypeError)) return error;
  const cause: unknown = error.cause;
  if (!(cause instanceof Error)) return error;
  const code = (cause as { code?: unknown }).code;
  if (cause.message === "redirect count exceeded") return new ProtocolError("too many redirects (more than 20)");
  if (code === "ERR_INVALID_URL") return new ProtocolError("redirect with an invalid Location");
  if (cause.message === "URL scheme must be a HTTP(S) scheme")
    return new ProtocolError("redirect to an unsupported protocol");
  if ((typeof code === "string" && code.startsWith("Z_")) || cause.message === "Decompression failed")
    return new ProtocolError("corrupt compressed response body", { cause });
  if (TOO_MANY_CODINGS.test(cause.message))
    return new ProtocolError(`too many content codings (more than ${MAX_CODINGS})`);
  return error;
}

/** undici's refusal of a `Content-Encoding` list longer than {@link MAX_CODINGS} entries. */
const TOO_MANY_CODINGS = /^too many content-encodings in response/;

/**
 * A `fetch` rejection that left something of undici's running that an abort would crash: the
 * refusal of too many codings, which undici 6 (Node 20's `fetch`) makes after it created the
 * response's body stream (fixed in undici 7, where the refusal aborts the request instead).
 */
function isOrphaningRefusal(error: unknown): boolean {
  const cause = error instanceof TypeError ? error.cause : undefined;
  return cause instanceof Error && TOO_MANY_CODINGS.test(cause.message);
}
