/**
 * Every secret a client has used, kept in a small bounded set, and the scrubbing of everything an
 * error carries (message, body, headers, fields, the whole `cause` chain) against that set.
 */
import type { ApiErrorInit } from "./errors.js";

/** Most distinct secrets remembered per client (older ones are forgotten first). */
const MAX_SECRETS = 32;
/** Shorter strings are not treated as secrets: scrubbing them would mangle ordinary text. */
const MIN_SECRET_LENGTH = 4;
const REDACTED = "[redacted]";
/** How deep a `cause` chain is copied; deeper links are dropped. */
const MAX_CAUSE_DEPTH = 6;

/** A bounded, insertion-ordered set of secrets: current and past tokens, keys, credential headers. */
export class SecretSet {
  readonly #values = new Set<string>();
  /** The value added last: the same credential header, attempt after attempt, costs one comparison. */
  #last: string | undefined;

  /** Remembers a secret (for a `Bearer x` / `Basic x` header value, the credential `x`). */
  add(value: string | undefined): void {
    if (value === this.#last || value === undefined || value.length < MIN_SECRET_LENGTH) return;
    this.#last = value;
    // `Bearer x` / `Basic x`: the credential is `x` (so an echoed header reads `Bearer [redacted]`)
    const scheme = /^(?:bearer|basic|token)\s+(.+)$/i.exec(value);
    this.#put(scheme?.[1] ?? value);
  }

  #put(value: string): void {
    if (value.length < MIN_SECRET_LENGTH) return;
    if (this.#values.has(value)) {
      this.#values.delete(value); // most recent last
    } else if (this.#values.size >= MAX_SECRETS) {
      const oldest = this.#values.values().next().value;
      if (oldest !== undefined) this.#values.delete(oldest);
    }
    this.#values.add(value);
  }

  /** The secrets, longest first (so a token inside a longer header value is scrubbed whole). */
  list(): string[] {
    return [...this.#values].sort((a, b) => b.length - a.length);
  }
}

/** Removes every occurrence of the given secrets from a string. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_SECRET_LENGTH && out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** A copy of a JSON-like value with every secret scrubbed from its strings (keys included). */
export function scrubValue<T>(value: T, secrets: readonly string[], depth = 0): T {
  if (secrets.length === 0 || value === undefined || value === null) return value;
  if (typeof value === "string") return scrubSecrets(value, secrets) as T;
  if (typeof value !== "object" || depth > 32) return value;
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, secrets, depth + 1)) as T;
  if (value instanceof Error) return scrubError(value, secrets, depth) as T;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[scrubSecrets(key, secrets)] = scrubValue(item, secrets, depth + 1);
  }
  return out as T;
}

/**
 * A copy of an error with its message, stack and `cause` chain scrubbed. The copy keeps the
 * error's class (so `instanceof TypeError` still holds), `name` and `code`.
 */
export function scrubError(error: Error, secrets: readonly string[], depth = 0): Error {
  if (secrets.length === 0) return error;
  const cause = (error as { cause?: unknown }).cause;
  const copy = Object.create(Object.getPrototypeOf(error) as object) as Error;
  const own = (key: string, value: unknown) => {
    try {
      Object.defineProperty(copy, key, { value, writable: true, configurable: true, enumerable: false });
    } catch {
      // a property the prototype will not let us shadow: leave it out
    }
  };
  own("message", scrubSecrets(String(error.message), secrets));
  own("name", error.name);
  if (typeof error.stack === "string") own("stack", scrubSecrets(error.stack, secrets));
  for (const key of ["code", "errno", "syscall"]) {
    const value = (error as unknown as Record<string, unknown>)[key];
    if (value !== undefined) own(key, scrubValue(value, secrets));
  }
  if (cause !== undefined && depth < MAX_CAUSE_DEPTH) own("cause", scrubValue(cause, secrets, depth + 1));
  return copy;
}

/** An error's init with every secret scrubbed from what it will carry. */
export function scrubInit(init: ApiErrorInit, secrets: readonly string[]): ApiErrorInit {
  if (secrets.length === 0) return init;
  return {
    ...init,
    message: scrubSecrets(init.message, secrets),
    requestId: init.requestId === undefined ? undefined : scrubSecrets(init.requestId, secrets),
    code: typeof init.code === "string" ? scrubSecrets(init.code, secrets) : init.code,
    body: scrubValue(init.body, secrets),
    headers: scrubValue(init.headers, secrets),
    fields: scrubValue(init.fields, secrets),
    cause: scrubValue(init.cause, secrets),
  };
}
