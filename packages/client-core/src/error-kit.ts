/**
 * How every error of a client is made: branded with the provider, scrubbed of every secret the
 * client has used, and — for what an attempt threw — mapped onto the typed error it means.
 */
import {
  AbortError,
  ApiError,
  type ApiErrorInit,
  AuthenticationError,
  ConnectionError,
  InvalidParamsError,
  InvalidResponseError,
  TimeoutError,
} from "./errors.js";
import { scrubInit } from "./secrets.js";
import type { OperationMeta } from "./types.js";
import { ProtocolError, RequestSetupError, TimeoutReason } from "./wire.js";

/** Makes a client's errors. */
export interface ErrorKit {
  /** An error of `Class` with the provider's brand, every known secret scrubbed. */
  make(Class: typeof ApiError, init: ApiErrorInit): ApiError;
  /** An unbranded `ApiError` (thrown by shared code) remade with the brand; anything else as is. */
  rebrand(error: unknown): unknown;
  /**
   * The error as it leaves a call of `operation`: branded (see `rebrand`), with `operation` set and
   * its message starting with `<brand> <operationId> <METHOD> <path template>: `. Anything that is
   * not an `ApiError` is returned as is.
   */
  about(error: unknown, operation: OperationMeta): unknown;
}

/** The error kit of one client: `brand` on every error, `secrets()` scrubbed from it. */
export function errorKit(brand: string, secrets: () => readonly string[]): ErrorKit {
  const make = (Class: typeof ApiError, init: ApiErrorInit): ApiError =>
    new Class({ ...scrubInit(init, secrets()), provider: brand });
  const rebrand = (error: unknown): unknown =>
    error instanceof ApiError && error.provider === undefined
      ? make(error.constructor as typeof ApiError, {
          message: error.message,
          status: error.status,
          code: error.code,
          requestId: error.requestId,
          body: error.body,
          headers: error.headers,
          operation: error.operation,
          cause: (error as { cause?: unknown }).cause,
        })
      : error;
  const about = (error: unknown, operation: OperationMeta): unknown => {
    const branded = rebrand(error);
    if (!(branded instanceof ApiError)) return branded;
    const route = `${operation.method} ${operation.path}`;
    const prefix = `${brand} ${operation.id} ${route}: `;
    if (!branded.message.startsWith(prefix)) {
      // shared checks name the operation themselves (`files.retrieve: missing …`): said once, in front
      let rest = branded.message;
      for (const legacy of [`${operation.id} (${route}): `, `${operation.id}: `]) {
        if (rest.startsWith(legacy)) {
          rest = rest.slice(legacy.length);
          break;
        }
      }
      branded.message = prefix + rest;
    }
    if (branded.operation === undefined) (branded as { operation: string | undefined }).operation = operation.id;
    return branded;
  };
  return { make, rebrand, about };
}

/**
 * What an attempt threw — in the credentials hook (`auth`) or while sending (`send`) — as the
 * typed error it means: the deadline → `TimeoutError`; the caller's abort → `AbortError`; a
 * request that could not be built → `InvalidParamsError`; a response that broke HTTP →
 * `InvalidResponseError`; a failing hook → `AuthenticationError`; anything else → `ConnectionError`.
 */
export function attemptError(
  cause: unknown,
  stage: "auth" | "send",
  timeoutMs: number,
  signal: AbortSignal | undefined,
  kit: ErrorKit,
): ApiError {
  if (cause instanceof TimeoutReason) {
    const what = stage === "auth" ? "obtaining credentials" : "request";
    return kit.make(TimeoutError, { message: `${what} timed out after ${timeoutMs} ms`, cause });
  }
  if (signal?.aborted) return kit.make(AbortError, { message: "request aborted by the caller", cause: signal.reason });
  if (cause instanceof ApiError) return kit.rebrand(cause) as ApiError;
  if (stage === "auth") {
    return kit.make(AuthenticationError, { message: `could not obtain credentials: ${describe(cause)}`, cause });
  }
  if (cause instanceof RequestSetupError) return kit.make(InvalidParamsError, { message: cause.message, cause });
  if (cause instanceof ProtocolError) {
    return kit.make(InvalidResponseError, { message: `invalid response: ${cause.message}`, cause });
  }
  return kit.make(ConnectionError, { message: `connection error: ${describe(cause)}`, cause });
}

/** A one-line account of what went wrong, with the code of the underlying error (`ECONNRESET`, …). */
export function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const inner = (error as { cause?: unknown }).cause;
  const code = (error as { code?: unknown }).code ?? (inner as { code?: unknown } | undefined)?.code;
  const detail = inner instanceof Error && inner.message !== error.message ? ` (${inner.message})` : "";
  return `${typeof code === "string" ? `${code}: ` : ""}${error.message}${detail}`;
}
