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
import { Agent as HttpAgent, type IncomingMessage, type OutgoingHttpHeaders, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { Readable } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";

/** Options of {@link createNodeTransport}. */
export interface NodeTransportOptions {
  /** Agent for `http:` URLs. Default: a keep-alive agent shared by the transport. */
  httpAgent?: HttpAgent;
  /** Agent for `https:` URLs. Default: a keep-alive agent shared by the transport. */
  httpsAgent?: HttpsAgent;
  /** Largest response body (bytes, from `Content-Length`) read in full before resolving; larger or unsized bodies are streamed. Default 1 MiB. */
  bufferLimit?: number;
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
  redirect: RequestRedirect;
}

/** Creates a `fetch`-compatible function over `node:http`/`node:https` with its own keep-alive agents. */
export function createNodeTransport(options: NodeTransportOptions = {}): typeof fetch {
  let httpAgent = options.httpAgent;
  let httpsAgent = options.httpsAgent;
  const bufferLimit = options.bufferLimit ?? 1024 * 1024;
  const agentFor = (url: URL): HttpAgent => {
    if (url.protocol === "https:") {
      httpsAgent ??= new HttpsAgent({ keepAlive: true });
      return httpsAgent;
    }
    httpAgent ??= new HttpAgent({ keepAlive: true });
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
      const send = url.protocol === "https:" ? httpsRequest : httpRequest;
      let settled = false;
      let source: Readable | undefined;
      const onAbort = () => {
        const reason = abortReason(signal as AbortSignal);
        req.destroy();
        source?.destroy(reason instanceof Error ? reason : undefined);
        if (!settled) {
          settled = true;
          reject(reason);
        }
      };
      const finish = () => signal?.removeEventListener("abort", onAbort);
      const fail = (error: unknown) => {
        finish();
        if (settled) return;
        settled = true;
        if (signal?.aborted) reject(abortReason(signal));
        else reject(new TypeError("fetch failed", { cause: error }));
      };
      const req = send(
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
            if (out.redirect === "error") reject(new TypeError("fetch failed", { cause: new Error("unexpected redirect") }));
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
            resolve(withUrl(new Response(null, init), url));
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
              resolve(withUrl(new Response(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks), init), url));
            });
            res.on("error", fail);
            res.on("aborted", () => fail(new Error("response aborted")));
            return;
          }
          source = decoder(res, encoding);
          source.on("end", finish);
          source.on("error", finish);
          settled = true;
          resolve(withUrl(new Response(Readable.toWeb(source) as ReadableStream<Uint8Array>, init), url));
        },
      );
      req.on("error", fail);
      signal?.addEventListener("abort", onAbort, { once: true });
      req.end(out.body);
    });

  const follow = (out: Outgoing, status: number, location: string, count = 0): Promise<Response> => {
    if (count >= MAX_REDIRECTS) return Promise.reject(new TypeError("fetch failed", { cause: new Error("redirect count exceeded") }));
    const next = new URL(location, out.url);
    if (next.protocol !== "http:" && next.protocol !== "https:") {
      return Promise.reject(new TypeError("fetch failed", { cause: new Error(`redirect to ${next.protocol}`) }));
    }
    const headers = { ...out.headers };
    let { method, body } = out;
    if (status === 303 ? method !== "HEAD" : (status === 301 || status === 302) && method === "POST") {
      method = "GET";
      body = undefined;
      for (const name of ["content-type", "content-length", "content-encoding", "content-language"]) delete headers[name];
    }
    if (next.origin !== out.url.origin) for (const name of CROSS_ORIGIN_DROP) delete headers[name];
    return send({ ...out, url: next, method, headers, body }).then((response) => {
      Object.defineProperty(response, "redirected", { value: true });
      return response;
    });
  };

  return async function nodeFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const out = await outgoing(input, init);
    if (out === undefined) return globalThis.fetch(input, init);
    return send(out);
  };
}

/** The transport's view of a `fetch` call, or `undefined` for what only the global `fetch` handles. */
async function outgoing(input: RequestInfo | URL, init: RequestInit | undefined): Promise<Outgoing | undefined> {
  const isRequest = typeof input === "object" && !(input instanceof URL);
  const url = new URL(isRequest ? input.url : input);
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  const method = (init?.method ?? (isRequest ? input.method : "GET")).toUpperCase();
  const headers: Record<string, string> = {};
  const fromHeaders = init?.headers ?? (isRequest ? input.headers : undefined);
  if (fromHeaders) {
    new Headers(fromHeaders).forEach((value, name) => {
      headers[name] = value;
    });
  }
  let body: Uint8Array | undefined;
  if (init?.body !== undefined && init.body !== null) {
    const raw = init.body;
    if (typeof raw === "string") body = Buffer.from(raw);
    else if (raw instanceof Uint8Array) body = raw;
    else if (raw instanceof ArrayBuffer) body = new Uint8Array(raw);
    else {
      // FormData, Blob, URLSearchParams, streams…: let the platform encode it, content type included
      const encoded = new Request(url, { method, body: raw, duplex: "half" } as RequestInit);
      body = new Uint8Array(await encoded.arrayBuffer());
      const type = encoded.headers.get("content-type");
      if (type && headers["content-type"] === undefined) headers["content-type"] = type;
    }
    if (typeof raw === "string" && headers["content-type"] === undefined) {
      headers["content-type"] = "text/plain;charset=UTF-8";
    }
  } else if (isRequest && input.body !== null && init?.body === undefined) {
    body = new Uint8Array(await input.arrayBuffer());
  }
  const signal = init?.signal ?? (isRequest ? input.signal : undefined) ?? undefined;
  const redirect = init?.redirect ?? (isRequest ? input.redirect : "follow");
  return { url, method, headers, body, signal, redirect };
}

function responseHeaders(res: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = res.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  return headers;
}

function decoder(res: IncomingMessage, encoding: string | undefined): Readable {
  switch (encoding) {
    case "gzip":
    case "x-gzip":
      return res.pipe(createGunzip({ finishFlush: 2 /* Z_SYNC_FLUSH: accept truncated streams like fetch */ }));
    case "deflate":
      return res.pipe(createInflate());
    case "br":
      return res.pipe(createBrotliDecompress());
    default:
      return res;
  }
}

function withUrl(response: Response, url: URL): Response {
  Object.defineProperty(response, "url", { value: url.href });
  return response;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}

/** The transport shared by every client created without a `fetch` option, on Node. */
export const nodeFetch: typeof fetch = createNodeTransport();
