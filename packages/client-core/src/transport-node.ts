/**
 * The {@link Transport} over `node:http` / `node:https` with keep-alive agents: the default on Node
 * (the `node` export-condition build swaps `transport.ts` for this module), about twice as fast
 * as the global `fetch` on loopback.
 *
 * It is written for a process that is not ours: nothing a server sends may throw inside an event
 * handler, leave a timer or a listener behind, or keep the call from settling by its deadline.
 * - the request is checked before anything is armed: Node checks the method and the headers when the
 *   request object is created, before the timer and the abort listener; an invalid one is a
 *   `RequestSetupError` that names the header and never shows its value;
 * - one deadline covers every redirect hop and the body → `TimeoutReason`; an abort rejects with the
 *   signal's reason; both destroy the request and its socket;
 * - redirects (301/302/303/307/308) are followed like `fetch` does, at most 20; a status outside
 *   100–599, an unexpected 1xx or protocol switch, an unusable `Location`, an unknown or corrupt
 *   content coding → `ProtocolError`;
 * - the body is read in full and every content coding listed (`gzip, br`…) is removed (zlib's
 *   asynchronous one-shot functions: off the main thread);
 * - anything else (refused, reset, a body cut short) rejects with Node's own error.
 *
 * A `Blob` or {@link StreamedBody} request body is written chunk by chunk as the socket takes it
 * (backpressure: one chunk in flight, never the whole body in memory), with `content-length` when
 * its length is known (a `Blob`) and chunked otherwise; the upload stops — the source released —
 * when the call fails, times out, is aborted, or its response ends first. A failing source is a
 * `RequestSetupError`; a 307/308 redirect cannot re-send a streamed body (`ProtocolError`).
 *
 * It is also kept cheap (close to a bare `http.request` on loopback): no `URL` per request once
 * an origin is known, no copy of the caller's headers, no object spread (V8 makes spread objects
 * slow enough to cost 10 % of a request), response `Headers` filled only when used, one timer
 * shared by the deadlines of all the calls under way.
 */
import type { ClientRequest, Agent as HttpAgent, IncomingMessage, OutgoingHttpHeaders } from "node:http";
import type { Agent as HttpsAgent } from "node:https";
import { abortReason } from "./abort.js";
import { checkRequest, isBody, isToken } from "./header-check.js";
import { type Target, targetOf, targetOfUrl } from "./node-target.js";
import { readChunks } from "./uploads.js";
import {
  isStreamedBody,
  MAX_DECODED_BODY_BYTES,
  ProtocolError,
  RequestSetupError,
  type StreamedBody,
  TimeoutReason,
  type Transport,
  type WireRequest,
  type WireResponse,
} from "./wire.js";

/** Options of {@link createNodeTransport}. */
export interface NodeTransportOptions {
  /** Agent for `http:` URLs. Default: a keep-alive agent of this transport. */
  httpAgent?: HttpAgent;
  /** Agent for `https:` URLs. Default: a keep-alive agent of this transport. */
  httpsAgent?: HttpsAgent;
}

/**
 * Loaded on the first request, not at import: `node:http`, `node:https` (TLS) and `node:zlib`
 * add about 30 ms to a cold import of the package.
 */
let http: typeof import("node:http") | undefined;
let https: typeof import("node:https") | undefined;
let zlib: typeof import("node:zlib") | undefined;

function load(secure: boolean): Promise<unknown> {
  return Promise.all([
    http ?? import("node:http").then((m) => (http = m)),
    zlib ?? import("node:zlib").then((m) => (zlib = m)),
    secure ? (https ?? import("node:https").then((m) => (https = m))) : undefined,
  ]);
}

/** At most this many redirects are followed, as in `fetch`. */
const MAX_REDIRECTS = 20;
/** The longest delay `setTimeout` takes as given (a longer one fires after 1 ms). */
const MAX_TIMER_MS = 2_147_483_647;
/** Headers dropped when a redirect leaves the origin. */
const CREDENTIALS = ["authorization", "proxy-authorization", "cookie", "host"];
/** Headers describing the request body, dropped when a redirect turns the request into a GET. */
const BODY_HEADERS = ["content-type", "content-length", "content-encoding", "content-language", "content-location"];
const EMPTY = new Uint8Array(0);

/** Creates a transport with its own keep-alive agents (or the given ones). */
export function createNodeTransport(options: NodeTransportOptions = {}): Transport {
  let httpAgent = options.httpAgent;
  let httpsAgent = options.httpsAgent;
  const agentFor = (secure: boolean): HttpAgent => {
    if (secure) {
      httpsAgent ??= new (https as typeof import("node:https")).Agent({ keepAlive: true });
      return httpsAgent;
    }
    httpAgent ??= new (http as typeof import("node:http")).Agent({ keepAlive: true });
    return httpAgent;
  };
  return function nodeTransport(request: WireRequest): Promise<WireResponse> {
    try {
      const start = Date.now();
      // headers and method are checked by Node itself when the request is created, before
      // anything is armed (see `open`); only what Node would take and then choke on is checked here
      const body = request.body;
      if (body !== undefined && typeof body !== "string" && !(body instanceof Uint8Array) && !isBody(body))
        return Promise.reject(
          new RequestSetupError("the request body must be a string, a Uint8Array, a Blob or a StreamedBody"),
        );
      const target = targetOf(request.url);
      if (target instanceof RequestSetupError) return Promise.reject(target);
      if (http === undefined || zlib === undefined || (target.secure && https === undefined)) {
        return load(target.secure).then(() => exchange(request, target, start, agentFor));
      }
      return exchange(request, target, start, agentFor);
    } catch (error) {
      // not expected (the checks above do not throw); never throw synchronously all the same
      return Promise.reject(error);
    }
  };
}

/**
 * The deadlines of the calls under way, in a list sorted by deadline and watched by one shared
 * timer set for the first of them, rather than a timer per call (which measured 3–8 % of a
 * loopback request at 32 in flight). With a steady timeout a new deadline goes at the end of the
 * list and the timer is left alone. The timer keeps the process alive only while a call is under way.
 */
interface Deadline {
  at: number;
  expire: () => void;
  prev: Deadline | undefined;
  next: Deadline | undefined;
}
let firstDeadline: Deadline | undefined;
let lastDeadline: Deadline | undefined;
let wake: ReturnType<typeof setTimeout> | undefined;
/** When `wake` fires (`Infinity`: not set); never later than the first deadline. */
let wakeAt = Number.POSITIVE_INFINITY;
/** The `setTimeout` that set `wake`: when a test installs or removes fake timers, it is set again. */
let wakeWith: typeof setTimeout | undefined;

function armWake(at: number): void {
  if (wake !== undefined) clearTimeout(wake);
  wakeAt = at;
  wakeWith = setTimeout;
  wake = setTimeout(onWake, Math.min(Math.max(at - Date.now(), 0), MAX_TIMER_MS));
}

/** Whether `wake` keeps the process alive (fake timers may lack `ref`/`unref`). */
function refWake(on: boolean): void {
  const handle = wake as { ref?: () => void; unref?: () => void } | undefined;
  if (on) handle?.ref?.();
  else handle?.unref?.();
}

function onWake(): void {
  wake = undefined;
  wakeAt = Number.POSITIVE_INFINITY;
  const now = Date.now();
  for (let due = firstDeadline; due !== undefined && due.at <= now; due = firstDeadline) {
    unwatchDeadline(due);
    try {
      due.expire();
    } catch {
      // an expiry only rejects its own call; never let one stop the others
    }
  }
  if (firstDeadline !== undefined) armWake(firstDeadline.at);
}

function watchDeadline(entry: Deadline): void {
  // sorted insertion, from the end: deadlines mostly come in order
  let before = lastDeadline;
  while (before !== undefined && before.at > entry.at) before = before.prev;
  const after = before === undefined ? firstDeadline : before.next;
  entry.prev = before;
  entry.next = after;
  if (before === undefined) firstDeadline = entry;
  else before.next = entry;
  if (after === undefined) lastDeadline = entry;
  else after.prev = entry;
  if (entry.at < wakeAt || wakeWith !== setTimeout) armWake((firstDeadline as Deadline).at);
  else if (before === undefined && after === undefined) refWake(true); // the first call under way
}

function unwatchDeadline(entry: Deadline): void {
  if (entry.prev !== undefined) entry.prev.next = entry.next;
  else if (firstDeadline === entry) firstDeadline = entry.next;
  else return; // not in the list (any more)
  if (entry.next !== undefined) entry.next.prev = entry.prev;
  else lastDeadline = entry.prev;
  entry.prev = undefined;
  entry.next = undefined;
  if (firstDeadline === undefined) refWake(false);
}

/** One call: the first request, its redirects, and the body of the last response. */
function exchange(
  request: WireRequest,
  firstTarget: Target,
  start: number,
  agentFor: (secure: boolean) => HttpAgent,
): Promise<WireResponse> {
  return new Promise<WireResponse>((resolve, reject) => {
    const { signal, deadline } = request;
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const timed = Number.isFinite(deadline);
    if (timed && Date.now() >= deadline) {
      reject(new TimeoutReason(deadline - start));
      return;
    }

    let settled = false;
    /** In the list of deadlines while the call is under way (when it has a finite deadline). */
    let watched: Deadline | undefined;
    /** The current hop's request and, once its headers arrived, its response. */
    let req: ClientRequest | undefined;
    let res: IncomingMessage | undefined;
    const chunks: Buffer[] = [];
    /** Redirect responses whose bodies are being discarded; destroyed at the end if still open. */
    let draining: IncomingMessage[] | undefined;
    let hops = 0;
    let target = firstTarget;
    let method = request.method;
    let body = request.body;
    /** The caller's headers, given to Node as they are (copied only for a redirect that changes them). */
    let headers: OutgoingHttpHeaders = request.headers;
    /** The upload of a `Blob` or streamed body under way: its request, source, and whether it was all written. */
    let upload: { req: ClientRequest; source: AsyncIterator<Uint8Array>; done: boolean } | undefined;

    /** Stops the upload under way (its source released at once); its request is destroyed unless it was all sent. */
    const stopUpload = () => {
      const current = upload;
      if (current === undefined) return;
      upload = undefined;
      if (!current.done) {
        current.source.return?.().catch(ignore);
        // a request cut short cannot leave its socket to the next request
        current.req.destroy();
      }
    };
    const release = () => {
      if (watched !== undefined) unwatchDeadline(watched);
      signal?.removeEventListener("abort", onAbort);
      if (draining !== undefined) for (const old of draining) if (!old.complete) old.destroy();
      stopUpload();
    };
    const fail = (reason: unknown) => {
      if (settled) return;
      settled = true;
      release();
      // after a keep-alive response ended, the request is already marked destroyed: this is a no-op
      req?.destroy();
      reject(reason);
    };
    const succeed = (response: WireResponse) => {
      if (settled) return;
      settled = true;
      release();
      resolve(response);
    };

    function onAbort() {
      try {
        fail(abortReason(signal as AbortSignal));
      } catch (error) {
        reject(error);
      }
    }
    function onTimeout() {
      try {
        fail(new TimeoutReason(deadline - start));
      } catch (error) {
        fail(error);
      }
    }

    function onRequestError(this: ClientRequest, error: Error) {
      // a server may answer before reading the whole upload and close: then writing fails
      // (EPIPE, ECONNRESET) but the response it sent decides (its 'close' reports a cut one)
      if (this === req && !(res !== undefined && upload !== undefined && upload.req === this)) fail(error);
    }
    function onRequestClose(this: ClientRequest) {
      try {
        if (settled || this !== req || res !== undefined) return;
        // closed with neither a response nor an error: a protocol switch nobody asked for
        // set by Node when a response head arrived that it did not hand to us (an upgrade)
        const early = (this as ClientRequest & { res?: { upgrade?: boolean; statusCode?: number } | null }).res;
        if (early?.upgrade || early?.statusCode === 101) fail(new ProtocolError("unexpected protocol switch (101)"));
        else fail(new Error("the connection closed before a response"));
      } catch (error) {
        fail(error);
      }
    }

    function onResponse(this: ClientRequest, incoming: IncomingMessage) {
      incoming.on("error", onResponseError);
      try {
        if (settled || this !== req) {
          incoming.destroy();
          return;
        }
        res = incoming;
        const status = incoming.statusCode ?? 0;
        if (!(status >= 200 && status <= 599)) {
          fail(
            new ProtocolError(
              status >= 100 && status < 200
                ? `unexpected informational response ${status}`
                : `invalid HTTP status ${status}`,
            ),
          );
          return;
        }
        if (status >= 301 && status <= 308 && status !== 304 && status !== 305 && status !== 306) {
          const location = incoming.headers.location;
          if (location !== undefined) {
            redirect(incoming, status, location);
            return;
          }
        }
        if (request.stream === true && status >= 200 && status <= 299) {
          handOver(incoming, status);
          return;
        }
        // 'close' rather than 'end': one listener for the body's end, complete or cut short
        incoming.on("data", onData);
        incoming.on("close", onResponseClose);
      } catch (error) {
        fail(error);
      }
    }
    function onData(this: IncomingMessage, chunk: Buffer) {
      if (this === res) chunks.push(chunk);
    }
    function onResponseError(this: IncomingMessage, error: Error) {
      if (this === res) fail(error);
    }
    function onResponseClose(this: IncomingMessage) {
      try {
        if (settled || this !== res) return;
        if (!this.complete) {
          fail(new Error("the connection closed before the end of the response body"));
          return;
        }
        const status = this.statusCode as number;
        const noBody = method === "HEAD" || status === 204 || status === 205 || status === 304;
        const raw = noBody
          ? EMPTY
          : chunks.length === 1
            ? (chunks[0] as Buffer)
            : chunks.length === 0
              ? EMPTY
              : Buffer.concat(chunks);
        const received = responseHeaders(this.rawHeaders);
        const done = (decoded: Uint8Array) =>
          succeed({
            status,
            statusText: this.statusMessage ?? "",
            headers: received,
            url: target.href,
            redirected: hops > 0,
            body: decoded,
          });
        // every `Content-Encoding` line, joined (not Node's `headers`, built on first access)
        const coding = received.get("content-encoding");
        if (coding === null || raw.byteLength === 0) done(raw);
        else decode(raw, coding, done, fail);
      } catch (error) {
        fail(error);
      }
    }

    /** A 2xx body asked for as a stream: resolved now; the deadline and the listener are released. */
    function handOver(incoming: IncomingMessage, status: number) {
      const headers = responseHeaders(incoming.rawHeaders);
      const noBody = method === "HEAD" || status === 204 || status === 205;
      const body = noBody ? emptyBody(incoming) : streamedBody(incoming, headers.get("content-encoding"));
      if (body instanceof ProtocolError) {
        fail(body);
        return;
      }
      succeed({
        status,
        statusText: incoming.statusMessage ?? "",
        headers,
        url: target.href,
        redirected: hops > 0,
        body,
      });
    }

    function redirect(incoming: IncomingMessage, status: number, location: string) {
      // discard the redirect's body; the socket goes back to the pool once it is read
      incoming.resume();
      draining ??= [];
      draining.push(incoming);
      // the old request's events are ignored from now on (`this !== req`)
      req = undefined;
      res = undefined;
      if (++hops > MAX_REDIRECTS) {
        fail(new ProtocolError(`too many redirects (more than ${MAX_REDIRECTS})`));
        return;
      }
      let parsed: URL;
      try {
        parsed = new URL(location, target.href);
      } catch {
        fail(new ProtocolError(`redirect ${status} with an invalid Location`));
        return;
      }
      const next = targetOfUrl(parsed);
      if (next instanceof RequestSetupError) {
        fail(new ProtocolError(`redirect ${status} to ${next.message}`));
        return;
      }
      const nextHeaders: OutgoingHttpHeaders = { ...headers };
      if (
        (status === 303 && method !== "GET" && method !== "HEAD") ||
        ((status === 301 || status === 302) && method === "POST")
      ) {
        method = "GET";
        body = undefined;
        for (const name of BODY_HEADERS) delete nextHeaders[name];
      }
      // the previous hop's upload (if it was still going) ends here
      stopUpload();
      if (isStreamedBody(body)) {
        fail(
          new ProtocolError(`redirect ${status} cannot be followed: the streamed request body cannot be sent again`),
        );
        return;
      }
      if (next.origin !== target.origin) for (const name of CREDENTIALS) delete nextHeaders[name];
      headers = nextHeaders;
      target = next;
      if (next.secure && https === undefined) {
        load(true).then(() => {
          if (!settled) send(open());
        }, fail);
      } else send(open());
    }

    /**
     * Creates the current hop's request (not sent yet): Node checks the method and the headers
     * here and throws on an invalid one — then the call is a `RequestSetupError`, described by
     * our own check (Node's message names the header; neither shows the value).
     */
    function open(): ClientRequest | undefined {
      const { secure } = target;
      let created: ClientRequest | undefined;
      try {
        created = (secure ? (https as typeof import("node:https")) : (http as typeof import("node:http"))).request(
          {
            protocol: secure ? "https:" : "http:",
            hostname: target.hostname,
            port: target.port,
            path: target.path,
            method,
            headers,
            agent: agentFor(secure),
          },
          onResponse,
        );
        // set on the request rather than on a copy of the caller's headers
        if (headers["accept-encoding"] === undefined) created.setHeader("accept-encoding", "gzip, deflate, br");
        if (body === undefined) {
          if (method !== "GET" && method !== "HEAD") created.setHeader("content-length", 0);
        } else if (typeof body === "string") created.setHeader("content-length", Buffer.byteLength(body));
        else if (body instanceof Uint8Array) created.setHeader("content-length", body.byteLength);
        else if (!isStreamedBody(body)) created.setHeader("content-length", body.size);
        else if (body.length !== undefined) created.setHeader("content-length", body.length);
        // chunked: what Node does by default for a POST, not for every method
        else created.setHeader("transfer-encoding", "chunked");
      } catch (error) {
        // Node's own checks; its message names the header at most, but keep only the code
        if (created !== undefined) {
          created.on("error", ignore);
          created.destroy();
        }
        const code = (error as { code?: unknown } | null)?.code;
        fail(
          checkRequest(request) ??
            new RequestSetupError(`the request could not be built${typeof code === "string" ? ` (${code})` : ""}`),
        );
        return undefined;
      }
      req = created;
      created.on("error", onRequestError);
      created.on("close", onRequestClose);
      return created;
    }
    function send(created: ClientRequest | undefined) {
      try {
        if (created === undefined) return;
        if (body === undefined || typeof body === "string" || body instanceof Uint8Array) created.end(body);
        else pump(created, isStreamedBody(body) ? body : blobChunks(body));
      } catch (error) {
        fail(error);
      }
    }

    /**
     * Writes a `Blob` or streamed body to `created` with backpressure: the next chunk is read only
     * once the socket took the last one ('drain'). Stops as soon as the exchange ends or moves on.
     */
    function pump(created: ClientRequest, body: StreamedBody) {
      const source = body[Symbol.asyncIterator]();
      const current = { req: created, source, done: false };
      upload = current;
      let resume: (() => void) | undefined;
      const wakeUp = () => {
        const next = resume;
        resume = undefined;
        next?.();
      };
      created.on("drain", wakeUp);
      created.on("close", wakeUp);
      const live = () => !settled && upload === current && !created.destroyed;
      const loop = async () => {
        for (;;) {
          let step: IteratorResult<Uint8Array>;
          try {
            step = await source.next();
          } catch (cause) {
            if (live()) fail(new RequestSetupError(`the request body could not be read: ${String(cause)}`, { cause }));
            return;
          }
          if (!live()) return;
          if (step.done) {
            current.done = true;
            created.end();
            return;
          }
          const chunk = step.value;
          if (!(chunk instanceof Uint8Array)) {
            fail(new RequestSetupError("the request body stream yielded something other than bytes"));
            return;
          }
          if (chunk.byteLength === 0) continue;
          if (!created.write(chunk)) {
            await new Promise<void>((resolve) => {
              resume = resolve;
            });
            if (!live()) return;
          }
        }
      };
      loop().catch(fail);
    }

    const first = open();
    if (first === undefined) return; // refused before anything was armed
    if (timed) {
      watched = { at: deadline, expire: onTimeout, prev: undefined, next: undefined };
      watchDeadline(watched);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
    send(first);
  });
}

function ignore(): void {}

/** A `Blob`'s bytes as a {@link StreamedBody} (the `Blob` itself stays replayable: a new one each time). */
function blobChunks(blob: Blob): StreamedBody {
  return { length: blob.size, [Symbol.asyncIterator]: () => readChunks(blob.stream()) };
}

/** The body of a response that has none, read to its end so that its socket is reused. */
function emptyBody(incoming: IncomingMessage): ReadableStream<Uint8Array> {
  incoming.resume();
  return new ReadableStream<Uint8Array>({ start: (controller) => controller.close() });
}

/**
 * A response body as a web stream of its decoded bytes, read from the socket only as fast as the
 * stream's reader takes them (64 KiB ahead at most; then the socket is paused); a content coding is
 * removed as the bytes arrive (zlib streams; `deflate` as RFC 9110 defines it, zlib-wrapped).
 * Cancelling it destroys the response (its socket is not reused). A connection cut short errors it
 * with Node's error; a corrupt coding with a {@link ProtocolError}. Listeners never throw.
 */
function streamedBody(incoming: IncomingMessage, coding: string | null): ReadableStream<Uint8Array> | ProtocolError {
  const z = zlib as typeof import("node:zlib");
  const decoders: import("node:stream").Transform[] = [];
  for (const part of coding === null ? [] : coding.split(",").reverse()) {
    const name = part.trim().toLowerCase();
    if (name === "" || name === "identity") continue;
    if (name === "gzip" || name === "x-gzip") decoders.push(z.createGunzip());
    else if (name === "deflate") decoders.push(z.createInflate());
    else if (name === "br") decoders.push(z.createBrotliDecompress());
    else {
      for (const decoder of decoders) decoder.destroy();
      return new ProtocolError(`unsupported content coding ${quote(name)}`);
    }
  }
  let last: import("node:stream").Readable = incoming;
  for (const decoder of decoders) last = last.pipe(decoder);
  const out = last;
  let over = false;
  const stop = () => {
    over = true;
    incoming.destroy();
    for (const decoder of decoders) decoder.destroy();
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const failWith = (error: unknown) => {
          if (over) return;
          stop();
          const code = (error as { code?: unknown } | null)?.code;
          controller.error(
            typeof code === "string" && code.startsWith("Z_")
              ? new ProtocolError("corrupt compressed response body", { cause: error })
              : error,
          );
        };
        out.on("data", (chunk: Buffer) => {
          if (over) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) out.pause();
        });
        out.on("end", () => {
          if (over) return;
          if (!incoming.complete) {
            failWith(new Error("the connection closed before the end of the response body"));
            return;
          }
          over = true;
          controller.close();
        });
        for (const stream of [incoming, ...decoders]) stream.on("error", failWith);
        incoming.on("close", () => {
          if (!incoming.complete) failWith(new Error("the connection closed before the end of the response body"));
        });
      },
      pull() {
        if (!over) out.resume();
      },
      cancel() {
        if (!over) stop();
      },
    },
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
  );
}

/** True for HTTP whitespace (SP, HTAB, CR, LF), what `Headers` trims off a value. */
const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/** `value` as `Headers` stores it (trimmed), or `undefined` for a value it refuses (NUL, CR, LF). */
function headerValue(value: string): string | undefined {
  let from = 0;
  let to = value.length;
  while (from < to && isSpace(value.charCodeAt(from))) from++;
  while (to > from && isSpace(value.charCodeAt(to - 1))) to--;
  const trimmed = from === 0 && to === value.length ? value : value.slice(from, to);
  return trimmed.includes("\0") || trimmed.includes("\r") || trimmed.includes("\n") ? undefined : trimmed;
}

/** True when the raw header name `raw` is `lower` (a lower-case name) ignoring case. */
function sameName(raw: string, lower: string): boolean {
  if (raw.length !== lower.length) return false;
  for (let i = 0; i < raw.length; i++) {
    let c = raw.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}

type ResponseHeadersClass = new (raw: string[]) => Headers;
let ResponseHeaders: ResponseHeadersClass | undefined;

/**
 * The response headers: a real `Headers` (undici's, subclassed), filled from Node's raw headers
 * only when first needed. Building it costs more than the rest of the transport's work on a
 * loopback request, and most responses are only asked for a header or two: `get` and `has` are
 * answered from the raw headers directly; every other use fills it first. A value `Headers`
 * refuses (Node's lenient parser lets some through) is skipped, never fatal.
 */
function responseHeadersClass(): ResponseHeadersClass {
  // defined on first use: `Headers` is a lazy global that loads undici
  class NodeResponseHeaders extends globalThis.Headers {
    #raw: string[] | undefined;
    constructor(raw: string[]) {
      super();
      this.#raw = raw;
    }
    /** Moves the raw headers in (once); afterwards the object is a plain `Headers`. */
    #fill(): void {
      const raw = this.#raw;
      if (raw === undefined) return;
      this.#raw = undefined;
      for (let i = 0; i + 1 < raw.length; i += 2) {
        try {
          super.append(raw[i] as string, raw[i + 1] as string);
        } catch {
          // a value Headers refuses: skipped
        }
      }
    }
    /** The values of `name` joined with ", " as `Headers` joins them; `undefined` to ask `Headers`. */
    #lookup(name: string): string | null | undefined {
      const raw = this.#raw;
      if (raw === undefined || typeof name !== "string" || !isToken(name)) return undefined;
      const lower = name.toLowerCase();
      let found: string | null = null;
      for (let i = 0; i + 1 < raw.length; i += 2) {
        if (!sameName(raw[i] as string, lower)) continue;
        const value = headerValue(raw[i + 1] as string);
        if (value !== undefined) found = found === null ? value : `${found}, ${value}`;
      }
      return found;
    }
    override get(name: string): string | null {
      const found = this.#lookup(name);
      if (found !== undefined) return found;
      this.#fill();
      return super.get(name);
    }
    override has(name: string): boolean {
      const found = this.#lookup(name);
      if (found !== undefined) return found !== null;
      this.#fill();
      return super.has(name);
    }
    override append(name: string, value: string): void {
      this.#fill();
      super.append(name, value);
    }
    override set(name: string, value: string): void {
      this.#fill();
      super.set(name, value);
    }
    override delete(name: string): void {
      this.#fill();
      super.delete(name);
    }
    override getSetCookie(): string[] {
      this.#fill();
      return super.getSetCookie();
    }
    override forEach(callback: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void {
      this.#fill();
      super.forEach(callback, thisArg);
    }
    override entries(): ReturnType<Headers["entries"]> {
      this.#fill();
      return super.entries();
    }
    override keys(): ReturnType<Headers["keys"]> {
      this.#fill();
      return super.keys();
    }
    override values(): ReturnType<Headers["values"]> {
      this.#fill();
      return super.values();
    }
    // also what `new Headers(h)`, `new Response(b, { headers: h })` and spreading read
    override [Symbol.iterator](): ReturnType<Headers["entries"]> {
      this.#fill();
      return super.entries();
    }
    [Symbol.for("nodejs.util.inspect.custom")](...args: unknown[]): unknown {
      this.#fill();
      const inspect = (Headers.prototype as unknown as Record<symbol, ((...a: unknown[]) => unknown) | undefined>)[
        Symbol.for("nodejs.util.inspect.custom")
      ];
      return inspect ? inspect.apply(this, args) : this;
    }
  }
  return NodeResponseHeaders;
}

/** The response headers of `raw` (Node's `rawHeaders`). */
function responseHeaders(raw: string[]): Headers {
  ResponseHeaders ??= responseHeadersClass();
  return new ResponseHeaders(raw);
}

/** A server-supplied token fit for a message: quoted, escaped, short. */
function quote(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

type Decoder = (data: Uint8Array, done: (error: Error | null, result: Buffer) => void) => void;

/** zlib stops (ERR_BUFFER_TOO_LARGE) rather than inflate a bomb past the cap. */
const BOUNDED = { maxOutputLength: MAX_DECODED_BODY_BYTES };

function decoderFor(coding: string): Decoder | undefined {
  const z = zlib as typeof import("node:zlib");
  switch (coding) {
    case "gzip":
    case "x-gzip":
      return (data, done) => z.gunzip(data, BOUNDED, done);
    case "deflate":
      // RFC 9110 deflate is zlib-wrapped, but some servers send raw deflate: look at the header
      return (data, done) =>
        data.length >= 2 &&
        ((data[0] as number) & 0x0f) === 8 &&
        (((data[0] as number) << 8) | (data[1] as number)) % 31 === 0
          ? z.inflate(data, BOUNDED, done)
          : z.inflateRaw(data, BOUNDED, done);
    case "br":
      return (data, done) => z.brotliDecompress(data, BOUNDED, done);
    default:
      return undefined;
  }
}

/** Removes the content codings of `header` (applied in order, so removed last first). */
function decode(
  data: Uint8Array,
  header: string,
  done: (body: Uint8Array) => void,
  fail: (reason: unknown) => void,
): void {
  const decoders: Decoder[] = [];
  for (const part of header.split(",")) {
    const coding = part.trim().toLowerCase();
    if (coding === "" || coding === "identity") continue;
    const decoder = decoderFor(coding);
    if (decoder === undefined) {
      fail(new ProtocolError(`unsupported content coding ${quote(coding)}`));
      return;
    }
    decoders.push(decoder);
  }
  const step = (current: Uint8Array) => {
    const decoder = decoders.pop();
    if (decoder === undefined) {
      done(current);
      return;
    }
    decoder(current, (error, result) => {
      try {
        if (error)
          fail(
            (error as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE"
              ? new ProtocolError(`the compressed response body decodes to more than ${MAX_DECODED_BODY_BYTES} bytes`, {
                  cause: error,
                })
              : new ProtocolError("corrupt compressed response body", { cause: error }),
          );
        else step(result);
      } catch (thrown) {
        fail(thrown);
      }
    });
  };
  step(data);
}

/** The transport shared by every client created without a transport of its own, on Node. */
export const defaultTransport: Transport = createNodeTransport();
