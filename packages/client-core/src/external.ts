/**
 * `CoreClient.send`'s request: an {@link ExternalRequest} (a pre-signed storage URL) checked and
 * prepared as the engine's operation and request, and a streamed response body kept under the
 * call's rules once handed over.
 */
import type { ExternalRequest } from "./client.js";
import type { Engine } from "./engine.js";
import { attemptError } from "./error-kit.js";
import { InvalidParamsError, TimeoutError } from "./errors.js";
import { mergeHeaders, type PreparedRequest } from "./request.js";
import { guardStream } from "./response-stream.js";
import type { OperationMeta, RequestOptions } from "./types.js";
import { StreamFile, toFile } from "./uploads.js";
import { type StreamedBody, TimeoutReason, type WireRequest } from "./wire.js";

const EXTERNAL_METHODS: readonly string[] = ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "POST", "PATCH"];
const IDEMPOTENT_METHODS: readonly string[] = ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"];

/**
 * An {@link ExternalRequest} as the engine's operation and prepared request: the operation's
 * `path` (what errors and logs show) is the URL without its query and fragment.
 */
export function prepareExternal(request: ExternalRequest): { operation: OperationMeta; request: PreparedRequest } {
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

/**
 * A streamed 2xx body (an empty one for a 204) under the call's rules: each read waits at most
 * `timeoutMs` for the next bytes, the signal aborts it, failures are the client's typed errors.
 */
export function guardedBody(
  engine: Engine,
  data: unknown,
  operation: OperationMeta,
  options: RequestOptions,
): ReadableStream<Uint8Array> {
  const { kit } = engine;
  const source = data instanceof ReadableStream ? (data as ReadableStream<Uint8Array>) : new Blob([]).stream();
  const idleMs = options.timeoutMs ?? engine.settings.defaultTimeout;
  const signal = options.signal;
  return guardStream(source, {
    idleMs,
    signal,
    toError: (cause) =>
      kit.about(
        cause instanceof TimeoutReason
          ? kit.make(TimeoutError, { message: `no data for ${idleMs} ms while reading the response body`, cause })
          : attemptError(cause, "send", idleMs, signal, kit),
        operation,
      ),
  });
}
