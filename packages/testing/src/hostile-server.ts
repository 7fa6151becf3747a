/**
 * A scripted, hostile HTTP/1.1 server on 127.0.0.1 (port chosen by the OS), for transport tests
 * and fuzzing: it writes its answers byte by byte on the socket, so it can send what a well-behaved
 * server never would — statuses up to 999, interim 1xx responses, header values with control
 * characters, bodies that lie about their length or coding, stalls, resets.
 *
 * The script travels in the URL: {@link HostileServer.scriptUrl} encodes a list of
 * {@link HostileAction}s into a path, and a request for `<script>/<i>` plays action `i`. Scripts
 * can therefore redirect to one another (`Location: 1` is action 1 of the same script, relative
 * to the current one), and a process other than the server's can run them.
 *
 * Header values may use placeholders: `{origin}` (this server), `{port}` (its port), `{script}`
 * (the current script's path, so `{script}/0` is its first action) and `{closed}` (a loopback
 * origin nothing listens on).
 * A `Location` that would lead off 127.0.0.1 is never sent: it is replaced with `/off-loopback`
 * and recorded in {@link HostileServer.blocked}, so a test never reaches beyond the machine.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { promisify } from "node:util";
import * as zlib from "node:zlib";
import { type ReceivedRequest, startServer } from "./http-server.js";

/** A body made on the server (so that a megabyte does not travel in the URL). */
export interface GeneratedBody {
  /** Size in bytes. */
  size: number;
  /** `json`: one JSON object; `text`: ASCII; `binary`: every byte value, NUL and 0xFF included. */
  fill: "json" | "text" | "binary";
}

/** The coding applied to a body before it is sent (the `Content-Encoding` header is up to the script). */
export type HostileCoding = "gzip" | "deflate" | "deflate-raw" | "br";

/** What the server does with one request. Every field is optional and JSON-serialisable. */
export interface HostileAction {
  /** Ignored by the server: a label, e.g. to tell apart the requests of two runs of one script. */
  id?: string | number;
  /** Wait this long (ms) before writing anything; `"never"` never answers. */
  delayMs?: number | "never";
  /** Destroy the connection instead of answering (after `delayMs`). */
  reset?: boolean;
  /** Interim responses (100, 102, 103…) written before the final one. */
  interim?: number[];
  /** The final status, written with at least three digits (`99` → `099`; `1000` breaks the status line). Default 200. */
  status?: number;
  /** The reason phrase. Default `"Hostile"`. */
  reason?: string;
  /** Response headers, written as given (placeholders replaced, CR and LF kept: they break the framing). */
  headers?: [string, string][];
  /** The body: text (sent as UTF-8) or generated. */
  body?: string | GeneratedBody;
  /** Codings applied to the body, first to last, before it is framed. */
  encode?: HostileCoding[];
  /**
   * How the body is delimited: an exact `content-length` (default), `chunked`, `close` (no length:
   * the connection ends after the body), `none` (no length, connection left open), or a number:
   * the `content-length` declared, true or not.
   */
  framing?: "length" | "chunked" | "close" | "none" | number;
  /** Write only this many bytes of the framed body, then destroy the connection. */
  cutAfter?: number;
  /** Wait this long (ms) between the head and the body; `"never"` never sends the body. */
  stallMs?: number | "never";
}

export interface HostileServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Every request received, in order. */
  requests: ReceivedRequest[];
  /** `Location` values replaced because they led off the loopback address. */
  blocked: string[];
  /** The absolute URL playing action `index` of `script`. */
  scriptUrl(script: readonly HostileAction[], index?: number): string;
  /** Closes the server, its connections and its pending timers. */
  close(): Promise<void>;
}

const SCRIPT_PREFIX = "/h/";

/** The path of action `index` of `script` (for a server's {@link HostileServer.scriptUrl}). */
export function scriptPath(script: readonly HostileAction[], index = 0): string {
  return `${SCRIPT_PREFIX}${Buffer.from(JSON.stringify(script)).toString("base64url")}/${index}`;
}

function parseScriptPath(path: string): { script: HostileAction[]; index: number; base: string } | undefined {
  if (!path.startsWith(SCRIPT_PREFIX)) return undefined;
  const rest = path.slice(SCRIPT_PREFIX.length).split(/[/?#]/);
  const [encoded, index] = rest;
  if (encoded === undefined || index === undefined || !/^\d+$/.test(index)) return undefined;
  try {
    const script = JSON.parse(Buffer.from(encoded, "base64url").toString("utf8")) as HostileAction[];
    return Array.isArray(script) ? { script, index: Number(index), base: `${SCRIPT_PREFIX}${encoded}` } : undefined;
  } catch {
    return undefined;
  }
}

/** A free loopback origin: a port that was just free (nothing listens there). */
async function closedOrigin(): Promise<string> {
  const probe: Server = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

function generate({ size, fill }: GeneratedBody): Buffer {
  const n = Math.max(0, Math.floor(size));
  if (fill === "binary") {
    const bytes = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) bytes[i] = (i * 151 + (i >> 8)) & 0xff;
    return bytes;
  }
  if (fill === "text" || n < 12) return Buffer.alloc(n, "abcdefghij ");
  // {"data":"xxxx…"} of exactly n bytes
  return Buffer.from(`{"data":"${"x".repeat(n - 11)}"}`);
}

const gzip = promisify(zlib.gzip);
const deflate = promisify(zlib.deflate);
const deflateRaw = promisify(zlib.deflateRaw);
const brotli = promisify(zlib.brotliCompress);
/** Fast settings: the server must not be the slow part of a fuzz run. */
const FAST = { level: 1 };
const FAST_BROTLI = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } };

async function encode(body: Buffer, codings: readonly HostileCoding[]): Promise<Buffer> {
  let data = body;
  for (const coding of codings) {
    if (coding === "gzip") data = await gzip(data, FAST);
    else if (coding === "deflate") data = await deflate(data, FAST);
    else if (coding === "deflate-raw") data = await deflateRaw(data, FAST);
    else if (coding === "br") data = await brotli(data, FAST_BROTLI);
  }
  return data;
}

function frame(body: Buffer, framing: HostileAction["framing"]): { header: string | undefined; wire: Buffer } {
  if (framing === "chunked") {
    const parts: Buffer[] = [];
    for (let at = 0; at < body.length; at += 65536) {
      const chunk = body.subarray(at, at + 65536);
      parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n"));
    }
    parts.push(Buffer.from("0\r\n\r\n"));
    return { header: "transfer-encoding: chunked", wire: Buffer.concat(parts) };
  }
  if (framing === "close" || framing === "none") return { header: undefined, wire: body };
  const length = typeof framing === "number" ? framing : body.length;
  return { header: `content-length: ${length}`, wire: body };
}

/**
 * Starts a hostile server. Requests for a script path play its action; any other request is
 * answered by `respond` when given, else with a 404.
 */
export async function startHostileServer(
  respond?: (request: ReceivedRequest, index: number) => HostileAction,
): Promise<HostileServer> {
  const closed = await closedOrigin();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const blocked: string[] = [];
  let origin = "";
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const play = async (socket: Socket, action: HostileAction, path: string, base: string | undefined) => {
    if (action.delayMs === "never") return;
    if (action.delayMs !== undefined && action.delayMs > 0) await wait(action.delayMs);
    if (socket.destroyed) return;
    if (action.reset) {
      socket.resetAndDestroy();
      return;
    }
    let body =
      typeof action.body === "string" ? Buffer.from(action.body) : generate(action.body ?? { size: 0, fill: "text" });
    if (action.encode?.length) body = await encode(body, action.encode);
    const { header: framingHeader, wire } = frame(body, action.framing);
    const lines = [
      ...(action.interim ?? []).map((status) => `HTTP/1.1 ${status} Interim\r\n\r\n`),
      `HTTP/1.1 ${String(action.status ?? 200).padStart(3, "0")} ${action.reason ?? "Hostile"}\r\n`,
    ];
    for (const [name, raw] of action.headers ?? []) {
      let value = raw
        .replaceAll("{origin}", origin)
        .replaceAll("{port}", new URL(origin).port)
        .replaceAll("{closed}", closed)
        .replaceAll("{script}", base ?? "");
      if (name.toLowerCase() === "location") value = guardLocation(value, `${origin}${path}`);
      lines.push(`${name}: ${value}\r\n`);
    }
    if (framingHeader !== undefined) lines.push(`${framingHeader}\r\n`);
    if (action.framing === "close") lines.push("connection: close\r\n");
    lines.push("\r\n");
    if (socket.destroyed) return;
    socket.write(Buffer.from(lines.join(""), "latin1"));
    if (action.stallMs === "never") return;
    if (action.stallMs !== undefined && action.stallMs > 0) await wait(action.stallMs);
    if (socket.destroyed) return;
    if (action.cutAfter !== undefined && action.cutAfter < wire.length) {
      socket.write(wire.subarray(0, Math.max(0, action.cutAfter)), () => socket.destroy());
      return;
    }
    socket.write(wire);
    if (action.framing === "close") socket.end();
  };

  const guardLocation = (value: string, current: string): string => {
    let target: URL;
    try {
      target = new URL(value, current);
    } catch {
      return value; // unusable anywhere: harmless
    }
    if ((target.protocol !== "http:" && target.protocol !== "https:") || target.hostname === "127.0.0.1") return value;
    blocked.push(value);
    return "/off-loopback";
  };

  const server = await startServer(async (req, res, index) => {
    const path = req.url ?? "/";
    const scripted = parseScriptPath(path);
    const action = scripted
      ? scripted.script[scripted.index]
      : respond?.(server.requests[index] as ReceivedRequest, index);
    if (action === undefined) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("no such action");
      return;
    }
    // the answer is written on the socket directly; Node's `res` is never used (nor finished)
    await play(req.socket, action, path, scripted?.base);
  });
  origin = server.url;
  return {
    url: server.url,
    requests: server.requests,
    blocked,
    scriptUrl: (script, index = 0) => `${server.url}${scriptPath(script, index)}`,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await server.close();
    },
  };
}
