/**
 * @org/client-core — the runtime shared by the generated API clients: retries with backoff,
 * per-attempt timeouts, cancellation, typed errors, credential redaction.
 * @packageDocumentation
 */
export { unwatchAbort, watchAbort } from "./abort.js";
export { type APIPromise, apiPromise } from "./api-promise.js";
export { type BearerAuth, type BearerAuthOptions, type BearerToken, bearerAuth } from "./bearer.js";
export {
  type AuthContext,
  type CoreClient,
  createCoreClient,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
  type ExternalRequest,
  type OperationCaller,
  type ProviderDefinition,
  type UnwrapContext,
} from "./client.js";
export { inBrowser, readEnv } from "./env.js";
export {
  AbortError,
  ApiError,
  type ApiErrorInit,
  type ApiErrorJSON,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  defineProviderError,
  InternalServerError,
  InvalidParamsError,
  InvalidResponseError,
  NotFoundError,
  PermissionDeniedError,
  type ProviderErrorClass,
  RateLimitError,
  TimeoutError,
  UnprocessableEntityError,
} from "./errors.js";
export type { Logger, LogLevel } from "./logger.js";
export { mergeOptions } from "./options.js";
export {
  AbstractPage,
  CursorPage,
  HasMorePage,
  NumberedPage,
  type Page,
  type PageCaller,
  type PagePromise,
} from "./pagination.js";

export type {
  AtPath,
  BodyKind,
  ClientOptions,
  OperationMeta,
  OperationParams,
  PageItem,
  PaginationMeta,
  ParamConstraint,
  RequestOptions,
  SuccessBody,
  WithFiles,
  WithResponse,
} from "./types.js";
export {
  isUploadable,
  StreamFile,
  type ToFileInput,
  type ToFileOptions,
  toFile,
  type Uploadable,
} from "./uploads.js";
