/** Safe construction of request paths and checks on the base URL. */
import { InvalidParamsError } from "./errors.js";

/**
 * Percent-encodes one path segment so that no value can change the path: `/`, `?`, `#`, `%`
 * are encoded. The dot segments `.` and `..` cannot be sent at all — URL parsers collapse them
 * even percent-encoded (`%2E%2E`) — so they are refused, as is a lone UTF-16 surrogate (it has no
 * UTF-8 form). `name` is the parameter's: the message is built only for an error.
 */
function encodePathSegment(value: string, name: string): string {
  if (value === "." || value === "..") {
    throw new InvalidParamsError({
      message: `path parameter "${name}" cannot be "${value}": it would change the path`,
    });
  }
  if (UNRESERVED.test(value)) return value;
  try {
    return encodeURIComponent(value);
  } catch {
    throw loneSurrogate(`path parameter "${name}"`);
  }
}

/** What `encodeURIComponent` leaves as it is (most ids): no need to call it. */
const UNRESERVED = /^[\w.!~*'()-]*$/;
/**
 * A UTF-16 surrogate not in a pair: it has no UTF-8 form, and `encodeURIComponent` throws on it.
 * Matched code unit by code unit (no `u` flag): V8 checks a regular expression literal as it parses
 * the module, and a Unicode property class (`/\p{Cs}/u`) makes it build ICU sets at import: 1.5M
 * instructions of a cold import (callgrind, fixed hash seed). A low surrogate matches at the start
 * or after anything but a high one; a high one when no low one follows.
 */
const LONE_SURROGATE = /(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])/;

/** The error for a URL parameter value (`what`) that holds a lone UTF-16 surrogate. */
export function loneSurrogate(what: string): InvalidParamsError {
  return new InvalidParamsError({ message: `${what} holds a lone UTF-16 surrogate and cannot be sent in a URL` });
}

/**
 * Whether a URL parameter value (a string, or an array of them) cannot be percent-encoded
 * because it holds a lone UTF-16 surrogate: the caller refuses it with {@link loneSurrogate}
 * before anything is sent, rather than let a bare `URIError` or a retried "connection error" out.
 */
export function hasLoneSurrogate(value: unknown): boolean {
  if (typeof value === "string") return LONE_SURROGATE.test(value);
  if (Array.isArray(value)) for (const v of value) if (typeof v === "string" && LONE_SURROGATE.test(v)) return true;
  return false;
}

const PATH_PARAM = /\{([^{}]+)\}/;
/** Path templates split once: literal text at even indexes, parameter names at odd ones. */
const templates = new Map<string, string[]>();

function partsOf(path: string): string[] {
  let parts = templates.get(path);
  if (parts === undefined) {
    parts = path.split(PATH_PARAM);
    if (templates.size >= 256) templates.clear();
    templates.set(path, parts);
  }
  return parts;
}

/**
 * Fills `{name}` templates in `path` from `params`, each value encoded as one segment (inserted
 * as it is: no `$&`-style replacement patterns).
 */
export function fillPath(path: string, params: Record<string, unknown> | undefined): string {
  const parts = partsOf(path);
  let out = parts[0] as string;
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i] as string;
    const value = params?.[name];
    if (value === undefined || value === null || value === "") {
      throw new InvalidParamsError({ message: `missing required path parameter "${name}"` });
    }
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "bigint") {
      throw new InvalidParamsError({ message: `path parameter "${name}" must be a string or a number` });
    }
    out += encodePathSegment(String(value), name) + (parts[i + 1] as string);
  }
  return out;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)$/i;

/** Whether a host name is this machine (credentials may go there over plain http). */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.test(hostname) || hostname.endsWith(".localhost");
}

/**
 * Validates the base URL: it must be absolute http(s); credentials over plain `http://` are
 * refused unless the host is loopback or the user opted in.
 */
export function checkBaseUrl(baseUrl: string, sendsCredentials: boolean, allowInsecureHttp: boolean): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new InvalidParamsError({ message: `baseUrl is not an absolute URL: ${JSON.stringify(baseUrl)}` });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new InvalidParamsError({ message: `baseUrl must be http(s), got ${url.protocol}` });
  }
  if (url.protocol === "http:" && sendsCredentials && !allowInsecureHttp && !isLoopbackHost(url.hostname)) {
    throw new InvalidParamsError({
      message: `refusing to send credentials over plain http to ${url.host}; use https or set allowInsecureHttp: true`,
    });
  }
  return baseUrl.replace(/\/+$/, "");
}
