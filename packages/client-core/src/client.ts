/**
 * The request engine shared by every provider client:
 * auth hook → build URL → send (openapi-fetch) → retry → parse → typed error.
 * It knows nothing about any provider; a provider plugs in through {@link ProviderDefinition}.
 */
import createClient, { type Client } from "openapi-fetch";
import { attemptSignal, sleep, TimeoutReason } from "./abort.js";
import { type APIPromise, apiPromise } from "./api-promise.js";
import {
  AbortError,
  type ApiError,
  type ApiErrorInit,
  ConnectionError,
  errorClassForStatus,
  InvalidParamsError,
  InvalidResponseError,
  TimeoutError,
} from "./errors.js";
import { type Logger, levelledLogger } from "./logger.js";
import { headersToObject, scrubSecrets } from "./redact.js";
import { backoffDelayMs, isRetryableStatus, serverRetryDelayMs, serverRetryHint } from "./retry.js";
import { defaultTransport } from "./transport.js";
import type { ClientOptions, OperationMeta, RequestOptions, WithResponse } from "./types.js";
import { checkBaseUrl, checkEncodable, fillPath } from "./url.js";

/** Context passed to a provider's auth hook. */
export interface AuthContext {
  /** `true` when the previous attempt got 401 and the credentials should be renewed. */
  refresh: boolean;
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
  /** Returns the credential headers for one attempt. Called before the first request. */
  authenticate?: (context: AuthContext) => Record<string, string> | Promise<Record<string, string>>;
  /** Renew the credentials and retry once after a 401 (token providers). */
  refreshOnUnauthorized?: boolean;
  /** Secrets to scrub from error messages (tokens, keys). */
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
  response: Response;
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
  /** The typed openapi-fetch client on the same base URL, fetch and headers (no retries). */
  raw: Client<Paths>;
  /** The resolved base URL. */
  baseUrl: string;
  /** The leveled logger (for provider warnings). */
  log: Logger;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_RETRIES = 2;
const EXCERPT = 200;
const IN_BROWSER = typeof (globalThis as { document?: unknown }).document !== "undefined";

/** Creates the engine for one provider client. */
export function createCoreClient<Paths extends {}>(
  provider: ProviderDefinition,
  options: ClientOptions = {},
): CoreClient<Paths> {
  const baseUrl = checkBaseUrl(
    options.baseUrl ?? provider.defaultBaseUrl,
    provider.authenticate !== undefined,
    options.allowInsecureHttp ?? false,
  );
  const defaultTimeout = checkTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const defaultRetries = checkRetries(options.maxRetries ?? DEFAULT_MAX_RETRIES);
  const log = levelledLogger(options.logger ?? console, options.logLevel ?? "warn", `[${provider.packageName}]`);
  const debug = options.logLevel === "debug";
  const staticHeaders: Record<string, string> = { Accept: "application/json", ...options.headers };
  if (!IN_BROWSER) staticHeaders["User-Agent"] = `${provider.packageName}/${provider.packageVersion}`;
  // On Node the default transport enforces each attempt's deadline itself, which spares an
  // AbortController, a listener and a timer per request (about 12 % of a loopback request).
  const nativeDeadline = !options.fetch && defaultTransport.deadline === true;
  const clientOptions = {
    baseUrl,
    headers: staticHeaders,
    ...(options.fetch
      ? { fetch: options.fetch }
      : { fetch: defaultTransport.fetch, Request: defaultTransport.Request }),
  };
  // The engine's own client: no middleware, so nothing runs per request that `call` does not need.
  const engine = createClient<Paths>(clientOptions);
  // The public escape hatch: the same client, plus the provider's credentials on every request.
  const raw = createClient<Paths>(clientOptions);
  const authenticate = provider.authenticate;
  if (authenticate) {
    raw.use({
      async onRequest({ request }) {
        for (const [name, value] of Object.entries(await authenticate({ refresh: false }))) {
          request.headers.set(name, value);
        }
        return request;
      },
    });
  }
  const requestIdHeaders = provider.requestIdHeaders ?? ["x-request-id", "request-id"];
  const secrets = provider.secrets ?? (() => []);

  const requestIdOf = (headers: Headers): string | undefined => {
    for (const name of requestIdHeaders) {
      const value = headers.get(name);
      if (value) return value;
    }
    return undefined;
  };

  // Error paths only: scrub the credentials out of everything an error carries, even when the
  // server echoed them back in its body or headers.
  const makeError = (Class: typeof ApiError, init: ApiErrorInit): ApiError => {
    const known = secrets();
    return new Class({
      ...init,
      message: scrubSecrets(init.message, known),
      body: scrubValue(init.body, known),
      headers: scrubValue(init.headers, known),
      fields: scrubValue(init.fields, known),
      provider: provider.errorBrand,
    });
  };

  const responseError = (response: Response, body: unknown): ApiError => {
    const mapped = provider.mapError?.(response.status, body, response.headers) ?? {};
    const requestId = mapped.requestId ?? requestIdOf(response.headers);
    const detail = mapped.message ?? (typeof body === "string" ? excerpt(body) : undefined);
    return makeError(errorClassForStatus(response.status), {
      ...mapped,
      status: response.status,
      message: `${response.status} ${response.statusText || "error"}${detail ? `: ${detail}` : ""}`,
      requestId,
      headers: headersToObject(response.headers),
      body: typeof body === "string" ? excerpt(body) : body,
    });
  };

  async function attempt(
    operation: OperationMeta,
    path: string,
    query: Record<string, unknown> | undefined,
    body: Record<string, unknown> | undefined,
    callHeaders: Record<string, string> | undefined,
    refresh: boolean,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<{ response: Response; data: unknown } | { error: ApiError; response?: Response }> {
    // an auth hook that answers synchronously costs no extra turn of the event loop
    const pending = provider.authenticate?.({ refresh });
    const auth = pending instanceof Promise ? await pending : pending;
    const headers = auth || callHeaders ? { ...auth, ...callHeaders } : undefined;
    const timer = nativeDeadline ? undefined : attemptSignal(timeoutMs, signal);
    try {
      const result = await engine.request(
        operation.method.toLowerCase() as "get",
        path as never,
        {
          params: query ? { query } : {},
          body,
          headers,
          signal: timer ? timer.signal : signal,
          timeoutMs: nativeDeadline ? timeoutMs : undefined,
          parseAs: "text",
        } as never,
      );
      const response = result.response;
      if (response.ok) return { response, data: (result as { data?: unknown }).data };
      return { error: responseError(response, (result as { error?: unknown }).error), response };
    } catch (cause) {
      const reason = timer?.signal.aborted ? timer.signal.reason : cause;
      if (reason instanceof TimeoutReason || (reason as { cause?: unknown } | null)?.cause instanceof TimeoutReason) {
        return { error: makeError(TimeoutError, { message: `request timed out after ${timeoutMs} ms`, cause }) };
      }
      if (signal?.aborted) {
        throw makeError(AbortError, { message: "request aborted by the caller", cause: signal.reason });
      }
      const detail = cause instanceof Error ? causeMessage(cause) : String(cause);
      return { error: makeError(ConnectionError, { message: `connection error: ${detail}`, cause }) };
    } finally {
      timer?.done();
    }
  }

  const parseSuccess = (operation: OperationMeta, response: Response, text: unknown): WithResponse<unknown> => {
    const requestId = requestIdOf(response.headers);
    let body: unknown;
    if (typeof text === "string" && text !== "") {
      try {
        body = JSON.parse(text);
      } catch {
        throw makeError(InvalidResponseError, {
          status: response.status,
          message: `${response.status}: response body is not valid JSON: ${excerpt(text)}`,
          requestId,
          headers: headersToObject(response.headers),
          body: excerpt(text),
        });
      }
    } else if (operation.responseBody) {
      throw makeError(InvalidResponseError, {
        status: response.status,
        message: `${response.status}: expected a JSON body, got none`,
        requestId,
        headers: headersToObject(response.headers),
      });
    }
    const data = provider.unwrap
      ? provider.unwrap(body, {
          response,
          requestId,
          error: (init, Class) =>
            makeError(Class ?? errorClassForStatus(init.status ?? response.status), {
              headers: headersToObject(response.headers),
              ...init,
            }),
        })
      : body;
    return { data, response, requestId };
  };

  async function run(
    operation: OperationMeta,
    params: object | undefined,
    options: RequestOptions,
  ): Promise<WithResponse<unknown>> {
    const { path, query, body } = splitParams(operation, params);
    const timeoutMs = checkTimeout(options.timeoutMs ?? defaultTimeout);
    const maxRetries = checkRetries(options.maxRetries ?? defaultRetries);
    const signal = options.signal;
    let retries = 0;
    let refreshed = false;
    let refresh = false;
    for (;;) {
      if (signal?.aborted)
        throw makeError(AbortError, { message: "request aborted by the caller", cause: signal.reason });
      const started = debug ? Date.now() : 0;
      const outcome = await attempt(operation, path, query, body, options.headers, refresh, timeoutMs, signal);
      refresh = false;
      if (!("error" in outcome)) {
        if (debug) log.debug(`${operation.method} ${path} -> ${outcome.response.status} (${Date.now() - started} ms)`);
        return parseSuccess(operation, outcome.response, outcome.data);
      }
      const { error, response } = outcome;
      if (debug) log.debug(`${operation.method} ${path} -> ${error.status ?? error.name} (${Date.now() - started} ms)`);
      if (error.status === 401 && provider.refreshOnUnauthorized && !refreshed) {
        refreshed = true;
        refresh = true;
        log.info(`${operation.method} ${path}: 401, renewing credentials and retrying once`);
        continue;
      }
      if (!shouldRetry(operation, error, response, retries, maxRetries)) throw error;
      const delay = serverRetryDelayMs(response?.headers) ?? backoffDelayMs(retries);
      retries++;
      log.info(
        `${operation.method} ${path}: ${error.message}; retry ${retries}/${maxRetries} in ${Math.round(delay)} ms`,
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

  return { call, raw, baseUrl, log };
}

function shouldRetry(
  operation: OperationMeta,
  error: ApiError,
  response: Response | undefined,
  retries: number,
  maxRetries: number,
): boolean {
  if (retries >= maxRetries || !operation.idempotent) return false;
  if (error instanceof ConnectionError) return true;
  const hint = serverRetryHint(response?.headers);
  if (hint !== undefined) return hint;
  return error.status !== undefined && isRetryableStatus(error.status);
}

/** Splits one params object into path, query and body by the operation's metadata. */
export function splitParams(
  operation: OperationMeta,
  params: object | undefined,
): { path: string; query: Record<string, unknown> | undefined; body: Record<string, unknown> | undefined } {
  if (params !== undefined && (params === null || typeof params !== "object" || Array.isArray(params))) {
    throw new InvalidParamsError({ message: `${operation.id}: params must be an object` });
  }
  const values = (params ?? {}) as Record<string, unknown>;
  for (const name of operation.required) {
    if (values[name] === undefined || values[name] === null) {
      throw new InvalidParamsError({ message: `${operation.id}: missing required parameter "${name}"` });
    }
  }
  const path = fillPath(operation.path, values);
  let query: Record<string, unknown> | undefined;
  for (const name of operation.queryParams) {
    if (values[name] === undefined) continue;
    checkEncodable(values[name], `${operation.id}: query parameter "${name}"`);
    query ??= {};
    query[name] = values[name];
  }
  let body: Record<string, unknown> | undefined;
  if (operation.body) {
    body = {};
    for (const [name, value] of Object.entries(values)) {
      if (!operation.pathParams.includes(name) && !operation.queryParams.includes(name)) body[name] = value;
    }
  }
  return { path, query, body };
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

function scrubValue<T>(value: T, known: readonly string[]): T {
  if (value === undefined || known.every((secret) => secret.length < 4)) return value;
  const text = JSON.stringify(value);
  if (text === undefined) return value;
  const clean = scrubSecrets(text, known);
  return clean === text ? value : (JSON.parse(clean) as T);
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > EXCERPT ? `${flat.slice(0, EXCERPT)}…` : flat;
}

function causeMessage(error: Error): string {
  const inner = (error as { cause?: unknown }).cause;
  if (inner instanceof Error) {
    const code = (inner as { code?: unknown }).code;
    return `${error.message} (${typeof code === "string" ? `${code}: ` : ""}${inner.message})`;
  }
  return error.message;
}
