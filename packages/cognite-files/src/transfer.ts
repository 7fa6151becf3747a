/**
 * `files.upload` and `files.download`: the generated methods for the CDF side (create, multipart
 * init and complete, download links), and `CoreClient.send` for the bytes, which go to another
 * host (a pre-signed storage URL) without the CDF token — under the same retry, timeout and abort
 * rules as every other request.
 */
import {
  type ApiError,
  type CoreClient,
  InvalidParamsError,
  InvalidResponseError,
  type RequestOptions,
  StreamFile,
  type Uploadable,
} from "@org/client-core";
import { inChunks } from "./batch.js";
import type { UploadProgress } from "./errors.js";
import { operationMeta, type Resources } from "./generated/operations.js";
import type { components, paths } from "./generated/schema.js";
import type { FilesCreateParams } from "./generated/types.js";
import { checkIdentifier, type FileIdentifier } from "./validate.js";

type FileMetadata = components["schemas"]["FileMetadata"];

/** Default {@link UploadOptions.multipartThreshold}: 100 MiB. */
export const DEFAULT_MULTIPART_THRESHOLD = 100 * 1024 * 1024;
/** Default {@link UploadOptions.partSize}: 50 MiB. */
export const DEFAULT_PART_SIZE = 50 * 1024 * 1024;

/** The metadata of a file to upload: what `files.create` takes (`name` required). */
export type UploadMetadata = FilesCreateParams;

/** Options of `files.upload`; `timeoutMs`, `maxRetries` and `signal` apply to each request of the upload. */
export interface UploadOptions extends RequestOptions {
  /**
   * Content of a known size (a `Blob`, bytes) larger than this many bytes is uploaded in parts
   * (`files.initMultipartUpload`); smaller content, and a stream (size unknown), with one `PUT`.
   * Default {@link DEFAULT_MULTIPART_THRESHOLD} (100 MiB).
   */
  multipartThreshold?: number;
  /**
   * Bytes per part of a multipart upload (the last part may be smaller). Default
   * {@link DEFAULT_PART_SIZE} (50 MiB); raised when the file would need more parts than the spec
   * allows (`parts` ≤ 250). Cloud stores commonly require parts of at least 5 MiB (the last excepted).
   */
  partSize?: number;
}

/** Options of `files.download`. */
export interface DownloadOptions extends RequestOptions {
  /** Ask for a link valid for 1 hour instead of 30 seconds (`extendedExpiration`). */
  extendedExpiration?: boolean;
}

/** What the transfer helpers need from the client. */
export interface TransferContext {
  core: CoreClient<paths>;
  files: Resources["files"];
  maxConcurrency: number;
}

/** The bytes of a known size, as a `Blob` or a byte view (sliced without copying), or a stream. */
type Content =
  | { kind: "sized"; size: number; type: string; slice(start: number, end: number): Blob | Uint8Array }
  | { kind: "stream"; type: string; body: Uploadable };

function contentOf(content: Uploadable): Content {
  if (typeof Blob !== "undefined" && content instanceof Blob) {
    return { kind: "sized", size: content.size, type: content.type, slice: (s, e) => content.slice(s, e) };
  }
  if (content instanceof ArrayBuffer || ArrayBuffer.isView(content)) {
    const bytes =
      content instanceof ArrayBuffer
        ? new Uint8Array(content)
        : new Uint8Array(content.buffer, content.byteOffset, content.byteLength);
    return { kind: "sized", size: bytes.byteLength, type: "", slice: (s, e) => bytes.subarray(s, e) };
  }
  const isStream =
    (typeof ReadableStream !== "undefined" && content instanceof ReadableStream) ||
    (content !== null &&
      typeof content === "object" &&
      typeof (content as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === "function");
  if (!isStream) {
    throw new InvalidParamsError({
      message:
        "files.upload: content must be a Blob or File, bytes, a ReadableStream or an async iterable of bytes (a Node Readable)",
    });
  }
  return { kind: "stream", type: content instanceof StreamFile ? content.type : "", body: content };
}

/**
 * Cognite's definition says `initmultipartupload` answers `{items: [file]}` while `uploadlink`
 * answers the file itself; public SDK code reads them the other way round. Until one is measured
 * against CDF, both shapes are accepted for every upload response: the object itself, or `items[0]`.
 */
export function singleFile<T>(body: T | { items: T[] }): T | undefined {
  if (body === null || typeof body !== "object") return undefined;
  const items = (body as { items?: unknown }).items;
  if (Array.isArray(items)) return items[0] as T | undefined;
  return body as T;
}

/** The file's metadata without the upload fields of a create or init response. */
function metadataOf(file: FileMetadata & { uploadUrl?: unknown; uploadUrls?: unknown; uploadId?: unknown }) {
  const { uploadUrl: _u, uploadUrls: _us, uploadId: _id, ...metadata } = file;
  return metadata as FileMetadata;
}

function checkSize(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(Number.isSafeInteger(value) && value > 0)) {
    throw new InvalidParamsError({ message: `files.upload: ${name} must be a positive integer, got ${String(value)}` });
  }
  return value;
}

/** `files.create` (or `files.initMultipartUpload`), then the bytes to the returned URL(s). */
export async function upload(
  context: TransferContext,
  metadata: UploadMetadata,
  content: Uploadable,
  options: UploadOptions = {},
): Promise<FileMetadata> {
  const { core, files } = context;
  const { multipartThreshold, partSize, ...requestOptions } = options;
  if (metadata === null || typeof metadata !== "object") {
    throw new InvalidParamsError({ message: "files.upload: metadata must be an object with a name" });
  }
  const threshold = checkSize(multipartThreshold, "multipartThreshold", DEFAULT_MULTIPART_THRESHOLD);
  let size = checkSize(partSize, "partSize", DEFAULT_PART_SIZE);
  const data = contentOf(content);
  // the PUT carries the file's media type; a file without one in its metadata gets the content's
  const mimeType = metadata.mimeType ?? (data.type || undefined);
  const fields: UploadMetadata = mimeType === undefined ? metadata : { ...metadata, mimeType };
  const headers = { "content-type": mimeType ?? "application/octet-stream" };

  if (data.kind === "stream" || data.size <= threshold) {
    const created = await files.create(fields, requestOptions);
    const file = singleFile(created);
    const url = (file as { uploadUrl?: unknown } | undefined)?.uploadUrl;
    if (file === undefined || typeof url !== "string") {
      throw core.error(InvalidResponseError, { message: "files.create (POST /files): the response has no uploadUrl" });
    }
    const body = data.kind === "stream" ? data.body : data.slice(0, data.size);
    try {
      await core.send(
        { method: "PUT", url, headers, body, responseType: "none", label: "files.upload" },
        requestOptions,
      );
    } catch (error) {
      report(error, { file: metadataOf(file), uploadId: undefined, parts: 1, partsSent: [], partsNotSent: [0] });
      throw error;
    }
    return metadataOf(file);
  }

  const maxParts = operationMeta["files.initMultipartUpload"].constraints.parts.maximum;
  if (Math.ceil(data.size / size) > maxParts) size = Math.ceil(data.size / maxParts);
  const parts = Math.ceil(data.size / size);
  // `Origin` is a header param of files.create only: initmultipartupload has none
  const { Origin: _origin, ...initFields } = fields;
  const initiated = await files.initMultipartUpload({ ...initFields, parts }, requestOptions);
  const file = singleFile<Partial<(typeof initiated.items)[number]>>(initiated);
  const uploadId = file?.uploadId;
  const urls = file?.uploadUrls;
  if (
    file === undefined ||
    typeof file.id !== "number" ||
    typeof uploadId !== "string" ||
    !Array.isArray(urls) ||
    urls.length !== parts ||
    !urls.every((u) => typeof u === "string")
  ) {
    throw core.error(InvalidResponseError, {
      message: `files.initMultipartUpload (POST /files/initmultipartupload): expected an id, an uploadId and ${parts} uploadUrls`,
    });
  }
  const created = metadataOf(file as FileMetadata);
  const indexes = Array.from({ length: parts }, (_, i) => i);
  await inChunks(
    indexes,
    1,
    async ([index = 0], partOptions) => {
      const body = data.slice(index * size, Math.min((index + 1) * size, data.size));
      await core.send(
        {
          method: "PUT",
          url: urls[index] as string,
          headers,
          body,
          responseType: "none",
          label: `files.upload part ${index + 1}/${parts}`,
        },
        partOptions,
      );
      return [index];
    },
    context.maxConcurrency,
    requestOptions,
    (error, sent, notSent) =>
      report(error, { file: created, uploadId, parts, partsSent: sent.sort(byNumber), partsNotSent: notSent }),
  );
  try {
    await files.completeMultipartUpload({ id: file.id, uploadId }, requestOptions);
  } catch (error) {
    report(error, { file: created, uploadId, parts, partsSent: indexes, partsNotSent: [], completeFailed: true });
    throw error;
  }
  return created;
}

const byNumber = (a: number, b: number) => a - b;

/** Puts the upload's progress on its error (`CogniteApiError.upload`). */
function report(error: unknown, progress: Omit<UploadProgress, "completeFailed"> & { completeFailed?: boolean }) {
  if (error !== null && typeof error === "object") {
    Object.assign(error as ApiError, { upload: { completeFailed: false, ...progress } });
  }
}

/** `files.downloadLink` for one file, then a `GET` of its link without the CDF token. */
export async function download(
  context: TransferContext,
  ref: FileIdentifier,
  options: DownloadOptions = {},
): Promise<ReadableStream<Uint8Array>> {
  const { core, files } = context;
  const { extendedExpiration, ...requestOptions } = options;
  checkIdentifier(ref, "files.download");
  const links = await files.downloadLink(
    extendedExpiration === undefined ? { items: [ref] } : { items: [ref], extendedExpiration },
    requestOptions,
  );
  const url = links?.items?.[0]?.downloadUrl;
  if (typeof url !== "string") {
    throw core.error(InvalidResponseError, {
      message: "files.downloadLink (POST /files/downloadlink): the response has no downloadUrl",
    });
  }
  return core.send<ReadableStream<Uint8Array>>(
    { method: "GET", url, responseType: "stream", label: "files.download" },
    requestOptions,
  );
}
