/**
 * The request engine shared by every provider client, one small step per function:
 * prepare (params → URL, body) → authenticate (within the attempt's deadline) → send (the
 * transport) → parse or map the error → decide a retry. It knows nothing about any provider; a
 * provider plugs in through {@link ProviderDefinition}.
 */
import createClient, { type Client } from "openapi-fetch";
import { sleep, withinDeadline } from "./abort.js";
import { type APIPromise, apiPromise } from "./api-promise.js";
import { inBrowser } from "./env.js";
import { attemptError, errorKit } from "./error-kit.js";
import {
  AbortError,
  type ApiError,
  type ApiErrorInit,
  InvalidParamsError,
  InvalidResponseError,
  TimeoutError,
} from "./errors.js";
import { type Logger, levelledLogger } from "./logger.js";
import { bodySpent } from "./multipart.js";
import { type PageCaller, pagePromise } from "./pagination.js";
import { mergeHeaders, type PreparedRequest, prepareRequest } from "./request.js";
import { type ResponseHooks, settle } from "./response.js";
import { backoffDelayMs, serverRetryDelayMs, shouldRetry } from "./retry.js";
import { SecretSet } from "./secrets.js";
import { defaultTransport } from "./transport.js";
import { createFetchTransport } from "./transport-fetch.js";
import type { ClientOptions, OperationMeta, RequestOptions, WithResponse } from "./types.js";
import { checkBaseUrl } from "./url.js";
import type { Transport, WireResponse } from "./wire.js";

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

/** The engine a provider client is built on. */
export interface CoreClient<Paths extends {}> {
  /** Calls an operation with retries, timeouts and typed errors. */
  call: OperationCaller;
  /**
   * Calls a paginated operation (one with `pagination` metadata): every page goes through the same
   * path as {@link CoreClient.call}, with the same options.
   */
  page: PageCaller;
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
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_RETRIES = 2;

/** The result of one attempt: a response to parse, or an error to retry or throw. */
type Outcome =
  | { ok: true; response: WireResponse; credentials: Record<string, string> | undefined }
  | { ok: false; error: ApiError; response?: WireResponse; credentials?: Record<string, string> | undefined };

/** Creates the engine for one provider client. */
export function createCoreClient<Paths extends {}>(
  provider: ProviderDefinition,
  options: ClientOptions = {},
): CoreClient<Paths> {
  const secrets = new SecretSet();
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
  } catch (error) {
    throw rebrand(error);
  }
  const log = levelledLogger(options.logger ?? console, options.logLevel ?? "warn", `[${provider.packageName}]`);
  const debug = options.logLevel === "debug";
  const transport: Transport =
    options.fetch || options.fetchOptions || !defaultTransport
      ? createFetchTransport(options.fetch ?? globalThis.fetch, options.fetchOptions)
      : defaultTransport;
  const requestIdHeaders = provider.requestIdHeaders ?? ["x-request-id", "request-id"];
  const raw = rawClient<Paths>(baseUrl, staticHeaders, options, provider);
  const hooks: ResponseHooks = { mapError: provider.mapError, unwrap: provider.unwrap, requestIdHeaders };

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
  ): Promise<Outcome> {
    const signal = context.signal;
    const deadline = Date.now() + timeoutMs;
    let credentials: Record<string, string> | undefined;
    try {
      const pending = authenticate(context, deadline, timeoutMs);
      credentials = pending instanceof Promise ? await pending : pending;
    } catch (cause) {
      const error = attemptError(cause, "auth", timeoutMs, signal, kit);
      if (error instanceof TimeoutError) return { ok: false, error };
      throw error;
    }
    let headers: Record<string, string>;
    const reusable = callHeaders === undefined && request.body === undefined && request.headers === undefined;
    if (reusable && credentials === merged.credentials && merged.headers !== undefined) {
      headers = merged.headers; // the same credentials object as last time: nothing to check again
    } else {
      try {
        headers = mergeHeaders(staticHeaders, request.headers, credentials, callHeaders);
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

  /** Every attempt of one call, with retries and one credential refresh after a 401. */
  async function run(
    operation: OperationMeta,
    params: object | undefined,
    options: RequestOptions,
  ): Promise<WithResponse<unknown>> {
    const signal = options.signal;
    const route = `${operation.method} ${operation.path}`;
    let request: PreparedRequest;
    let timeoutMs: number;
    let maxRetries: number;
    try {
      timeoutMs = checkTimeout(options.timeoutMs ?? defaultTimeout);
      maxRetries = checkRetries(options.maxRetries ?? defaultRetries);
      request = prepareRequest(baseUrl, operation, params);
    } catch (error) {
      throw rebrand(error);
    }
    let retries = 0;
    let refreshed = false;
    let context: AuthContext = { refresh: false, rejected: undefined, signal };
    for (;;) {
      if (signal?.aborted)
        throw makeError(AbortError, { message: "request aborted by the caller", cause: signal.reason });
      const started = debug ? Date.now() : 0;
      const sent = await attempt(request, options.headers, context, timeoutMs);
      let error: ApiError;
      let response: WireResponse | undefined;
      if (sent.ok) {
        const settled = settle(sent.response, operation, route, hooks, kit);
        if ("result" in settled) {
          if (debug)
            log.debug(`${request.method} ${request.path} -> ${sent.response.status} (${Date.now() - started} ms)`);
          return settled.result;
        }
        ({ error, response } = settled);
      } else {
        ({ error, response } = sent);
      }
      if (debug)
        log.debug(`${request.method} ${request.path} -> ${error.status ?? error.name} (${Date.now() - started} ms)`);
      if (bodySpent(request.body)) {
        // a streamed body was read by this attempt: there is nothing left to send again
        if (
          (error.status === 401 && provider.refreshOnUnauthorized && !refreshed) ||
          shouldRetry(operation.idempotent, error, response?.headers, retries, maxRetries)
        )
          error.message +=
            "; not retried: the request body is a stream that was already sent and cannot be replayed (pass a Blob, e.g. fs.openAsBlob(path), to allow retries)";
        throw error;
      }
      if (error.status === 401 && provider.refreshOnUnauthorized && !refreshed) {
        refreshed = true;
        context = { refresh: true, rejected: sent.credentials, signal };
        log.info(`${request.method} ${request.path}: 401, renewing credentials and retrying once`);
        continue;
      }
      context = { refresh: false, rejected: undefined, signal };
      if (!shouldRetry(operation.idempotent, error, response?.headers, retries, maxRetries)) throw error;
      const delay = serverRetryDelayMs(response?.headers) ?? backoffDelayMs(retries);
      retries++;
      log.info(
        `${request.method} ${request.path}: ${error.message}; retry ${retries}/${maxRetries} in ${Math.round(delay)} ms`,
      );
      try {
        await sleep(delay, signal);
      } catch (cause) {
        throw makeError(AbortError, { message: "request aborted by the caller while waiting to retry", cause });
      }
    }
  }

  const call: OperationCaller = <T>(operation: OperationMeta, params: object | undefined, options?: RequestOptions) =>
    apiPromise(run(operation, params, options ?? {}) as Promise<WithResponse<T>>);

  const page: PageCaller = <Item, Result>(
    operation: OperationMeta,
    params: object | undefined,
    options?: RequestOptions,
  ) => {
    const callOptions = options ?? {};
    const fetch = (pageParams: object | undefined) => run(operation, pageParams, callOptions);
    return pagePromise<Item, Result>({ operation, fetch, error: makeError }, params);
  };

  return { call, page, raw, baseUrl, log, error: makeError };
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
