/**
 * The response headers of the Node transport: a real `Headers`, filled from Node's raw headers only
 * when first needed (see {@link responseHeaders}).
 */
import { isToken } from "./header-check.js";

/** True for HTTP whitespace (SP, HTAB, CR, LF), what `Headers` trims off a value. */
const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/** `value` as `Headers` stores it (trimmed), or `undefined` for a value it refuses (NUL, CR, LF). */
function headerValue(value: string): string | undefined {
  let from = 0;
  let to = value.length;
  while (from < to && isSpace(value.charCodeAt(from))) from++;
  while (to > from && isSpace(value.charCodeAt(to - 1))) to--;
  const trimmed = from === 0 && to === value.length ? value : value.slice(from, to);
  return trimmed.includes("\0") || trimmed.includes("\r") || trimmed.includes("\n") ? undefined : trimmed;
}

/** True when the raw header name `raw` is `lower` (a lower-case name) ignoring case. */
function sameName(raw: string, lower: string): boolean {
  if (raw.length !== lower.length) return false;
  for (let i = 0; i < raw.length; i++) {
    let c = raw.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * Names already looked up, lower-cased (`null`: not a token, for `Headers` to refuse): a provider
 * asks for the same few names (its request-id headers) on every response, and lower-casing and
 * checking one costs more than the lookup itself. Bounded: names up to 64 characters, cleared
 * when full.
 */
const lowerNames = new Map<string, string | null>();
const MAX_NAMES = 64;
const MAX_NAME_LENGTH = 64;

/** `name` lower-cased, or `null` when it is not a header name. */
function lowerName(name: string): string | null {
  let lower = lowerNames.get(name);
  if (lower === undefined) {
    lower = isToken(name) ? name.toLowerCase() : null;
    if (name.length > MAX_NAME_LENGTH) return lower;
    if (lowerNames.size >= MAX_NAMES) lowerNames.clear();
    lowerNames.set(name, lower);
  }
  return lower;
}

type ResponseHeadersClass = new (raw: string[]) => Headers;
let ResponseHeaders: ResponseHeadersClass | undefined;

/**
 * The response headers: a real `Headers` (undici's, subclassed), filled from Node's raw headers
 * only when first needed. Building it costs more than the rest of the transport's work on a
 * loopback request, and most responses are only asked for a header or two: `get` and `has` are
 * answered from the raw headers directly; every other use fills it first. A value `Headers`
 * refuses (Node's lenient parser lets some through) is skipped, never fatal.
 */
function responseHeadersClass(): ResponseHeadersClass {
  // defined on first use: `Headers` is a lazy global that loads undici
  class NodeResponseHeaders extends globalThis.Headers {
    #raw: string[] | undefined;
    constructor(raw: string[]) {
      super();
      this.#raw = raw;
    }
    /** Moves the raw headers in (once); afterwards the object is a plain `Headers`. */
    #fill(): void {
      const raw = this.#raw;
      if (raw === undefined) return;
      this.#raw = undefined;
      for (let i = 0; i + 1 < raw.length; i += 2) {
        try {
          super.append(raw[i] as string, raw[i + 1] as string);
        } catch {
          // a value Headers refuses: skipped
        }
      }
    }
    /** The values of `name` joined with ", " as `Headers` joins them; `undefined` to ask `Headers`. */
    #lookup(name: string): string | null | undefined {
      const raw = this.#raw;
      if (raw === undefined || typeof name !== "string") return undefined;
      const lower = lowerName(name);
      if (lower === null) return undefined;
      let found: string | null = null;
      for (let i = 0; i + 1 < raw.length; i += 2) {
        if (!sameName(raw[i] as string, lower)) continue;
        const value = headerValue(raw[i + 1] as string);
        if (value !== undefined) found = found === null ? value : `${found}, ${value}`;
      }
      return found;
    }
    override get(name: string): string | null {
      const found = this.#lookup(name);
      if (found !== undefined) return found;
      this.#fill();
      return super.get(name);
    }
    override has(name: string): boolean {
      const found = this.#lookup(name);
      if (found !== undefined) return found !== null;
      this.#fill();
      return super.has(name);
    }
    override append(name: string, value: string): void {
      this.#fill();
      super.append(name, value);
    }
    override set(name: string, value: string): void {
      this.#fill();
      super.set(name, value);
    }
    override delete(name: string): void {
      this.#fill();
      super.delete(name);
    }
    override getSetCookie(): string[] {
      this.#fill();
      return super.getSetCookie();
    }
    override forEach(callback: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void {
      this.#fill();
      super.forEach(callback, thisArg);
    }
    override entries(): ReturnType<Headers["entries"]> {
      this.#fill();
      return super.entries();
    }
    override keys(): ReturnType<Headers["keys"]> {
      this.#fill();
      return super.keys();
    }
    override values(): ReturnType<Headers["values"]> {
      this.#fill();
      return super.values();
    }
    // also what `new Headers(h)`, `new Response(b, { headers: h })` and spreading read
    override [Symbol.iterator](): ReturnType<Headers["entries"]> {
      this.#fill();
      return super.entries();
    }
    [Symbol.for("nodejs.util.inspect.custom")](...args: unknown[]): unknown {
      this.#fill();
      const inspect = (Headers.prototype as unknown as Record<symbol, ((...a: unknown[]) => unknown) | undefined>)[
        Symbol.for("nodejs.util.inspect.custom")
      ];
      return inspect ? inspect.apply(this, args) : this;
    }
  }
  return NodeResponseHeaders;
}

/** The response headers of `raw` (Node's `rawHeaders`). */
export function responseHeaders(raw: string[]): Headers {
  ResponseHeaders ??= responseHeadersClass();
  return new ResponseHeaders(raw);
}
