/**
 * Content codings of the Node transport's responses: a whole body decoded off the main thread
 * (zlib's asynchronous one-shot functions, bounded by {@link MAX_BODY_BYTES}), or a
 * streamed body decoded as it arrives (zlib streams).
 */
import type { IncomingMessage } from "node:http";
import type { Readable, Transform } from "node:stream";
import { bodyTooLarge, MAX_BODY_BYTES, MAX_CODINGS, ProtocolError } from "./wire.js";

/** `node:zlib`, loaded with the transport's first request. */
let zlib: typeof import("node:zlib") | undefined;

/** Loads `node:zlib` (once). */
export function loadZlib(): Promise<unknown> {
  return zlib === undefined ? import("node:zlib").then((m) => (zlib = m)) : Promise.resolve(zlib);
}

/** Whether `node:zlib` is loaded. */
export function zlibLoaded(): boolean {
  return zlib !== undefined;
}

/**
 * The content codings of a `Content-Encoding` header in the order they were applied (`identity`
 * and empty entries dropped, lower-cased), or a {@link ProtocolError}: a coding we cannot remove,
 * or more than {@link MAX_CODINGS} entries (counted as undici's `fetch` counts them, empty ones too).
 */
function codingsOf(header: string | null): string[] | ProtocolError {
  const codings: string[] = [];
  if (header === null) return codings;
  const parts = header.split(",");
  if (parts.length > MAX_CODINGS) return new ProtocolError(`too many content codings (more than ${MAX_CODINGS})`);
  for (const part of parts) {
    const coding = part.trim().toLowerCase();
    if (coding === "" || coding === "identity") continue;
    if (!CODINGS.has(coding)) return new ProtocolError(`unsupported content coding ${quote(coding)}`);
    codings.push(coding);
  }
  return codings;
}
const CODINGS = new Set(["gzip", "x-gzip", "deflate", "br"]);

/** A server-supplied token fit for a message: quoted, escaped, short. */
export function quote(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

type Decoder = (data: Uint8Array, done: (error: Error | null, result: Buffer) => void) => void;

/** zlib stops (ERR_BUFFER_TOO_LARGE) rather than inflate a bomb past the cap. */
const BOUNDED = { maxOutputLength: MAX_BODY_BYTES };

function decoderFor(coding: string): Decoder {
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
    default: // "br" (codingsOf lets no other through)
      return (data, done) => z.brotliDecompress(data, BOUNDED, done);
  }
}

/** Removes the content codings of `header` (applied in order, so removed last first). */
export function decode(
  data: Uint8Array,
  header: string,
  done: (body: Uint8Array) => void,
  fail: (reason: unknown) => void,
): void {
  const codings = codingsOf(header);
  if (codings instanceof ProtocolError) {
    fail(codings);
    return;
  }
  const decoders = codings.map(decoderFor);
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
              ? bodyTooLarge(true, { cause: error })
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

/** The body of a response that has none, read to its end so that its socket is reused. */
export function emptyBody(incoming: IncomingMessage): ReadableStream<Uint8Array> {
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
export function streamedBody(
  incoming: IncomingMessage,
  coding: string | null,
): ReadableStream<Uint8Array> | ProtocolError {
  const z = zlib as typeof import("node:zlib");
  const codings = codingsOf(coding);
  if (codings instanceof ProtocolError) return codings;
  // removed last applied first
  const decoders: Transform[] = codings
    .reverse()
    .map((name) =>
      name === "deflate" ? z.createInflate() : name === "br" ? z.createBrotliDecompress() : z.createGunzip(),
    );
  let last: Readable = incoming;
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
