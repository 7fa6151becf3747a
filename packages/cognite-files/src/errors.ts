import { type ApiErrorInit, defineProviderError } from "@org/client-core";
import type { components } from "./generated/schema.js";
import type { FilesDownloadLinkResult, FilesUpdateParams } from "./generated/types.js";
import type { FileIdentifier } from "./validate.js";

type ErrorIdentifier = components["schemas"]["ErrorIdentifier"];
type FileMetadata = components["schemas"]["FileMetadata"];
/** One link of `files.downloadLink`'s result: the identifier it was requested by and its `downloadUrl`. */
export type FileDownloadLink = FilesDownloadLinkResult["items"][number];
/** One item of `files.update`: the file's identifier and its patch. */
export type FileUpdateItem = FilesUpdateParams["items"][number];

/** The fields every {@link CogniteApiError} carries besides `status`, `code`, `message`, `requestId`. */
export interface CogniteErrorFields {
  /** Items that were not found (with `ignoreUnknownIds: false`). */
  readonly missing: ErrorIdentifier[] | undefined;
  /** Items given more than once. */
  readonly duplicated: ErrorIdentifier[] | undefined;
  /**
   * Chunked calls only, when a chunk failed for good: what the chunks that succeeded returned, in
   * request order — `files.retrieveMultiple` and `files.update`: the files' metadata
   * ({@link FileMetadata}); `files.downloadLink`: the links ({@link FileDownloadLink}); `files.delete`:
   * the items deleted ({@link FileIdentifier}).
   */
  readonly succeeded?: FileMetadata[] | FileDownloadLink[] | FileIdentifier[];
  /**
   * Chunked calls only: the items of the chunks that failed, were aborted or were not sent, in
   * request order (`files.update`: {@link FileUpdateItem}s, otherwise {@link FileIdentifier}s). For
   * `files.update` and `files.delete` (not idempotent) an aborted chunk may still have been applied:
   * these are the items not confirmed.
   */
  readonly failed?: FileIdentifier[] | FileUpdateItem[];
  /** `files.upload` only: the file created and how far its content got, when the upload failed after `files.create`. */
  readonly upload?: UploadProgress;
}

/** How far a failed `files.upload` got (on `CogniteApiError.upload`). */
export interface UploadProgress {
  /** The file's metadata as created (`uploaded: false`): its `id` to retry or delete it. */
  readonly file: FileMetadata;
  /** The multipart upload's id (multipart only). */
  readonly uploadId: string | undefined;
  /** Number of parts: 1 for a single `PUT`. */
  readonly parts: number;
  /** Indexes (0-based) of the parts whose `PUT` succeeded, ascending. */
  readonly partsSent: number[];
  /** Indexes of the parts that failed, were aborted or were not sent, ascending. */
  readonly partsNotSent: number[];
  /** Whether `files.completeMultipartUpload` was called and failed (every part had been sent). */
  readonly completeFailed: boolean;
}

/** An error from the Cognite API, with Cognite's `{error: {code, message, missing, duplicated}}`. */
export const CogniteApiError = defineProviderError<CogniteErrorFields>("cognite", "CogniteApiError");
export type CogniteApiError = InstanceType<typeof CogniteApiError>;

interface CogniteErrorBody {
  error?: { code?: number; message?: string; missing?: ErrorIdentifier[]; duplicated?: ErrorIdentifier[] };
}

/** Maps Cognite's error body onto the error. */
export function mapCogniteError(_status: number, body: unknown): Partial<ApiErrorInit> | undefined {
  const error = (body as CogniteErrorBody | null)?.error;
  if (typeof error !== "object" || error === null) return { fields: { missing: undefined, duplicated: undefined } };
  return {
    code: error.code,
    message: error.message,
    fields: { missing: error.missing, duplicated: error.duplicated },
  };
}
