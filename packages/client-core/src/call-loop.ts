/**
 * Every attempt of one call: prepare the request, send it ({@link attempt}), settle the response,
 * then decide — return the result, renew the credentials once after a 401, retry after a delay,
 * or end with the typed error (and a warning line).
 */
import { sleep } from "./abort.js";
import { attempt, type Outcome } from "./attempt.js";
import type { AuthContext } from "./client.js";
import type { Engine } from "./engine.js";
import { AbortError, ApiError, InvalidParamsError } from "./errors.js";
import { bodySpent } from "./multipart.js";
import { type PreparedRequest, prepareRequest } from "./request.js";
import { settle } from "./response.js";
import { backoffDelayMs, serverRetryDelayMs, shouldRetry } from "./retry.js";
import { authorizationRefused, checkRetries, checkTimeout, hasAuthorization } from "./settings.js";
import type { OperationMeta, RequestOptions, WithResponse } from "./types.js";
import type { WireResponse } from "./wire.js";

/** Appended to the error of a call whose streamed body was sent once and cannot be sent again. */
const NOT_REPLAYABLE =
  "; not retried: the request body is a stream that was already sent and cannot be replayed (pass a Blob, e.g. fs.openAsBlob(path), to allow retries)";

/** A call's request and limits, checked before anything is sent. Throws the branded error. */
function prepare(
  engine: Engine,
  operation: OperationMeta,
  params: object | undefined,
  options: RequestOptions,
  external: PreparedRequest | undefined,
): { request: PreparedRequest; timeoutMs: number; maxRetries: number } {
  const { settings, provider } = engine;
  try {
    const timeoutMs = checkTimeout(options.timeoutMs ?? settings.defaultTimeout);
    const maxRetries = checkRetries(options.maxRetries ?? settings.defaultRetries);
    const request = external ?? prepareRequest(settings.baseUrl, operation, params);
    if (external === undefined && provider.authenticate !== undefined && hasAuthorization(options.headers)) {
      throw authorizationRefused("per-call headers");
    }
    return { request, timeoutMs, maxRetries };
  } catch (error) {
    throw engine.kit.rebrand(error);
  }
}

/**
 * Runs a call to its end. With `external` (a request of `CoreClient.send`, already prepared):
 * no credentials, default headers or provider hooks. Every error it rejects with is the client's:
 * branded, scrubbed, naming the operation.
 */
export async function runCall(
  engine: Engine,
  operation: OperationMeta,
  params: object | undefined,
  options: RequestOptions,
  external?: PreparedRequest,
): Promise<WithResponse<unknown>> {
  const { kit, settings } = engine;
  try {
    const { log, debug } = settings;
    const signal = options.signal;
    const { request, timeoutMs, maxRetries } = prepare(engine, operation, params, options, external);
    const anonymous = external !== undefined;
    const responseHooks = anonymous ? engine.externalHooks : engine.hooks;
    const refreshable = engine.provider.refreshOnUnauthorized === true && !anonymous;
    let retries = 0;
    let refreshed = false;
    let context: AuthContext = { refresh: false, rejected: undefined, signal };
    const call: CallRecord = { operation, request, started: Date.now(), attempts: 0 };
    for (;;) {
      if (signal?.aborted)
        throw kit.make(AbortError, { message: "request aborted by the caller", cause: signal.reason });
      const started = debug ? Date.now() : 0;
      call.attempts++;
      let sent: Outcome;
      try {
        sent = await attempt(engine, request, options.headers, context, timeoutMs, anonymous);
      } catch (error) {
        throw finalFailure(engine, call, error);
      }
      let error: ApiError;
      let response: WireResponse | undefined;
      if (sent.ok) {
        const settled = settle(sent.response, operation, responseHooks, kit);
        if ("result" in settled) {
          if (debug) log.debug(attemptLine(call, sent.response, settled.result.requestId, started));
          return settled.result;
        }
        ({ error, response } = settled);
      } else {
        ({ error, response } = sent);
      }
      if (debug) log.debug(attemptLine(call, response ?? error, error.requestId, started));
      const renew = error.status === 401 && refreshable && !refreshed;
      if (bodySpent(request.body)) {
        // a streamed body was read by this attempt: there is nothing left to send again
        if (renew || shouldRetry(operation.idempotent, error, response?.headers, retries, maxRetries))
          error.message += NOT_REPLAYABLE;
        throw finalFailure(engine, call, error);
      }
      if (renew) {
        refreshed = true;
        context = { refresh: true, rejected: sent.credentials, signal };
        log.info(`${where(call)}: 401, renewing credentials and retrying once (attempt ${call.attempts})`);
        continue;
      }
      context = { refresh: false, rejected: undefined, signal };
      if (!shouldRetry(operation.idempotent, error, response?.headers, retries, maxRetries))
        throw finalFailure(engine, call, error);
      const delay = serverRetryDelayMs(response?.headers) ?? backoffDelayMs(retries);
      retries++;
      log.info(
        `${where(call)}: ${error.message}; retry ${retries}/${maxRetries} in ${Math.round(delay)} ms (attempt ${call.attempts}${error.requestId ? `, request id ${error.requestId}` : ""})`,
      );
      try {
        await sleep(delay, signal);
      } catch (cause) {
        throw kit.make(AbortError, { message: "request aborted by the caller while waiting to retry", cause });
      }
    }
  } catch (error) {
    throw kit.about(error, operation);
  }
}

/** What the log lines of a call say about it. */
interface CallRecord {
  readonly operation: OperationMeta;
  readonly request: PreparedRequest;
  /** `Date.now()` when the call started. */
  readonly started: number;
  attempts: number;
}

/** `files.retrieve GET /v1/files/42`: the operation and the route with its ids (the path, never the query). */
function where(call: CallRecord): string {
  return `${call.operation.id} ${call.request.method} ${call.request.path}`;
}

/** The call ends with `error`: a warning line (not for the caller's abort or bad input), then the error. */
function finalFailure(engine: Engine, call: CallRecord, error: unknown): unknown {
  if (error instanceof ApiError && !(error instanceof AbortError) && !(error instanceof InvalidParamsError)) {
    const { attempts } = call;
    engine.settings.log.warn(
      `${where(call)} failed after ${attempts} attempt${attempts === 1 ? "" : "s"} (${Date.now() - call.started} ms${error.requestId ? `, request id ${error.requestId}` : ""}): ${error.message}`,
    );
  }
  return error;
}

/** `files.retrieve GET /v1/files/42 -> 404 Not Found (attempt 1, 12 ms, request id abc)`. */
function attemptLine(
  call: CallRecord,
  outcome: WireResponse | ApiError,
  requestId: string | undefined,
  started: number,
): string {
  const status =
    outcome instanceof ApiError
      ? outcome.name
      : `${outcome.status}${outcome.statusText ? ` ${outcome.statusText}` : ""}`;
  return `${where(call)} -> ${status} (attempt ${call.attempts}, ${Date.now() - started} ms${requestId ? `, request id ${requestId}` : ""})`;
}
