/** Type-level helpers that turn openapi-typescript's `operations` into method signatures. */
import type { Logger, LogLevel } from "./logger.js";
import type { Uploadable } from "./uploads.js";

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
  /** Header parameters, by the spec's names: sent as request headers, not in the body. */
  readonly headerParams?: readonly string[];
  /** How the body params are encoded: `json` (the default when `body`) or `multipart` (`multipart/form-data`). */
  readonly bodyKind?: BodyKind;
  /** Multipart fields that carry a file ({@link Uploadable}); the other fields are sent as text. */
  readonly fileFields?: readonly string[];
  /** The success body is binary (`application/octet-stream`, `image/*`, …): resolved as a `Blob`. */
  readonly binaryResponse?: boolean;
  /** The spec's constraints on each param (path, query, header and top-level body fields), checked before sending. */
  readonly constraints?: Readonly<Record<string, ParamConstraint>>;
  /** How the operation pages (the spec's `x-pagination`); such a method resolves to a {@link Page}. */
  readonly pagination?: PaginationMeta;
}

/** How a request body is encoded. */
export type BodyKind = "json" | "multipart";

/**
 * The JSON-Schema constraints of one parameter that the client checks before sending (a subset
 * of the spec's schema; what is absent is not checked). `nullable` allows `null`.
 */
export interface ParamConstraint {
  readonly type?: "string" | "integer" | "number" | "boolean" | "array" | "object";
  readonly nullable?: boolean;
  readonly enum?: readonly (string | number | boolean)[];
  readonly minLength?: number;
  readonly maxLength?: number;
  /** An ECMAScript regular expression source (the spec's `pattern`), matched with the `u` flag. */
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly uniqueItems?: boolean;
  /** Constraints of each array item. */
  readonly items?: ParamConstraint;
}

/**
 * How a list operation pages, from the spec's `x-pagination` extension. Every `*Path` is a
 * dotted path into the method's result (after the provider's unwrapping), e.g. `items` or
 * `data.folders`; every `*Param` is the name of a request param.
 * - `cursor`: the next request sends `cursorParam` = the value at `nextCursorPath`; the last
 *   page has none (absent, `null` or `""`).
 * - `has_more`: while `hasMorePath` is `true`, the next request sends `afterParam` = the
 *   `idField` of the page's last item (Stripe's `starting_after`).
 * - `page`: the next request sends `pageParam` + 1 (the first page is `firstPage`, default 1);
 *   the last page is known by `hasMorePath` when given, else by `totalPath` (items in all pages),
 *   else by a page shorter than `sizeParam` asked for, or an empty one.
 */
export type PaginationMeta =
  | {
      readonly style: "cursor";
      readonly itemsPath: string;
      readonly cursorParam: string;
      readonly nextCursorPath: string;
    }
  | {
      readonly style: "has_more";
      readonly itemsPath: string;
      readonly hasMorePath: string;
      readonly afterParam: string;
      readonly idField: string;
    }
  | {
      readonly style: "page";
      readonly itemsPath: string;
      readonly pageParam: string;
      readonly sizeParam?: string;
      readonly firstPage?: number;
      readonly hasMorePath?: string;
      readonly totalPath?: string;
    };

/** Options of a client, common to every provider. Per-call {@link RequestOptions} override them. */
export interface ClientOptions {
  /** Base URL of the API, without a trailing slash. Defaults to the provider's production server. */
  baseUrl?: string | undefined;
  /** Time allowed for each attempt (connect, headers and body), in ms. Default 60 000. */
  timeoutMs?: number | undefined;
  /** Retries after the first attempt for retryable failures. Default 2; `0` disables. */
  maxRetries?: number | undefined;
  /**
   * A `fetch` implementation (tests, proxies, edge runtimes); when given, it is always used.
   * Default: on Node, a keep-alive `node:http`/`node:https` transport (the `node` export
   * condition); elsewhere the global `fetch`.
   */
  fetch?: typeof fetch | undefined;
  /**
   * Extra `RequestInit` for every request, e.g. an undici `dispatcher` for a proxy. Requests then
   * go through `fetch` (the given one, or the global one) rather than the Node transport.
   */
  fetchOptions?: RequestInit | undefined;
  /** Headers sent with every request. */
  headers?: Record<string, string> | undefined;
  /**
   * Receives debug/info/warn/error lines; credentials are never logged. Default: none (silent) —
   * unless `logLevel` or the provider's `<PREFIX>_LOG` variable is set, then `console`.
   */
  logger?: Logger | undefined;
  /** Lowest level passed to `logger`. Default: the provider's `<PREFIX>_LOG` variable, else `"warn"`. */
  logLevel?: LogLevel | undefined;
  /** Allow sending credentials over plain `http://` to a non-loopback host. Default `false`. */
  allowInsecureHttp?: boolean | undefined;
}

/** Options of one call. */
export interface RequestOptions {
  /** Cancels the call, including while it waits to retry. */
  signal?: AbortSignal | undefined;
  /** Overrides the client's `timeoutMs` for each attempt of this call. */
  timeoutMs?: number | undefined;
  /** Overrides the client's `maxRetries` for this call. */
  maxRetries?: number | undefined;
  /** Extra headers for this call. */
  headers?: Record<string, string> | undefined;
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
type HeaderOf<Op> = Op extends { parameters: { header?: infer H } } ? NonEmpty<H> : {};
type BodyOf<Op> = Op extends { requestBody?: infer R }
  ? NonEmpty<R> extends { content: { "application/json": infer B } }
    ? B
    : NonEmpty<R> extends { content: { "multipart/form-data": infer B } }
      ? B
      : {}
  : {};

/** One object holding an operation's path, query, header and body fields, by their spec names. */
export type OperationParams<Op> = Simplify<PathOf<Op> & QueryOf<Op> & HeaderOf<Op> & BodyOf<Op>>;

/** `P` with its file fields `K` (multipart, `format: binary`) typed as {@link Uploadable}; optionality kept. */
export type WithFiles<P, K extends PropertyKey> = { [F in keyof P]: F extends K ? Uploadable : P[F] };

/** The value at a dotted path (`"data.items"`) of `T`, `undefined`/`null` removed at each step. */
export type AtPath<T, Path extends string> = Path extends `${infer Head}.${infer Rest}`
  ? Head extends keyof NonNullable<T>
    ? AtPath<NonNullable<NonNullable<T>[Head]>, Rest>
    : never
  : Path extends keyof NonNullable<T>
    ? NonNullable<NonNullable<T>[Path]>
    : never;

/** The item type of the array at `Path` in a page's result `T`. */
export type PageItem<T, Path extends string> = AtPath<T, Path> extends readonly (infer I)[] ? I : never;

type SuccessStatus = 200 | 201 | 202 | 203 | 204 | 206 | "2XX";

/** What a method whose response declares no content (e.g. 204) resolves to. */
// biome-ignore lint/suspicious/noConfusingVoidType: such a method returns `Promise<void>`: there is no value to use
type NoContent = void;

/**
 * The body of an operation's success response: the JSON body's type; a `Blob` for a binary one
 * (any other media type); `void` when the response declares no content (e.g. 204).
 */
export type SuccessBody<Op> = Op extends { responses: infer R }
  ? {
      [S in keyof R & SuccessStatus]: R[S] extends { content: { "application/json": infer B } }
        ? B
        : R[S] extends { content: infer C }
          ? [keyof NonNullable<C>] extends [never]
            ? NoContent
            : Blob
          : NoContent;
    }[keyof R & SuccessStatus]
  : never;
