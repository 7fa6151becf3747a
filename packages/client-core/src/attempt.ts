/**
 * One attempt of a call: credentials (within the attempt's deadline), the request's headers,
 * then the transport. Resolves to an {@link Outcome} for anything that may be retried; throws the
 * typed error for what never is (the caller's abort, bad input, a broken response).
 */
import type { AuthContext } from "./client.js";
import type { CredentialHeaders } from "./credentials.js";
import type { Engine } from "./engine.js";
import { attemptError } from "./error-kit.js";
import { AbortError, type ApiError, InvalidParamsError, InvalidResponseError, TimeoutError } from "./errors.js";
import { mergeHeaders, type PreparedRequest } from "./request.js";
import type { WireResponse } from "./wire.js";

/** The result of one attempt: a response to parse, or an error to retry or throw. */
export type Outcome =
  | { ok: true; response: WireResponse; credentials: CredentialHeaders }
  | { ok: false; error: ApiError; response?: WireResponse; credentials?: CredentialHeaders };

/**
 * Sends `request` once. `anonymous` (a `CoreClient.send` request) sends neither credentials nor
 * the client's default headers.
 */
export function attempt(
  engine: Engine,
  request: PreparedRequest,
  callHeaders: Record<string, string> | undefined,
  context: AuthContext,
  timeoutMs: number,
  anonymous: boolean,
): Promise<Outcome> {
  const deadline = Date.now() + timeoutMs;
  let pending: CredentialHeaders | Promise<CredentialHeaders>;
  try {
    pending = anonymous ? undefined : engine.credentials.get(context, deadline, timeoutMs);
  } catch (cause) {
    return credentialsFailed(engine, cause, context, timeoutMs);
  }
  // credentials given synchronously (a static token) cost no turn of the event loop
  if (!(pending instanceof Promise))
    return send(engine, request, callHeaders, context, timeoutMs, anonymous, deadline, pending);
  return pending.then(
    (credentials) => send(engine, request, callHeaders, context, timeoutMs, anonymous, deadline, credentials),
    (cause: unknown) => credentialsFailed(engine, cause, context, timeoutMs),
  );
}

/** The hook failed: a timeout may be retried; anything else ends the call. */
function credentialsFailed(engine: Engine, cause: unknown, context: AuthContext, timeoutMs: number): Promise<Outcome> {
  const error = attemptError(cause, "auth", timeoutMs, context.signal, engine.kit);
  return error instanceof TimeoutError ? Promise.resolve({ ok: false, error }) : Promise.reject(error);
}

/** The request with its headers, through the transport, as an {@link Outcome}. */
function send(
  engine: Engine,
  request: PreparedRequest,
  callHeaders: Record<string, string> | undefined,
  context: AuthContext,
  timeoutMs: number,
  anonymous: boolean,
  deadline: number,
  credentials: CredentialHeaders,
): Promise<Outcome> {
  const signal = context.signal;
  let headers: Record<string, string>;
  try {
    headers = requestHeaders(engine, request, callHeaders, credentials, anonymous);
  } catch (cause) {
    return Promise.reject(attemptError(cause, "send", timeoutMs, signal, engine.kit));
  }
  return engine.settings
    .transport({
      method: request.method,
      url: request.url,
      headers,
      body: request.body,
      signal,
      deadline,
      stream: request.stream,
    })
    .then(
      (response): Outcome => ({ ok: true, response, credentials }),
      (cause: unknown): Outcome => {
        const error = attemptError(cause, "send", timeoutMs, signal, engine.kit);
        if (error instanceof AbortError || error instanceof InvalidParamsError || error instanceof InvalidResponseError)
          throw error;
        return { ok: false, error, credentials };
      },
    );
}

/**
 * The headers of an attempt, lower-cased: the client's (unless `anonymous`), the operation's
 * header params, the credentials, the call's, and the body's `content-type`. Throws on an invalid
 * header. A plain attempt (no call headers, no body) reuses the last one's while its credentials
 * object is the same.
 */
export function requestHeaders(
  engine: Engine,
  request: PreparedRequest,
  callHeaders: Record<string, string> | undefined,
  credentials: CredentialHeaders,
  anonymous: boolean,
): Record<string, string> {
  const last = engine.lastHeaders;
  const reusable =
    !anonymous && callHeaders === undefined && request.body === undefined && request.headers === undefined;
  if (reusable && credentials === last.credentials && last.headers !== undefined) return last.headers;
  const headers = anonymous
    ? mergeHeaders(request.headers, callHeaders)
    : mergeHeaders(engine.settings.staticHeaders, request.headers, credentials, callHeaders);
  // a multipart body's type carries its boundary: nothing may replace it
  if (request.contentType !== undefined) headers["content-type"] = request.contentType;
  else if (request.body !== undefined) headers["content-type"] ??= "application/json";
  if (reusable) {
    last.credentials = credentials;
    // frozen: sent again and again, it cannot change (a transport checks it once)
    last.headers = Object.freeze(headers);
  }
  return headers;
}
