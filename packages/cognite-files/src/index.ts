/**
 * Typed client for the Cognite Data Fusion Files API, generated from `specs/cognite/openapi.yaml`.
 * @packageDocumentation
 */
export * from "@org/client-core/public";
export type { CogniteToken } from "./auth.js";
export { CHUNK_SIZE } from "./batch.js";
export {
  type CogniteClient,
  type CogniteClientOptions,
  type CogniteFiles,
  createCogniteClient,
  type RetrieveMultipleParams,
  toDate,
} from "./client.js";
export { CogniteApiError, type CogniteErrorFields } from "./errors.js";
export type { components, operations, paths } from "./generated/schema.js";
export type * from "./generated/types.js";
export { MAX_ID } from "./validate.js";
export { VERSION } from "./version.js";
