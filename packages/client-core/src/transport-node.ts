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
 * an origin is known, the headers handed to Node as a flat list (see `headerList`), no object
 * spread (V8 makes spread objects slow enough to cost 10 % of a request), response `Headers`
 * filled only when used, one timer shared by the deadlines of all the calls under way.
 */
import type { ClientRequest, Agent as HttpAgent, IncomingMessage, OutgoingHttpHeaders } from "node:http";
import type { Agent as HttpsAgent } from "node:https";
import { abortReason, unwatchAbort, watchAbort } from "./abort.js";
import { type Deadline, unwatchDeadline, watchDeadline } from "./deadlines.js";
import { checkRequest, isBody } from "./header-check.js";
import { decode, emptyBody, loadZlib, streamedBody, zlibLoaded } from "./node-decode.js";
import { responseHeaders } from "./node-headers.js";
import { type Target, targetOf, targetOfUrl } from "./node-target.js";
import { readChunks } from "./uploads.js";
import {
  bodyTooLarge,
  isStreamedBody,
  MAX_BODY_BYTES,
  ProtocolError,
  RequestSetupError,
  type StreamedBody,
  statusRefusal,
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

function load(secure: boolean): Promise<unknown> {
  return Promise.all([
    http ?? import("node:http").then((m) => (http = m)),
    loadZlib(),
    secure ? (https ?? import("node:https").then((m) => (https = m))) : undefined,
  ]);
}

/** At most this many redirects are followed, as in `fetch`. */
const MAX_REDIRECTS = 20;
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
      if (http === undefined || (target.secure && https === undefined) || !zlibLoaded()) {
        return load(target.secure).then(() => new Exchange(request, target, start, agentFor).run());
      }
      return new Exchange(request, target, start, agentFor).run();
    } catch (error) {
      // not expected (the checks above do not throw); never throw synchronously all the same
      return Promise.reject(error);
    }
  };
}

/** Where Node's request and response objects point back to the exchange they belong to. */
const EXCHANGE = Symbol("exchange");
type Owned<T> = T & { [EXCHANGE]?: Exchange };

/** The upload of a `Blob` or streamed body under way: its request, source, and whether it was all written. */
interface Upload {
  req: ClientRequest;
  source: AsyncIterator<Uint8Array>;
  done: boolean;
}

/**
 * One call: the first request, its redirects, and the body of the last response. Its own entry in
 * the shared list of deadlines (when its deadline is finite). Node's events reach it through the
 * module's handlers below, which find it on the emitter and ignore an emitter of an earlier hop.
 */
class Exchange implements Deadline {
  at: number;
  prev: Deadline | undefined = undefined;
  next: Deadline | undefined = undefined;
  readonly #request: WireRequest;
  readonly #start: number;
  readonly #agentFor: (secure: boolean) => HttpAgent;
  #resolve: (response: WireResponse) => void = ignore;
  #reject: (reason: unknown) => void = ignore;
  #settled = false;
  #watched = false;
  /** The current hop's request and, once its headers arrived, its response. */
  req: ClientRequest | undefined;
  res: IncomingMessage | undefined;
  readonly chunks: Buffer[] = [];
  /** Bytes of the last response's body received so far (bounded by {@link MAX_BODY_BYTES}). */
  received = 0;
  /** Redirect responses whose bodies are being discarded; destroyed at the end if still open. */
  #draining: IncomingMessage[] | undefined;
  #hops = 0;
  #target: Target;
  #method: string;
  #body: WireRequest["body"];
  /** The caller's headers (copied only for a redirect that changes them). */
  #headers: OutgoingHttpHeaders;
  upload: Upload | undefined;
  readonly #onAbort = () => this.fail(abortReason(this.#request.signal as AbortSignal));

  constructor(request: WireRequest, target: Target, start: number, agentFor: (secure: boolean) => HttpAgent) {
    this.#request = request;
    this.#start = start;
    this.#agentFor = agentFor;
    this.at = request.deadline;
    this.#target = target;
    this.#method = request.method;
    this.#body = request.body;
    this.#headers = request.headers;
  }

  run(): Promise<WireResponse> {
    return new Promise<WireResponse>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
      const { signal, deadline } = this.#request;
      if (signal?.aborted) {
        this.#settled = true;
        reject(abortReason(signal));
        return;
      }
      const timed = Number.isFinite(deadline);
      if (timed && Date.now() >= deadline) {
        this.#settled = true;
        reject(new TimeoutReason(deadline - this.#start));
        return;
      }
      const first = this.#open();
      if (first === undefined) return; // refused before anything was armed
      if (timed) {
        this.#watched = true;
        watchDeadline(this);
      }
      watchAbort(signal, this.#onAbort);
      this.#send(first);
    });
  }

  /** The deadline passed (called by the shared deadline timer). */
  expire(): void {
    this.fail(new TimeoutReason(this.#request.deadline - this.#start));
  }

  /** Ends the call with `reason`, its request destroyed; a no-op once it is settled. */
  fail(reason: unknown): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#release();
    // after a keep-alive response ended, the request is already marked destroyed: this is a no-op
    this.req?.destroy();
    this.#reject(reason);
  }

  #succeed(response: WireResponse): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#release();
    this.#resolve(response);
  }

  get settled(): boolean {
    return this.#settled;
  }

  #release(): void {
    if (this.#watched) unwatchDeadline(this);
    unwatchAbort(this.#request.signal, this.#onAbort);
    if (this.#draining !== undefined) for (const old of this.#draining) if (!old.complete) old.destroy();
    this.stopUpload();
  }

  /** Stops the upload under way (its source released at once); its request is destroyed unless it was all sent. */
  stopUpload(): void {
    const current = this.upload;
    if (current === undefined) return;
    this.upload = undefined;
    if (!current.done) {
      current.source.return?.().catch(ignore);
      // a request cut short cannot leave its socket to the next request
      current.req.destroy();
    }
  }

  /** The current hop's response arrived (its headers): a redirect, a stream to hand over, or a body to read. */
  respond(incoming: IncomingMessage): void {
    this.res = incoming;
    const status = incoming.statusCode ?? 0;
    const refusal = statusRefusal(status);
    if (refusal !== undefined) {
      this.fail(refusal);
      return;
    }
    if (status >= 301 && status <= 308 && status !== 304 && status !== 305 && status !== 306) {
      const location = incoming.headers.location;
      if (location !== undefined) {
        this.#redirect(incoming, status, location);
        return;
      }
    }
    if (this.#request.stream === true && status >= 200 && status <= 299) {
      this.#handOver(incoming, status);
      return;
    }
    // 'close' rather than 'end': one listener for the body's end, complete or cut short
    incoming.on("data", onData);
    incoming.on("close", onResponseClose);
  }

  /** The last response's body was read in full: decoded, it is the call's result. */
  finish(incoming: IncomingMessage): void {
    const status = incoming.statusCode as number;
    const chunks = this.chunks;
    const noBody = this.#method === "HEAD" || status === 204 || status === 205 || status === 304;
    const raw = noBody
      ? EMPTY
      : chunks.length === 1
        ? (chunks[0] as Buffer)
        : chunks.length === 0
          ? EMPTY
          : Buffer.concat(chunks);
    const received = responseHeaders(incoming.rawHeaders);
    const done = (decoded: Uint8Array) => this.#succeed(this.#response(incoming, status, received, decoded));
    // every `Content-Encoding` line, joined (not Node's `headers`, built on first access)
    const coding = received.get("content-encoding");
    if (coding === null || raw.byteLength === 0) done(raw);
    else decode(raw, coding, done, (reason) => this.fail(reason));
  }

  #response(incoming: IncomingMessage, status: number, headers: Headers, body: WireResponse["body"]): WireResponse {
    return {
      status,
      statusText: incoming.statusMessage ?? "",
      headers,
      url: this.#target.href,
      redirected: this.#hops > 0,
      body,
    };
  }

  /** A 2xx body asked for as a stream: resolved now; the deadline and the listener are released. */
  #handOver(incoming: IncomingMessage, status: number): void {
    const headers = responseHeaders(incoming.rawHeaders);
    const noBody = this.#method === "HEAD" || status === 204 || status === 205;
    const body = noBody ? emptyBody(incoming) : streamedBody(incoming, headers.get("content-encoding"));
    if (body instanceof ProtocolError) this.fail(body);
    else this.#succeed(this.#response(incoming, status, headers, body));
  }

  #redirect(incoming: IncomingMessage, status: number, location: string): void {
    // discard the redirect's body; the socket goes back to the pool once it is read
    incoming.resume();
    this.#draining ??= [];
    this.#draining.push(incoming);
    // the old request's events are ignored from now on (not the exchange's `req` any more)
    this.req = undefined;
    this.res = undefined;
    if (++this.#hops > MAX_REDIRECTS) {
      this.fail(new ProtocolError(`too many redirects (more than ${MAX_REDIRECTS})`));
      return;
    }
    let parsed: URL;
    try {
      parsed = new URL(location, this.#target.href);
    } catch {
      this.fail(new ProtocolError(`redirect ${status} with an invalid Location`));
      return;
    }
    const next = targetOfUrl(parsed);
    if (next instanceof RequestSetupError) {
      this.fail(new ProtocolError(`redirect ${status} to ${next.message}`));
      return;
    }
    const method = this.#method;
    const nextHeaders: OutgoingHttpHeaders = { ...this.#headers };
    if (
      (status === 303 && method !== "GET" && method !== "HEAD") ||
      ((status === 301 || status === 302) && method === "POST")
    ) {
      this.#method = "GET";
      this.#body = undefined;
      for (const name of BODY_HEADERS) delete nextHeaders[name];
    }
    // the previous hop's upload (if it was still going) ends here
    this.stopUpload();
    if (isStreamedBody(this.#body)) {
      this.fail(
        new ProtocolError(`redirect ${status} cannot be followed: the streamed request body cannot be sent again`),
      );
      return;
    }
    if (next.origin !== this.#target.origin) for (const name of CREDENTIALS) delete nextHeaders[name];
    this.#headers = nextHeaders;
    this.#target = next;
    if (next.secure && https === undefined) {
      load(true).then(
        () => {
          if (!this.#settled) this.#send(this.#open());
        },
        (error: unknown) => this.fail(error),
      );
    } else this.#send(this.#open());
  }

  /**
   * Creates the current hop's request (not sent yet): Node checks the method and the headers
   * here and throws on an invalid one — then the call is a `RequestSetupError`, described by
   * our own check (Node's message names the header; neither shows the value).
   */
  #open(): ClientRequest | undefined {
    const target = this.#target;
    const { secure } = target;
    const method = this.#method;
    let created: Owned<ClientRequest> | undefined;
    try {
      created = (secure ? (https as typeof import("node:https")) : (http as typeof import("node:http"))).request(
        {
          hostname: target.hostname,
          port: target.port,
          path: target.path,
          method,
          headers: headerList(this.#headers, target.host, this.#body, method),
          agent: this.#agentFor(secure),
        },
        onResponse,
      );
    } catch (error) {
      // Node's own checks; its message names the header at most, but keep only the code
      if (created !== undefined) {
        created.on("error", ignore);
        created.destroy();
      }
      const code = (error as { code?: unknown } | null)?.code;
      this.fail(
        checkRequest(this.#request) ??
          new RequestSetupError(`the request could not be built${typeof code === "string" ? ` (${code})` : ""}`),
      );
      return undefined;
    }
    created[EXCHANGE] = this;
    this.req = created;
    created.on("error", onRequestError);
    created.on("close", onRequestClose);
    return created;
  }

  #send(created: ClientRequest | undefined): void {
    try {
      if (created === undefined) return;
      const body = this.#body;
      if (body === undefined || typeof body === "string" || body instanceof Uint8Array) created.end(body);
      else this.#pump(created, isStreamedBody(body) ? body : blobChunks(body));
    } catch (error) {
      this.fail(error);
    }
  }

  /**
   * Writes a `Blob` or streamed body to `created` with backpressure: the next chunk is read only
   * once the socket took the last one ('drain'). Stops as soon as the exchange ends or moves on.
   */
  #pump(created: ClientRequest, body: StreamedBody): void {
    const source = body[Symbol.asyncIterator]();
    const current: Upload = { req: created, source, done: false };
    this.upload = current;
    let resume: (() => void) | undefined;
    const wakeUp = () => {
      const next = resume;
      resume = undefined;
      next?.();
    };
    created.on("drain", wakeUp);
    created.on("close", wakeUp);
    const live = () => !this.#settled && this.upload === current && !created.destroyed;
    const loop = async () => {
      for (;;) {
        let step: IteratorResult<Uint8Array>;
        try {
          step = await source.next();
        } catch (cause) {
          if (live())
            this.fail(new RequestSetupError(`the request body could not be read: ${String(cause)}`, { cause }));
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
          this.fail(new RequestSetupError("the request body stream yielded something other than bytes"));
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
    loop().catch((error: unknown) => this.fail(error));
  }
}

// Node's event handlers: shared by every exchange (no closure per call). Each finds its exchange on
// the emitter, ignores an emitter the exchange has moved on from, and never lets an error escape.

function onRequestError(this: Owned<ClientRequest>, error: Error): void {
  const exchange = this[EXCHANGE];
  // a server may answer before reading the whole upload and close: then writing fails
  // (EPIPE, ECONNRESET) but the response it sent decides (its 'close' reports a cut one)
  if (exchange !== undefined && this === exchange.req && !(exchange.res !== undefined && exchange.upload?.req === this))
    exchange.fail(error);
}

function onRequestClose(this: Owned<ClientRequest>): void {
  const exchange = this[EXCHANGE];
  if (exchange === undefined) return;
  try {
    if (exchange.settled || this !== exchange.req || exchange.res !== undefined) return;
    // closed with neither a response nor an error: a protocol switch nobody asked for
    // set by Node when a response head arrived that it did not hand to us (an upgrade)
    const early = (this as ClientRequest & { res?: { upgrade?: boolean; statusCode?: number } | null }).res;
    if (early?.upgrade || early?.statusCode === 101)
      exchange.fail(new ProtocolError("unexpected protocol switch (101)"));
    else exchange.fail(new Error("the connection closed before a response"));
  } catch (error) {
    exchange.fail(error);
  }
}

function onResponse(this: Owned<ClientRequest>, incoming: Owned<IncomingMessage>): void {
  incoming.on("error", onResponseError);
  const exchange = this[EXCHANGE];
  if (exchange === undefined || exchange.settled || this !== exchange.req) {
    incoming.destroy();
    return;
  }
  incoming[EXCHANGE] = exchange;
  try {
    exchange.respond(incoming);
  } catch (error) {
    exchange.fail(error);
  }
}

function onData(this: Owned<IncomingMessage>, chunk: Buffer): void {
  const exchange = this[EXCHANGE];
  if (exchange === undefined || this !== exchange.res) return;
  exchange.received += chunk.byteLength;
  if (exchange.received <= MAX_BODY_BYTES) exchange.chunks.push(chunk);
  else exchange.fail(bodyTooLarge(false));
}

function onResponseError(this: Owned<IncomingMessage>, error: Error): void {
  const exchange = this[EXCHANGE];
  if (exchange !== undefined && this === exchange.res) exchange.fail(error);
}

function onResponseClose(this: Owned<IncomingMessage>): void {
  const exchange = this[EXCHANGE];
  if (exchange === undefined) return;
  try {
    if (exchange.settled || this !== exchange.res) return;
    if (!this.complete) exchange.fail(new Error("the connection closed before the end of the response body"));
    else exchange.finish(this);
  } catch (error) {
    exchange.fail(error);
  }
}

function ignore(): void {}

/**
 * A hop's request headers as the flat `[name, value, …]` list `http.request` takes: the caller's,
 * then `host` and `accept-encoding` unless the caller gave them, then the body's framing —
 * `content-length` when its length is known, else `transfer-encoding: chunked` — which always
 * replaces the caller's. Given a list, Node checks each header and writes the head at once,
 * without the per-header bookkeeping of an object: a bare keep-alive `http.request` with three
 * headers took 163k instructions with a list against 171k with an object (callgrind, main thread).
 */
function headerList(headers: OutgoingHttpHeaders, host: string, body: WireRequest["body"], method: string): string[] {
  const list: string[] = [];
  let hasHost = false;
  let hasCoding = false;
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    // only the names below have these lengths: no lower-casing of the others
    const n = name.length;
    if (n === 4 || n === 14 || n === 15 || n === 17) {
      const lower = name.toLowerCase();
      if (lower === "content-length" || lower === "transfer-encoding") continue;
      if (lower === "host") hasHost = true;
      else if (lower === "accept-encoding") hasCoding = true;
    }
    // Node checks each value itself, as its `setHeader` does (a list of values is sent as lines)
    list.push(name, value as string);
  }
  if (!hasHost) list.push("host", host);
  if (!hasCoding) list.push("accept-encoding", "gzip, deflate, br");
  if (body === undefined) {
    if (method !== "GET" && method !== "HEAD") list.push("content-length", "0");
  } else if (typeof body === "string") list.push("content-length", String(Buffer.byteLength(body)));
  else if (body instanceof Uint8Array) list.push("content-length", String(body.byteLength));
  else if (!isStreamedBody(body)) list.push("content-length", String(body.size));
  else if (body.length !== undefined) list.push("content-length", String(body.length));
  // chunked: what Node does by default for a POST, not for every method
  else list.push("transfer-encoding", "chunked");
  return list;
}

/** A `Blob`'s bytes as a {@link StreamedBody} (the `Blob` itself stays replayable: a new one each time). */
function blobChunks(blob: Blob): StreamedBody {
  return { length: blob.size, [Symbol.asyncIterator]: () => readChunks(blob.stream()) };
}

/** The transport shared by every client created without a transport of its own, on Node. */
export const defaultTransport: Transport = createNodeTransport();
