/**
 * File values for multipart uploads: what a file field accepts ({@link Uploadable}), and
 * {@link toFile} to give any of them a file name and a media type. Streams stay streams: nothing
 * here reads a stream before the request is sent, so a 10 GB file is uploaded in constant memory.
 */

/**
 * What a file field (`OperationMeta.fileFields`) accepts:
 * - a `Blob` or `File` (e.g. from `fs.openAsBlob(path)` or {@link toFile}): sent as is, never
 *   copied; its `name` (a `File`'s) and `type` are the part's filename and `Content-Type`;
 * - bytes: a `Uint8Array` (a `Buffer`), another typed array or `DataView`, or an `ArrayBuffer`;
 * - a web `ReadableStream` of bytes, or any `AsyncIterable` of bytes or strings (a Node `Readable`
 *   such as `fs.createReadStream(path)`): read once, while the request is sent — a call with a
 *   stream is not retried once its body was sent (pass a `Blob` to keep retries).
 *
 * A string is not a file (is it the content or a path?): wrap it with `toFile(text, "name.txt")`.
 * Without a name, a part's filename is the `File`'s name, a Node stream's file name, or `blob`.
 */
export type Uploadable =
  | Blob
  | ArrayBuffer
  | ArrayBufferView
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array | string>;

/** What {@link toFile} accepts: anything {@link Uploadable}, a string (its UTF-8 text), or a `Response` (its body, streamed). */
export type ToFileInput = Uploadable | string | Response;

/** Options of {@link toFile}. */
export interface ToFileOptions {
  /** The media type, e.g. `image/png`; defaults to the input's own type (a `Blob`'s, a `Response`'s `content-type`) or none. */
  type?: string;
  /** `lastModified` of the `File` made from an in-memory value. */
  lastModified?: number;
}

/** A named file whose bytes come from a stream, read once when the request is sent (never buffered). */
export class StreamFile implements AsyncIterable<Uint8Array> {
  /** The part's filename. */
  readonly name: string;
  /** The media type (as a `Blob` normalises it: lower case, or `""` when invalid). */
  readonly type: string;
  readonly #source: ReadableStream<unknown> | AsyncIterable<unknown>;
  #used = false;

  constructor(source: ReadableStream<unknown> | AsyncIterable<unknown>, name: string, options: ToFileOptions = {}) {
    this.#source = source;
    this.name = name;
    this.type = blobType(options.type ?? "");
  }

  /** Whether the stream has been read (or started to be): it cannot be read again. */
  get used(): boolean {
    return this.#used || (isReadableStream(this.#source) && this.#source.locked);
  }

  /**
   * The bytes, once. `return()` stops promptly: it cancels a web stream and destroys a Node
   * stream (releasing its file descriptor) even while a read is pending.
   */
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    if (this.used) throw new TypeError(`the stream of file "${this.name}" was already read: a stream can be sent once`);
    this.#used = true;
    return readChunks(this.#source);
  }
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };
const utf8 = new TextEncoder();

/** A chunk of a stream as bytes (strings as UTF-8). */
function bytesOf(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === "string") return utf8.encode(chunk);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError(`a file stream yielded ${chunk === null ? "null" : typeof chunk}, not bytes or a string`);
}

/** Iterates a stream's chunks as bytes, with a `return()` that releases the stream at once. */
export function readChunks(source: ReadableStream<unknown> | AsyncIterable<unknown>): AsyncIterator<Uint8Array> {
  if (isReadableStream(source)) {
    const reader = source.getReader();
    let finished = false;
    return {
      async next() {
        if (finished) return DONE;
        const read = await reader.read();
        if (read.done) {
          finished = true;
          return DONE;
        }
        return { done: false, value: bytesOf(read.value) };
      },
      async return() {
        if (!finished) {
          finished = true;
          // also ends a pending read (it resolves as done)
          await reader.cancel().catch(ignore);
        }
        return DONE;
      },
    };
  }
  const iterator = source[Symbol.asyncIterator]();
  return {
    async next() {
      const step = await iterator.next();
      return step.done ? DONE : { done: false, value: bytesOf(step.value) };
    },
    async return() {
      // a Node stream: destroyed now, even while a read is pending (an async generator's
      // `return()` would wait for that read)
      const destroy = (source as { destroy?: unknown }).destroy;
      if (typeof destroy === "function") {
        try {
          destroy.call(source);
        } catch {
          // an odd stream: its iterator's return() below is all that is left
        }
      }
      try {
        await iterator.return?.();
      } catch {
        // the stream failed while stopping: nobody reads it any more
      }
      return DONE;
    },
  };
}

function ignore(): void {}

function isReadableStream(value: unknown): value is ReadableStream<unknown> {
  return typeof ReadableStream !== "undefined" && value instanceof ReadableStream;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    value !== null &&
    typeof value === "object" &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === "function"
  );
}

function isBlob(value: unknown): value is Blob {
  return typeof Blob !== "undefined" && value instanceof Blob;
}

/** Whether `value` may be given to a file field (see {@link Uploadable}); a string is not. */
export function isUploadable(value: unknown): value is Uploadable {
  return (
    isBlob(value) ||
    value instanceof ArrayBuffer ||
    ArrayBuffer.isView(value) ||
    isReadableStream(value) ||
    isAsyncIterable(value)
  );
}

/** A media type as `Blob` keeps it: lower case, or `""` when it has a character outside U+0020–U+007E. */
function blobType(type: string): string {
  return /^[\x20-\x7e]*$/.test(type) ? type.toLowerCase() : "";
}

/** The last segment of a path or URL path, or `undefined`. */
function baseName(path: unknown): string | undefined {
  if (typeof path !== "string" && !(path instanceof Uint8Array)) return undefined;
  const text = typeof path === "string" ? path : new TextDecoder().decode(path);
  const name = text.split(/[\\/]/).pop();
  return name === undefined || name === "" ? undefined : name;
}

/** The file name a `Response` suggests: the last segment of its URL's path. */
function responseName(response: Response): string | undefined {
  try {
    return baseName(decodeURIComponent(new URL(response.url).pathname));
  } catch {
    return undefined;
  }
}

/**
 * A named file for a file field, from a `Blob`/`File`, bytes (`Uint8Array`, `ArrayBuffer`, any
 * typed array), a string (its UTF-8 text), a web `ReadableStream`, any `AsyncIterable` of bytes
 * or strings (a Node `Readable`, e.g. `fs.createReadStream(path)`), or a `Response` (its body).
 *
 * In-memory values become a `File`. Streams (and a `Response`'s body) become a {@link StreamFile}
 * that reads nothing until the request is sent, and can be sent once: a call that uploads one is
 * not retried after its body was sent. To keep retries for a file on disk, use
 * `await fs.openAsBlob(path)` (Node ≥ 19.8): a `Blob` backed by the file, never loaded whole.
 *
 * @param name the part's filename; default: the `File`'s name, the Node stream's file name, the
 *   last segment of the `Response`'s URL, or `blob`
 * @example
 * ```ts
 * await client.files.upload({ file: toFile(fs.createReadStream("report.pdf"), "report.pdf", { type: "application/pdf" }) });
 * await client.files.upload({ file: toFile(Buffer.from("hello"), "hello.txt") });
 * ```
 */
export function toFile(data: ToFileInput, name?: string, options: ToFileOptions = {}): File | StreamFile {
  if (name !== undefined && typeof name !== "string") throw new TypeError("toFile: the name must be a string");
  const stamp = options.lastModified === undefined ? {} : { lastModified: options.lastModified };
  if (isBlob(data)) {
    const own = (data as Partial<File>).name;
    if (
      typeof File !== "undefined" &&
      data instanceof File &&
      (name === undefined || name === own) &&
      options.type === undefined &&
      options.lastModified === undefined
    )
      return data;
    // a File over the Blob: its bytes are shared, not copied (a file-backed Blob stays on disk)
    return new File([data], name ?? (typeof own === "string" ? own : "blob"), {
      type: options.type ?? data.type,
      ...stamp,
    });
  }
  if (typeof data === "string") {
    return new File([data], name ?? "blob", { type: options.type ?? "text/plain;charset=utf-8", ...stamp });
  }
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
    return new File([data as ArrayBuffer], name ?? "blob", { type: options.type ?? "", ...stamp });
  }
  if (typeof Response !== "undefined" && data instanceof Response) {
    if (data.bodyUsed) throw new TypeError("toFile: the Response's body was already read");
    const type = options.type ?? data.headers.get("content-type") ?? "";
    const named = name ?? responseName(data) ?? "blob";
    if (data.body === null) return new File([], named, { type, ...stamp });
    return new StreamFile(data.body, named, { type });
  }
  if (data instanceof StreamFile) {
    return name === undefined && options.type === undefined
      ? data
      : new StreamFile(data, name ?? data.name, { type: options.type ?? data.type });
  }
  if (isReadableStream(data) || isAsyncIterable(data)) {
    const path = (data as { path?: unknown }).path; // fs.ReadStream
    return new StreamFile(data, name ?? baseName(path) ?? "blob", options);
  }
  throw new TypeError(
    `toFile: expected a Blob, bytes, a string, a ReadableStream, an async iterable or a Response, got ${data === null ? "null" : typeof data}`,
  );
}
