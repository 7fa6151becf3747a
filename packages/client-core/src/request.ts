/**
 * Step 1 of a call, before anything is sent: splits one params object into path, query, header
 * and body params by the operation's metadata, and encodes them — URL, header params, a JSON or
 * `multipart/form-data` body. Everything wrong with the input ends here, as an
 * {@link InvalidParamsError} naming the operation.
 */
import { createQuerySerializer } from "openapi-fetch";
import { checkConstraints } from "./constraints.js";
import { InvalidParamsError } from "./errors.js";
import { isToken, isValidHeaderValue } from "./header-check.js";
import { encodeMultipart, type MultipartStream } from "./multipart.js";
import type { OperationMeta } from "./types.js";
import { fillPath, hasLoneSurrogate, loneSurrogate } from "./url.js";
import type { WireRequest } from "./wire.js";

/** A call's request, encoded once and reused by every attempt. */
export interface PreparedRequest {
  readonly method: string;
  /** Absolute URL, query included. */
  readonly url: string;
  /** The path with its parameters filled in (for logs). */
  readonly path: string;
  /**
   * The body, when the operation has one: JSON text; or a multipart body — a `Blob` (sent again
   * on a retry) or, with a streamed file, a {@link MultipartStream} (sent once: a call is not
   * retried after a transport started reading it); for `CoreClient.send`, any body a transport takes.
   */
  readonly body: string | Blob | MultipartStream | WireRequest["body"] | undefined;
  /** The body's `content-type` when it is not JSON (multipart: with its boundary). */
  readonly contentType?: string | undefined;
  /** The header params (`OperationMeta.headerParams`), by their spec names; validated. */
  readonly headers?: Record<string, string> | undefined;
  /** A 2xx body is handed over as a stream as it arrives (`WireRequest.stream`), not read in full. */
  readonly stream?: boolean | undefined;
}

const serializeQuery = createQuerySerializer();

/** Splits one params object into path, query and body by the operation's metadata. */
export function splitParams(
  operation: OperationMeta,
  params: object | undefined,
): {
  path: string;
  query: Record<string, unknown> | undefined;
  headers: Record<string, string> | undefined;
  body: Record<string, unknown> | undefined;
} {
  if (params !== undefined && (params === null || typeof params !== "object" || Array.isArray(params))) {
    throw new InvalidParamsError({ message: `${operation.id}: params must be an object` });
  }
  const values = (params ?? {}) as Record<string, unknown>;
  for (const name of operation.required) {
    if (values[name] === undefined || values[name] === null) {
      throw new InvalidParamsError({ message: `${operation.id}: missing required parameter "${name}"` });
    }
  }
  checkConstraints(operation, values);
  let path: string;
  try {
    path = fillPath(operation.path, values);
  } catch (error) {
    throw error instanceof InvalidParamsError
      ? new InvalidParamsError({ message: `${operation.id}: ${error.message}` })
      : error;
  }
  let query: Record<string, unknown> | undefined;
  for (const name of operation.queryParams) {
    const value = values[name];
    if (value === undefined) continue;
    checkQueryValue(value, operation.id, name);
    query ??= {};
    query[name] = value;
  }
  const headerParams = operation.headerParams ?? [];
  let headers: Record<string, string> | undefined;
  for (const name of headerParams) {
    const value = values[name];
    if (value === undefined || value === null) continue;
    headers ??= {};
    headers[name] = headerValue(value, name, operation.id);
  }
  let body: Record<string, unknown> | undefined;
  if (operation.body || operation.bodyKind === "multipart") {
    body = {};
    for (const [name, value] of Object.entries(values)) {
      if (!operation.pathParams.includes(name) && !operation.queryParams.includes(name) && !headerParams.includes(name))
        body[name] = value;
    }
  }
  return { path, query, headers, body };
}

/**
 * A header param as a header value: a string, number, boolean or bigint, or an array of them
 * (comma-separated, OpenAPI's `simple` style); refused when it is not a valid header value. The
 * message names the param, never its value (it may be a secret).
 */
function headerValue(value: unknown, name: string, operationId: string): string {
  const what = `${operationId}: header parameter "${name}"`;
  if (!isToken(name)) throw new InvalidParamsError({ message: `${what} is not a valid header name` });
  const items = Array.isArray(value) ? value : [value];
  for (const item of items) {
    const type = typeof item;
    if (type !== "string" && type !== "number" && type !== "boolean" && type !== "bigint") {
      throw new InvalidParamsError({
        message: `${what} must be a string, number or boolean, or an array of them, got ${item === null ? "null" : type}`,
      });
    }
    if (type === "number" && !Number.isFinite(item)) {
      throw new InvalidParamsError({ message: `${what} must be a finite number` });
    }
  }
  const text = items.map(String).join(",");
  if (!isValidHeaderValue(text)) {
    throw new InvalidParamsError({
      message: `${what} is not a valid header value (a control character, a line break, or a character above U+00FF)`,
    });
  }
  return text;
}

/**
 * A query value is a string, number, boolean or bigint, or an array of them, that can be
 * percent-encoded. The message naming the param is built only for an error.
 */
function checkQueryValue(value: unknown, operationId: string, name: string): void {
  if (typeof value !== "string") checkQueryItems(value, `${operationId}: query parameter "${name}"`);
  if (hasLoneSurrogate(value)) throw loneSurrogate(`${operationId}: query parameter "${name}"`);
}

function checkQueryItems(value: unknown, what: string): void {
  const items = Array.isArray(value) ? value : [value];
  for (const item of items) {
    const type = typeof item;
    if (type !== "string" && type !== "number" && type !== "boolean" && type !== "bigint") {
      throw new InvalidParamsError({
        message: `${what} must be a string, number or boolean${Array.isArray(value) ? " (in an array)" : " or an array of them"}, got ${item === null ? "null" : type}`,
      });
    }
    if (type === "number" && !Number.isFinite(item)) {
      throw new InvalidParamsError({ message: `${what} must be a finite number, got ${String(item)}` });
    }
  }
}

/**
 * Encodes a call: URL with its query, header params, JSON or multipart body. Throws
 * {@link InvalidParamsError} on bad input.
 */
export function prepareRequest(baseUrl: string, operation: OperationMeta, params: object | undefined): PreparedRequest {
  const split = splitParams(operation, params);
  const { path, query, body } = split;
  // a binary response is whatever media type the server has (the client-wide default asks for JSON)
  const headers = operation.binaryResponse ? { accept: "*/*", ...split.headers } : split.headers;
  const search = query ? serializeQuery(query) : "";
  const url = `${baseUrl}${path}${search ? `?${search}` : ""}`;
  if (body !== undefined && operation.bodyKind === "multipart") {
    const multipart = encodeMultipart(operation.id, body, operation.fileFields);
    return { method: operation.method, url, path, body: multipart.body, contentType: multipart.contentType, headers };
  }
  let json: string | undefined;
  if (body !== undefined) {
    try {
      json = JSON.stringify(body);
    } catch (cause) {
      throw new InvalidParamsError({
        message: `${operation.id}: the request body cannot be serialised as JSON (${cause instanceof Error ? cause.message : String(cause)})`,
      });
    }
  }
  return { method: operation.method, url, path, body: json, headers };
}

/**
 * Merges header sets (later ones win, names compared case-insensitively) into one object with
 * lower-case names, refusing an invalid name or value before anything is sent. The message names
 * the header, never its value (which may be a credential).
 */
export function mergeHeaders(...sets: (Record<string, string> | undefined)[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const set of sets) {
    if (set === undefined) continue;
    for (const name in set) {
      const value = set[name];
      if (value === undefined) continue;
      if (!isToken(name)) {
        throw new InvalidParamsError({ message: `invalid header name ${JSON.stringify(name.slice(0, 64))}` });
      }
      if (typeof value !== "string" || !isValidHeaderValue(value)) {
        throw new InvalidParamsError({
          message: `the value of header "${name}" is not a valid header value (a control character, a line break, or a character above U+00FF)`,
        });
      }
      out[name.toLowerCase()] = value.trim();
    }
  }
  return out;
}
