/**
 * Typed client for the Wooshpay Files API, generated from `specs/wooshpay/openapi.yaml`.
 * @packageDocumentation
 */
export * from "@org/client-core/public";
export {
  createWooshpayClient,
  WOOSHPAY_LIVE_BASE_URL,
  WOOSHPAY_TEST_BASE_URL,
  type WooshpayClient,
  type WooshpayClientOptions,
} from "./client.js";
export { WooshpayApiError, type WooshpayErrorFields } from "./errors.js";
export type { components, operations, paths } from "./generated/schema.js";
export type * from "./generated/types.js";
export { VERSION } from "./version.js";
