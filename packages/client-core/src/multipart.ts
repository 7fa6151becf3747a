/**
 * `multipart/form-data` encoding of an operation's body params (RFC 7578, with the WHATWG
 * escaping of names and filenames that browsers and undici use). Hand-written rather than the
 * platform `FormData` because a `FormData` cannot hold a stream of unknown size: a streamed file
 * must go out as it is read.
 *
 * - A file field ({@link OperationMeta.fileFields}, or any `Blob`/`File`/{@link StreamFile} value)
 *   becomes a part with `filename` and `Content-Type` (the value's type, else
 *   `application/octet-stream`); a file field holding anything but an {@link Uploadable} (or an
 *   array of them: one part each) is an `InvalidParamsError`.
 * - Other fields are text: a string as is, a number, boolean or bigint as `String()` does, a
 *   `Date` as ISO 8601; an array as the same field repeated, once per item; an object (or an
 *   object in an array) as JSON text with `Content-Type: application/json` (the OpenAPI default
 *   encoding of an object property in a multipart body). `undefined` and `null` are left out.
 *   Line breaks in names and text values are sent as CRLF, as the WHATWG encoding does.
 * - When every part is in memory (text, bytes, `Blob`s), the body is one `Blob`: no file-backed
 *   data is copied, its length is known, and it can be sent again (retries). When a part is a
 *   stream, the body is a {@link StreamedBody}: produced as it is sent, once, length unknown.
 */
import { InvalidParamsError } from "./errors.js";
import { isUploadable, readChunks, StreamFile, toFile } from "./uploads.js";
import type { StreamedBody } from "./wire.js";

/** An encoded multipart body and the `content-type` (with its boundary) to send it with. */
export interface MultipartBody {
  readonly contentType: string;
  readonly body: Blob | MultipartStream;
}

const utf8 = new TextEncoder();
const CRLF = "\r\n";

/** WHATWG multipart/form-data escaping of a name or filename: `"` → `%22`, CR → `%0D`, LF → `%0A`. */
export function escapeName(value: string): string {
  return value.replace(/"/g, "%22").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Every line break (CR, LF or CRLF) as CRLF, as the WHATWG encoding sends names and text values. */
function normalizeLineBreaks(value: string): string {
  return value.replace(/\r\n|\r|\n/g, CRLF);
}

/** A boundary of 32 random hex digits: never found in the content but by chance (2⁻¹²⁸). */
function boundary(): string {
  const random = new Uint8Array(16);
  crypto.getRandomValues(random);
  let hex = "";
  for (const byte of random) hex += byte.toString(16).padStart(2, "0");
  return `----org-formdata-${hex}`;
}

type Part = string | Uint8Array | Blob | StreamFile;

/**
 * Encodes `fields` as `multipart/form-data`. `fileFields` name the fields that must hold files.
 * Throws an {@link InvalidParamsError} naming `operationId` and the field for a value that
 * cannot be sent, before anything is sent.
 */
export function encodeMultipart(
  operationId: string,
  fields: Readonly<Record<string, unknown>>,
  fileFields: readonly string[] = [],
): MultipartBody {
  const mark = boundary();
  const parts: Part[] = [];
  let streamed = false;
  const fail = (name: string, what: string): never => {
    throw new InvalidParamsError({ message: `${operationId}: multipart field "${name}" ${what}` });
  };
  const textPart = (name: string, value: string, json: boolean) => {
    parts.push(
      `--${mark}${CRLF}Content-Disposition: form-data; name="${escapeName(normalizeLineBreaks(name))}"${CRLF}` +
        `${json ? `Content-Type: application/json${CRLF}` : ""}${CRLF}${normalizeLineBreaks(value)}${CRLF}`,
    );
  };
  const filePart = (name: string, value: unknown) => {
    if (!isUploadable(value)) {
      return fail(
        name,
        `must be a file (a Blob or File, bytes, a ReadableStream or an async iterable of bytes; wrap text with toFile(text, "name.txt")), got ${describeValue(value)}`,
      );
    }
    let file: Blob | StreamFile;
    try {
      file = value instanceof StreamFile || value instanceof Blob ? value : toFile(value);
    } catch (error) {
      return fail(name, `is not a usable file: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (file instanceof StreamFile) {
      if (file.used) fail(name, "holds a stream that was already read (a stream can be sent once)");
      streamed = true;
    }
    const filename = (file as { name?: unknown }).name;
    parts.push(
      `--${mark}${CRLF}Content-Disposition: form-data; name="${escapeName(normalizeLineBreaks(name))}"; ` +
        `filename="${escapeName(typeof filename === "string" ? filename : "blob")}"${CRLF}` +
        `Content-Type: ${file.type || "application/octet-stream"}${CRLF}${CRLF}`,
      file,
      CRLF,
    );
  };
  const field = (name: string, value: unknown, isFile: boolean, inArray: boolean) => {
    if (value === undefined || value === null) return;
    if (isFile || value instanceof Blob || value instanceof StreamFile) {
      filePart(name, value);
      return;
    }
    switch (typeof value) {
      case "string":
        textPart(name, value, false);
        return;
      case "number":
        if (!Number.isFinite(value)) fail(name, `must be a finite number, got ${String(value)}`);
        textPart(name, String(value), false);
        return;
      case "boolean":
      case "bigint":
        textPart(name, String(value), false);
        return;
      case "object":
        break;
      default:
        fail(name, `cannot be sent as text (${typeof value})`);
    }
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) fail(name, "is an invalid Date");
      textPart(name, value.toISOString(), false);
      return;
    }
    if (value instanceof ArrayBuffer || ArrayBuffer.isView(value) || isUploadable(value)) {
      fail(name, "is not a file field: bytes and streams are sent only in a file field (or wrapped with toFile)");
    }
    if (Array.isArray(value) && !inArray) {
      for (const item of value) field(name, item, false, true);
      return;
    }
    let json: string | undefined;
    try {
      json = JSON.stringify(value);
    } catch (cause) {
      fail(name, `cannot be serialised as JSON (${cause instanceof Error ? cause.message : String(cause)})`);
    }
    if (json === undefined) fail(name, "cannot be serialised as JSON");
    textPart(name, json as string, true);
  };

  for (const name of Object.keys(fields)) {
    const value = fields[name];
    const isFile = fileFields.includes(name);
    if (isFile && Array.isArray(value)) {
      for (const item of value) {
        if (item === undefined || item === null) fail(name, `holds ${String(item)} in its array of files`);
        filePart(name, item);
      }
    } else {
      field(name, value, isFile, false);
    }
  }
  parts.push(`--${mark}--${CRLF}`);
  const contentType = `multipart/form-data; boundary=${mark}`;
  if (streamed) return { contentType, body: new MultipartStream(parts) };
  return { contentType, body: new Blob(parts as (string | Uint8Array | Blob)[] as BlobPart[]) };
}

/** A value's kind, for an error message (never the value itself: it may be anything). */
function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return `an object (${(value as object).constructor?.name ?? "no prototype"})`;
  return typeof value === "string" ? "a string" : typeof value;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * A multipart body with a streamed part: produced chunk by chunk as the transport reads it (the
 * streamed files read as they go), once. `return()` releases the file being read at once.
 */
export class MultipartStream implements StreamedBody {
  readonly length: number | undefined = undefined;
  readonly #parts: readonly Part[];
  #used = false;

  constructor(parts: readonly Part[]) {
    this.#parts = parts;
  }

  /** Whether a transport started reading it: it cannot be sent again. */
  get used(): boolean {
    return this.#used;
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    if (this.#used) throw new TypeError("a streamed request body was already sent: it cannot be sent again");
    this.#used = true;
    const parts = this.#parts;
    let index = 0;
    let current: AsyncIterator<Uint8Array> | undefined;
    return {
      async next() {
        for (;;) {
          if (current !== undefined) {
            const step = await current.next();
            if (!step.done) return step;
            current = undefined;
          }
          if (index >= parts.length) return DONE;
          const part = parts[index++] as Part;
          if (typeof part === "string") return { done: false, value: utf8.encode(part) };
          if (part instanceof Uint8Array) return { done: false, value: part };
          current = part instanceof StreamFile ? part[Symbol.asyncIterator]() : readChunks(part.stream());
        }
      },
      async return() {
        index = parts.length;
        const open = current;
        current = undefined;
        await open?.return?.();
        return DONE;
      },
    };
  }
}

/** Whether a prepared body (a multipart stream, or a file stream sent as is) was (or started to be) consumed and cannot be sent again. */
export function bodySpent(body: unknown): boolean {
  return (body instanceof MultipartStream || body instanceof StreamFile) && body.used;
}
