/**
 * The request engine shared by every provider client, one small step per function:
 * prepare (params → URL, body) → authenticate (within the attempt's deadline) → send (the
 * transport) → parse or map the error → decide a retry. It knows nothing about any provider; a
 * provider plugs in through {@link ProviderDefinition}.
 */
import type { Client } from "openapi-fetch";
import { type APIPromise, apiPromise } from "./api-promise.js";
import { runCall } from "./call-loop.js";
import { Credentials } from "./credentials.js";
import type { Engine } from "./engine.js";
import { errorKit } from "./error-kit.js";
import type { ApiError, ApiErrorInit } from "./errors.js";
import { guardedBody, prepareExternal } from "./external.js";
import type { Logger } from "./logger.js";
import { type PageCaller, pagePromise } from "./pagination.js";
import { rawClient } from "./raw-client.js";
import type { PreparedRequest } from "./request.js";
import type { ResponseHooks } from "./response.js";
import { SecretSet } from "./secrets.js";
import { resolveSettings, type Settings } from "./settings.js";
import type { ClientOptions, OperationMeta, RequestOptions, WithResponse } from "./types.js";
import type { Uploadable } from "./uploads.js";

export { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS } from "./settings.js";

/** Context passed to a provider's auth hook. */
export interface AuthContext {
  /** `true` when the previous attempt got 401 and the credentials should be renewed. */
  refresh: boolean;
  /** With `refresh`: the credential headers that got the 401 (renew only if they are still current). */
  rejected: Readonly<Record<string, string>> | undefined;
  /** The caller's signal; the engine also bounds the hook by the attempt's deadline. */
  signal: AbortSignal | undefined;
}

/** What a provider package tells the engine about its API. */
export interface ProviderDefinition {
  /** npm name and version of the provider package, for the `User-Agent` header. */
  packageName: string;
  packageVersion: string;
  /** Brand put on every error, matched by the provider's error class. */
  errorBrand: string;
  /** Production base URL. */
  defaultBaseUrl: string;
  /**
   * Returns the credential headers for one attempt. Runs within the attempt's deadline; what it
   * throws becomes a typed, scrubbed error. Every value it returns is remembered as a secret.
   */
  authenticate?: (context: AuthContext) => Record<string, string> | Promise<Record<string, string>>;
  /** Renew the credentials and retry once after a 401 (token providers). */
  refreshOnUnauthorized?: boolean;
  /** Secrets to scrub from errors besides the credential headers `authenticate` returns (e.g. an API key). */
  secrets?: () => readonly string[];
  /** Response headers holding the request id, most specific first. */
  requestIdHeaders?: readonly string[];
  /**
   * Prefix of the provider's environment variables, e.g. `COZE`: the engine reads `<prefix>_LOG`
   * (`debug`, `info`, `warn`, `error` or `off`) when `logLevel` is not given. Never read in a browser.
   */
  envPrefix?: string;
  /** The request id a success body carries (e.g. Coze's `detail.logid`), which wins over `requestIdHeaders`. */
  requestIdFromBody?: (body: unknown) => string | undefined;
  /** Maps an error response onto the error's code, message and provider fields. */
  mapError?: (status: number, body: unknown, headers: Headers) => Partial<ApiErrorInit> | undefined;
  /** Turns a success body into the method's result; throws an ApiError for a failed call in a 200. */
  unwrap?: (body: unknown, context: UnwrapContext) => unknown;
}

/** What `unwrap` gets besides the body. */
export interface UnwrapContext {
  /** HTTP status of the response. */
  status: number;
  /** Response headers. */
  headers: Headers;
  requestId: string | undefined;
  /**
   * Builds an error of the provider's brand for this response, credentials scrubbed; its class
   * follows the status unless one is given (e.g. `InvalidResponseError`).
   */
  error(init: Omit<ApiErrorInit, "provider">, Class?: typeof ApiError): ApiError;
}

/** Calls one operation; what generated resource methods are built on. */
export type OperationCaller = <T>(
  operation: OperationMeta,
  params: object | undefined,
  options?: RequestOptions,
) => APIPromise<T>;

/**
 * A request to an absolute URL outside the API, e.g. a pre-signed upload or download URL of a
 * storage service: sent by {@link CoreClient.send} under the client's retry, timeout, abort and
 * error rules, but without its credentials and its default headers.
 */
export interface ExternalRequest {
  readonly method: OperationMeta["method"];
  /** Absolute `http:`/`https:` URL, query included (sent as given; never put in errors or logs). */
  readonly url: string;
  /** The only headers sent besides `content-type` (and `content-length`, set by the transport). */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * The body: text, bytes or a `Blob` (sent again on a retry), or a web `ReadableStream` / an
   * `AsyncIterable` of bytes (a Node `Readable`, a {@link StreamFile}): read once, as it is sent,
   * so not retried once a transport started reading it. Its `content-type` is the `content-type`
   * header if given, else a `Blob`'s or `StreamFile`'s type, else `application/octet-stream`.
   */
  readonly body?: string | Uploadable;
  /**
   * Whether the request may be repeated (retried on a connection error, timeout, 408, 409, 429,
   * 5xx). Default: `true` for GET, HEAD, PUT, DELETE and OPTIONS, `false` otherwise.
   */
  readonly idempotent?: boolean;
  /**
   * How a 2xx body is read: `blob` (default) a `Blob` typed with the response's `content-type`,
   * read in full within the attempt's deadline (a 204 gives `undefined`); `stream` a
   * `ReadableStream<Uint8Array>` handed over once the headers arrived (the attempt's deadline
   * covers the headers; then each read waits at most `timeoutMs` for the next bytes, the call's
   * `signal` still aborts it, a failure is a typed error, and nothing is retried once it was
   * handed over; cancel it to release the connection early; a 204 gives an empty stream);
   * `json` parsed as JSON (`undefined` when empty); `none` discarded (resolves to `undefined`).
   */
  readonly responseType?: "blob" | "json" | "none" | "stream";
  /** Names the request in errors and logs, e.g. `files.upload part 3`. Default `external`. */
  readonly label?: string;
}

/** The engine a provider client is built on. */
export interface CoreClient<Paths extends {}> {
  /** Calls an operation with retries, timeouts and typed errors. */
  call: OperationCaller;
  /**
   * Calls a paginated operation (one with `pagination` metadata): every page goes through the same
   * path as {@link CoreClient.call}, with the same options.
   */
  page: PageCaller;
  /**
   * Sends a request to an absolute URL (see {@link ExternalRequest}) with the same retries,
   * per-attempt timeout, abort signal and typed, scrubbed errors as {@link CoreClient.call} —
   * but neither the client's credentials nor its default headers (`User-Agent`, `Accept`,
   * `ClientOptions.headers`) are sent, a 401 renews nothing, and the provider's error mapping
   * and unwrapping do not apply. The URL's query (a pre-signed URL's signature) never appears in
   * an error or a log line: they name the request by its label, origin and path. Resolves to the
   * body read as `responseType` says: `T` is not checked (a `Blob | undefined` for `blob`).
   */
  send<T = unknown>(request: ExternalRequest, options?: RequestOptions): APIPromise<T>;
  /** The typed openapi-fetch client on the same base URL, fetch and headers (no retries). */
  raw: Client<Paths>;
  /** The resolved base URL. */
  baseUrl: string;
  /** The leveled logger (for provider warnings). */
  log: Logger;
  /**
   * Builds an error of the provider's brand, scrubbed of every secret the client has used (for
   * provider code that fails outside a call, e.g. bad input caught before sending).
   */
  error(Class: typeof ApiError, init: ApiErrorInit): ApiError;
  /**
   * An error as one of this client's: branded, scrubbed and — given the operation — with its
   * `operation` and the `<brand> <operationId> <METHOD> <path>: ` message prefix that every error
   * of a call has (for provider code that checks a call's input itself). Not an `ApiError`: as is.
   */
  errorAbout(error: unknown, operation?: OperationMeta): unknown;
}

/** What a client made with `createCoreClient(…, parent)` shares with its parent. */
interface Shared {
  secrets: SecretSet;
}
const sharedOf = new WeakMap<object, Shared>();

/**
 * Creates the engine for one provider client. With `parent` (a client's `withOptions`), the new
 * engine shares the parent's record of secrets, so an error of either client is scrubbed of the
 * credentials both have used; the transport is the parent's when the options' `fetch` is.
 */
export function createCoreClient<Paths extends {}>(
  provider: ProviderDefinition,
  options: ClientOptions = {},
  parent?: CoreClient<{}>,
): CoreClient<Paths> {
  const secrets = (parent === undefined ? undefined : sharedOf.get(parent)?.secrets) ?? new SecretSet();
  // Every error leaves through here: branded, and scrubbed of every secret the client has used.
  const kit = errorKit(provider.errorBrand, () => {
    for (const value of provider.secrets?.() ?? []) secrets.add(value);
    return secrets.list();
  });
  let settings: Settings;
  try {
    settings = resolveSettings({ ...provider, authenticates: provider.authenticate !== undefined }, options);
  } catch (error) {
    throw kit.rebrand(error);
  }
  const requestIdHeaders = provider.requestIdHeaders ?? ["x-request-id", "request-id"];
  const hooks: ResponseHooks = {
    mapError: provider.mapError,
    unwrap: provider.unwrap,
    requestIdHeaders,
    requestIdFromBody: provider.requestIdFromBody,
  };
  const engine: Engine = {
    provider,
    settings,
    kit,
    credentials: new Credentials(provider.authenticate, secrets),
    hooks,
    // another host's responses: neither the provider's error mapping nor its unwrapping applies
    externalHooks: { mapError: undefined, unwrap: undefined, requestIdHeaders },
    lastHeaders: {},
  };
  const core: CoreClient<Paths> = {
    call: (operation, params, callOptions) => callOperation(engine, operation, params, callOptions),
    page: (operation, params, callOptions) => pageOperation(engine, operation, params, callOptions),
    send: (request, callOptions) => sendExternal(engine, request, callOptions),
    raw: rawClient<Paths>(settings.baseUrl, settings.staticHeaders, options, provider),
    baseUrl: settings.baseUrl,
    log: settings.log,
    error: kit.make,
    errorAbout: (error, operation) => (operation === undefined ? kit.rebrand(error) : kit.about(error, operation)),
  };
  sharedOf.set(core, { secrets });
  return core;
}

/** {@link CoreClient.call}. */
function callOperation<T>(
  engine: Engine,
  operation: OperationMeta,
  params: object | undefined,
  options: RequestOptions | undefined,
): APIPromise<T> {
  return apiPromise(runCall(engine, operation, params, options ?? {}) as Promise<WithResponse<T>>);
}

/** {@link CoreClient.page}: every page through the same path as a call, with the same options. */
function pageOperation<Item, Result>(
  engine: Engine,
  operation: OperationMeta,
  params: object | undefined,
  options: RequestOptions | undefined,
) {
  const callOptions = options ?? {};
  const fetch = (pageParams: object | undefined) =>
    runCall(engine, operation, pageParams, callOptions) as Promise<WithResponse<unknown>>;
  const error = (Class: typeof ApiError, init: ApiErrorInit) =>
    engine.kit.about(engine.kit.make(Class, init), operation) as ApiError;
  return pagePromise<Item, Result>({ operation, fetch, error }, params);
}

/** {@link CoreClient.send}. */
function sendExternal<T>(engine: Engine, request: ExternalRequest, options: RequestOptions | undefined): APIPromise<T> {
  let prepared: { operation: OperationMeta; request: PreparedRequest };
  try {
    prepared = prepareExternal(request);
  } catch (error) {
    return apiPromise(Promise.reject(engine.kit.rebrand(error)));
  }
  const { operation } = prepared;
  const callOptions = options ?? {};
  const result = runCall(engine, operation, undefined, callOptions, prepared.request).then((settled) => {
    if (request.responseType === "none") settled.data = undefined;
    else if (request.responseType === "stream")
      settled.data = guardedBody(engine, settled.data, operation, callOptions);
    return settled;
  });
  return apiPromise(result as Promise<WithResponse<T>>);
}
