/**
 * Typed client for the Coze Files API, generated from `specs/coze/openapi.yaml`.
 * @packageDocumentation
 */
export * from "@org/client-core/public";
export {
  COZE_CN_BASE_URL,
  COZE_COM_BASE_URL,
  CozeApiError,
  type CozeClient,
  type CozeClientOptions,
  type CozeResults,
  type CozeToken,
  createCozeClient,
} from "./client.js";
export type { components, operations, paths } from "./generated/schema.js";
export { VERSION } from "./version.js";

import type { components } from "./generated/schema.js";
/** An uploaded file. */
export type File = components["schemas"]["File"];
/** A folder in a workspace. */
export type FolderSimpleInfo = components["schemas"]["FolderSimpleInfo"];
