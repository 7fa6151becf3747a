/**
 * The error hierarchy every client throws. One base class, {@link ApiError}; a subclass per
 * HTTP status family; and subclasses for the cases where no response arrived.
 *
 * Nothing here ever holds a credential: request headers are not kept, and response headers
 * pass through {@link redactHeaders}.
 */
import { redactHeaders } from "./redact.js";

/** What a provider's error-body mapping (or the runtime) knows about a failed call. */
export interface ApiErrorInit {
  /** HTTP status, or `undefined` when no response arrived. */
  status?: number | undefined;
  /** The provider's error code (a string or a number), when the body has one. */
  code?: string | number | undefined;
  /** Human-readable message. */
  message: string;
  /** The provider's request id, for support tickets. */
  requestId?: string | undefined;
  /** Response headers (credential-bearing ones redacted). */
  headers?: Record<string, string> | undefined;
  /** The parsed response body, or a short excerpt of it when it was not JSON. */
  body?: unknown;
  /** The underlying error (network failure, abort reason). */
  cause?: unknown;
  /** Provider-specific fields copied onto the error (e.g. Cognite's `missing`). */
  fields?: Record<string, unknown> | undefined;
  /** Brand of the provider that produced the error (see `ProviderErrorClass`). */
  provider?: string | undefined;
  /** The operation the error is about (`files.retrieve`), when one is known. */
  operation?: string | undefined;
}

/** Base class of every error a client throws. */
export class ApiError extends Error {
  /** HTTP status of the response, `undefined` when no response arrived. */
  readonly status: number | undefined;
  /** The provider's error code, when it sent one. */
  readonly code: string | number | undefined;
  /** The provider's request id (e.g. `X-Request-Id`, Coze's `logid`), when known. */
  readonly requestId: string | undefined;
  /** Response headers, credential-bearing ones redacted. */
  readonly headers: Record<string, string> | undefined;
  /** Parsed response body, or an excerpt of it when it was not JSON. */
  readonly body: unknown;
  /** The provider brand, set by the provider package. */
  readonly provider: string | undefined;
  /** The operation the error is about (the spec's operationId, e.g. `files.retrieve`), when one is known. */
  readonly operation: string | undefined;

  constructor(init: ApiErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.headers = init.headers ? redactHeaders(init.headers) : undefined;
    this.body = init.body;
    this.provider = init.provider;
    this.operation = init.operation;
    if (init.fields) Object.assign(this, init.fields);
  }

  /**
   * The compact record `JSON.stringify(error)` gives, for logs: `name`, `status`, `code`,
   * `requestId`, `operation` and `message` (scrubbed like the error itself). The response's
   * `headers` and `body`, the `cause` and provider fields stay on the object and are not serialized.
   */
  toJSON(): ApiErrorJSON {
    return {
      name: this.name,
      status: this.status,
      code: this.code,
      requestId: this.requestId,
      operation: this.operation,
      message: this.message,
    };
  }
}

/** What `JSON.stringify(error)` gives for an {@link ApiError}. */
export interface ApiErrorJSON {
  name: string;
  status: number | undefined;
  code: string | number | undefined;
  requestId: string | undefined;
  operation: string | undefined;
  message: string;
}

/** HTTP 400. */
export class BadRequestError extends ApiError {}
/** HTTP 401: the credentials are missing or invalid. */
export class AuthenticationError extends ApiError {}
/** HTTP 403: the credentials lack a permission. */
export class PermissionDeniedError extends ApiError {}
/** HTTP 404. */
export class NotFoundError extends ApiError {}
/** HTTP 409. */
export class ConflictError extends ApiError {}
/** HTTP 422. */
export class UnprocessableEntityError extends ApiError {}
/** HTTP 429: rate or concurrency limit. Retried automatically. */
export class RateLimitError extends ApiError {}
/** HTTP 5xx. Retried automatically. */
export class InternalServerError extends ApiError {}
/** A success status whose body could not be read as the expected JSON. */
export class InvalidResponseError extends ApiError {}
/** No response: DNS, refused or reset connection, TLS, or a body cut off mid-way. */
export class ConnectionError extends ApiError {}
/** No response within `timeoutMs` (per attempt). */
export class TimeoutError extends ConnectionError {}
/** The caller's `AbortSignal` fired. Never retried. */
export class AbortError extends ApiError {}
/** The call's parameters or the client's options are invalid; nothing was sent. */
export class InvalidParamsError extends ApiError {}

// `name` lives on each prototype, spelled out: minifiers rename classes, so `constructor.name`
// would read "e" in a user's production bundle.
for (const [name, Class] of Object.entries({
  ApiError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  InvalidResponseError,
  ConnectionError,
  TimeoutError,
  AbortError,
  InvalidParamsError,
})) {
  Object.defineProperty(Class.prototype, "name", { value: name, writable: true, configurable: true });
}

/** Picks the error class for an HTTP status. */
export function errorClassForStatus(status: number): typeof ApiError {
  switch (status) {
    case 400:
      return BadRequestError;
    case 401:
      return AuthenticationError;
    case 403:
      return PermissionDeniedError;
    case 404:
      return NotFoundError;
    case 409:
      return ConflictError;
    case 422:
      return UnprocessableEntityError;
    case 429:
      return RateLimitError;
    default:
      return status >= 500 ? InternalServerError : ApiError;
  }
}

/**
 * Makes a provider's error class that matches, with `instanceof`, every {@link ApiError}
 * its provider produced — whatever status subclass it is. So one error can be both a
 * `RateLimitError` and a `CogniteApiError`.
 */
export function defineProviderError<Fields extends object>(provider: string, name: string): ProviderErrorClass<Fields> {
  class ProviderError extends ApiError {
    constructor(init: ApiErrorInit) {
      super({ ...init, provider });
    }
    static override [Symbol.hasInstance](value: unknown): boolean {
      return value instanceof ApiError && value.provider === provider;
    }
  }
  Object.defineProperty(ProviderError.prototype, "name", { value: name, writable: true, configurable: true });
  Object.defineProperty(ProviderError, "name", { value: name });
  const cls = ProviderError as unknown as ProviderErrorClass<Fields>;
  return cls;
}

/** A provider's error class: an {@link ApiError} with the provider's own fields. */
export interface ProviderErrorClass<Fields extends object> {
  new (init: ApiErrorInit): ApiError & Fields;
  readonly prototype: ApiError & Fields;
}
