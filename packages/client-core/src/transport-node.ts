/**
 * A `fetch`-compatible transport over `node:http` / `node:https` with keep-alive agents: the
 * default transport on Node (chosen by the `node` export condition), where it is 1.5–2× faster
 * than the global `fetch`. Elsewhere the global `fetch` is used (see `transport.ts`).
 *
 * It behaves like `fetch` where the clients depend on it: rejects with the signal's reason on
 * abort (before the request, while waiting for headers, or while reading the body), rejects
 * with a `TypeError` on a network error, follows redirects (dropping credentials across
 * origins), decompresses gzip/deflate/br, and resolves to a standard `Response`.
 */
import type { Agent as HttpAgent, IncomingMessage, OutgoingHttpHeaders } from "node:http";
import type { Agent as HttpsAgent } from "node:https";
import type { Readable } from "node:stream";
import { TimeoutReason } from "./abort.js";
import { TransportRequest } from "./transport-request.js";
import { responseClasses } from "./transport-response.js";

export { TransportRequest };

/** Options of {@link createNodeTransport}. */
export interface NodeTransportOptions {
  /** Agent for `http:` URLs. Default: a keep-alive agent shared by the transport. */
  httpAgent?: HttpAgent;
  /** Agent for `https:` URLs. Default: a keep-alive agent shared by the transport. */
  httpsAgent?: HttpsAgent;
  /** Largest response body (bytes, from `Content-Length`) read in full before resolving; larger or unsized bodies are streamed. Default 1 MiB. */
  bufferLimit?: number;
}

/**
 * Modules loaded on the first request that needs them, not at import: `node:http`, `node:https`
 * (TLS) and `node:zlib` add about 30 ms to a cold import.
 */
let http: typeof import("node:http") | undefined;
let https: typeof import("node:https") | undefined;
let zlib: typeof import("node:zlib") | undefined;
let stream: Pick<typeof import("node:stream"), "Readable" | "pipeline"> | undefined;

async function loadModules(secure: boolean): Promise<void> {
  http ??= await import("node:http");
  if (stream === undefined) {
    const { Readable, pipeline } = await import("node:stream");
    stream = { Readable, pipeline };
  }
  zlib ??= await import("node:zlib");
  if (secure) https ??= await import("node:https");
}

const MAX_REDIRECTS = 20;
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);
/** Headers dropped when a redirect leaves the origin, as `fetch` does. */
const CROSS_ORIGIN_DROP = ["authorization", "proxy-authorization", "cookie"];

interface Outgoing {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: Uint8Array | undefined;
  signal: AbortSignal | undefined;
  /** Deadline for the whole exchange, body included; on expiry it rejects with a `TimeoutReason`. */
  timeoutMs: number | undefined;
  redirect: RequestRedirect;
  redirected: boolean;
}

/** Creates a `fetch`-compatible function over `node:http`/`node:https` with its own keep-alive agents. */
export function createNodeTransport(options: NodeTransportOptions = {}): typeof fetch {
  let httpAgent = options.httpAgent;
  let httpsAgent = options.httpsAgent;
  const bufferLimit = options.bufferLimit ?? 1024 * 1024;
  const agentFor = (url: URL): HttpAgent => {
    if (url.protocol === "https:") {
      httpsAgent ??= new (https as typeof import("node:https")).Agent({ keepAlive: true });
      return httpsAgent;
    }
    httpAgent ??= new (http as typeof import("node:http")).Agent({ keepAlive: true });
    return httpAgent;
  };

  const send = (out: Outgoing): Promise<Response> =>
    new Promise<Response>((resolve, reject) => {
      const { url, signal } = out;
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      const headers: OutgoingHttpHeaders = out.headers;
      if (headers["accept-encoding"] === undefined) headers["accept-encoding"] = "gzip, deflate, br";
      if (out.body !== undefined) headers["content-length"] = out.body.byteLength;
      else if (out.method !== "GET" && out.method !== "HEAD") headers["content-length"] = 0;
      const open =
        url.protocol === "https:"
          ? (https as typeof import("node:https")).request
          : (http as typeof import("node:http")).request;
      const { NodeResponse, BufferedResponse } = responseClasses();
      let settled = false;
      let source: Readable | undefined;
      const stop = (reason: unknown) => {
        req.destroy();
        source?.destroy(
          reason instanceof Error ? reason : new DOMException("This operation was aborted", "AbortError"),
        );
        if (!settled) {
          settled = true;
          reject(reason);
        }
      };
      const onAbort = () => stop(abortReason(signal as AbortSignal));
      const timeoutMs = out.timeoutMs;
      const timer =
        timeoutMs !== undefined && timeoutMs > 0 && Number.isFinite(timeoutMs)
          ? setTimeout(() => stop(new TimeoutReason(timeoutMs)), timeoutMs)
          : undefined;
      const finish = () => {
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      };
      const fail = (error: unknown) => {
        finish();
        if (settled) return;
        settled = true;
        if (signal?.aborted) reject(abortReason(signal));
        else reject(new TypeError("fetch failed", { cause: error }));
      };
      const req = open(
        {
          protocol: url.protocol,
          hostname: url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname,
          port: url.port,
          path: `${url.pathname}${url.search}`,
          method: out.method,
          headers,
          agent: agentFor(url),
        },
        (res) => {
          const status = res.statusCode ?? 0;
          const location = res.headers.location;
          if (REDIRECT_STATUS.has(status) && location !== undefined && out.redirect !== "manual") {
            res.resume();
            finish();
            settled = true;
            if (out.redirect === "error")
              reject(new TypeError("fetch failed", { cause: new Error("unexpected redirect") }));
            else follow(out, status, location).then(resolve, reject);
            return;
          }
          const init = { status, statusText: res.statusMessage ?? "", headers: responseHeaders(res) };
          const empty = NULL_BODY_STATUS.has(status) || out.method === "HEAD";
          const encoding = res.headers["content-encoding"]?.trim().toLowerCase();
          const length = Number(res.headers["content-length"] ?? Number.NaN);
          if (empty) {
            res.resume();
            finish();
            settled = true;
            resolve(new NodeResponse(null, init, url.href, out.redirected));
            return;
          }
          if (!encoding && length <= bufferLimit) {
            // small body of known size: read it in full, then resolve (abort and errors reject)
            const chunks: Buffer[] = [];
            res.on("data", (chunk: Buffer) => chunks.push(chunk));
            res.on("end", () => {
              finish();
              if (settled) return;
              settled = true;
              const body = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)) as Uint8Array<ArrayBuffer>;
              resolve(new BufferedResponse(body, init, url.href, out.redirected));
            });
            res.on("error", fail);
            res.on("close", () => {
              if (!res.complete) fail(new Error("response terminated before its end"));
            });
            return;
          }
          source = decoder(res, encoding);
          source.on("end", finish);
          source.on("error", finish);
          settled = true;
          const body = (stream as NonNullable<typeof stream>).Readable.toWeb(source) as ReadableStream<
            Uint8Array<ArrayBuffer>
          >;
          resolve(new NodeResponse(body, init, url.href, out.redirected));
        },
      );
      req.on("error", fail);
      signal?.addEventListener("abort", onAbort, { once: true });
      req.end(out.body);
    });

  const follow = (out: Outgoing, status: number, location: string, count = 0): Promise<Response> => {
    if (count >= MAX_REDIRECTS)
      return Promise.reject(new TypeError("fetch failed", { cause: new Error("redirect count exceeded") }));
    const next = new URL(location, out.url);
    if (next.protocol !== "http:" && next.protocol !== "https:") {
      return Promise.reject(new TypeError("fetch failed", { cause: new Error(`redirect to ${next.protocol}`) }));
    }
    const headers = { ...out.headers };
    let { method, body } = out;
    if (status === 303 ? method !== "HEAD" : (status === 301 || status === 302) && method === "POST") {
      method = "GET";
      body = undefined;
      for (const name of ["content-type", "content-length", "content-encoding", "content-language"])
        delete headers[name];
    }
    if (next.origin !== out.url.origin) for (const name of CROSS_ORIGIN_DROP) delete headers[name];
    const to: Outgoing = { ...out, url: next, method, headers, body, redirected: true };
    return loadModules(next.protocol === "https:").then(() => send(to));
  };

  return async function nodeFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const out = await outgoing(input, init);
    if (out === undefined) return globalThis.fetch(input, init);
    const secure = out.url.protocol === "https:";
    if (http === undefined || (secure && https === undefined)) await loadModules(secure);
    return send(out);
  };
}

/** The transport's view of a `fetch` call, or `undefined` for what only the global `fetch` handles. */
async function outgoing(input: RequestInfo | URL, init: RequestInit | undefined): Promise<Outgoing | undefined> {
  const light = input instanceof TransportRequest && !(input instanceof Request) ? input : undefined;
  const request = typeof input === "object" && !(input instanceof URL) && !light ? (input as Request) : undefined;
  const url = new URL(light?.url ?? request?.url ?? (input as string | URL));
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  const method = (init?.method ?? light?.method ?? request?.method ?? "GET").toUpperCase();
  const headers: Record<string, string> = {};
  const given = init?.headers ?? light?.headers ?? request?.headers;
  if (given) {
    (given instanceof Headers ? given : new Headers(given)).forEach((value, name) => {
      headers[name] = value;
    });
  }
  let body: Uint8Array | undefined;
  const raw = init?.body ?? light?.body;
  if (raw !== undefined && raw !== null) {
    if (typeof raw === "string") {
      body = Buffer.from(raw);
      headers["content-type"] ??= "text/plain;charset=UTF-8";
    } else if (raw instanceof Uint8Array) body = raw;
    else if (raw instanceof ArrayBuffer) body = new Uint8Array(raw);
    else {
      // FormData, Blob, URLSearchParams, streams…: let the platform encode it, content type included
      const encoded = new Request(url, { method, body: raw, duplex: "half" } as RequestInit);
      body = new Uint8Array(await encoded.arrayBuffer());
      const type = encoded.headers.get("content-type");
      if (type) headers["content-type"] ??= type;
    }
  } else if (request && request.body !== null) {
    body = new Uint8Array(await request.arrayBuffer());
  }
  const signal = init?.signal ?? light?.signal ?? request?.signal ?? undefined;
  const redirect = init?.redirect ?? light?.redirect ?? request?.redirect ?? "follow";
  return { url, method, headers, body, signal, timeoutMs: light?.timeoutMs, redirect, redirected: false };
}

function responseHeaders(res: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = res.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  return headers;
}

function decoder(res: IncomingMessage, encoding: string | undefined): Readable {
  const z = zlib as typeof import("node:zlib");
  const { pipeline } = stream as NonNullable<typeof stream>;
  switch (encoding) {
    case "gzip":
    case "x-gzip":
      return pipeline(res, z.createGunzip({ finishFlush: z.constants.Z_SYNC_FLUSH }), ignore);
    case "deflate":
      return pipeline(res, z.createInflate(), ignore);
    case "br":
      return pipeline(res, z.createBrotliDecompress(), ignore);
    default:
      return res;
  }
}

/** Errors reach the consumer through the decompressed stream. */
function ignore(): void {}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}

/** The transport shared by every client created without a `fetch` option, on Node. */
export const nodeFetch: typeof fetch = createNodeTransport();

/**
 * What the engine gives openapi-fetch when the caller passes no `fetch` (the `node` build; see
 * `transport.ts`): this transport, and the light request object it reads directly.
 */
export const defaultTransport: { fetch?: typeof fetch; Request?: typeof Request; deadline?: boolean } = {
  fetch: nodeFetch,
  Request: TransportRequest as unknown as typeof Request,
  // the transport enforces `timeoutMs` itself: the engine needs no AbortController per attempt
  deadline: true,
};
