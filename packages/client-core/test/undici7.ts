/**
 * undici 7's `fetch` for the transport tests, sending through an `Agent` of its own, while Node's
 * own `fetch` keeps Node's own dispatcher.
 *
 * Importing undici installs its `Agent` as the process's global dispatcher when none is set yet,
 * and Node's global `fetch` then sends through it: undici 6's `fetch` over undici 7's HTTP client,
 * which is neither Node 20's `fetch` nor undici 7's. A `fetch` of a `data:` URL first makes Node's
 * `fetch` set up its own dispatcher, which undici then leaves in place; so undici 7's `fetch` is given
 * its own. Import this module rather than "undici".
 */
await globalThis.fetch("data:,");
const undici = await import("undici");
const agent = new undici.Agent();

/** undici 7's `fetch` over undici 7's own `Agent`. */
export const undici7Fetch = ((input: string | URL | Request, init?: RequestInit) =>
  undici.fetch(input as never, { ...(init as object), dispatcher: agent } as never)) as unknown as typeof fetch;

/** Whether Node's global `fetch` sends through undici 7 (false once this module has run first). */
export const platformOnUndici7 =
  (globalThis as Record<symbol, unknown>)[Symbol.for("undici.globalDispatcher.1")] instanceof undici.Agent;
