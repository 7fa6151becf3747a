/**
 * The request engine shared by every provider client, one small step per function:
 * prepare (params → URL, body) → authenticate (within the attempt's deadline) → send (the
 * transport) → parse or map the error → decide a retry. It knows nothing about any provider; a
 * provider plugs in through {@link ProviderDefinition}.
 */
import createClient, { type Client } from "openapi-fetch";
import { sleep, withinDeadline } from "./abort.js";
import { type APIPromise, apiPromise } from "./api-promise.js";
import { inBrowser, readEnv } from "./env.js";
import { attemptError, errorKit } from "./error-kit.js";
import {
  AbortError,
  ApiError,
  type ApiErrorInit,
  InvalidParamsError,
  InvalidResponseError,
  TimeoutError,
} from "./errors.js";
import { type Logger, type LogLevel, levelledLogger } from "./logger.js";
import { bodySpent } from "./multipart.js";
import { type PageCaller, pagePromise } from "./pagination.js";
import { mergeHeaders, type PreparedRequest, prepareRequest } from "./request.js";
import { type ResponseHooks, settle } from "./response.js";
import { guardStream } from "./response-stream.js";
import { backoffDelayMs, serverRetryDelayMs, shouldRetry } from "./retry.js";
import { SecretSet } from "./secrets.js";
import { defaultTransport } from "./transport.js";
import { createFetchTransport } from "./transport-fetch.js";
import type { ClientOptions, OperationMeta, RequestOptions, WithResponse } from "./types.js";
import { StreamFile, toFile, type Uploadable } from "./uploads.js";
import { checkBaseUrl } from "./url.js";
import { type StreamedBody, TimeoutReason, type Transport, type WireRequest, type WireResponse } from "./wire.js";

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

/** Time allowed for each attempt when neither the client nor the call sets `timeoutMs`. */
export const DEFAULT_TIMEOUT_MS = 60_000;
/** Retries after the first attempt when neither the client nor the call sets `maxRetries`. */
export const DEFAULT_MAX_RETRIES = 2;

/** The result of one attempt: a response to parse, or an error to retry or throw. */
type Outcome =
  | { ok: true; response: WireResponse; credentials: Record<string, string> | undefined }
  | { ok: false; error: ApiError; response?: WireResponse; credentials?: Record<string, string> | undefined };

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
  const inherited = parent === undefined ? undefined : sharedOf.get(parent);
  const secrets = inherited?.secrets ?? new SecretSet();
  const knownSecrets = (): string[] => {
    for (const value of provider.secrets?.() ?? []) secrets.add(value);
    return secrets.list();
  };
  // Every error leaves through here: branded, and scrubbed of every secret the client has used.
  const kit = errorKit(provider.errorBrand, knownSecrets);
  const { make: makeError, rebrand } = kit;

  let baseUrl: string;
  let defaultTimeout: number;
  let defaultRetries: number;
  let staticHeaders: Record<string, string>;
  try {
    baseUrl = checkBaseUrl(
      options.baseUrl ?? provider.defaultBaseUrl,
      provider.authenticate !== undefined,
      options.allowInsecureHttp ?? false,
    );
    defaultTimeout = checkTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    defaultRetries = checkRetries(options.maxRetries ?? DEFAULT_MAX_RETRIES);
    staticHeaders = mergeHeaders(
      { Accept: "application/json" },
      inBrowser() ? undefined : { "User-Agent": `${provider.packageName}/${provider.packageVersion}` },
      options.headers,
    );
    if (provider.authenticate !== undefined && "authorization" in staticHeaders) throw authorizationRefused("headers");
  } catch (error) {
    throw rebrand(error);
  }
  // Silent unless asked: a `logger`, a `logLevel`, or `<PREFIX>_LOG` (the option wins); without a `logger`, `console`.
  const envLevel = provider.envPrefix === undefined ? undefined : logLevelFromEnv(`${provider.envPrefix}_LOG`);
  const level = options.logLevel ?? envLevel;
  const log = levelledLogger(
    options.logger ?? (level === undefined ? undefined : console),
    level ?? "warn",
    `[${provider.packageName}]`,
  );
  const debug = level === "debug";
  // a client of `withOptions` without a fetch of its own uses its parent's: the same `fetch`, or on
  // Node the one keep-alive `node:http` transport (its connection pool)
  const transport: Transport =
    options.fetch || options.fetchOptions || !defaultTransport
      ? createFetchTransport(options.fetch ?? globalThis.fetch, options.fetchOptions)
      : defaultTransport;
  const requestIdHeaders = provider.requestIdHeaders ?? ["x-request-id", "request-id"];
  const raw = rawClient<Paths>(baseUrl, staticHeaders, options, provider);
  const hooks: ResponseHooks = { mapError: provider.mapError, unwrap: provider.unwrap, requestIdHeaders };
  /** Another host's responses: neither the provider's error mapping nor its unwrapping applies. */
  const externalHooks: ResponseHooks = { mapError: undefined, unwrap: undefined, requestIdHeaders };
  hooks.requestIdFromBody = provider.requestIdFromBody;

  /** Step 2: the credential headers of one attempt, within its deadline. */
  function authenticate(
    context: AuthContext,
    deadline: number,
    timeoutMs: number,
  ): Record<string, string> | undefined | Promise<Record<string, string>> {
    const hook = provider.authenticate;
    if (!hook) return undefined;
    const pending = hook(context);
    // a hook that answers synchronously costs no turn of the event loop
    if (!(pending instanceof Promise)) return remember(pending);
    return withinDeadline(pending, deadline, timeoutMs, context.signal).then(remember);
  }

  /** Every credential header value is a secret to scrub from errors from now on. */
  function remember(headers: Record<string, string>): Record<string, string> {
    if (headers === null || typeof headers !== "object") {
      throw new InvalidParamsError({ message: "the credentials hook returned no headers" });
    }
    for (const name in headers) secrets.add(headers[name]);
    return headers;
  }

  /** The headers of the last plain attempt (no call headers, no body), kept while its credentials object is the same. */
  const merged: { credentials?: Record<string, string> | undefined; headers?: Record<string, string> } = {};

  /** One attempt: credentials, then the transport. Never throws for a failure that may be retried. */
  async function attempt(
    request: PreparedRequest,
    callHeaders: Record<string, string> | undefined,
    context: AuthContext,
    timeoutMs: number,
    anonymous: boolean,
  ): Promise<Outcome> {
    const signal = context.signal;
    const deadline = Date.now() + timeoutMs;
    let credentials: Record<string, string> | undefined;
    try {
      const pending = anonymous ? undefined : authenticate(context, deadline, timeoutMs);
      credentials = pending instanceof Promise ? await pending : pending;
    } catch (cause) {
      const error = attemptError(cause, "auth", timeoutMs, signal, kit);
      if (error instanceof TimeoutError) return { ok: false, error };
      throw error;
    }
    let headers: Record<string, string>;
    const reusable =
      !anonymous && callHeaders === undefined && request.body === undefined && request.headers === undefined;
    if (reusable && credentials === merged.credentials && merged.headers !== undefined) {
      headers = merged.headers; // the same credentials object as last time: nothing to check again
    } else {
      try {
        headers = anonymous
          ? mergeHeaders(request.headers, callHeaders)
          : mergeHeaders(staticHeaders, request.headers, credentials, callHeaders);
      } catch (cause) {
        throw attemptError(cause, "send", timeoutMs, signal, kit);
      }
      // a multipart body's type carries its boundary: nothing may replace it
      if (request.contentType !== undefined) headers["content-type"] = request.contentType;
      else if (request.body !== undefined) headers["content-type"] ??= "application/json";
      if (reusable) {
        merged.credentials = credentials;
        merged.headers = headers;
      }
    }
    try {
      const response = await transport({
        method: request.method,
        url: request.url,
        headers,
        body: request.body,
        signal,
        deadline,
        stream: request.stream,
      });
      return { ok: true, response, credentials };
    } catch (cause) {
      const error = attemptError(cause, "send", timeoutMs, signal, kit);
      if (error instanceof AbortError || error instanceof InvalidParamsError || error instanceof InvalidResponseError) {
        throw error;
      }
      return { ok: false, error, credentials };
    }
  }

  /**
   * Every attempt of one call, with retries and one credential refresh after a 401. With
   * `external` (a request of {@link CoreClient.send}, already prepared), no credentials, default
   * headers or provider hooks.
   */
  async function run(
    operation: OperationMeta,
    params: object | undefined,
    options: RequestOptions,
    external?: PreparedRequest,
  ): Promise<WithResponse<unknown>> {
    const signal = options.signal;
    const route = `${operation.method} ${operation.path}`;
    let request: PreparedRequest;
    let timeoutMs: number;
    let maxRetries: number;
    try {
      timeoutMs = checkTimeout(options.timeoutMs ?? defaultTimeout);
      maxRetries = checkRetries(options.maxRetries ?? defaultRetries);
      request = external ?? prepareRequest(baseUrl, operation, params);
      if (external === undefined && provider.authenticate !== undefined && hasAuthorization(options.headers)) {
        throw authorizationRefused("per-call headers");
      }
    } catch (error) {
      throw rebrand(error);
    }
    const anonymous = external !== undefined;
    const responseHooks = anonymous ? externalHooks : hooks;
    const refreshable = provider.refreshOnUnauthorized === true && !anonymous;
    let retries = 0;
    let refreshed = false;
    let context: AuthContext = { refresh: false, rejected: undefined, signal };
    // log lines name the operation and the route with its ids (the path, never the query)
    const where = `${operation.id} ${request.method} ${request.path}`;
    const callStarted = Date.now();
    let attempts = 0;
    /** The call ends with `error`: a warning line (not for the caller's abort), then the error. */
    const finalFailure = (error: unknown): unknown => {
      if (error instanceof ApiError && !(error instanceof AbortError) && !(error instanceof InvalidParamsError)) {
        log.warn(
          `${where} failed after ${attempts} attempt${attempts === 1 ? "" : "s"} (${Date.now() - callStarted} ms${error.requestId ? `, request id ${error.requestId}` : ""}): ${error.message}`,
        );
      }
      return error;
    };
    for (;;) {
      if (signal?.aborted)
        throw makeError(AbortError, { message: "request aborted by the caller", cause: signal.reason });
      const started = Date.now();
      attempts++;
      let sent: Outcome;
      try {
        sent = await attempt(request, options.headers, context, timeoutMs, anonymous);
      } catch (error) {
        throw finalFailure(error);
      }
      let error: ApiError;
      let response: WireResponse | undefined;
      if (sent.ok) {
        const settled = settle(sent.response, operation, route, responseHooks, kit);
        if ("result" in settled) {
          if (debug) log.debug(attemptLine(where, sent.response, settled.result.requestId, attempts, started));
          return settled.result;
        }
        ({ error, response } = settled);
      } else {
        ({ error, response } = sent);
      }
      if (debug) log.debug(attemptLine(where, response ?? error, error.requestId, attempts, started));
      if (bodySpent(request.body)) {
        // a streamed body was read by this attempt: there is nothing left to send again
        if (
          (error.status === 401 && refreshable && !refreshed) ||
          shouldRetry(operation.idempotent, error, response?.headers, retries, maxRetries)
        )
          error.message +=
            "; not retried: the request body is a stream that was already sent and cannot be replayed (pass a Blob, e.g. fs.openAsBlob(path), to allow retries)";
        throw finalFailure(error);
      }
      if (error.status === 401 && refreshable && !refreshed) {
        refreshed = true;
        context = { refresh: true, rejected: sent.credentials, signal };
        log.info(`${where}: 401, renewing credentials and retrying once (attempt ${attempts})`);
        continue;
      }
      context = { refresh: false, rejected: undefined, signal };
      if (!shouldRetry(operation.idempotent, error, response?.headers, retries, maxRetries)) throw finalFailure(error);
      const delay = serverRetryDelayMs(response?.headers) ?? backoffDelayMs(retries);
      retries++;
      log.info(
        `${where}: ${error.message}; retry ${retries}/${maxRetries} in ${Math.round(delay)} ms (attempt ${attempts}${error.requestId ? `, request id ${error.requestId}` : ""})`,
      );
      try {
        await sleep(delay, signal);
      } catch (cause) {
        throw makeError(AbortError, { message: "request aborted by the caller while waiting to retry", cause });
      }
    }
  }

  /** Every error of a call leaves through here: branded, with its operation and the message prefix. */
  const about = (operation: OperationMeta) => (error: unknown) => {
    throw kit.about(error, operation);
  };

  const call: OperationCaller = <T>(operation: OperationMeta, params: object | undefined, options?: RequestOptions) =>
    apiPromise(run(operation, params, options ?? {}).catch(about(operation)) as Promise<WithResponse<T>>);

  const page: PageCaller = <Item, Result>(
    operation: OperationMeta,
    params: object | undefined,
    options?: RequestOptions,
  ) => {
    const callOptions = options ?? {};
    const fetch = (pageParams: object | undefined) =>
      run(operation, pageParams, callOptions).catch(about(operation)) as Promise<WithResponse<unknown>>;
    const error = (Class: typeof ApiError, init: ApiErrorInit) =>
      kit.about(makeError(Class, init), operation) as ApiError;
    return pagePromise<Item, Result>({ operation, fetch, error }, params);
  };

  const send = <T>(request: ExternalRequest, options?: RequestOptions): APIPromise<T> => {
    let prepared: { operation: OperationMeta; request: PreparedRequest };
    try {
      prepared = prepareExternal(request);
    } catch (error) {
      return apiPromise(Promise.reject(rebrand(error)));
    }
    const { operation } = prepared;
    const callOptions = options ?? {};
    const result = run(operation, undefined, callOptions, prepared.request).then((settled) => {
      if (request.responseType === "none") settled.data = undefined;
      else if (request.responseType === "stream") {
        settled.data = guardedBody(settled.data, operation, callOptions);
      }
      return settled;
    }, about(operation));
    return apiPromise(result as Promise<WithResponse<T>>);
  };

  /** A streamed 2xx body (an empty one for a 204), under the call's idle timeout, signal and typed errors. */
  function guardedBody(data: unknown, operation: OperationMeta, options: RequestOptions): ReadableStream<Uint8Array> {
    const source = data instanceof ReadableStream ? (data as ReadableStream<Uint8Array>) : new Blob([]).stream();
    const idleMs = options.timeoutMs ?? defaultTimeout;
    const signal = options.signal;
    return guardStream(source, {
      idleMs,
      signal,
      toError: (cause) =>
        kit.about(
          cause instanceof TimeoutReason
            ? makeError(TimeoutError, {
                message: `no data for ${idleMs} ms while reading the response body`,
                cause,
              })
            : attemptError(cause, "send", idleMs, signal, kit),
          operation,
        ),
    });
  }

  const errorAbout = (error: unknown, operation?: OperationMeta): unknown =>
    operation === undefined ? rebrand(error) : kit.about(error, operation);

  const core: CoreClient<Paths> = { call, page, send, raw, baseUrl, log, error: makeError, errorAbout };
  sharedOf.set(core, { secrets });
  return core;
}

/** Whether a headers object sets `Authorization` (in any case). */
function hasAuthorization(headers: Record<string, string> | undefined): boolean {
  return headers !== undefined && Object.keys(headers).some((name) => name.toLowerCase() === "authorization");
}

/** The client sends its own credentials: an `Authorization` header would silently replace them. */
function authorizationRefused(where: string): InvalidParamsError {
  return new InvalidParamsError({
    message: `${where} may not set Authorization: the client sends its own credentials; to call with other credentials use client.withOptions({ token }) (or { apiKey }), or client.raw`,
  });
}

/** `files.retrieve GET /v1/files/42 -> 404 Not Found (attempt 1, 12 ms, request id abc)`. */
function attemptLine(
  where: string,
  outcome: WireResponse | ApiError,
  requestId: string | undefined,
  attempt: number,
  started: number,
): string {
  const status =
    outcome instanceof ApiError
      ? outcome.name
      : `${outcome.status}${outcome.statusText ? ` ${outcome.statusText}` : ""}`;
  return `${where} -> ${status} (attempt ${attempt}, ${Date.now() - started} ms${requestId ? `, request id ${requestId}` : ""})`;
}

/** `<PREFIX>_LOG`, when it names a level; never read in a browser. */
function logLevelFromEnv(name: string): LogLevel | undefined {
  const value = inBrowser() ? undefined : readEnv(name)?.toLowerCase();
  return value === "debug" || value === "info" || value === "warn" || value === "error" || value === "off"
    ? value
    : undefined;
}

const EXTERNAL_METHODS: readonly string[] = ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "POST", "PATCH"];
const IDEMPOTENT_METHODS: readonly string[] = ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"];

/**
 * An {@link ExternalRequest} as the engine's operation and prepared request: the operation's
 * `path` (what errors and logs show) is the URL without its query and fragment.
 */
function prepareExternal(request: ExternalRequest): { operation: OperationMeta; request: PreparedRequest } {
  const label = request?.label ?? "external";
  if (typeof request !== "object" || request === null) {
    throw new InvalidParamsError({ message: "send: the request must be an object" });
  }
  const method = request.method;
  if (typeof method !== "string" || !EXTERNAL_METHODS.includes(method)) {
    throw new InvalidParamsError({ message: `${label}: unsupported method ${JSON.stringify(String(method))}` });
  }
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    throw new InvalidParamsError({ message: `${label}: the URL is not an absolute URL` });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InvalidParamsError({ message: `${label}: the URL must be http: or https:, got ${url.protocol}` });
  }
  const shown = `${url.origin}${url.pathname}`;
  const headers = mergeHeaders(request.headers as Record<string, string> | undefined);
  let body: WireRequest["body"];
  let contentType: string | undefined;
  const given = request.body;
  if (given !== undefined && given !== null) {
    if (typeof given === "string" || given instanceof Uint8Array || given instanceof Blob) body = given;
    else if (given instanceof ArrayBuffer) body = new Uint8Array(given);
    else if (ArrayBuffer.isView(given)) body = new Uint8Array(given.buffer, given.byteOffset, given.byteLength);
    else {
      let file: File | StreamFile;
      try {
        file = given instanceof StreamFile ? given : toFile(given);
      } catch (cause) {
        throw new InvalidParamsError({ message: `${label}: the body is not text, bytes, a Blob or a stream`, cause });
      }
      if (file instanceof StreamFile && file.used) {
        throw new InvalidParamsError({ message: `${label}: the body is a stream that was already read` });
      }
      // a StreamFile is read as a StreamedBody of unknown length (sent chunked)
      body = file as StreamFile & StreamedBody;
    }
    const ownType = body instanceof Blob || body instanceof StreamFile ? body.type : "";
    contentType = headers["content-type"] ?? (ownType || "application/octet-stream");
  }
  const responseType = request.responseType ?? "blob";
  const operation: OperationMeta = {
    id: label,
    method,
    path: shown,
    pathParams: [],
    queryParams: [],
    required: [],
    body: body !== undefined,
    idempotent: request.idempotent ?? IDEMPOTENT_METHODS.includes(method),
    responseBody: responseType === "json",
    binaryResponse: responseType !== "json",
  };
  return {
    operation,
    request: { method, url: request.url, path: shown, body, contentType, headers, stream: responseType === "stream" },
  };
}

/** The public escape hatch: openapi-fetch on the same base URL and headers, plus the provider's credentials. */
function rawClient<Paths extends {}>(
  baseUrl: string,
  headers: Record<string, string>,
  options: ClientOptions,
  provider: ProviderDefinition,
): Client<Paths> {
  const raw = createClient<Paths>({
    ...options.fetchOptions,
    baseUrl,
    headers,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const authenticate = provider.authenticate;
  if (authenticate) {
    raw.use({
      async onRequest({ request }) {
        const credentials = await authenticate({ refresh: false, rejected: undefined, signal: request.signal });
        for (const [name, value] of Object.entries(credentials)) request.headers.set(name, value);
        return request;
      },
    });
  }
  return raw;
}

function checkTimeout(value: number): number {
  if (!(typeof value === "number" && value > 0)) {
    throw new InvalidParamsError({ message: `timeoutMs must be a positive number, got ${String(value)}` });
  }
  return value;
}

function checkRetries(value: number): number {
  if (!(Number.isInteger(value) && value >= 0)) {
    throw new InvalidParamsError({ message: `maxRetries must be a non-negative integer, got ${String(value)}` });
  }
  return value;
}
