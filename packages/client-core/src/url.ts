/** Safe construction of request paths and checks on the base URL. */
import { InvalidParamsError } from "./errors.js";

/**
 * Percent-encodes one path segment so that no value can change the path: `/`, `?`, `#`, `%`
 * are encoded. The dot segments `.` and `..` cannot be sent at all — URL parsers collapse them
 * even percent-encoded (`%2E%2E`) — so they are refused.
 */
export function encodePathSegment(value: string): string {
  if (value === "." || value === "..") {
    throw new InvalidParamsError({ message: `a path parameter cannot be "${value}": it would change the path` });
  }
  return encodeURIComponent(value);
}

const PATH_PARAM = /\{([^{}]+)\}/g;

/**
 * Refuses a URL parameter value (a string, or an array of them) that cannot be percent-encoded
 * because it holds a lone UTF-16 surrogate: an `InvalidParamsError` before anything is sent,
 * rather than a bare `URIError` or a retried "connection error".
 */
export function checkEncodable(value: unknown, what: string): void {
  try {
    for (const v of Array.isArray(value) ? value : [value]) if (typeof v === "string") encodeURIComponent(v);
  } catch {
    throw new InvalidParamsError({ message: `${what} holds a lone UTF-16 surrogate and cannot be sent in a URL` });
  }
}

/**
 * Fills `{name}` templates in `path` from `params`, each value encoded as one segment.
 * Uses a replacer function, so `$&`-style patterns in values are inserted literally.
 */
export function fillPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(PATH_PARAM, (_match, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null || value === "") {
      throw new InvalidParamsError({ message: `missing required path parameter "${name}"` });
    }
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "bigint") {
      throw new InvalidParamsError({ message: `path parameter "${name}" must be a string or a number` });
    }
    checkEncodable(value, `path parameter "${name}"`);
    return encodePathSegment(String(value));
  });
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
