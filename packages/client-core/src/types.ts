/** Type-level helpers that turn openapi-typescript's `operations` into method signatures. */
import type { Logger, LogLevel } from "./logger.js";

/** Static description of one operation, emitted by the generator. */
export interface OperationMeta {
  /** The spec's operationId, e.g. `files.retrieve`. */
  readonly id: string;
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS";
  /** Path template relative to the base URL, e.g. `/files/{id}`. */
  readonly path: string;
  readonly pathParams: readonly string[];
  readonly queryParams: readonly string[];
  /** Params that must be present (path, query and required body fields). */
  readonly required: readonly string[];
  /** Whether the remaining params form a JSON request body. */
  readonly body: boolean;
  /** Whether the operation may be retried: GET/HEAD/PUT/DELETE/OPTIONS, or `x-idempotent: true`. */
  readonly idempotent: boolean;
  /** Whether the success response declares a JSON body. */
  readonly responseBody: boolean;
}

/** Options of a client, common to every provider. Per-call {@link RequestOptions} override them. */
export interface ClientOptions {
  /** Base URL of the API, without a trailing slash. Defaults to the provider's production server. */
  baseUrl?: string;
  /** Time allowed for each attempt (connect, headers and body), in ms. Default 60 000. */
  timeoutMs?: number;
  /** Retries after the first attempt for retryable failures. Default 2; `0` disables. */
  maxRetries?: number;
  /**
   * A `fetch` implementation (tests, proxies, edge runtimes); when given, it is always used.
   * Default: on Node, a keep-alive `node:http`/`node:https` transport (the `node` export
   * condition); elsewhere the global `fetch`.
   */
  fetch?: typeof fetch;
  /**
   * Extra `RequestInit` for every request, e.g. an undici `dispatcher` for a proxy. Requests then
   * go through `fetch` (the given one, or the global one) rather than the Node transport.
   */
  fetchOptions?: RequestInit;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** Receives debug/info/warn/error lines; credentials are never logged. */
  logger?: Logger;
  /** Lowest level passed to `logger`. Default `"warn"`. */
  logLevel?: LogLevel;
  /** Allow sending credentials over plain `http://` to a non-loopback host. Default `false`. */
  allowInsecureHttp?: boolean;
}

/** Options of one call. */
export interface RequestOptions {
  /** Cancels the call, including while it waits to retry. */
  signal?: AbortSignal;
  /** Overrides the client's `timeoutMs` for each attempt of this call. */
  timeoutMs?: number;
  /** Overrides the client's `maxRetries` for this call. */
  maxRetries?: number;
  /** Extra headers for this call. */
  headers?: Record<string, string>;
}

/** A result together with the raw response it came from. */
export interface WithResponse<T> {
  data: T;
  response: Response;
  /** The provider's request id, when the response carried one. */
  requestId: string | undefined;
}

type NonEmpty<T> = [T] extends [never] ? {} : [T] extends [undefined] ? {} : NonNullable<T>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

type PathOf<Op> = Op extends { parameters: { path?: infer P } } ? NonEmpty<P> : {};
type QueryOf<Op> = Op extends { parameters: { query?: infer Q } } ? NonEmpty<Q> : {};
type BodyOf<Op> = Op extends { requestBody?: infer R }
  ? NonEmpty<R> extends { content: { "application/json": infer B } }
    ? B
    : {}
  : {};

/** One object holding an operation's path, query and JSON body fields, by their spec names. */
export type OperationParams<Op> = Simplify<PathOf<Op> & QueryOf<Op> & BodyOf<Op>>;

type SuccessStatus = 200 | 201 | 202 | 203 | 204 | 206 | "2XX";

/** The JSON body of an operation's success response. */
export type SuccessBody<Op> = Op extends { responses: infer R }
  ? {
      [S in keyof R & SuccessStatus]: R[S] extends { content: { "application/json": infer B } } ? B : undefined;
    }[keyof R & SuccessStatus]
  : never;
