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
  type CozeToken,
  createCozeClient,
} from "./client.js";
export type { components, operations, paths } from "./generated/schema.js";
export type * from "./generated/types.js";
export { VERSION } from "./version.js";
