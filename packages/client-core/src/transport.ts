/**
 * The transport a client uses when given none. Here, for browsers, workers, Deno, Bun and every
 * other runtime: none, meaning the engine makes one per client with
 * `createFetchTransport(globalThis.fetch)` (see `transport-fetch.ts`). The `node` build of the
 * package (export condition `node`) replaces this module with `transport-node.ts`, whose
 * `defaultTransport` is the shared keep-alive `node:http` transport, so browser bundles never
 * include `node:http`. Both modules export the same names.
 */
import type { Transport } from "./wire.js";

export const defaultTransport: Transport | undefined = undefined;
