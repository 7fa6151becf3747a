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
  /** The `Host` header: the host name (an IPv6 address in brackets) and a port that is not the scheme's default. */
  host: string;
  /** Path and query. */
  path: string;
}

/** An origin already parsed: the parts of it `http.request` needs. */
interface KnownOrigin {
  origin: string;
  secure: boolean;
  hostname: string;
  port: string;
  host: string;
}
/** Origins already parsed, by their serialisation: most calls then need no `URL` at all. */
const origins = new Map<string, KnownOrigin>();
const MAX_ORIGINS = 64;
/** The origin of the last call: checked first, without slicing or hashing the URL. */
let lastOrigin: KnownOrigin | undefined;

/**
 * A path and query that WHATWG URL serialisation leaves as they are, from `lastIndex` to the end:
 * a `/` first, then printable ASCII only — nothing it would percent-encode (`"` `'` `<` `>` `` ` ``
 * `{` `}`), no backslash or fragment (`\\` `#`) — no dot segment (a `.` right after a `/`, or
 * `%2e` anywhere, to stay simple), and no empty query (a final `?`). One sticky regular
 * expression, compiled to native code: `targetOf` of a Coze URL took 180 ns with it against
 * 257 ns with a loop over the characters (a scratch microbenchmark, URL building included).
 */
const PLAIN_PATH = /\/(?!\.)(?:[!$&()*+,\-0-9:;=?@A-Z[\]^_a-z|~]|\/(?!\.)|\.|%(?!2[eE]))*(?<!\?)$/y;

/** True when `url` from `from` on is a path and query already in its serialised form ({@link PLAIN_PATH}). */
function isPlainPath(url: string, from: number): boolean {
  PLAIN_PATH.lastIndex = from;
  return PLAIN_PATH.test(url);
}

function knownTarget(url: string, known: KnownOrigin): Target {
  // a literal, not a spread: V8 makes spread objects slow enough to cost 10 % of a request
  return {
    href: url,
    origin: known.origin,
    secure: known.secure,
    hostname: known.hostname,
    port: known.port,
    host: known.host,
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
  const { origin, secure, hostname, port, host } = target;
  if (parsed.href === url && url.startsWith(origin) && isPlainPath(url, origin.length)) {
    if (origins.size >= MAX_ORIGINS) origins.clear();
    lastOrigin = { origin, secure, hostname, port, host };
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
    host: url.host,
    path: url.pathname + url.search,
  };
}
