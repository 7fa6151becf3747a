/**
 * Typed client for the Cognite Data Fusion Files API, generated from `specs/cognite/openapi.yaml`.
 * @packageDocumentation
 */
export * from "@org/client-core/public";
export type { CogniteToken } from "./auth.js";
export { CHUNK_SIZE } from "./batch.js";
export {
  type BulkDeleteParams,
  type BulkDownloadLinkParams,
  type BulkUpdateParams,
  type Chunked,
  type CogniteClient,
  type CogniteClientOptions,
  type CogniteFiles,
  createCogniteClient,
  type RetrieveMultipleParams,
  toDate,
} from "./client.js";
export {
  CogniteApiError,
  type CogniteErrorFields,
  type FileDownloadLink,
  type FileUpdateItem,
  type UploadProgress,
} from "./errors.js";
export type { components, operations, paths } from "./generated/schema.js";
export type * from "./generated/types.js";
export {
  DEFAULT_MULTIPART_THRESHOLD,
  DEFAULT_PART_SIZE,
  type DownloadOptions,
  type UploadMetadata,
  type UploadOptions,
} from "./transfer.js";
export { MAX_ID } from "./validate.js";
export { VERSION } from "./version.js";
