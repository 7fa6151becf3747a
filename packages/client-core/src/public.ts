/**
 * What every provider package re-exports to its users, kept in one place: the error classes and
 * the option and result types. A provider's `index.ts` says `export * from "@org/client-core/public"`.
 * The names come from the package itself (not from a copy bundled here), so they are the very
 * classes the engine throws, whichever build — `node` or not — the environment resolved.
 * @packageDocumentation
 */

export type {
  APIPromise,
  ApiErrorJSON,
  ClientOptions,
  Logger,
  LogLevel,
  Page,
  PagePromise,
  RequestOptions,
  ToFileInput,
  ToFileOptions,
  Uploadable,
  WithResponse,
} from "@org/client-core";
export {
  AbortError,
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  InternalServerError,
  InvalidParamsError,
  InvalidResponseError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  StreamFile,
  TimeoutError,
  toFile,
  UnprocessableEntityError,
} from "@org/client-core";
