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
import { abortReason } from "./abort.js";
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
    /** A streamed body's reader, and why its source failed (if it did). */
    let upload: AsyncIterator<Uint8Array> | undefined;
    let uploadError: RequestSetupError | undefined;

    const release = () => {
      if (watched !== undefined) unwatchDeadline(watched);
      signal?.removeEventListener("abort", onAbort);
      if (upload !== undefined) {
        // stops the source now (a pending read included), whatever fetch does with its stream
        upload.return?.().catch(ignore);
        upload = undefined;
      }
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
      fail(uploadError ?? fetchFailure(error));
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
    /** A 2xx body asked for as a stream: resolved now; the deadline and the listener are released. */
    const handOver = (answered: Response) => {
      settled = true;
      release();
      const status = answered.status;
      if (status === 204 || status === 205) {
        // no body to hand over: what undici may still be reading (see leavesReading) is stopped now
        resolve(wireResponse(answered, request, new Blob([]).stream()));
        controller.abort(RELEASED);
        return;
      }
      const source = answered.body ?? new Blob([]).stream();
      // what undici may still be reading (see onBody and leavesReading) is stopped once this one ends
      const done = leavesReading(answered) ? () => controller.abort(RELEASED) : ignore;
      resolve(wireResponse(answered, request, mappedStream(source, done)));
    };
    const onResponse = (answered: Response) => {
      try {
        if (settled) {
          discard(answered);
          return;
        }
        response = answered;
        const status = answered.status;
        // the status first: a platform's odd answer (no status) may have no headers either
        const badStatus = !(status >= 200 && status <= 599) || !Number.isInteger(status);
        const codings = badStatus ? false : codingsOf(answered.headers.get("content-encoding"));
        const problem = badStatus
          ? new ProtocolError(
              status >= 100 && status < 200
                ? `unexpected informational response ${status}`
                : `invalid HTTP status ${status}`,
            )
          : codings instanceof ProtocolError
            ? codings
            : undefined;
        if (problem !== undefined) {
          discard(answered);
          fail(problem);
          return;
        }
        if (request.stream === true && status >= 200 && status <= 299) {
          handOver(answered);
          return;
        }
        // read with a bound (MAX_BODY_BYTES): a content-coded body on what it decodes to (a zip
        // bomb), a body of unknown length as it arrives, one of known length by that length. That
        // one is read by the platform: JSON as text (decoded as UTF-8 by the platform: cheaper
        // than by the engine), anything else as bytes, with bytes() where the platform has it
        // (a response without a body may still announce the length of one: a HEAD, a 304)
        const coded = codings === true;
        const length =
          coded || request.method === "HEAD" || status === 204 || status === 205 || status === 304
            ? 0
            : contentLength(answered.headers.get("content-length"));
        if (coded || length === undefined) readBounded(answered, coded).then(onBody, onFailure);
        else if (length > MAX_BODY_BYTES) {
          discard(answered);
          fail(bodyTooLarge(false));
        } else if (isJson(answered.headers.get("content-type"))) answered.text().then(onBody, onFailure);
        else if (typeof answered.bytes === "function") answered.bytes().then(onBody, onFailure);
        else answered.arrayBuffer().then(onBody, onFailure);
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
    signal?.addEventListener("abort", onAbort, { once: true });
    /** A streamed body as a web stream, read from its source only when fetch pulls. */
    const webStream = (body: StreamedBody) =>
      new ReadableStream<Uint8Array>(
        {
          async pull(stream) {
            if (settled) return;
            upload ??= body[Symbol.asyncIterator]();
            let step: IteratorResult<Uint8Array>;
            try {
              step = await upload.next();
            } catch (cause) {
              uploadError = new RequestSetupError(`the request body could not be read: ${String(cause)}`, { cause });
              stream.error(uploadError);
              return;
            }
            if (step.done) stream.close();
            else stream.enqueue(step.value);
          },
          cancel() {
            upload?.return?.().catch(ignore);
            upload = undefined;
          },
        },
        { highWaterMark: 0 },
      );
    try {
      const streamed = isStreamedBody(request.body);
      const init: RequestInit & { duplex?: "half" } = {
        method: request.method,
        headers: request.headers,
        // a Uint8Array is a BufferSource; the DOM typings want an ArrayBuffer-backed one
        body: (streamed ? webStream(request.body as StreamedBody) : (request.body ?? null)) as BodyInit | null,
        signal: controller.signal,
        redirect: "follow",
      };
      if (streamed) init.duplex = "half";
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
