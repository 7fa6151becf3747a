/**
 * The last steps of an attempt: read a success body as the method's result, or turn an error
 * response into the provider's typed error. Pure functions of the response and the provider's
 * hooks; the engine brands and scrubs what they build.
 */
import { CallResult } from "./call-result.js";
import type { UnwrapContext } from "./client.js";
import { describe, type ErrorKit } from "./error-kit.js";
import { ApiError, type ApiErrorInit, errorClassForStatus, InvalidResponseError } from "./errors.js";
import { headersToObject } from "./redact.js";
import type { OperationMeta, WithResponse } from "./types.js";
import type { WireResponse } from "./wire.js";

/** Longest excerpt of a non-JSON body kept in an error. */
const EXCERPT = 200;
const utf8 = new TextDecoder();

/** Builds a branded, scrubbed error (the engine's `makeError`). */
export type ErrorFactory = (Class: typeof ApiError, init: ApiErrorInit) => ApiError;

/** What a provider's `mapError` makes of an error response. */
export type ErrorMapper = (status: number, body: unknown, headers: Headers) => Partial<ApiErrorInit> | undefined;

/** The request id from the first of `names` present in the headers. */
export function requestIdFrom(headers: Headers, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = headers.get(name);
    if (value) return value;
  }
  return undefined;
}

/** A short one-line excerpt of a text. */
export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > EXCERPT ? `${flat.slice(0, EXCERPT)}…` : flat;
}

/** The body as JSON, or as text when it is not JSON; `undefined` when empty. */
function readBody(
  body: WireResponse["body"],
): { json: true; value: unknown } | { json: false; text: string } | undefined {
  // a stream is only ever a 2xx body asked for as one (`WireRequest.stream`): never parsed here
  if (!(typeof body === "string" || body instanceof Uint8Array)) return undefined;
  const text = typeof body === "string" ? body : body.byteLength === 0 ? "" : utf8.decode(body);
  if (text === "") return undefined;
  try {
    return { json: true, value: JSON.parse(text) };
  } catch {
    return { json: false, text };
  }
}

/** Turns a non-2xx response into the typed error for its status, with the provider's fields. */
export function errorFromResponse(
  response: WireResponse,
  mapError: ErrorMapper | undefined,
  requestIdHeaders: readonly string[],
  makeError: ErrorFactory,
): ApiError {
  const read = readBody(response.body);
  const body = read === undefined ? undefined : read.json ? read.value : excerpt(read.text);
  let mapped: Partial<ApiErrorInit> = {};
  try {
    mapped = mapError?.(response.status, body, response.headers) ?? {};
  } catch {
    // a provider's mapping that chokes on an odd body must not hide the HTTP error itself
  }
  const detail =
    typeof mapped.message === "string" && mapped.message !== ""
      ? mapped.message
      : typeof body === "string"
        ? body
        : undefined;
  return makeError(errorClassForStatus(response.status), {
    ...mapped,
    status: response.status,
    message: `${response.status} ${response.statusText || "error"}${detail ? `: ${detail}` : ""}`,
    requestId: mapped.requestId ?? requestIdFrom(response.headers, requestIdHeaders),
    headers: headersToObject(response.headers),
    body,
  });
}

/** Parses a 2xx body as JSON; an operation that declares a body gets an {@link InvalidResponseError} when there is none. */
export function parseSuccessBody(
  response: WireResponse,
  operation: OperationMeta,
  requestIdHeaders: readonly string[],
  makeError: ErrorFactory,
): unknown {
  const read = readBody(response.body);
  if (read === undefined) {
    if (!operation.responseBody || response.status === 204) return undefined;
    throw makeError(InvalidResponseError, {
      status: response.status,
      message: `${response.status}: expected a JSON body, got none`,
      requestId: requestIdFrom(response.headers, requestIdHeaders),
      headers: headersToObject(response.headers),
    });
  }
  if (!read.json) {
    throw makeError(InvalidResponseError, {
      status: response.status,
      message: `${response.status}: response body is not valid JSON: ${excerpt(read.text)}`,
      requestId: requestIdFrom(response.headers, requestIdHeaders),
      headers: headersToObject(response.headers),
      body: excerpt(read.text),
    });
  }
  return read.value;
}

const NULL_BODY_STATUS = new Set([204, 205, 304]);

/** A standard `Response` for `withResponse()`, made only when asked for (the body was read already). */
export function platformResponse(wire: WireResponse): Response {
  if (wire.response) return wire.response;
  const body = NULL_BODY_STATUS.has(wire.status) || isEmptyOrStream(wire.body) ? null : wire.body;
  return new Response(body as BodyInit | null, {
    status: wire.status,
    statusText: wire.statusText,
    headers: wire.headers,
  });
}

/**
 * Whether a body is empty, or a stream: a streamed body is the call's result, so the `Response` of
 * `withResponse()` carries its status and headers only (two readers cannot share one stream).
 */
function isEmptyOrStream(body: WireResponse["body"]): boolean {
  if (typeof body === "string") return body === "";
  return body instanceof Uint8Array ? body.byteLength === 0 : true;
}

/** What a provider tells the engine about reading its responses. */
export interface ResponseHooks {
  mapError: ErrorMapper | undefined;
  unwrap: ((body: unknown, context: UnwrapContext) => unknown) | undefined;
  requestIdHeaders: readonly string[];
  /** The request id a success body carries (e.g. Coze's `detail.logid`); it wins over the headers'. */
  requestIdFromBody?: ((body: unknown) => string | undefined) | undefined;
}

/** A settled response: the call's result, or the error of its status. */
export type Settled = { result: WithResponse<unknown> } | { error: ApiError; response: WireResponse };

/**
 * The 2xx body of a binary operation (`operation.binaryResponse`) as a `Blob` typed with the
 * response's `content-type`: read it with `await blob.arrayBuffer()`, `await blob.bytes()`,
 * `await blob.text()` or `blob.stream()`, or pass it on (a `Blob` is what `fetch`, `FormData`,
 * `URL.createObjectURL` and `fs.writeFile(path, blob.stream())` take). `undefined` for a 204.
 * The provider's `unwrap` (for JSON envelopes) is not applied to it. A body the transport
 * streamed (`WireRequest.stream`) stays the stream it is.
 */
export function binaryBody(response: WireResponse): Blob | ReadableStream<Uint8Array> | undefined {
  const body = response.body;
  if (!(typeof body === "string" || body instanceof Uint8Array)) return body; // asked for as a stream
  if (response.status === 204 || response.status === 205) return undefined;
  return new Blob([body as Uint8Array<ArrayBuffer> | string], { type: response.headers.get("content-type") ?? "" });
}

/**
 * A response becomes the call's result (the body parsed and unwrapped by the provider — or, for
 * a binary operation, a `Blob`: {@link binaryBody} — the platform `Response` made only if asked
 * for), or the typed error of its status.
 */
export function settle(response: WireResponse, operation: OperationMeta, hooks: ResponseHooks, kit: ErrorKit): Settled {
  if (response.status < 200 || response.status > 299) {
    return {
      error: errorFromResponse(response, hooks.mapError, hooks.requestIdHeaders, kit.make),
      response,
    };
  }
  const binary = operation.binaryResponse === true;
  const body = binary ? binaryBody(response) : parseSuccessBody(response, operation, hooks.requestIdHeaders, kit.make);
  // one rule for errors and results: the provider's id in the body first, else the headers'
  // (looked up only then: most bodies of a provider that has one carry it)
  let requestId: string | undefined;
  if (hooks.requestIdFromBody && !binary) {
    try {
      requestId = hooks.requestIdFromBody(body);
    } catch {
      // an odd body keeps the headers' id
    }
  }
  requestId ??= requestIdFrom(response.headers, hooks.requestIdHeaders);
  let data: unknown = body;
  if (hooks.unwrap && !binary) {
    try {
      data = hooks.unwrap(body, {
        status: response.status,
        headers: response.headers,
        requestId,
        error: (init, Class) =>
          kit.make(Class ?? errorClassForStatus(init.status ?? response.status), {
            headers: headersToObject(response.headers),
            ...init,
          }),
      });
    } catch (error) {
      // a failure reported in a success body (e.g. an envelope code) goes through the retry
      // policy like an error status: a rate limit is retried, a bad request is not
      return {
        error:
          error instanceof ApiError
            ? (kit.rebrand(error) as ApiError)
            : kit.make(InvalidResponseError, {
                status: response.status,
                message: `the response could not be read: ${describe(error)}`,
                requestId,
                cause: error,
              }),
        response,
      };
    }
  }
  return { result: new CallResult(data, requestId, response) };
}
