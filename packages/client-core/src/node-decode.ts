/**
 * Content codings of the Node transport's responses: a whole body decoded off the main thread
 * (zlib's asynchronous one-shot functions, bounded by {@link MAX_DECODED_BODY_BYTES}), or a
 * streamed body decoded as it arrives (zlib streams).
 */
import type { IncomingMessage } from "node:http";
import type { Readable, Transform } from "node:stream";
import { MAX_DECODED_BODY_BYTES, ProtocolError } from "./wire.js";

/** `node:zlib`, loaded with the transport's first request. */
let zlib: typeof import("node:zlib") | undefined;

/** Loads `node:zlib` (once). */
export function loadZlib(): Promise<unknown> | undefined {
  return zlib === undefined ? import("node:zlib").then((m) => (zlib = m)) : undefined;
}

/** A server-supplied token fit for a message: quoted, escaped, short. */
export function quote(value: string): string {
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
export function decode(
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
  const decoders: Transform[] = [];
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
