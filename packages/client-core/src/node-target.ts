/**
 * The parts of a request URL that `http.request` needs, parsed once per origin rather than once per
 * request (the Node transport only: a `URL` per request costs more than the rest of the call).
 */
import { RequestSetupError } from "./wire.js";

/** Where one hop goes: what `http.request` needs, and the URL it came from. */
export interface Target {
  /** The absolute URL, serialised. */
  href: string;
  /** `http://host[:port]`, compared when a redirect may leave the origin. */
  origin: string;
  secure: boolean;
  /** The host name, without the brackets of an IPv6 address. */
  hostname: string;
  port: string;
  /** Path and query. */
  path: string;
}

/** An origin already parsed: the parts of it `http.request` needs. */
interface KnownOrigin {
  origin: string;
  secure: boolean;
  hostname: string;
  port: string;
}
/** Origins already parsed, by their serialisation: most calls then need no `URL` at all. */
const origins = new Map<string, KnownOrigin>();
const MAX_ORIGINS = 64;
/** The origin of the last call: checked first, without slicing or hashing the URL. */
let lastOrigin: KnownOrigin | undefined;

/** Path and query characters WHATWG URL serialisation percent-encodes or treats apart: " # ' < > \ ` { } */
const SPECIAL = new Uint8Array(128);
for (const c of "\"#'<>\\`{}") SPECIAL[c.charCodeAt(0)] = 1;

/**
 * True when `url` from `from` on is a path and query that WHATWG URL serialisation leaves as they
 * are: a `/` first, printable ASCII only, nothing it would percent-encode, no backslash or
 * fragment, no dot segment (`/.`, or `%2e` anywhere, to stay simple), no empty query.
 */
function isPlainPath(url: string, from: number): boolean {
  if (url.charCodeAt(from) !== 0x2f) return false;
  let previous = 0x2f;
  for (let i = from + 1; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f || SPECIAL[c] === 1) return false;
    if (c === 0x2e && previous === 0x2f) return false; // "/."
    if (c === 0x25 && url.charCodeAt(i + 1) === 0x32 && (url.charCodeAt(i + 2) | 0x20) === 0x65) return false; // %2e
    previous = c;
  }
  // an empty query: `URL` drops its "?" from `search`
  return previous !== 0x3f;
}

function knownTarget(url: string, known: KnownOrigin): Target {
  // a literal, not a spread: V8 makes spread objects slow enough to cost 10 % of a request
  return {
    href: url,
    origin: known.origin,
    secure: known.secure,
    hostname: known.hostname,
    port: known.port,
    path: url.slice(known.origin.length),
  };
}

/** The target of `url` (an absolute http/https URL, without credentials), or why it is not one. */
export function targetOf(url: string): Target | RequestSetupError {
  // fast paths: a URL already in its serialised form, on the last origin or on one seen before
  const last = lastOrigin;
  if (last !== undefined && url.startsWith(last.origin) && isPlainPath(url, last.origin.length)) {
    return knownTarget(url, last);
  }
  const authority = url.startsWith("https://") ? 8 : url.startsWith("http://") ? 7 : 0;
  const slash = authority === 0 ? -1 : url.indexOf("/", authority);
  if (slash !== -1) {
    const known = origins.get(url.slice(0, slash));
    if (known !== undefined && isPlainPath(url, slash)) {
      lastOrigin = known;
      return knownTarget(url, known);
    }
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return new RequestSetupError("invalid request URL");
  }
  const target = targetOfUrl(parsed);
  if (target instanceof RequestSetupError) return target;
  const { origin, secure, hostname, port } = target;
  if (parsed.href === url && url.startsWith(origin) && isPlainPath(url, origin.length)) {
    if (origins.size >= MAX_ORIGINS) origins.clear();
    lastOrigin = { origin, secure, hostname, port };
    origins.set(origin, lastOrigin);
  }
  return target;
}

export function targetOfUrl(url: URL): Target | RequestSetupError {
  const { protocol, hostname } = url;
  if (protocol !== "http:" && protocol !== "https:") {
    return new RequestSetupError(`unsupported URL protocol ${JSON.stringify(protocol)}`);
  }
  if (url.username !== "" || url.password !== "") return new RequestSetupError("a URL with credentials");
  return {
    href: url.href,
    origin: url.origin,
    secure: protocol === "https:",
    hostname: hostname.charCodeAt(0) === 0x5b ? hostname.slice(1, -1) : hostname, // [::1]
    port: url.port,
    path: url.pathname + url.search,
  };
}
