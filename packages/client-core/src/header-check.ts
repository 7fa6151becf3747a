/**
 * Checks a {@link WireRequest} before a transport arms anything or sends a byte. The platform's
 * own checks (`node:http`'s `validateHeaderValue`, undici's `Headers`) either throw at an awkward
 * moment or put the offending value — often a credential — in their error message; these checks
 * name the header and never repeat its value. The URL is checked by {@link checkUrl} (the Node
 * transport parses it its own way: `node-target.ts`).
 */
import { isStreamedBody, RequestSetupError, type WireRequest } from "./wire.js";

/** What both `node:http` and the Fetch standard accept in a header value: HTAB, SP–`~`, and obs-text (0x80–0xFF). */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** RFC 9110 `token`: the characters allowed in a header name or a method. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Whether a string may be sent as a header value. */
export function isValidHeaderValue(value: string): boolean {
  return HEADER_VALUE.test(value);
}

/** RFC 9110 `token`: a header name or a method. */
export function isToken(name: string): boolean {
  return TOKEN.test(name);
}

/** A header name fit for an error message: quoted, escaped, and cut short (a bad name may be anything). */
function quoteName(name: string): string {
  const quoted = JSON.stringify(name.length > 64 ? `${name.slice(0, 64)}…` : name);
  return quoted;
}

/**
 * The reason `request` cannot be sent, or `undefined` when its method, headers and body are
 * well formed. The URL is checked by each transport (it parses it anyway).
 */
export function checkRequest(request: WireRequest): RequestSetupError | undefined {
  const { method, headers, body } = request;
  if (typeof method !== "string" || !isToken(method)) return new RequestSetupError("invalid HTTP method");
  // the engine sends one frozen headers object again and again: checked once
  if (headers !== lastChecked) {
    const problem = checkHeaders(headers);
    if (problem !== undefined) return problem;
    if (Object.isFrozen(headers)) lastChecked = headers;
  }
  if (body !== undefined && !isBody(body))
    return new RequestSetupError("the request body must be a string, a Uint8Array, a Blob or a StreamedBody");
  return undefined;
}

/** The last frozen headers object found valid (frozen: it cannot have changed since). */
let lastChecked: WireRequest["headers"] | undefined;

function checkHeaders(headers: WireRequest["headers"]): RequestSetupError | undefined {
  for (const name in headers) {
    if (!Object.hasOwn(headers, name)) continue;
    if (!isToken(name)) return new RequestSetupError(`invalid header name ${quoteName(name)}`);
    const value: unknown = headers[name];
    if (typeof value !== "string") return new RequestSetupError(`the value of header "${name}" is not a string`);
    // never the value itself: it is typically a credential
    if (!isValidHeaderValue(value))
      return new RequestSetupError(`invalid character in the value of header "${name}" (value not shown)`);
  }
  return undefined;
}

/** Whether `body` is one of the kinds a {@link WireRequest} may carry. */
export function isBody(body: unknown): boolean {
  return (
    typeof body === "string" ||
    body instanceof Uint8Array ||
    (typeof Blob !== "undefined" && body instanceof Blob) ||
    isStreamedBody(body as WireRequest["body"])
  );
}

/** Why `url` cannot be requested (not absolute http(s), or with credentials), or `undefined`. */
export function checkUrl(url: string): RequestSetupError | undefined {
  // a URL on an origin already found good needs no `URL` (the dearest part of the check): after
  // `http(s)://host[:port]` and a `/` or `?`, nothing can change the scheme, the host or add credentials
  const last = lastOrigin;
  if (last !== undefined && url.startsWith(last) && isPathStart(url.charCodeAt(last.length))) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return new RequestSetupError("invalid request URL");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    return new RequestSetupError(`unsupported URL protocol ${JSON.stringify(parsed.protocol)}`);
  }
  if (parsed.username !== "" || parsed.password !== "") return new RequestSetupError("a URL with credentials");
  lastOrigin = parsed.origin;
  return undefined;
}

/** The origin (`http(s)://host[:port]`, as `URL` serialises it) of the last URL {@link checkUrl} accepted. */
let lastOrigin: string | undefined;

/** `/` or `?`: where the path or the query of a URL starts, right after its origin. */
const isPathStart = (c: number) => c === 0x2f || c === 0x3f;
